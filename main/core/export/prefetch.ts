// A few image reads (or stats) in flight while the previous result is written, in order.
// Unlike a bare promise queue it never leaves a rejected promise unobserved when the
// consumer stops early (abort, a write error).

export async function* prefetchOrdered<T, R>(
  source: Iterable<T>,
  limit: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<{ item: T; result: R }> {
  const pending: Promise<{ item: T; result: R }>[] = [];
  const start = (item: T) => {
    const p = fn(item).then((result) => ({ item, result }));
    p.catch(() => undefined); // observed here; the consumer gets the rejection when it awaits it
    pending.push(p);
  };
  const it = source[Symbol.iterator]();
  let done = false;
  const fill = () => {
    while (!done && pending.length < limit) {
      const n = it.next();
      if (n.done) done = true;
      else start(n.value);
    }
  };
  fill();
  while (pending.length > 0) {
    const next = await pending.shift()!;
    fill();
    yield next;
  }
}
