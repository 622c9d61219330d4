// Streams the items of a big JSON dataset file without holding it whole: a LLaVA or BLIP
// list can be gigabytes, more than one V8 string can hold. A byte scanner (strings and
// escapes aware) cuts out each element of the top-level array, or of the arrays that are
// direct values of a top-level object (COCO's images/annotations, Karpathy's images), and
// JSON.parse reads each piece. A bad element costs only itself, reported with its line.
import { createReadStream } from 'node:fs';

export type JsonEvent =
  /** An element of the top-level array (`key` undefined) or of array `key` in the top-level object. */
  | { type: 'item'; key: string | undefined; index: number; line: number; value: unknown; nonUtf8: boolean }
  /** A non-array value of the top-level object, parsed whole. */
  | { type: 'value'; key: string; line: number; value: unknown; nonUtf8: boolean }
  /** An element or value that did not parse; the scan goes on. */
  | { type: 'bad'; key: string | undefined; index: number; line: number; message: string }
  /** The file's structure is broken (not json, cut short); the scan stops. */
  | { type: 'fatal'; line: number; message: string };

const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lossyDecoder = new TextDecoder('utf-8');

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function decode(bytes: Buffer): { text: string; nonUtf8: boolean } {
  try {
    return { text: strictDecoder.decode(bytes), nonUtf8: false };
  } catch {
    return { text: lossyDecoder.decode(bytes), nonUtf8: true };
  }
}

/** Where the scanner is in the document's skeleton. */
type Mode =
  | 'start' // before the first significant byte
  | 'arrayItems' // collecting elements of an array whose items we emit
  | 'objectKey' // top-level object: expecting a key or '}'
  | 'objectColon' // after a key
  | 'objectValue' // after ':', value not started
  | 'done';

export class JsonItemScanner {
  private mode: Mode = 'start';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private line = 1;
  private topIsObject = false;
  /** Depth at which the current item/value lives (1 for a top-level array's items). */
  private itemDepth = 0;
  private key: string | undefined;
  private index = 0;
  private parts: Buffer[] = [];
  private collecting = false;
  private collectingKey = false;
  private collectStart = 0;
  private itemLine = 1;
  /** Whether the value being collected is an array of emitted items or a whole value. */
  private wholeValue = false;
  private readonly events: JsonEvent[] = [];
  /** After an item or a top-level value, the next byte must be ',' or a closing bracket. */
  private pendingSeparator = false;
  /** Inside an emitted array, whether an item may start now (after '[' or ','). */
  private expectItem = false;
  /** In the top-level object, whether a key may start now. */
  private expectKey = false;

