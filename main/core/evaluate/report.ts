// The cheap, always-shown metrics of one run in one call (the proxy suite is separate: it
// trains and retrieves, and is run on demand). Every input beyond `kept` is optional: a
// metric whose data is missing is left out, not faked.
import type { Matrix, TopKResult } from '../compute/types';
import type { CaptionList } from '../methods/wfpp';
import type { VocabularyComparison } from '../methods/word-stats';
import { compareVocabulary } from '../methods/word-stats';
import { jsKernels, type LinearKernels } from '../methods/kernels';
import { maskIndices } from '../methods/selection';
import { permutation } from '../methods/rng';
import type { CostSummary } from './cost';
import { costSummary } from './cost';
import type { CoverageDensity } from './coverage';
import { coverageDensity } from './coverage';
import type { Histogram, HistogramOptions } from './histogram';
import { beforeAfterHistograms } from './histogram';
import type { NearDuplicateRate } from './near-duplicates';
import { nearDuplicateRate } from './near-duplicates';
import type { Occupancy } from './occupancy';
import { clusterOccupancy } from './occupancy';

export interface ReportInput {
  kept: Uint8Array;
  /** What the run chose from (the pool); default all pairs. */
  base?: Uint8Array;
  bytes?: ArrayLike<number>;
  clusters?: { assignment: Int32Array; k: number };
  alignment?: { scores: ArrayLike<number>; bins?: HistogramOptions };
  captions?: CaptionList;
  /** Unit-norm embeddings for coverage/density and near-duplicates. */
  features?: {
    x: Matrix;
    /** Reference rows for coverage (default: a seeded sample of `base`, ≤ 2000 rows; plain-JS cost R²·d). */
    reference?: Int32Array;
    /** r_k of the reference rows, when already computed (reused across runs). */
    radii?: Float32Array;
    k?: number;
    /** Coverage uses at most this many kept rows (seeded sample; default 2000). */
    maxSelected?: number;
    duplicateThreshold?: number;
    /** Top-k of the kept rows against themselves (compute layer), needed beyond `maxSelected` kept pairs. */
    neighbours?: TopKResult;
    seed?: number;
    /**
     * Multiply-adds the sampled near-duplicate check may spend (queries × kept × d; default
     * 2e9, a few seconds of plain JS). Raise it with fast kernels.
     */
    duplicateWork?: number;
  };
  /** Where the similarity products run (default plain JS). */
  kernels?: LinearKernels;
}

export interface SelectionReport {
  cost: CostSummary;
  occupancy?: { before: Occupancy; after: Occupancy };
  alignment?: { before: Histogram; after: Histogram };
  vocabulary?: VocabularyComparison;
  coverage?: CoverageDensity & { reference: number; sampled: boolean };
  nearDuplicates?: NearDuplicateRate;
  /** What was sampled or left out, in words. */
  notes: string[];
}

function sample(indices: Int32Array, max: number, seed: number): Int32Array {
  if (indices.length <= max) return indices;
  const perm = permutation(indices.length, seed).subarray(0, max);
  return Int32Array.from(perm, (k) => indices[k] as number).sort();
}

export async function selectionReport(input: ReportInput): Promise<SelectionReport> {
  const kernels = input.kernels ?? jsKernels;
  const { kept, base } = input;
  const report: SelectionReport = {
    notes: [],
    cost: costSummary(kept, { ...(base ? { base } : {}), ...(input.bytes ? { bytes: input.bytes } : {}) }),
  };
  if (input.clusters) {
    const { assignment, k } = input.clusters;
    report.occupancy = {
      before: clusterOccupancy(assignment, k, base),
      after: clusterOccupancy(assignment, k, kept),
    };
  }
  if (input.alignment) {
    report.alignment = beforeAfterHistograms(input.alignment.scores, kept, input.alignment.bins, base);
  }
  if (input.captions) {
    report.vocabulary = compareVocabulary(input.captions, kept, base ? { base } : {});
  }
  if (input.features) {
    const f = input.features;
    const seed = f.seed ?? 0;
    const baseIdx = maskIndices(base ?? new Uint8Array(kept.length).fill(1));
    const reference = f.reference ?? sample(baseIdx, 2000, seed);
    const keptIdx = maskIndices(kept);
    const selected = sample(keptIdx, f.maxSelected ?? 2000, seed + 1);
    const cd = coverageDensity(f.x, reference, selected, {
      ...(f.k !== undefined ? { k: f.k } : {}),
      ...(f.radii ? { radii: f.radii } : {}),
    });
    report.coverage = {
      ...cd,
      sampled: selected.length < keptIdx.length || reference.length < baseIdx.length,
    };
    if (report.coverage.sampled) {
      report.notes.push(
        `Coverage/density on ${selected.length} kept and ${reference.length} reference pairs (seeded samples).`,
      );
    }
    const maxSelected = f.maxSelected ?? 2000;
    const threshold = f.duplicateThreshold ?? 0.95;
    if (f.neighbours) {
      report.nearDuplicates = await nearDuplicateRate(f.x, keptIdx, { threshold, neighbours: f.neighbours });
    } else {
      // Sampled queries against every kept pair, within a work budget.
      const K = keptIdx.length;
      const work = f.duplicateWork ?? 2e9;
      const queries = Math.min(K, maxSelected, Math.floor(work / Math.max(1, K * f.x.cols)));
      if (queries >= Math.min(K, 200)) {
        report.nearDuplicates = await nearDuplicateRate(f.x, keptIdx, {
          threshold,
          maxQueries: queries,
          seed,
          kernels,
        });
      } else {
        report.notes.push(
          'Near-duplicate rate needs the nearest-neighbour index at this size; not computed.',
        );
      }
    }
  }
  return report;
}
