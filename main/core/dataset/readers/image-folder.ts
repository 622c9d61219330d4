// A plain folder of images, each with a same-name .txt caption (a.jpg + a.txt), searched
// recursively. One folder is one unit. Symlinks are followed only while they stay inside.
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { PathEscapeError, resolveInside } from '../../util/paths';
import { datasetBaseDir } from '../base-dir';
import { captionFromBytes, type CaptionResult } from '../caption';
import { messageOf, pairError } from '../errors';
import { resolvePairs, type PendingPair } from '../file-pairs';
import { listDir } from '../fs-walk';
import { isImageName } from '../image-probe';
import { ProgressTicker } from '../progress';
import { commonOptions, type Options } from '../reader-options';
import type { FormatReader, ReadItem, ReadOptions } from '../types';

function stem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

interface FolderEntries {
  files: string[];
  dirs: string[];
  /** Links that leave the dataset folder. */
  escaping: string[];
}

/** A folder's files and subfolders (relative to base), links inside the base resolved. */
async function entriesOf(base: string, rel: string): Promise<FolderEntries> {
  const listing = await listDir(path.join(base, rel));
  const join = (n: string) => (rel ? `${rel}/${n}` : n);
  const out: FolderEntries = { files: listing.files.map(join), dirs: listing.dirs.map(join), escaping: [] };
  for (const link of listing.links) {
    try {
      const abs = resolveInside(base, join(link));
      const st = await stat(abs).catch(() => undefined);
      if (st?.isDirectory()) out.dirs.push(join(link));
      else if (st?.isFile()) out.files.push(join(link));
    } catch (e) {
      if (!(e instanceof PathEscapeError)) throw e;
      out.escaping.push(join(link));
    }
  }
  return out;
}

/** Folders under base in depth-first natural order, each once (link loops cut). */
async function* walkFolders(base: string): AsyncGenerator<{ rel: string; entries: FolderEntries }> {
  const seen = new Set<string>();
  const visit = async function* (rel: string): AsyncGenerator<{ rel: string; entries: FolderEntries }> {
    const real = await realpath(path.join(base, rel)).catch(() => path.join(base, rel));
    if (seen.has(real)) return;
    seen.add(real);
    const entries = await entriesOf(base, rel);
    yield { rel, entries };
    for (const d of entries.dirs) yield* visit(d);
  };
  yield* visit('');
}

async function captionOf(base: string, rel: string): Promise<CaptionResult> {
  try {
    return captionFromBytes(await readFile(path.join(base, rel)), rel);
  } catch (e) {
    return { caption: null, error: pairError('missing_caption', `${rel} cannot be read: ${messageOf(e)}`) };
  }
}

async function* folderPairs(base: string, entries: FolderEntries, unit: number): AsyncGenerator<PendingPair> {
  const txts = new Map<string, string>();
  for (const f of entries.files) if (f.toLowerCase().endsWith('.txt')) txts.set(stem(f), f);
  const used = new Set<string>();
  for (const f of entries.files) {
    if (!isImageName(f)) continue;
    const txt = txts.get(stem(f));
    if (txt) used.add(txt);
    yield {
      key: f,
      imageKey: f,
      image: f,
      caption: txt
        ? await captionOf(base, txt)
        : {
            caption: null,
            error: pairError('missing_caption', `${f} has no ${path.posix.basename(stem(f))}.txt beside it`),
          },
      unit,
    };
  }
  for (const [s, txt] of txts) {
    if (used.has(txt)) continue;
    yield {
      key: s,
      imageKey: s,
      caption: await captionOf(base, txt),
      error: pairError('missing_image', `${txt} has no image of the same name`),
      unit,
    };
  }
  for (const link of entries.escaping) {
    yield {
      key: link,
      imageKey: link,
      caption: { caption: null },
      error: pairError('path_escape', `${link} is a link leaving the dataset folder`),
      unit,
    };
  }
}

export function createImageFolderReader(options?: Options): FormatReader {
  const common = commonOptions(options);
  return {
    format: 'folder',
    async *read(opts: ReadOptions): AsyncGenerator<ReadItem> {
      const base = datasetBaseDir(opts.root);
      const progress = new ProgressTicker(opts.onProgress, 0);
      let unit = -1;
      for await (const { entries } of walkFolders(base)) {
        unit++;
        if (unit < (opts.startUnit ?? 0)) continue;
        opts.signal?.throwIfAborted();
        yield* resolvePairs(base, folderPairs(base, entries, unit), common.maxPixels, common.concurrency);
        progress.unitDone();
      }
    },
  };
}
