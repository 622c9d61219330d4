// One webdataset shard being written: tar-stream encodes the headers, every byte it
// produces goes through our OutFile (hashed, counted, failures named). Entries wait for
// the writer to catch up, so memory holds about one image at a time.
import { pack as tarPack, type Pack } from 'tar-stream';
import type { OutFile } from '../export-io';

export interface TarMember {
  name: string;
  data: Uint8Array;
}

export class TarShard {
  private readonly pack: Pack = tarPack();
  private readonly drained: Promise<void>;
  private failure: unknown;
  count = 0;

  constructor(
    readonly out: OutFile,
    private readonly mtime: Date,
  ) {
    this.drained = (async () => {
      try {
        for await (const chunk of this.pack as AsyncIterable<Uint8Array>) await out.write(chunk);
      } catch (e) {
        this.failure = e;
        this.pack.destroy(e as Error);
        throw e;
      }
    })();
    this.drained.catch(() => undefined); // surfaced by add()/finish()
  }

  private entry(m: TarMember): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pack.entry(
        { name: m.name, size: m.data.byteLength, mode: 0o644, mtime: this.mtime },
        m.data,
        (err) => (err ? reject(err) : resolve()),
      );
    });
  }

  /** Adds one sample's members, in order. */
  async add(members: TarMember[]): Promise<void> {
    for (const m of members) {
      if (this.failure !== undefined) throw this.failure;
      // If the writer fails mid-entry the entry's callback may never come: race it. When it
      // does come it says only "tar entry destroyed": the writer's own error (a full disk,
      // recorded before the pack is destroyed) is the one to report.
      try {
        await Promise.race([this.entry(m), this.drained.then(() => undefined)]);
      } catch (e) {
        throw this.failure ?? e;
      }
      if (this.failure !== undefined) throw this.failure;
    }
    this.count++;
  }

  /** Ends the archive and waits for every byte to be written. */
  async finish(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.pack.finalize();
    await this.drained;
  }

  /** Stops after a failure elsewhere. */
  abort(): void {
    if (!this.pack.destroyed) this.pack.destroy();
  }
}
