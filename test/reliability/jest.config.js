/** @type {import('jest').Config} */
module.exports = {
  displayName: 'reliability',
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: require('../../jest.transform.cjs').transform,
  // Suites start real gateway, worker and engine processes (built dist/ of each service).
  testTimeout: 120_000,
};
