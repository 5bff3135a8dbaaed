// The exporter as other build-time tools see it (`@deepface/engine/tools/onnx-export`, TypeScript run by tsx, never
// part of dist): the exporters, and the tfjs side they are measured against (bench/src/onnx-nets.ts).
export { EXPORTERS } from './exporters';
export { initBackend } from '../../src/inference/backends';
export { TfjsNets } from '../../src/inference/backends/tfjs/nets';
export {
  faceDescriptors,
  faceRecognitionNetParams,
} from '../../src/inference/backends/tfjs/face-recognition-net';
