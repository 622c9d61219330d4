// One place that maps a stored format id to its reader.
import { createBlipReader } from './readers/blip-json';
import { createClipRetrievalReader } from './readers/clip-retrieval';
import { createCocoReader } from './readers/coco-captions';
import { createFlickrCsvReader } from './readers/flickr-csv';
import { createFlickrTokenReader } from './readers/flickr-token';
import { createImageFolderReader } from './readers/image-folder';
import { createImg2datasetFilesReader } from './readers/img2dataset-files';
import { createImg2datasetParquetReader } from './readers/img2dataset-parquet';
import { createKarpathyReader } from './readers/karpathy-json';
import { createLlavaReader } from './readers/llava-json';
import { createTableReader } from './readers/table-csv';
import { createWebdatasetReader } from './readers/webdataset-tar';
import type { FormatId, FormatReader } from './types';

type ReaderFactory = (options?: Record<string, unknown>) => FormatReader;

const FACTORIES: Record<FormatId, ReaderFactory> = {
  webdataset: createWebdatasetReader,
  'img2dataset-files': createImg2datasetFilesReader,
  'img2dataset-parquet': createImg2datasetParquetReader,
  coco: createCocoReader,
  karpathy: createKarpathyReader,
  'flickr-token': createFlickrTokenReader,
  'flickr-csv': createFlickrCsvReader,
  'blip-json': createBlipReader,
  'llava-json': createLlavaReader,
  table: createTableReader,
  folder: createImageFolderReader,
  'clip-retrieval': createClipRetrievalReader,
};

/** The reader for `format`, configured with detection's (or the user's) options. */
export function createReader(format: FormatId, options?: Record<string, unknown>): FormatReader {
  const factory = FACTORIES[format];
  if (!factory) throw new Error(`no reader is registered for dataset format "${format}"`);
  return factory(options);
}
