// MediaPipe's selfie segmentation (human-models' `selfie`, a tfjs graph model: 256×256 RGB in 0..1 → the
// probability that each pixel shows a person). Verify asks it one question of a document candidate without an
// MRZ: does the person under the face run on out of the frame, as a person photographed does, or stop at the
// edge of a printed portrait?
import * as tf from '@tensorflow/tfjs';

const SEGMENTATION_SIZE = 256;

/** A person mask: `size`×`size` probabilities over the whole image (stretched to a square), row-major. */
export interface PersonMask {
  size: number;
  data: Float32Array;
}

/** Segments an RGB image (int32 or float [h, w, 3] tensor, 0..255). */
export async function segmentPerson(model: tf.GraphModel, image: tf.Tensor3D): Promise<PersonMask> {
  const out = tf.tidy(() => {
    const input = tf.image
      .resizeBilinear(tf.cast(image, 'float32'), [SEGMENTATION_SIZE, SEGMENTATION_SIZE])
      .div(255)
      .expandDims(0);
    return (model.predict(input) as tf.Tensor).reshape([SEGMENTATION_SIZE * SEGMENTATION_SIZE]);
  });
  try {
    return { size: SEGMENTATION_SIZE, data: (await out.data()) as Float32Array };
  } finally {
    out.dispose();
  }
}
