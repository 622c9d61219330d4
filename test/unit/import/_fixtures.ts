// Fixtures for the import tests: zips (stored, deflated, ZIP64), hand-made .npy headers,
// deterministic vectors, and a JobContext that can cancel on cue.
import { crc32, deflateRawSync } from 'node:zlib';
import { JobCancelled, type JobContext } from '../../../main/core/jobs/runner';

export function vectors(rows: number, cols: number, seed = 1): Float32Array {
  const a = new Float32Array(rows * cols);
  for (let i = 0; i < a.length; i++) a[i] = Math.round(Math.sin(i * 0.37 + seed) * 1000) / 256; // f16-exact
  return a;
}

/** An .npy with any header dict (for malformed cases). */
export function rawNpy(dict: string, data: Uint8Array = new Uint8Array(0), version = 1): Buffer {
  const pre = version === 1 ? 10 : 12;
  let header = dict;
  const pad = (64 - ((pre + header.length + 1) % 64)) % 64;
  header += ' '.repeat(pad) + '\n';
  const b = Buffer.alloc(pre + header.length);
  Buffer.from('\x93NUMPY', 'latin1').copy(b, 0);
  b[6] = version;
  if (version === 1) b.writeUInt16LE(header.length, 8);
  else b.writeUInt32LE(header.length, 8);
  b.write(header, pre, 'latin1');
  return Buffer.concat([b, data]);
}

export interface ZipInput {
  name: string;
  data: Buffer;
  deflate?: boolean;
}

/** A zip as numpy.savez / savez_compressed write it; `zip64` adds ZIP64 records as force_zip64 does. */
export function zipBytes(members: ZipInput[], opts: { zip64?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const body = m.deflate ? deflateRawSync(m.data) : m.data;
    const name = Buffer.from(m.name);
    const crc = crc32(m.data);
    const z = opts.zip64;
    const localExtra = z ? Buffer.alloc(20) : Buffer.alloc(0);
    if (z) {
      localExtra.writeUInt16LE(1, 0);
      localExtra.writeUInt16LE(16, 2);
      localExtra.writeBigUInt64LE(BigInt(m.data.length), 4);
      localExtra.writeBigUInt64LE(BigInt(body.length), 12);
    }
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(z ? 45 : 20, 4);
    lh.writeUInt16LE(m.deflate ? 8 : 0, 8);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(z ? 0xffffffff : body.length, 18);
    lh.writeUInt32LE(z ? 0xffffffff : m.data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    lh.writeUInt16LE(localExtra.length, 28);
    const centralExtra = z ? Buffer.alloc(28) : Buffer.alloc(0);
    if (z) {
      centralExtra.writeUInt16LE(1, 0);
      centralExtra.writeUInt16LE(24, 2);
      centralExtra.writeBigUInt64LE(BigInt(m.data.length), 4);
      centralExtra.writeBigUInt64LE(BigInt(body.length), 12);
      centralExtra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(z ? 45 : 20, 4);
    ch.writeUInt16LE(z ? 45 : 20, 6);
    ch.writeUInt16LE(m.deflate ? 8 : 0, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(z ? 0xffffffff : body.length, 20);
    ch.writeUInt32LE(z ? 0xffffffff : m.data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt16LE(centralExtra.length, 30);
    ch.writeUInt32LE(z ? 0xffffffff : offset, 42);
    const local = Buffer.concat([lh, name, localExtra, body]);
    locals.push(local);
    centrals.push(Buffer.concat([ch, name, centralExtra]));
    offset += local.length;
  }
  const dir = Buffer.concat(centrals);
  const tail: Buffer[] = [];
  if (opts.zip64) {
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(0x06064b50, 0);
    rec.writeBigUInt64LE(44n, 4);
    rec.writeBigUInt64LE(BigInt(members.length), 24);
    rec.writeBigUInt64LE(BigInt(members.length), 32);
    rec.writeBigUInt64LE(BigInt(dir.length), 40);
    rec.writeBigUInt64LE(BigInt(offset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(offset + dir.length), 8);
    loc.writeUInt32LE(1, 16);
    tail.push(rec, loc);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(opts.zip64 ? 0xffff : members.length, 8);
  eocd.writeUInt16LE(opts.zip64 ? 0xffff : members.length, 10);
  eocd.writeUInt32LE(opts.zip64 ? 0xffffffff : dir.length, 12);
  eocd.writeUInt32LE(opts.zip64 ? 0xffffffff : offset, 16);
  return Buffer.concat([...locals, dir, ...tail, eocd]);
}

export interface FakeJob extends JobContext {
  stages: Set<string>;
  /** Cancels at the n-th throwIfCancelled call made during `stage`. */
  cancelAt?: { stage: string; calls: number };
}

export function fakeJob(cancelAt?: { stage: string; calls: number }): FakeJob {
  let stage = '';
  let calls = 0;
  const jc: FakeJob = {
    jobId: 0,
    signal: new AbortController().signal,
    checkpoint: undefined,
    stages: new Set(),
    saveCheckpoint() {},
    progress(p) {
      if (p.stage) stage = p.stage;
      jc.stages.add(stage);
    },
    throwIfCancelled() {
      if (cancelAt && stage === cancelAt.stage && ++calls >= cancelAt.calls) throw new JobCancelled();
    },
  };
  return jc;
}
