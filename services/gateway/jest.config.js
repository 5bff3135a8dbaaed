/** @type {import('jest').Config} */
module.exports = {
  displayName: 'gateway',
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: require('../../jest.transform.cjs').transform,
  // Integration specs talk to real MariaDB, Redis and a fake gRPC engine on loopback.
  testTimeout: 60_000,
};