  /** Feeds a chunk; returns the events it completed. */
  push(chunk: Buffer): JsonEvent[] {
    this.events.length = 0;
    if (this.mode === 'done') return [];
    const n = chunk.length;
    this.collectStart = 0;
    for (let i = 0; i < n; i++) {
      const b = chunk[i]!;
      if (b === NEWLINE) this.line++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.collectingKey && this.depth === this.itemDepth) {
            this.finish(chunk, i + 1, 'key');
          }
        }
        continue;
      }
      if (this.collecting || this.collectingKey) {
        // Inside an item: only track nesting until it ends.
        if (b === QUOTE) this.inString = true;
        else if (b === 0x7b || b === 0x5b) this.depth++;
        else if (b === 0x7d || b === 0x5d) {
          if (this.depth === this.itemDepth) {
            this.finish(chunk, i, this.wholeValue ? 'value' : 'item');
            if (this.isDone()) return this.events;
            i--; // let the skeleton see the closing bracket
            continue;
          }
          this.depth--;
        } else if (b === 0x2c && this.depth === this.itemDepth) {
          this.finish(chunk, i, this.wholeValue ? 'value' : 'item');
          i--;
          continue;
        }
        continue;
      }
      if (isSpace(b)) continue;
      if (!this.skeleton(b, chunk, i)) return this.events;
    }
    if (this.collecting || this.collectingKey) this.parts.push(chunk.subarray(this.collectStart));
    return this.events;
  }

  private isDone(): boolean {
    return this.mode === 'done';
  }

  /** Call after the last chunk. */
  end(): JsonEvent[] {
    this.events.length = 0;
    if (this.mode === 'start') this.fatal('the file is empty');
    else if (this.mode !== 'done') this.fatal('the file ends before the JSON is complete (cut short?)');
    return this.events;
  }

  private fatal(message: string): false {
    this.events.push({ type: 'fatal', line: this.line, message });
    this.mode = 'done';
    return false;
  }

  private begin(chunk: Buffer, i: number, kind: 'item' | 'value' | 'key'): void {
    this.parts = [];
    this.collectStart = i;
    this.itemLine = this.line;
    this.wholeValue = kind === 'value';
    if (kind === 'key') {
      this.collectingKey = true;
      this.inString = true;
    } else {
      this.collecting = true;
      const b = chunk[i]!;
      if (b === QUOTE) this.inString = true;
      else if (b === 0x7b || b === 0x5b) this.depth++;
    }
  }

  private finish(chunk: Buffer, end: number, kind: 'item' | 'value' | 'key'): void {
    this.parts.push(chunk.subarray(this.collectStart, end));
    const raw = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    const wasKey = this.collectingKey;
    this.collecting = false;
    this.collectingKey = false;
    const { text, nonUtf8 } = decode(raw);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      if (wasKey) {
        this.fatal(`a key of the top-level object is not valid JSON`);
        return;
      }
      this.events.push({
        type: 'bad',
        key: this.key,
        index: this.index++,
        line: this.itemLine,
        message: `line ${this.itemLine}: ${e instanceof Error ? e.message : String(e)}`,
      });
      this.afterItem();
      return;
    }
    if (kind === 'key') {
      this.key = String(value);
      this.mode = 'objectColon';
      return;
    }
    if (kind === 'value') {
      this.events.push({ type: 'value', key: this.key!, line: this.itemLine, value, nonUtf8 });
    } else {
      this.events.push({
        type: 'item',
        key: this.key,
        index: this.index++,
        line: this.itemLine,
        value,
        nonUtf8,
      });
    }
    this.afterItem();
  }

  private afterItem(): void {
    // The byte that ended the item (',' or a closing bracket) is seen again by the skeleton.
    this.mode = this.wholeValue ? 'objectKey' : 'arrayItems';
    this.pendingSeparator = true;
  }

  private skeleton(b: number, chunk: Buffer, i: number): boolean {
    switch (this.mode) {
      case 'start':
        if (b === 0x5b) {
          this.depth = 1;
          this.itemDepth = 1;
          this.mode = 'arrayItems';
          this.expectItem = true;
          this.pendingSeparator = false;
          return true;
        }
        if (b === 0x7b) {
          this.depth = 1;
          this.topIsObject = true;
          this.itemDepth = 1;
          this.mode = 'objectKey';
          this.pendingSeparator = false;
          this.expectKey = true;
          return true;
        }
        if (b === 0xef || b === 0xbb || b === 0xbf) return true; // UTF-8 BOM
        return this.fatal('the file does not start with a JSON list or object');
      case 'arrayItems':
        if (this.pendingSeparator) {
          if (b === 0x2c) {
            this.pendingSeparator = false;
            this.expectItem = true;
            return true;
          }
          if (b === 0x5d) return this.closeArray();
          return this.fatal(`expected "," or "]" at line ${this.line}`);
        }
        if (b === 0x5d) return this.closeArray();
        if (!this.expectItem) return this.fatal(`unexpected character at line ${this.line}`);
        this.expectItem = false;
        this.begin(chunk, i, 'item');
        return true;
      case 'objectKey':
        if (this.pendingSeparator) {
          if (b === 0x2c) {
            this.pendingSeparator = false;
            this.expectKey = true;
            return true;
          }
          if (b === 0x7d) return this.closeTop();
          return this.fatal(`expected "," or "}" at line ${this.line}`);
        }
        if (b === 0x7d) return this.closeTop();
        if (b !== QUOTE || !this.expectKey) return this.fatal(`expected a key at line ${this.line}`);
        this.expectKey = false;
        this.itemDepth = 1;
        this.begin(chunk, i, 'key');
        return true;
      case 'objectColon':
        if (b !== 0x3a) return this.fatal(`expected ":" at line ${this.line}`);
        this.mode = 'objectValue';
        return true;
      case 'objectValue':
        if (b === 0x5b) {
          // An array value: its elements are emitted one by one.
          this.depth = 2;
          this.itemDepth = 2;
          this.index = 0;
          this.mode = 'arrayItems';
          this.expectItem = true;
          this.pendingSeparator = false;
          return true;
        }
        this.itemDepth = 1;
        this.begin(chunk, i, 'value');
        return true;
      default:
        return false;
    }
  }

  private closeArray(): boolean {
    this.depth--;
    if (this.topIsObject && this.depth === 1) {
      this.mode = 'objectKey';
      this.itemDepth = 1;
      this.pendingSeparator = true;
      return true;
    }
    this.mode = 'done';
    return false;
  }

  private closeTop(): boolean {
    this.depth = 0;
    this.mode = 'done';
    return false;
  }
}

/** Streams a JSON dataset file's items; see JsonItemScanner. */
export async function* streamJsonItems(file: string, signal?: AbortSignal): AsyncGenerator<JsonEvent> {
  const scanner = new JsonItemScanner();
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      signal?.throwIfAborted();
      for (const ev of scanner.push(chunk)) {
        yield ev;
        if (ev.type === 'fatal') return;
      }
    }
    yield* scanner.end();
  } finally {
    stream.destroy();
  }
}
