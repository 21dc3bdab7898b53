// Seeded pseudo-random numbers for the differential tests (sfc32), plus value pickers
// biased toward the edge cases that break ALUs and FP units. Same seed, same cases.

export class Prng {
  private a: number; private b: number; private c: number; private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9; this.b = 0x243f6a88; this.c = 0xb7e15162; this.d = seed | 0;
    for (let i = 0; i < 16; i++) this.next();
  }
  /** Uniform unsigned 32-bit value. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** Uniform integer in [0, n). */
  below(n: number): number { return Math.floor((this.next() / 0x100000000) * n); }
  chance(p: number): boolean { return this.next() / 0x100000000 < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.below(xs.length)]; }

  /** A 32-bit value, often an edge value (0, 1, INT_MAX, INT_MIN, -1, small shifts...). */
  edge32(): number {
    switch (this.below(8)) {
      case 0: return this.pick(EDGE32);
      case 1: return this.below(64);
      case 2: return (this.pick(EDGE32) + this.below(5) - 2) >>> 0;
      case 3: return (1 << this.below(32)) >>> 0;
      case 4: return (this.next() & this.pick([0xff, 0xffff, 0x80008000, 0x7f7f7f7f, 0x80808080])) >>> 0;
      default: return this.next();
    }
  }

  /** Raw bits of a single-precision value: zeros, infinities, NaNs, denormals, or random. */
  float32Bits(): number {
    const sign = this.chance(0.5) ? 0x80000000 : 0;
    switch (this.below(10)) {
      case 0: return (sign | this.pick(EDGE_F32)) >>> 0;
      case 1: return (sign | this.below(0x800000)) >>> 0;                                  // denormal or zero
      case 2: return (sign | 0x7f800000 | (this.chance(0.5) ? 0 : 1 + this.below(0x7fffff))) >>> 0; // Inf or NaN
      case 3: { const f = new Float32Array([this.below(200) - 100]); return new Uint32Array(f.buffer)[0]; }
      case 4: return (sign | ((100 + this.below(56)) << 23) | this.below(0x800000)) >>> 0; // around 1.0
      default: return this.next();
    }
  }
}

const EDGE32 = [0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x8000, 0x7fff, 0xffff, 0x10000, 0xff, 0x80, 0x7f, 0xffff8000, 0x00007fff, 31, 32, 33];
const EDGE_F32 = [0, 0x3f800000, 0x7f7fffff, 0x00800000, 0x007fffff, 0x00000001, 0x7f800000, 0x7fc00000, 0x7f800001, 0x7fbfffff, 0x4f000000, 0x4f800000, 0x3f000000, 0x3fc00000, 0x40490fdb];
