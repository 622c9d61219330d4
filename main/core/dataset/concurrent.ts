// Image headers are read with a few reads in flight (one file each) so a folder of
// millions of small files is not bound by one open/read/close at a time; order is kept.

/** Maps `source` through `fn` with up to `limit` calls pending, yielding results in source order. */
export async function* mapOrdered<T, R>(
  source: AsyncIterable<T> | Iterable<T>,
  limit: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const pending: Promise<R>[] = [];
  for await (const item of source) {
    pending.push(fn(item));
    if (pending.length >= limit) yield await pending.shift()!;
  }
  while (pending.length > 0) yield await pending.shift()!;
}
