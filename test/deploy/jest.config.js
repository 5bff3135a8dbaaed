/** @type {import('jest').Config} */
module.exports = {
  displayName: 'deploy',
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // Rendering and validating every overlay loads the Kubernetes schemas once per file.
  testTimeout: 120_000,
};
