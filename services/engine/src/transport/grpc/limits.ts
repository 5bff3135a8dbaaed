// What the gRPC layer needs from the calibration: the threshold and its bounds (request validation, GetInfo)
// and the label cut points. Re-exported from src/inference/calibration.ts, which imports nothing heavy.
export {
  THRESHOLD as DEFAULT_THRESHOLD,
  LABEL_CUTS,
  MAX_THRESHOLD,
  MIN_THRESHOLD,
} from '../../inference/calibration';

import { MODEL_NAMES as NAMES } from '../../inference/about';

/** GetInfo's model names (each inference response carries the detector that really ran). */
export const MODEL_NAMES = { recognition_model: NAMES.recognition, detector: NAMES.detector } as const;
