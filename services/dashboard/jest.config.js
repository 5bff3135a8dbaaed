/** @type {import('jest').Config} */
module.exports = {
  displayName: 'dashboard',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [require.resolve('../../jest.transform.cjs'), { jsc: { target: 'es2022' } }],
    '^.+\\.js$': [require.resolve('../../jest.transform.cjs'), { bindingsOnly: true }],
  },
};
