// face-api's FaceRecognitionNet layout, shared by our tfjs forward pass (face-recognition-net.ts) and the ONNX
// exporter (tools/onnx-export/exporters/face-recognition-net.ts); free of tfjs so the exporter stays so too.

/** The net's input side: aligned chips of 150 × 150. */
export const INPUT_SIZE = 150;
/** The mean RGB face-api subtracts before dividing by 255. */
export const MEAN_RGB = [122.782, 117.001, 104.298];
/** The residual blocks after conv32_down, in order. */
export const RESIDUAL_LAYERS = [
  'conv32_1',
  'conv32_2',
  'conv32_3',
  'conv64_down',
  'conv64_1',
  'conv64_2',
  'conv64_3',
  'conv128_down',
  'conv128_1',
  'conv128_2',
  'conv256_down',
  'conv256_1',
  'conv256_2',
  'conv256_down_out',
] as const;
