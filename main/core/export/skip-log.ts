// Pairs an export could not write: counted by reason for the manifest, the first few kept
// as examples, and every one listed in skipped.tsv (streamed: there may be many).
import type { OutFile, StagedFiles } from './export-io';
import type { SkippedExample } from './manifest';
import { tsvField } from './tsv';

export const SKIPPED_FILE = 'skipped.tsv';
const EXAMPLES = 20;

export class SkipLog {
  readonly byReason: Record<string, number> = {};
  readonly examples: SkippedExample[] = [];
  private file: OutFile | undefined;
  total = 0;

  constructor(
    private readonly staged: StagedFiles,
    private readonly rel = SKIPPED_FILE,
  ) {}

  async skip(seq: number, key: string, reason: string, message: string): Promise<void> {
    this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
    this.total++;
    if (this.examples.length < EXAMPLES) this.examples.push({ seq, key, reason, message });
    if (!this.file) {
      this.file = await this.staged.create(this.rel);
      await this.file.write('seq\tkey\treason\tmessage\n');
    }
    await this.file.write(`${seq}\t${tsvField(key)}\t${reason}\t${tsvField(message)}\n`);
  }

  async close(): Promise<void> {
    if (this.file) await this.file.close();
    this.file = undefined;
  }
}
