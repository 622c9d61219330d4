// recipe.json written as it is built, one batch at a time: one JSON document a trainer
// loads with a plain json.load, while memory here stays flat whatever the subset size.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { RecipeBatch } from './recipe';

export class RecipeWriter {
  private first = true;
  private constructor(private readonly ws: WriteStream) {}

  /** Opens `file` and writes the fields of `head`; the batches follow, then `tail`. */
  static async open(file: string, head: Record<string, unknown>): Promise<RecipeWriter> {
    const ws = createWriteStream(file, { flags: 'wx' });
    await once(ws, 'open');
    const w = new RecipeWriter(ws);
    const fields = Object.entries(head).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    await w.write(`{\n${fields.map((f) => `  ${f},\n`).join('')}  "batches": [`);
    return w;
  }

  private async write(s: string): Promise<void> {
    if (!this.ws.write(s)) await once(this.ws, 'drain');
  }

  async writeBatch(b: RecipeBatch): Promise<void> {
    await this.write(`${this.first ? '' : ','}\n    ${JSON.stringify(b)}`);
    this.first = false;
  }

  /** Ends the batches, writes the fields of `tail`, and closes the file. */
  async close(tail: Record<string, unknown> = {}): Promise<void> {
    const fields = Object.entries(tail).map(([k, v]) => `,\n  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    this.ws.end(`\n  ]${fields.join('')}\n}\n`);
    await once(this.ws, 'finish');
  }

  /** Closes without completing the document (the folder is being discarded). */
  destroy(): void {
    this.ws.destroy();
  }
}
