// Flickr8k / Flickr30k token files: lines `<image>#<n>\t<caption>` (Flickr8k.token.txt,
// results_20130124.token). Streamed line by line; the images folder is probed.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { datasetBaseDir } from '../base-dir';
import { captionFromBytes } from '../caption';
import { pairError } from '../errors';
import { resolvePairs, type PendingPair } from '../file-pairs';
import { placeImages, topLevelFiles } from '../json-dataset';
import { readLines } from '../lines';
import { ProgressTicker } from '../progress';
import { commonOptions, optString, optStrings, type Options } from '../reader-options';
import type { FormatReader, ReadItem, ReadOptions } from '../types';

export const TOKEN_FILE = /\.token(\.txt)?$/i;
/** `<image>#<n>` then a tab. */
export const TOKEN_LINE = /^([^\t#]+)#(\d+)\t/;

/** Token files of a folder; the lemmatised variant only when it is the only one. */
export async function tokenFiles(base: string): Promise<string[]> {
  const all = await topLevelFiles(base, (n) => TOKEN_FILE.test(n), 1);
  const plain = all.filter((f) => !/lemma/i.test(f));
  return plain.length > 0 ? plain : all;
}

async function* tokenPairs(file: string, fileRel: string, unit: number): AsyncGenerator<PendingPair> {
  for await (const { bytes, lineNo } of readLines(file)) {
    if (bytes.length === 0) continue;
    const tab = bytes.indexOf(0x09);
    const head = tab > 0 ? bytes.subarray(0, tab).toString('utf8') : '';
    const m = /^(.+)#(\d+)$/.exec(head);
    if (!m) {
      const key = `${fileRel}#line${lineNo}`;
      yield {
        key,
        imageKey: key,
        caption: { caption: null },
        error: pairError(
          'malformed_record',
          `${fileRel}, line ${lineNo}: expected "<image>#<n><TAB><caption>"`,
        ),
        unit,
      };
      continue;
    }
    const image = m[1]!;
    yield {
      key: `${image}#${m[2]}`,
      imageKey: image,
      image,
      caption: captionFromBytes(bytes.subarray(tab + 1), `${fileRel}, line ${lineNo}`),
      unit,
    };
  }
}

export function createFlickrTokenReader(options?: Options): FormatReader {
  const common = commonOptions(options);
  const only = optStrings(options, 'files');
  const imageDir = optString(options, 'imageDir');
  return {
    format: 'flickr-token',
    async *read(opts: ReadOptions): AsyncGenerator<ReadItem> {
      const base = datasetBaseDir(opts.root);
      const files =
        only ?? ((await stat(opts.root)).isFile() ? [path.basename(opts.root)] : await tokenFiles(base));
      const progress = new ProgressTicker(opts.onProgress, files.length);
      for (let unit = 0; unit < files.length; unit++) {
        if (unit < (opts.startUnit ?? 0)) {
          progress.unitsDone++;
          continue;
        }
        const fileRel = files[unit]!;
        const pending = placeImages(
          base,
          tokenPairs(path.join(base, fileRel), fileRel, unit),
          [
            'Flicker8k_Dataset',
            'Flickr8k_Dataset',
            'flickr30k-images',
            'flickr30k_images',
            'Images',
            'images',
          ],
          imageDir,
        );
        let n = 0;
        for await (const item of resolvePairs(base, pending, common.maxPixels, common.concurrency)) {
          yield item;
          if ((++n & 1023) === 0) {
            opts.signal?.throwIfAborted();
            progress.tick();
          }
        }
        progress.unitDone();
      }
    },
  };
}
