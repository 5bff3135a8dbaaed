/** @type {import('jest').Config} */
module.exports = {
  displayName: 'engine',
  // onnxruntime-node returns typed arrays of the outer realm: the engine runs in-process with the onnx backend.
  testEnvironment: '<rootDir>/test/onnx/ort-environment.js',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: require('../../jest.transform.cjs').transform,
};
