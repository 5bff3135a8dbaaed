// Jest's node environment runs tests in a vm context with its own typed-array constructors, so onnxruntime-node's
// outputs (made by the native binding in the outer realm) fail onnxruntime-common's `instanceof Float32Array`
// check. Tests that run onnxruntime opt in with `@jest-environment ./test/onnx/ort-environment.js`: the outer
// realm's typed arrays are used inside the test context too.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer',
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Uint16Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
];

class OrtEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OrtEnvironment;
