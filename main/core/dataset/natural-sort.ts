// Shards and folders are read in a fixed, human order: 2.tar before 10.tar.
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

export function compareNatural(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
