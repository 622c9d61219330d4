// webdataset shards: consecutive tar members <key>.<ext> per sample, a new shard every
// `samplesPerShard` samples, and sizes.json (shard → samples) as open_clip reads it.
// Streaming through tar-stream with backpressure: a member's callback fires only once
// the file stream has taken its bytes, so memory stays flat.
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pack as tarPack, type Pack } from 'tar-stream';

export interface ShardInfo {
  name: string;
  samples: number;
}

export interface ShardWriterOptions {
  samplesPerShard?: number;
  /** Member timestamps (fixed, so the same recipe gives the same bytes). */
  mtime?: Date;
}

export class ShardWriter {
  private pack: Pack | undefined;
  private done: Promise<void> | undefined;
  private current: ShardInfo | undefined;
  readonly shards: ShardInfo[] = [];
  private readonly perShard: number;
  private readonly mtime: Date;

  constructor(
    readonly dir: string,
    opts: ShardWriterOptions = {},
  ) {
    this.perShard = opts.samplesPerShard ?? 10_000;
    if (!(this.perShard >= 1)) throw new RangeError(`samplesPerShard must be ≥ 1, got ${this.perShard}`);
    this.mtime = opts.mtime ?? new Date(0);
  }

  private open(): Pack {
    const name = `${String(this.shards.length).padStart(5, '0')}.tar`;
    const pack = tarPack();
    this.done = pipeline(pack, createWriteStream(path.join(this.dir, name), { flags: 'wx' }));
    // Surfaced by the next awaited entry or by finishShard; never unhandled meanwhile.
    this.done.catch(() => undefined);
    this.pack = pack;
    this.current = { name, samples: 0 };
    this.shards.push(this.current);
    return pack;
  }

  private entry(pack: Pack, name: string, data: Uint8Array): Promise<void> {
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return new Promise((resolve, reject) => {
      pack.entry({ name, size: buf.length, mtime: this.mtime, mode: 0o644 }, buf, (err) =>
        err ? reject(err) : resolve(),
      );
    });
  }

  /** Appends one sample: members `<key><ext>` (ext with its dot, e.g. '.jpg'). */
  async add(key: string, members: readonly { ext: string; data: Uint8Array }[]): Promise<void> {
    const pack = this.pack ?? this.open();
    for (const m of members) {
      await Promise.race([this.entry(pack, `${key}${m.ext}`, m.data), this.done!]);
    }
    this.current!.samples++;
    if (this.current!.samples >= this.perShard) await this.finishShard();
  }

  private async finishShard(): Promise<void> {
    if (!this.pack) return;
    this.pack.finalize();
    await this.done;
    this.pack = undefined;
    this.done = undefined;
  }

  /** Finishes the last shard and writes sizes.json; returns the shards written. */
  async close(): Promise<ShardInfo[]> {
    await this.finishShard();
    const sizes = Object.fromEntries(this.shards.map((s) => [s.name, s.samples]));
    await writeFile(path.join(this.dir, 'sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`, { flag: 'wx' });
    return this.shards;
  }

  /** Stops writing (the folder is being discarded). */
  destroy(): void {
    this.pack?.destroy();
  }
}
