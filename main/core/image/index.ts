// Image access by reference: bytes, header probe, normalised decode, thumbnails.
export { ImageError, isImageError } from './errors';
export { DEFAULT_MAX_IMAGE_BYTES, DEFAULT_MAX_PIXELS } from './limits';
export { readImageBytes, type ReadImageOptions } from './read-bytes';
export { probeImage, type ImageProbe } from './probe';
export { ALPHA_BACKGROUND, decodeImage, type DecodedImage, type DecodeOptions, type FitMode } from './decode';
export {
  DEFAULT_THUMBNAIL_SIZE,
  getThumbnail,
  renderThumbnail,
  thumbnailHash,
  thumbnailPath,
  type ThumbnailRequest,
} from './thumbnail';
