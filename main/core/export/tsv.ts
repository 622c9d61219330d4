// TSV cells for trainers' readers: open_clip reads with pandas (sep='\t'), img2dataset with
// pyarrow. Both treat a cell that *starts* with '"' as quoted; quotes elsewhere are literal.

/** A caption (free text) as one TSV cell: tabs and line breaks become spaces; a leading quote is quoted. */
export function tsvField(text: string): string {
  const flat = text.replace(/[\t\r\n]+/g, ' ');
  return flat.startsWith('"') ? `"${flat.replace(/"/g, '""')}"` : flat;
}

/** A path or URL cell must survive as-is: undefined when it cannot be written unchanged. */
export function tsvExact(text: string): string | undefined {
  return /[\t\r\n]/.test(text) || text.startsWith('"') ? undefined : text;
}
