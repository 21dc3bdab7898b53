// Self-check of vfp-fp.ts: the float64 fast path (TwoSum/Dekker error terms, Math.fround) must
// give the same bits and FPSCR flags as the exact BigInt rounding path, over many random
// operands rich in edge values (tiny, huge, halfway cases), in single and double precision.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng } from '../../../test/difftest/prng';
import { res, fpBegin, fpAdd, fpMul, fpDiv, fpSqrt, setFastPathForTests, fpFlags } from './vfp-fp';

const N = Number(process.env.TANDEM_VFP_FAST_CASES ?? 60_000);

function f64Operand(p: Prng): [number, number] {
  switch (p.below(6)) {
    case 0: return [p.next(), (p.chance(0.5) ? 0x80000000 : 0) | ((0x001 + p.below(80)) << 20) | p.below(0x100000)]; // tiny normal
    case 1: return [p.next(), (p.chance(0.5) ? 0x80000000 : 0) | ((0x7fe - p.below(80)) << 20) | p.below(0x100000)]; // huge
    case 2: return [p.chance(0.5) ? 0 : 0x80000000, (0x3ff << 20) | p.below(16)];                                     // near 1, few bits
    case 3: return [p.next(), p.below(0x100000)];                                                                        // denormal
    default: return [p.next(), (p.chance(0.5) ? 0x80000000 : 0) | ((0x300 + p.below(0x200)) << 20) | p.below(0x100000)];
  }
}
function f32Operand(p: Prng): number {
  switch (p.below(5)) {
    case 0: return ((p.chance(0.5) ? 0x80000000 : 0) | ((1 + p.below(40)) << 23) | p.below(0x800000)) >>> 0;
    case 1: return ((p.chance(0.5) ? 0x80000000 : 0) | ((0xfe - p.below(40)) << 23) | p.below(0x800000)) >>> 0;
    case 2: return p.below(0x800000);
    default: return p.float32Bits();
  }
}

function both(op: () => void): [number, number, number] {
  setFastPathForTests(true);
  op();
  const fast: [number, number, number] = [res.lo, res.hi, fpFlags];
  setFastPathForTests(false);
  op();
  setFastPathForTests(true);
  assert.deepEqual(fast, [res.lo, res.hi, fpFlags]);
  return fast;
}

test('fast and exact rounding paths agree (RN, with and without flush-to-zero)', () => {
  const p = new Prng(77);
  for (let k = 0; k < N; k++) {
    const ctl = p.chance(0.2) ? 1 << 24 : 0;
    const [alo, ahi] = f64Operand(p), [blo, bhi] = f64Operand(p);
    const a32 = f32Operand(p), b32 = f32Operand(p);
    const which = p.below(5);
    const run = (dbl: boolean) => () => {
      fpBegin(ctl);
      const [xl, xh, yl, yh] = dbl ? [alo, ahi, blo, bhi] : [a32, 0, b32, 0];
      if (which === 0) fpAdd(xl, xh, yl, yh, dbl, false);
      else if (which === 1) fpAdd(xl, xh, yl, yh, dbl, true);
      else if (which === 2) fpMul(xl, xh, yl, yh, dbl);
      else if (which === 3) fpDiv(xl, xh, yl, yh, dbl);
      else fpSqrt(xl, xh & 0x7fffffff, dbl);
    };
    both(run(true));
    both(run(false));
  }
});

test('a known halfway case rounds to even on both paths', () => {
  // 1 + 2^-24 in single precision is exactly halfway between 1 and 1 + 2^-23: ties to even gives 1.0.
  const r = both(() => { fpBegin(0); fpAdd(0x3f800000, 0, 0x33800000, 0, false, false); });
  assert.equal(r[0], 0x3f800000);
  assert.equal(r[2] & 0x10, 0x10, 'inexact');
});
