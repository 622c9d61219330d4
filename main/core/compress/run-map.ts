// The Compare view's 2-D map: a seeded sample of the dataset's image embeddings projected
// on their first two principal components, with which sampled pairs each run kept. A
// sample (not every pair) because a scatter of millions of points tells nothing more and
// would cost the renderer seconds; the projection is fitted on the same sample.
import path from 'node:path';
import type { CoreContext } from '../context';
import { FEATURE_FILES } from '../features/embed';
import { UserInputError } from '../ingest/index-dataset';
import { applyPca, fitPca } from '../methods/pca';
import { permutation } from '../methods/rng';
import { featureErrorSeqs, getFeatureSet } from '../store/feature-sets';
import { keptSeqs, type RunRow } from '../store/runs';
import { VectorFile } from '../store/vectors';

export interface RunMap {
  model: string;
  /** Pairs with features in the dataset (what the sample was drawn from). */
  population: number;
  seqs: number[];
  x: number[];
  y: number[];
  /** Share of the sample's variance along each axis. */
  explained: [number, number];
  runs: { runId: number; kept: boolean[] }[];
}

export interface RunMapOptions {
  sample: number;
  seed: number;
}

/** Sampled rows with a non-zero vector (a zero row is a pair whose features failed). */
function sampleRows(
  vf: VectorFile,
  candidates: Int32Array,
  skip: Set<number>,
  want: number,
): { seqs: number[]; data: Float32Array } {
  const cols = vf.dims;
  const data = new Float32Array(want * cols);
  const seqs: number[] = [];
  const sorted = (rows: Int32Array) => Array.from(rows).sort((a, b) => a - b);
  // Read in sorted order (sequential file access); take candidates in permutation order.
  for (let from = 0; from < candidates.length && seqs.length < want;) {
    const batch = sorted(candidates.subarray(from, from + (want - seqs.length) * 2));
    from += batch.length;
    for (const seq of batch) {
      if (seqs.length >= want) break;
      if (skip.has(seq)) continue;
      const row = vf.read(seq, 1);
      let norm = 0;
      for (let d = 0; d < cols; d++) norm += row[d]! * row[d]!;
      if (norm === 0) continue;
      const inv = 1 / Math.sqrt(norm);
      const base = seqs.length * cols;
      for (let d = 0; d < cols; d++) data[base + d] = row[d]! * inv;
      seqs.push(seq);
    }
  }
  return { seqs, data: data.subarray(0, seqs.length * cols) };
}

export function runMap(ctx: CoreContext, runs: RunRow[], opts: RunMapOptions): RunMap {
  const first = runs[0];
  if (!first) throw new UserInputError('choose at least one run');
  const model = String((first.params as { model?: unknown }).model ?? 'builtin');
  for (const r of runs) {
    if (r.datasetId !== first.datasetId)
      throw new UserInputError(
        `runs #${first.id} and #${r.id} are on different datasets: map one dataset at a time`,
      );
  }
  const set = getFeatureSet(ctx.db, first.datasetId, model);
  if (!set || set.state !== 'ready')
    throw new UserInputError(`dataset ${first.datasetId} has no ready ${model} features to map`);
  const vf = VectorFile.open(path.join(set.folder, FEATURE_FILES.image));
  try {
    const failed = featureErrorSeqs(ctx.db, set.id);
    const candidates = permutation(vf.rows, opts.seed);
    const { seqs, data } = sampleRows(vf, candidates, failed, Math.min(opts.sample, vf.rows));
    const m = seqs.length;
    const cols = vf.dims;
    const x: number[] = [];
    const y: number[] = [];
    let explained: [number, number] = [0, 0];
    if (m >= 2) {
      const matrix = { data, rows: m, cols };
      const model2 = fitPca(matrix, { dims: 2, eigenPower: 0 });
      const proj = applyPca(model2, matrix);
      for (let i = 0; i < m; i++) {
        x.push(proj.data[i * proj.cols]!);
        y.push(proj.cols > 1 ? proj.data[i * proj.cols + 1]! : 0);
      }
      // Total variance = trace of the covariance = Σ per-column variance.
      let total = 0;
      for (let d = 0; d < cols; d++) {
        let s = 0;
        let s2 = 0;
        for (let i = 0; i < m; i++) {
          const v = data[i * cols + d]!;
          s += v;
          s2 += v * v;
        }
        total += (s2 - (s * s) / m) / (m - 1);
      }
      const ev = model2.eigenvalues;
      explained = total > 0 ? [(ev[0] ?? 0) / total, (ev[1] ?? 0) / total] : [0, 0];
    }
    const index = new Map(seqs.map((s, i) => [s, i]));
    const mapRuns = runs.map((r) => {
      const kept = new Array<boolean>(m).fill(false);
      for (const s of keptSeqs(ctx.db, r.id)) {
        const i = index.get(s);
        if (i !== undefined) kept[i] = true;
      }
      return { runId: r.id, kept };
    });
    return { model, population: vf.rows - failed.size, seqs, x, y, explained, runs: mapRuns };
  } finally {
    vf.close();
  }
}
