/** @type {import('jest').Config} */
module.exports = {
  displayName: 'config',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: require('../../jest.transform.cjs').transform,
};
