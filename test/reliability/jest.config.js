/** @type {import('jest').Config} */
module.exports = {
  displayName: 'reliability',
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [require.resolve('../../jest.transform.cjs'), { jsc: { target: 'es2022' } }],
    '^.+\\.js$': [require.resolve('../../jest.transform.cjs'), { bindingsOnly: true }],
  },
  // Suites start real gateway, worker and engine processes (built dist/ of each service).
  testTimeout: 120_000,
};
