// Format detection for a dropped folder or file. It looks at names and extensions and
// sniffs the first bytes of a few files (never every file: a folder may hold 300 shards
// or 100k images). When nothing matches, or several layouts match about equally, it says
// what it saw and asks instead of guessing.
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { listDir } from './fs-walk';
import { isImageName } from './image-probe';
import { readHead } from './lines';
import { COCO_CAPTIONS_FILE } from './readers/coco-captions';
import { flickrCsvLayout, FLICKR_CSV_FILE } from './readers/flickr-csv';
import { SHARD_DIR } from './readers/img2dataset-files';
import { imageColumnOf } from './readers/img2dataset-parquet';
import { KARPATHY_FILE } from './readers/karpathy-json';
import { sniffTableFile, TABLE_FILE } from './readers/table-csv';
import { TOKEN_FILE, TOKEN_LINE } from './readers/flickr-token';
import { BlockReader } from './tar/block-reader';
import { walkTar } from './tar/tar-walk';
import type { Detection, FormatId } from './types';

type Candidate = Detection['candidates'][number] & { options?: Record<string, unknown>; root?: string };

/** Candidates closer than this to the best one make detection ask instead of choose. */
const TIE_MARGIN = 0.15;
const SNIFF_BYTES = 64 * 1024;
/** How many files of one kind are sniffed, at most. */
const SNIFF_FILES = 8;

/** A kind of file for the "seen" summary: `_stats.json`, `.token.txt`, `.csv.gz`, `.jpg`. */
export function fileKind(name: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('_stats.json')) return '_stats.json';
  const m = /(\.(token\.txt|csv\.gz|tsv\.gz|[a-z0-9]+))$/.exec(lower);
  return m ? m[1]! : '(no extension)';
}

