/** @type {import('jest').Config} */
module.exports = {
  displayName: 'sdk',
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: require('../jest.transform.cjs').transform,
};
