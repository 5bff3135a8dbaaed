// The exporter as other build-time tools see it (`@deepface/engine/tools/onnx-export`, TypeScript run by tsx, never
// part of dist): the exporters, the tfjs side they are measured against (bench/src/onnx-nets.ts), and the session
// options the workers run them with.
export { EXPORTERS } from './exporters';
export { sessionOptions } from '../../src/inference/backends/onnx/runtime';
export { initBackend } from '../../src/inference/backends';
export { TfjsNets } from '../../src/inference/backends/tfjs/nets';
export {
  faceDescriptors,
  faceRecognitionNetParams,
} from '../../src/inference/backends/tfjs/face-recognition-net';
