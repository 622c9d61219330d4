// Pages of a long list fetched on demand, a bounded number kept (least recently used
// dropped), requests for the same page shared, answers for an old query ignored.

export interface Page<T> {
  total: number;
  items: T[];
}

export type PageFetcher<T> = (offset: number, limit: number) => Promise<Page<T>>;

export class PageCache<T> {
  private readonly pages = new Map<number, T[]>();
  private readonly inflight = new Map<number, Promise<void>>();
  private generation = 0;
  total: number | undefined;

  constructor(
    private fetcher: PageFetcher<T>,
    readonly pageSize = 200,
    private readonly maxPages = 60,
    private readonly onChange: () => void = () => {},
  ) {}

  /** A new query: everything cached so far is stale. */
  reset(fetcher: PageFetcher<T>): void {
    this.fetcher = fetcher;
    this.generation++;
    this.pages.clear();
    this.inflight.clear();
    this.total = undefined;
  }

  get(index: number): T | undefined {
    const p = Math.floor(index / this.pageSize);
    const page = this.pages.get(p);
    if (!page) return undefined;
    // Refresh recency.
    this.pages.delete(p);
    this.pages.set(p, page);
    return page[index - p * this.pageSize];
  }

  has(index: number): boolean {
    return this.pages.has(Math.floor(index / this.pageSize));
  }

  /** Fetches the pages covering [from, to) that are not cached yet. */
  async ensure(from: number, to: number): Promise<void> {
    const first = Math.floor(Math.max(0, from) / this.pageSize);
    const last = Math.floor(Math.max(0, to - 1) / this.pageSize);
    const waits: Promise<void>[] = [];
    for (let p = first; p <= last; p++) {
      if (this.total !== undefined && p * this.pageSize >= this.total) break;
      if (this.pages.has(p)) continue;
      waits.push(this.load(p));
    }
    await Promise.all(waits);
  }

  private load(p: number): Promise<void> {
    const running = this.inflight.get(p);
    if (running) return running;
    const gen = this.generation;
    const job = this.fetcher(p * this.pageSize, this.pageSize)
      .then((page) => {
        if (gen !== this.generation) return;
        this.total = page.total;
        this.pages.set(p, page.items);
        while (this.pages.size > this.maxPages) {
          const oldest = this.pages.keys().next().value as number;
          this.pages.delete(oldest);
        }
        this.onChange();
      })
      .finally(() => {
        if (gen === this.generation) this.inflight.delete(p);
      });
    this.inflight.set(p, job);
    return job;
  }
}
