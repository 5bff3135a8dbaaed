// What both services agree an image is. No runtime dependencies: the engine's workers and the gateway load it.
export { type FormatInfo, type ImageFormat, SUPPORTED_FORMAT_NAMES, SUPPORTED_FORMATS } from './formats';
export { DEFAULT_IMAGE_LIMITS, formatSize } from './limits';
export { type Sniffed, sniffFormat } from './sniff';
