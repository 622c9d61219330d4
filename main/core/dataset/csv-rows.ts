// Streams the rows of a csv/tsv file (gz too) through csv-parse, cells as raw bytes so each
// caption's UTF-8 is checked on its own; rows csv-parse cannot read come back as errors
// with their line number instead of stopping the file.
import { parse } from 'csv-parse';
import { openTextStream } from './lines';

export type CsvRow = { cells: Buffer[]; line: number } | { error: string; line: number };

export interface CsvDialect {
  delimiter: string;
  /** False for TSV and pipe files, where a leading '"' is just text. */
  quote: boolean;
  /** Strip spaces around cells (Flickr30k's results.csv: "img.jpg| 0| text"). */
  trim: boolean;
  /** Rows to skip at the top (the header). */
  skipLines: number;
}

export async function* readCsvRows(
  file: string,
  dialect: CsvDialect,
  onBytes?: (n: number) => void,
): AsyncGenerator<CsvRow> {
  const skipped: CsvRow[] = [];
  const parser = parse({
    delimiter: dialect.delimiter,
    quote: dialect.quote ? '"' : false,
    // csv-parse's own trim expects strings; cells are bytes here, trimmed below.
    encoding: null,
    info: true,
    from_line: dialect.skipLines + 1,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    bom: true,
    max_record_size: 1 << 20,
    on_skip: (err) => {
      skipped.push({
        error: err?.message ?? 'unreadable row',
        line: (err as { lines?: number } | undefined)?.lines ?? 0,
      });
      return undefined;
    },
  });
  const input = openTextStream(file, onBytes);
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  let lastLine = 0;
  try {
    for await (const out of parser as AsyncIterable<{ record: Buffer[]; info: { lines: number } }>) {
      while (skipped.length > 0) yield skipped.shift()!;
      lastLine = out.info.lines;
      yield { cells: dialect.trim ? out.record.map(trimBytes) : out.record, line: lastLine };
    }
  } catch (e) {
    // A broken gzip or a parser failure ends the file, not the import.
    yield {
      error: `the rest of the file cannot be read: ${e instanceof Error ? e.message : String(e)}`,
      line: lastLine + 1,
    };
  } finally {
    input.destroy();
  }
  while (skipped.length > 0) yield skipped.shift()!;
}

function isBlank(b: number): boolean {
  return b === 0x20 || b === 0x09;
}

/** Drops spaces and tabs around a cell. */
export function trimBytes(cell: Buffer): Buffer {
  let s = 0;
  let e = cell.length;
  while (s < e && isBlank(cell[s]!)) s++;
  while (e > s && isBlank(cell[e - 1]!)) e--;
  return cell.subarray(s, e);
}