function summarize(counts: Map<string, number>): string[] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n.toLocaleString('en')} ${k}`);
}

/** Which json dataset a file's first bytes look like. */
export function sniffJsonHead(
  head: string,
  name: string,
): { format: FormatId; evidence: string } | undefined {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (COCO_CAPTIONS_FILE.test(name) && text.startsWith('{'))
    return { format: 'coco', evidence: `${name}: COCO captions file name` };
  if (KARPATHY_FILE.test(name) && text.startsWith('{'))
    return { format: 'karpathy', evidence: `${name}: Karpathy split file name` };
  if (text.startsWith('{')) {
    if (/"sentences"\s*:/.test(text) && /"filename"\s*:/.test(text))
      return { format: 'karpathy', evidence: `${name}: images[] with filename and sentences` };
    if (
      /"images"\s*:/.test(text) &&
      /"file_name"\s*:/.test(text) &&
      (/"annotations"\s*:/.test(text) || /"info"\s*:|"licenses"\s*:/.test(text))
    ) {
      return { format: 'coco', evidence: `${name}: COCO images[] with file_name` };
    }
    return undefined;
  }
  if (text.startsWith('[')) {
    if (/"conversations"\s*:/.test(text))
      return { format: 'llava-json', evidence: `${name}: list of {id, image, conversations}` };
    if (/"image"\s*:/.test(text) && /"caption"\s*:/.test(text))
      return { format: 'blip-json', evidence: `${name}: list of {image, caption}` };
  }
  return undefined;
}

async function headText(file: string, n = SNIFF_BYTES): Promise<string> {
  return new TextDecoder('utf-8').decode(await readHead(file, n));
}

/** The first member of a tar, when it is one. */
async function firstTarMember(file: string): Promise<string | undefined> {
  const fh = await open(file, 'r');
  try {
    const r = new BlockReader(fh, (await fh.stat()).size, 64 * 1024);
    for await (const ev of walkTar(r)) return ev.type === 'member' ? ev.member.name : undefined;
    return undefined;
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}

async function parquetImageColumn(file: string): Promise<string | undefined | null> {
  try {
    return imageColumnOf(await parquetMetadataAsync(await asyncBufferFromFile(file))) ?? null;
  } catch {
    return undefined; // unreadable
  }
}

/** Candidates for one data file (dropped alone, or met in a folder). `rel` names it relative to the dataset folder. */
async function fileCandidates(file: string, rel: string): Promise<Candidate[]> {
  const name = path.basename(file);
  const lower = name.toLowerCase();
  const out: Candidate[] = [];
  if (lower.endsWith('.tar')) {
    const first = await firstTarMember(file);
    if (first && /^[^.]+\.[a-z0-9.]+$/i.test(path.posix.basename(first))) {
      out.push({
        format: 'webdataset',
        confidence: 0.95,
        evidence: [`${rel}: tar with members like ${first}`],
      });
    } else if (first !== undefined || (await stat(file)).size > 0) {
      out.push({
        format: 'webdataset',
        confidence: 0.6,
        evidence: [`${rel}: a tar${first ? ` (first member ${first})` : ''}`],
      });
    }
  } else if (lower.endsWith('.parquet')) {
    const col = await parquetImageColumn(file);
    if (col)
      out.push({
        format: 'img2dataset-parquet',
        confidence: 0.9,
        evidence: [`${rel}: parquet with image bytes in column "${col}"`],
        options: {},
      });
  } else if (lower.endsWith('.json') && !lower.endsWith('_stats.json')) {
    const s = sniffJsonHead(await headText(file), name);
    if (s)
      out.push({
        format: s.format,
        confidence: s.format === 'blip-json' ? 0.85 : 0.9,
        evidence: [s.evidence],
        options: { files: [rel] },
      });
  } else if (TOKEN_FILE.test(lower) || lower.endsWith('.txt')) {
    const head = await headText(file, 8192);
    const firstLine = head.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
    if (TOKEN_LINE.test(firstLine)) {
      out.push({
        format: 'flickr-token',
        confidence: 0.9,
        evidence: [`${rel}: lines "<image>#<n><TAB><caption>"`],
        options: { files: [rel] },
      });
    } else if (flickrCsvLayout(firstLine)) {
      out.push({
        format: 'flickr-csv',
        confidence: FLICKR_CSV_FILE.test(name) ? 0.9 : 0.75,
        evidence: [`${rel}: header "${firstLine.trim()}"`],
        options: { files: [rel] },
      });
    }
  }
  if (TABLE_FILE.test(lower)) {
    const firstLine = (await headText(file, 4096)).replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
    if (FLICKR_CSV_FILE.test(name) && flickrCsvLayout(firstLine)) {
      out.push({
        format: 'flickr-csv',
        confidence: 0.9,
        evidence: [`${rel}: Kaggle Flickr header "${firstLine.trim()}"`],
        options: { files: [rel] },
      });
    }
    const sniffed = await sniffTableFile(file);
    if ('layout' in sniffed) {
      const l = sniffed.layout;
      const col = (i: number) => (l.columns ? `"${l.columns[i]}"` : `column ${i + 1}`);
      out.push({
        format: 'table',
        confidence: l.header ? 0.8 : 0.7,
        evidence: [
          `${rel}: ${l.delimiter === '\t' ? 'tab' : `"${l.delimiter}"`}-separated, ${l.header ? 'with' : 'without'} header; image ${l.imageIsUrl ? 'URLs' : 'paths'} in ${col(l.imageColumn)}, captions in ${col(l.captionColumn)}`,
        ],
        options: { files: [rel], ...l, columns: undefined },
      });
    }
  }
  return out;
}

/** Picks the winner or explains why not. */
function decide(candidates: Candidate[], seen: string[], what: string): Detection {
  candidates.sort((a, b) => b.confidence - a.confidence);
  const best = candidates[0];
  const base: Detection = {
    candidates: candidates.map(({ format, confidence, evidence }) => ({ format, confidence, evidence })),
    seen,
  };
  if (!best) {
    return {
      ...base,
      problem: `${what} does not look like a dataset this app reads: no webdataset tars, img2dataset folders or parquet, COCO/Karpathy/Flickr/BLIP/LLaVA annotation files, csv/tsv of image–caption rows, or images with same-name .txt captions. Choose the format by hand, or drop the folder that holds the images and their captions.`,
    };
  }
  const close = candidates.filter(
    (c) => c !== best && c.format !== best.format && best.confidence - c.confidence < TIE_MARGIN,
  );
  if (close.length > 0) {
    const names = [best, ...close].map((c) => `${c.format} (${c.evidence[0]})`).join('; ');
    return {
      ...base,
      problem: `${what} matches several formats equally well: ${names}. Choose one, or drop the specific file or folder.`,
    };
  }
  // Several files of the winning format: read them all.
  const sameFormat = candidates.filter((c) => c.format === best.format);
  let options = best.options;
  const files = sameFormat.flatMap((c) =>
    Array.isArray(c.options?.files) ? (c.options!.files as string[]) : [],
  );
  if (sameFormat.length > 1 && files.length > 0) options = { files: [...new Set(files)] };
  const out: Detection = { ...base, format: best.format };
  if (options) out.options = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  if (best.root) out.root = best.root;
  return out;
}

async function detectFile(file: string): Promise<Detection> {
  const name = path.basename(file);
  const seen = [`1 ${fileKind(name)} file (${name})`];
  if (isImageName(name)) {
    return {
      candidates: [],
      seen,
      problem: `${name} is a single image, not a dataset: drop the folder that holds the images and their captions.`,
    };
  }
  const candidates = await fileCandidates(file, name);
  // A COCO captions file dropped alone: its images sit beside annotations/, one level up.
  for (const c of candidates) {
    if (c.format === 'coco' && path.basename(path.dirname(file)) === 'annotations') {
      c.root = path.dirname(path.dirname(file));
      c.options = { files: [`annotations/${name}`] };
      c.evidence.push('images are looked for next to annotations/: the folder above it is the dataset root');
    }
  }
  return decide(candidates, seen, `"${name}"`);
}

async function detectFolder(dir: string): Promise<Detection> {
  const top = await listDir(dir);
  const counts = new Map<string, number>();
  for (const f of top.files) counts.set(fileKind(f), (counts.get(fileKind(f)) ?? 0) + 1);
  if (top.dirs.length) counts.set('folders', top.dirs.length);
  const seen = summarize(counts);
  const candidates: Candidate[] = [];
  const by = (pred: (n: string) => boolean) => top.files.filter((f) => pred(f.toLowerCase()));

  // img2dataset webdataset: tars (their parquets and stats are sidecars, not datasets).
  const tars = by((n) => n.endsWith('.tar'));
  if (tars.length > 0) {
    const sampled = await Promise.all(tars.slice(0, 3).map((t) => fileCandidates(path.join(dir, t), t)));
    const conf = Math.max(0, ...sampled.flat().map((c) => c.confidence));
    const stems = new Set(tars.map((t) => t.slice(0, -4)));
    const withParquet = top.files.filter((f) => f.endsWith('.parquet') && stems.has(f.slice(0, -8))).length;
    candidates.push({
      format: 'webdataset',
      confidence: conf,
      evidence: [
        `${tars.length} .tar shard(s)${withParquet ? `, ${withParquet} with a same-name .parquet` : ''}`,
        ...(sampled[0]?.[0]?.evidence ?? []),
      ],
    });
  }
  // img2dataset "files": NNNNN/ folders of <key>.jpg + .txt + .json.
  const shardDirs = top.dirs.filter((d) => SHARD_DIR.test(d));
  if (shardDirs.length > 0) {
    const inner = await listDir(path.join(dir, shardDirs[0]!));
    const imgs = inner.files.filter(isImageName).length;
    const jsons = inner.files.filter((f) => f.endsWith('.json')).length;
    const txts = inner.files.filter((f) => f.endsWith('.txt')).length;
    if (imgs > 0 && (jsons > 0 || txts > 0)) {
      candidates.push({
        format: 'img2dataset-files',
        confidence: jsons > 0 ? 0.9 : 0.75,
        evidence: [
          `${shardDirs.length} numbered folder(s); ${shardDirs[0]}/ holds ${imgs} images, ${txts} .txt, ${jsons} .json`,
        ],
      });
    }
  }
  // img2dataset parquet with image bytes (not the sidecars of tars or folders).
  const sidecarStems = new Set([...tars.map((t) => t.slice(0, -4)), ...shardDirs]);
  const parquets = by((n) => n.endsWith('.parquet')).filter((p) => !sidecarStems.has(p.slice(0, -8)));
  for (const p of parquets.slice(0, 2)) {
    for (const c of await fileCandidates(path.join(dir, p), p)) {
      candidates.push({
        ...c,
        evidence: [`${parquets.length} .parquet file(s) with image bytes`, ...c.evidence],
        options: { files: parquets },
      });
      break;
    }
  }
  // clip-retrieval: img_emb/*.npy + metadata/*.parquet.
  if (top.dirs.includes('img_emb') && top.dirs.includes('metadata')) {
    const npys = (await listDir(path.join(dir, 'img_emb'))).files.filter((f) => f.endsWith('.npy')).length;
    if (npys > 0)
      candidates.push({
        format: 'clip-retrieval',
        confidence: 0.95,
        evidence: [`img_emb/ with ${npys} .npy and metadata/`],
      });
  }
  // COCO: annotations/captions_*.json (or at the top).
  const annotationDir = top.dirs.find((d) => d.toLowerCase() === 'annotations');
  const cocoFiles = [
    ...(annotationDir
      ? (await listDir(path.join(dir, annotationDir))).files
          .filter((f) => COCO_CAPTIONS_FILE.test(f))
          .map((f) => `${annotationDir}/${f}`)
      : []),
    ...top.files.filter((f) => COCO_CAPTIONS_FILE.test(f)),
  ];
  if (cocoFiles.length > 0) {
    candidates.push({
      format: 'coco',
      confidence: 0.95,
      evidence: [`COCO captions: ${cocoFiles.join(', ')}`],
      options: { files: cocoFiles },
    });
  }
  // Other json files at the top: sniffed (Karpathy, LLaVA, BLIP).
  const jsons = top.files.filter(
    (f) =>
      f.toLowerCase().endsWith('.json') &&
      !f.toLowerCase().endsWith('_stats.json') &&
      !COCO_CAPTIONS_FILE.test(f),
  );
  for (const j of jsons.slice(0, SNIFF_FILES))
    candidates.push(...(await fileCandidates(path.join(dir, j), j)));
  // Flickr token files, Kaggle captions.txt / results.csv, generic tables.
  const texts = top.files.filter((f) => TOKEN_FILE.test(f) || FLICKR_CSV_FILE.test(f) || TABLE_FILE.test(f));
  for (const t of texts.slice(0, SNIFF_FILES)) {
    const found = await fileCandidates(path.join(dir, t), t);
    // A Kaggle Flickr file is also a valid table: the Flickr reader knows its keys.
    candidates.push(
      ...(found.some((c) => c.format === 'flickr-csv') ? found.filter((c) => c.format !== 'table') : found),
    );
  }
  const lemma = candidates.filter(
    (c) =>
      c.format === 'flickr-token' && /lemma/i.test(String((c.options?.files as string[] | undefined)?.[0])),
  );
  if (lemma.length < candidates.filter((c) => c.format === 'flickr-token').length) {
    for (const l of lemma) candidates.splice(candidates.indexOf(l), 1);
  }
  // A plain folder of images with same-name .txt (sampled: the top and a few subfolders).
  const folderStats = async (rel: string) => {
    const l = rel ? await listDir(path.join(dir, rel)) : top;
    const stems = new Set(l.files.filter((f) => f.toLowerCase().endsWith('.txt')).map((f) => f.slice(0, -4)));
    const imgs = l.files.filter(isImageName);
    return {
      imgs: imgs.length,
      captioned: imgs.filter((f) => stems.has(f.slice(0, f.lastIndexOf('.')))).length,
    };
  };
  let imgs = 0;
  let captioned = 0;
  for (const rel of ['', ...top.dirs.slice(0, 20)]) {
    const s = await folderStats(rel);
    imgs += s.imgs;
    captioned += s.captioned;
  }
  if (captioned > 0 && !candidates.some((c) => c.format === 'img2dataset-files')) {
    candidates.push({
      format: 'folder',
      confidence: captioned / imgs >= 0.5 ? 0.75 : 0.5,
      evidence: [`${captioned} of ${imgs} sampled images have a same-name .txt`],
    });
  }
  const decided = decide(candidates, seen, 'This folder');
  if (!decided.format && candidates.length === 0 && imgs > 0) {
    decided.problem = `This folder holds images (${imgs} sampled) but no captions: no .txt beside them and no csv, tsv or json that names them. Add the caption file, or drop the folder that has it.`;
  }
  return decided;
}

/** What dataset format `inputPath` (a dropped folder or file) holds, with evidence. */
export async function detectFormat(inputPath: string): Promise<Detection> {
  const abs = path.resolve(inputPath);
  let st;
  try {
    st = await stat(abs);
  } catch {
    return {
      candidates: [],
      seen: [],
      problem: `"${inputPath}" does not exist (or cannot be read). Check the path, or drop the folder again.`,
    };
  }
  if (st.isDirectory()) return detectFolder(abs);
  if (st.isFile()) return detectFile(abs);
  return { candidates: [], seen: [], problem: `"${inputPath}" is neither a folder nor a file.` };
}
