// Pairs an export could not write: counted by reason for the manifest, the first few kept
// as examples, and every one listed in skipped.jsonl (streamed: there may be many). JSON
// lines, not TSV: a .tsv in the export folder would look like a dataset table to detection.
import type { OutFile, StagedFiles } from './export-io';
import type { SkippedExample } from './manifest';

export const SKIPPED_FILE = 'skipped.jsonl';
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
    this.file ??= await this.staged.create(this.rel);
    await this.file.write(`${JSON.stringify({ seq, key, reason, message })}\n`);
  }

  async close(): Promise<void> {
    if (this.file) await this.file.close();
    this.file = undefined;
  }
}
