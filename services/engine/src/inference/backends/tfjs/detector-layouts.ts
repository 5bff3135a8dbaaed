// face-api's detector constants, shared by our tfjs forward passes and the ONNX exporter; free of tfjs so the
// exporter stays so too.

/** face-api tinyFaceDetector/const.ts: conv0 reads (x − MEAN_RGB) / 255. */
export const TINY_MEAN_RGB: readonly number[] = [117.001, 114.697, 97.404];

/** face-api ssdMobilenetv1: batch-norm epsilon, NMS IoU threshold, the depthwise layers that stride by 2. */
export const SSD_BN_EPSILON = 0.0010000000474974513;
export const SSD_IOU_THRESHOLD = 0.5;
export const SSD_STRIDE_2_LAYERS: readonly number[] = [2, 4, 6, 12];
