/** @type {import('jest').Config} */
module.exports = {
  displayName: 'gateway',
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [require.resolve('../../jest.transform.cjs'), { jsc: { target: 'es2022' } }],
    '^.+\\.js$': [require.resolve('../../jest.transform.cjs'), { bindingsOnly: true }],
  },
  // Integration specs talk to real MariaDB, Redis and a fake gRPC engine on loopback.
  testTimeout: 60_000,
};
