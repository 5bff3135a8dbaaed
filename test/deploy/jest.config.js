/** @type {import('jest').Config} */
module.exports = {
  displayName: 'deploy',
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: require('../../jest.transform.cjs').transform,
  // Rendering and validating every overlay loads the Kubernetes schemas once per file.
  testTimeout: 120_000,
};
