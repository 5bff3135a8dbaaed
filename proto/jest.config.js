/** @type {import('jest').Config} */
module.exports = {
  displayName: 'proto',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: require('../jest.transform.cjs').transform,
};
