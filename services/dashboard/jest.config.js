/** @type {import('jest').Config} */
module.exports = {
  displayName: 'dashboard',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: require('../../jest.transform.cjs').transform,
};
