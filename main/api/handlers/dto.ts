// Core records → the DTOs of the contract.
import type { JobRecord } from '../../core/jobs/runner';
import type { DatasetRow } from '../../core/store/datasets';
import type { StoredPair } from '../../core/store/pairs';
import type { DatasetDto, JobDto, PairDto } from '../schemas';

export function datasetDto(d: DatasetRow): DatasetDto {
  return {
    id: d.id,
    name: d.name,
    root: d.root,
    format: d.format,
    state: d.state,
    createdAt: d.createdAt,
    indexedAt: d.indexedAt,
    pairs: d.pairs,
  };
}

export function jobDto(j: JobRecord): JobDto {
  return {
    id: j.id,
    kind: j.kind,
    datasetId: j.datasetId,
    state: j.state,
    progress: j.progress,
    error: j.error,
    result: j.result,
    createdAt: j.createdAt,
    updatedAt: j.updatedAt,
  };
}

export function pairDto(p: StoredPair): PairDto {
  return {
    id: p.id,
    seq: p.seq,
    key: p.key,
    imageKey: p.imageKey,
    image: p.image,
    caption: p.caption,
    width: p.width,
    height: p.height,
    bytes: p.bytes,
    status: p.status,
    errorKind: p.errorKind,
    error: p.error,
  };
}
