// A per-stop cache of one core's memory, so the synchronous DWARF code (unwinding, locals)
// can read target memory that only the asynchronous Target can fetch: run the code, note
// what it missed, fetch those pages, run it again. Dropped whenever the target resumes.
import type { CoreId, Target } from './target';

const PAGE = 256;
/** Pages fetched per pass and passes per `settle`: bounds what one request can pull. */
const MAX_PAGES_PER_PASS = 64;
const MAX_PASSES = 6;

export class MemoryCache {
  /** page base -> bytes (a short array means the rest of the page could not be read). */
  private readonly pages = new Map<number, Uint8Array>();
  private readonly missing = new Set<number>();

  constructor(private readonly target: Target, readonly core: CoreId) {}

  /** Synchronous read: the bytes if cached (undefined when unreadable or not fetched yet). */
  read = (addr: number, size: number): Uint8Array | undefined => {
    addr >>>= 0;
    if (size <= 0 || size > 0x10000) return undefined;
    const out = new Uint8Array(size);
    let ok = true;
    for (let off = 0; off < size;) {
      const a = (addr + off) >>> 0;
      const base = a - (a % PAGE);
      const page = this.pages.get(base);
      const n = Math.min(size - off, base + PAGE - a);
      if (page === undefined) { this.missing.add(base); ok = false; off += n; continue; }
      if (page.length < a - base + n) { ok = false; off += n; continue; }
      out.set(page.subarray(a - base, a - base + n), off);
      off += n;
    }
    return ok ? out : undefined;
  };

  /** Runs `fn` until it reads only cached memory (or the pass budget is spent). */
  async settle<T>(fn: () => T): Promise<T> {
    let result = fn();
    for (let pass = 0; pass < MAX_PASSES && this.missing.size > 0; pass++) {
      const todo = [...this.missing].slice(0, MAX_PAGES_PER_PASS);
      this.missing.clear();
      await Promise.all(todo.map((base) => this.fetch(base)));
      result = fn();
    }
    this.missing.clear();
    return result;
  }

  private async fetch(base: number): Promise<void> {
    if (this.pages.has(base)) return;
    const size = Math.min(PAGE, 0x1_0000_0000 - base);
    let best: Uint8Array = new Uint8Array(0);
    // The core's current world first; memory it may not see (a secure stack while the core
    // runs non-secure, ARMv8-M) is read with the other world's rights: on M-profile the address
    // alone names the memory, the world only decides whether an access may reach it.
    for (const world of [undefined, 'secure', 'non-secure'] as const) {
      try {
        const r = await this.target.readMemory({ core: this.core, address: base, ...(world ? { world } : {}) }, size);
        if (r.data.length > best.length) best = r.data;
      } catch {
        // A core without worlds refuses 's:'; its 'ns:' read would repeat the first one.
        if (world === 'secure') break;
      }
      if (best.length === size) break;
    }
    this.pages.set(base, best);
  }
}
