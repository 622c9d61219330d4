// Streaming the matched rows of each part into the feature set's vector files: a chunk
// of source rows is read (one positioned read, or the next stretch of an inflated .npz
// member), its rows are put in seq order, and runs of consecutive seqs are written with
// one write each. After each chunk the files are flushed, so their done bitmaps say what
// is on disk; a resumed import skips chunks whose rows are all done.
import type { JobContext } from '../../jobs/runner';
import type { VectorFile } from '../../store/vectors';
import type { ResolvedSource } from './import-source';
import type { Matching } from './match-keys';

/** Rows of one matrix chunk (at most ~32 MiB of float32 per side). */
export function defaultChunkRows(cols: number): number {
  return Math.max(256, Math.floor((32 * 1024 * 1024) / (4 * Math.max(1, cols))));
}

/**
 * Writes rows `idx` of `src` (or a constant `fill` for every row) at `seqs` (ascending):
 * one write per run of consecutive seqs; rows already in order are written in place.
 * `stage` is a scratch buffer, grown as needed.
 */
export function writeRuns(
  v: VectorFile,
  src: Float32Array | { fill: number },
  idx: Int32Array,
  seqs: Int32Array,
  stage: { buf: Float32Array },
): void {
  const d = v.dims;
  for (let a = 0; a < seqs.length;) {
    let b = a + 1;
    let contiguous = true;
    while (b < seqs.length && seqs[b] === seqs[b - 1]! + 1) {
      if (idx[b] !== idx[b - 1]! + 1) contiguous = false;
      b++;
    }
    const first = idx[a]!;
    if (src instanceof Float32Array && contiguous) {
      v.writeRows(seqs[a]!, src.subarray(first * d, (first + b - a) * d));
    } else {
      const need = (b - a) * d;
      if (stage.buf.length < need) stage.buf = new Float32Array(need);
      const out = stage.buf.subarray(0, need);
      if (src instanceof Float32Array)
        for (let j = a; j < b; j++) out.set(src.subarray(idx[j]! * d, (idx[j]! + 1) * d), (j - a) * d);
      else out.fill(src.fill);
      v.writeRows(seqs[a]!, out);
    }
    a = b;
  }
}

export async function copyVectors(
  jc: JobContext,
  src: ResolvedSource,
  m: Matching,
  image: VectorFile,
  text: VectorFile | undefined,
  chunkRows = defaultChunkRows(src.imageDims),
): Promise<void> {
  const files = text ? [image, text] : [image];
  const stage = { buf: new Float32Array(chunkRows * src.imageDims) };
  const bufs: (Float32Array | undefined)[] = [undefined, undefined];
  const allDone = (seq: number) => files.every((f) => f.isDone(seq));
  let base = 0;
  for (const part of src.parts) {
    const arrays = [await part.openImage(), ...(text && part.openText ? [await part.openText()] : [])];
    try {
      for (let s = 0; s < part.rows; s += chunkRows) {
        const count = Math.min(chunkRows, part.rows - s);
        // The chunk's matched rows, by seq.
        const pick: number[] = [];
        let pending = false;
        for (let i = 0; i < count; i++) {
          const seq = m.map[base + s + i]!;
          if (seq < 0) continue;
          pick.push(i);
          if (!allDone(seq) || m.extras.get(seq)?.some((q) => !allDone(q))) pending = true;
        }
        if (pending) {
          let sorted = true;
          for (let j = 1; j < pick.length && sorted; j++) {
            sorted = m.map[base + s + pick[j]!]! > m.map[base + s + pick[j - 1]!]!;
          }
          if (!sorted) pick.sort((x, y) => m.map[base + s + x]! - m.map[base + s + y]!);
          const idx = Int32Array.from(pick);
          const seqs = idx.map((i) => m.map[base + s + i]!);
          for (let f = 0; f < files.length; f++) {
            const v = files[f]!;
            const buf = (bufs[f] = await arrays[f]!.read(s, count, bufs[f]));
            writeRuns(v, buf, idx, seqs, stage);
            const d = v.dims;
            for (let j = 0; j < idx.length; j++) {
              for (const q of m.extras.get(seqs[j]!) ?? []) {
                v.writeRows(q, buf.subarray(idx[j]! * d, (idx[j]! + 1) * d));
              }
            }
            v.flush();
          }
        }
        jc.progress({ stage: 'vectors', done: base + s + count, total: src.rows });
        jc.throwIfCancelled();
      }
    } finally {
      for (const a of arrays) a.close();
    }
    base += part.rows;
  }
}
