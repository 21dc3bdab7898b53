// Tests for fpu.ts against hand-worked ARM ARM (DDI0403E A2.5) cases: rounding modes,
// every cumulative flag, NaN propagation, flush-to-zero, single vs double rounding in
// multiply-add, conversions at their limits and half precision with and without AHP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FpState, fpAdd, fpSub, fpMul, fpDiv, fpSqrt, fpMulAdd, fpCompare, fpToFixed, fixedToFp,
  fpHalfToSingle, fpSingleToHalf, vfpExpandImm32, floatToBits,
  FPSCR_IOC, FPSCR_DZC, FPSCR_OFC, FPSCR_UFC, FPSCR_IXC, FPSCR_IDC, FPSCR_FZ, FPSCR_DN, FPSCR_AHP,
  RM_NEAREST, RM_PLUS_INF, RM_MINUS_INF, RM_ZERO,
} from './fpu';
import { makeFpCpu, exec32 } from './fp-test-cpu';

const st = (rmode = RM_NEAREST, extra = 0): FpState => ({ fpscr: (rmode << 22) | extra });
const flags = (s: FpState) => s.fpscr & 0x9f;
const ONE = 0x3f800000;
const MAX = 0x7f7fffff;

test('the four rounding modes on an inexact sum, both signs', () => {
  // 1 + 1.5 * 2^-24: 0.75 ulp above 1.0
  const expectPos = [0x3f800001, 0x3f800001, 0x3f800000, 0x3f800000];
  const expectNeg = [0xbf800001, 0xbf800000, 0xbf800001, 0xbf800000];
  for (const rm of [RM_NEAREST, RM_PLUS_INF, RM_MINUS_INF, RM_ZERO]) {
    const s = st(rm);
    assert.equal(fpAdd(s, ONE, 0x33c00000), expectPos[rm], `mode ${rm}`);
    assert.equal(flags(s), FPSCR_IXC);
    assert.equal(fpSub(st(rm), 0xbf800000, 0x33c00000), expectNeg[rm], `mode ${rm} negative`);
  }
  // Exact ties round to even: 1 + 2^-24 -> 1.0, (1 + 2^-23) + 2^-24 -> 1 + 2^-22.
  assert.equal(fpAdd(st(), ONE, 0x33800000), ONE);
  assert.equal(fpAdd(st(), 0x3f800001, 0x33800000), 0x3f800002);
});

test('sign of exact zero results depends on the rounding mode only when the operands do not fix it', () => {
  assert.equal(fpAdd(st(RM_NEAREST), ONE, 0xbf800000), 0);
  assert.equal(fpAdd(st(RM_MINUS_INF), ONE, 0xbf800000), 0x80000000);
  assert.equal(fpAdd(st(RM_NEAREST), 0x80000000, 0x80000000), 0x80000000);
  assert.equal(fpSub(st(RM_NEAREST), 0x80000000, 0), 0x80000000);
  assert.equal(fpMulAdd(st(RM_MINUS_INF), ONE, ONE, 0xbf800000), 0x80000000);
  const s = st();
  assert.equal(fpAdd(s, 0x40000000, 0xc0000000), 0);
  assert.equal(flags(s), 0);
});

test('overflow: infinity or the largest normal by mode, OFC and IXC', () => {
  const cases: [number, number, number][] = [
    [RM_NEAREST, MAX, 0x7f800000], [RM_ZERO, MAX, MAX], [RM_MINUS_INF, MAX, MAX], [RM_PLUS_INF, MAX, 0x7f800000],
    [RM_PLUS_INF, 0xff7fffff, 0xff7fffff], [RM_MINUS_INF, 0xff7fffff, 0xff800000],
  ];
  for (const [rm, a, want] of cases) {
    const s = st(rm);
    assert.equal(fpMul(s, a, 0x40000000), want, `mode ${rm} ${a.toString(16)}`);
    assert.equal(flags(s), FPSCR_OFC | FPSCR_IXC);
  }
});

test('underflow: tiny before rounding and inexact sets UFC; exact denormals do not; FZ flushes', () => {
  let s = st();
  assert.equal(fpMul(s, 0x00800000, 0x3f000000), 0x00400000); // 2^-127 exactly: no flags
  assert.equal(flags(s), 0);
  s = st();
  // (2^-126 - 2^-150): a tie on the denormal grid that rounds up to the smallest normal,
  // but tininess is judged before rounding, so UFC is still set.
  assert.equal(fpMul(s, 0x00ffffff, 0x3f000000), 0x00800000);
  assert.equal(flags(s), FPSCR_UFC | FPSCR_IXC);
  s = st();
  assert.equal(fpMul(s, 0x00000001, 0x3f000000), 0); // 2^-150 ties to even zero
  assert.equal(flags(s), FPSCR_UFC | FPSCR_IXC);
  s = st(RM_PLUS_INF);
  assert.equal(fpMul(s, 0x00000001, 0x3f000000), 1);
  s = st(RM_NEAREST, FPSCR_FZ);
  assert.equal(fpMul(s, 0x00ffffff, 0xbf000000), 0x80000000); // flushed, keeps the sign
  assert.equal(flags(s), FPSCR_UFC); // flush-to-zero is not inexact
  s = st(RM_NEAREST, FPSCR_FZ);
  assert.equal(fpMul(s, 0x00800000, 0x3f000000), 0); // even an exact denormal result is flushed
  assert.equal(flags(s), FPSCR_UFC);
});

test('denormal inputs: IDC and zero under FZ, exact values otherwise', () => {
  let s = st(RM_NEAREST, FPSCR_FZ);
  assert.equal(fpAdd(s, ONE, 0x00000001), ONE);
  assert.equal(flags(s), FPSCR_IDC);
  s = st(RM_NEAREST, FPSCR_FZ);
  assert.equal(fpAdd(s, 0x80000005, 0x00000000), 0); // -0 + +0 = +0 in round to nearest
  assert.equal(flags(s), FPSCR_IDC);
  s = st(RM_PLUS_INF);
  assert.equal(fpAdd(s, ONE, 0x00000001), 0x3f800001);
  assert.equal(flags(s), FPSCR_IXC);
  s = st();
  assert.equal(fpAdd(s, 0x00000003, 0x00000005), 0x00000008); // denormal arithmetic is exact
  assert.equal(flags(s), 0);
});

test('NaN propagation: signalling first, quietened, IOC; default NaN with DN', () => {
  let s = st();
  assert.equal(fpAdd(s, 0x7fc00001, 0x7f800002), 0x7fc00002);
  assert.equal(flags(s), FPSCR_IOC);
  s = st();
  assert.equal(fpMul(s, 0xffc00123, 0x7fc00456), 0xffc00123); // first quiet NaN, sign kept
  assert.equal(flags(s), 0);
  s = st(RM_NEAREST, FPSCR_DN);
  assert.equal(fpDiv(s, ONE, 0xff800001), 0x7fc00000);
  assert.equal(flags(s), FPSCR_IOC);
  s = st();
  assert.equal(fpMulAdd(s, 0x7fc00007, 0x7f800009, ONE), 0x7fc00009); // op1 sNaN beats addend qNaN
  assert.equal(flags(s), FPSCR_IOC);
  s = st();
  assert.equal(fpMulAdd(s, 0x7fc00007, 0, 0x7f800000), 0x7fc00000); // qNaN addend + 0*inf: default NaN
  assert.equal(flags(s), FPSCR_IOC);
  s = st();
  assert.equal(fpSqrt(s, 0x7f800001), 0x7fc00001);
  assert.equal(flags(s), FPSCR_IOC);
});

test('invalid operations and division by zero', () => {
  const inv: [string, (s: FpState) => number][] = [
    ['inf - inf', (s) => fpAdd(s, 0x7f800000, 0xff800000)],
    ['0 * inf', (s) => fpMul(s, 0x80000000, 0x7f800000)],
    ['0 / 0', (s) => fpDiv(s, 0, 0x80000000)],
    ['inf / inf', (s) => fpDiv(s, 0x7f800000, 0xff800000)],
    ['sqrt(-1)', (s) => fpSqrt(s, 0xbf800000)],
    ['sqrt(-inf)', (s) => fpSqrt(s, 0xff800000)],
    ['inf + -inf*1 (fused)', (s) => fpMulAdd(s, 0x7f800000, 0xff800000, ONE)],
  ];
  for (const [what, f] of inv) {
    const s = st();
    assert.equal(f(s), 0x7fc00000, what);
    assert.equal(flags(s), FPSCR_IOC, what);
  }
  let s = st();
  assert.equal(fpDiv(s, 0xbf800000, 0), 0xff800000);
  assert.equal(flags(s), FPSCR_DZC);
  s = st();
  assert.equal(fpDiv(s, 0x7f800000, 0), 0x7f800000); // inf / 0 is not a division by zero
  assert.equal(flags(s), 0);
  s = st();
  assert.equal(fpSqrt(s, 0x80000000), 0x80000000);
  assert.equal(fpSqrt(s, 0x40800000), 0x40000000);
  assert.equal(flags(s), 0);
  assert.equal(fpSqrt(s, 0x40000000), floatToBits(Math.SQRT2));
  assert.equal(flags(s), FPSCR_IXC);
  assert.equal(fpDiv(st(), ONE, 0x40400000), floatToBits(1 / 3));
});

test('fused multiply-add rounds once; VMLA rounds twice', () => {
  const a = 0x3f800800; // 1 + 2^-12; a*a = 1 + 2^-11 + 2^-24 exactly
  const c = 0xbf801000; // -(1 + 2^-11)
  let s = st();
  assert.equal(fpMulAdd(s, c, a, a), 0x33800000); // 2^-24, exact
  assert.equal(flags(s), 0);
  s = st();
  const prod = fpMul(s, a, a); // the 2^-24 is a tie and is lost
  assert.equal(prod, 0x3f801000);
  assert.equal(fpAdd(s, c, prod), 0);
  assert.equal(flags(s), FPSCR_IXC);
  // The same through the instructions: VFMA s0, s1, s2 and VMLA s0, s1, s2.
  const t = makeFpCpu();
  for (const [word, want] of [[0xeea00a81, 0x33800000], [0xee000a81, 0]] as const) {
    t.cpu.sBits[0] = c; t.cpu.sBits[1] = a; t.cpu.sBits[2] = a; t.cpu.fpscr = 0;
    exec32(t, word);
    assert.equal(t.cpu.sBits[0], want);
  }
  // Directed rounding of a fused result whose float64 sum is exact but needs the TwoSum error:
  // 1 + 2^-60 (product 2^-30 * 2^-30) rounds up only towards +inf.
  assert.equal(fpMulAdd(st(RM_PLUS_INF), ONE, 0x30800000, 0x30800000), 0x3f800001);
  assert.equal(fpMulAdd(st(RM_ZERO), ONE, 0x30800000, 0x30800000), ONE);
  assert.equal(fpMulAdd(st(RM_MINUS_INF), ONE, 0xb0800000, 0x30800000), 0x3f7fffff);
});

test('VCMP/VCMPE write NZCV; quiet NaNs raise IOC only for VCMPE', () => {
  const nzcv = (s: FpState) => (s.fpscr >>> 28) & 0xf;
  let s = st();
  fpCompare(s, ONE, 0x40000000, false); assert.equal(nzcv(s), 0b1000);
  fpCompare(s, 0x40000000, ONE, false); assert.equal(nzcv(s), 0b0010);
  fpCompare(s, 0x80000000, 0, false); assert.equal(nzcv(s), 0b0110);
  fpCompare(s, 0x7fc00000, ONE, false); assert.equal(nzcv(s), 0b0011);
  assert.equal(flags(s), 0);
  fpCompare(s, 0x7fc00000, ONE, true); assert.equal(flags(s), FPSCR_IOC);
  s = st();
  fpCompare(s, ONE, 0x7f800001, false); assert.equal(flags(s), FPSCR_IOC);
  s = st(RM_NEAREST, FPSCR_FZ);
  fpCompare(s, 0x00000001, 0x80000000, false); // flushed denormal equals -0
  assert.equal(nzcv(s), 0b0110);
  assert.equal(flags(s), FPSCR_IDC);
});

test('float to integer: rounding, saturation with IOC, NaN', () => {
  const cases: [number, boolean, boolean, number, number, number][] = [
    // op, unsigned, roundZero, rmode, want, flags
    [0x4f000000, false, true, RM_NEAREST, 0x7fffffff, FPSCR_IOC],   // 2^31
    [0xcf000000, false, true, RM_NEAREST, 0x80000000, 0],           // -2^31 fits
    [0x7fc00000, false, true, RM_NEAREST, 0, FPSCR_IOC],
    [0xbfc00000, false, true, RM_NEAREST, 0xffffffff, FPSCR_IXC],   // -1.5 -> -1
    [0xbfc00000, false, false, RM_NEAREST, 0xfffffffe, FPSCR_IXC],  // -1.5 -> -2 (even)
    [0x40200000, false, false, RM_NEAREST, 2, FPSCR_IXC],           // 2.5 -> 2 (even)
    [0x40200000, false, false, RM_PLUS_INF, 3, FPSCR_IXC],
    [0xc0200000, false, false, RM_MINUS_INF, 0xfffffffd, FPSCR_IXC],
    [0xbf000000, true, true, RM_NEAREST, 0, FPSCR_IXC],             // -0.5 -> 0 unsigned, no overflow
    [0xbf800000, true, true, RM_NEAREST, 0, FPSCR_IOC],             // -1 does not fit unsigned
    [0x7f800000, true, true, RM_NEAREST, 0xffffffff, FPSCR_IOC],
    [0x4f7fffff, true, true, RM_NEAREST, 0xffffff00, 0],
  ];
  for (const [op, u, rz, rm, want, fl] of cases) {
    const s = st(rm);
    assert.equal(fpToFixed(s, op, 32, 0, u, rz), want, `${op.toString(16)} u=${u} rz=${rz} rm=${rm}`);
    assert.equal(flags(s), fl, `${op.toString(16)} flags`);
  }
  // 16-bit fixed point: sign-extended and saturated at 0x7fff.
  let s = st();
  assert.equal(fpToFixed(s, 0x3fc00000, 16, 1, false, true), 3);
  assert.equal(fpToFixed(s, 0x47000000, 16, 0, false, true), 0x7fff);
  assert.equal(flags(s), FPSCR_IOC);
  s = st();
  assert.equal(fpToFixed(s, 0xbf800000, 16, 15, false, true), 0xffff8000);
  assert.equal(flags(s), 0);
});

test('integer and fixed point to float: FPSCR rounding', () => {
  let s = st();
  assert.equal(fixedToFp(s, 0x7fffffff, 32, 0, false), 0x4f000000);
  assert.equal(flags(s), FPSCR_IXC);
  assert.equal(fixedToFp(st(RM_ZERO), 0x7fffffff, 32, 0, false), 0x4effffff);
  assert.equal(fixedToFp(st(), 0x01000001, 32, 0, false), 0x4b800000); // 2^24 + 1 ties to even
  assert.equal(fixedToFp(st(), 0xffffffff, 32, 0, false), 0xbf800000);
  assert.equal(fixedToFp(st(), 0xffffffff, 32, 0, true), 0x4f800000);
  assert.equal(fixedToFp(st(), 0x00000001, 32, 32, true), 0x2f800000); // 2^-32
  s = st();
  assert.equal(fixedToFp(s, 0x12348000, 16, 16, false), 0xbf000000); // low half 0x8000 = -0.5
  assert.equal(fixedToFp(s, 0xffff, 16, 16, true), floatToBits(65535 / 65536));
  assert.equal(flags(s), 0);
  assert.equal(fixedToFp(st(), 0, 32, 0, false), 0);
});

test('half precision: IEEE and alternative formats, NaN and infinity handling', () => {
  const h = (v: number, rm = RM_NEAREST, extra = 0) => { const s = st(rm, extra); return [fpSingleToHalf(s, v), flags(s)]; };
  assert.deepEqual(h(ONE), [0x3c00, 0]);
  assert.deepEqual(h(floatToBits(65504)), [0x7bff, 0]);
  assert.deepEqual(h(floatToBits(65520)), [0x7c00, FPSCR_OFC | FPSCR_IXC]);  // ties up to overflow
  assert.deepEqual(h(floatToBits(65520), RM_ZERO), [0x7bff, FPSCR_IXC]); // rounds into range: no overflow
  assert.deepEqual(h(floatToBits(70000), RM_ZERO), [0x7bff, FPSCR_OFC | FPSCR_IXC]);
  assert.deepEqual(h(floatToBits(65520), RM_NEAREST, FPSCR_AHP), [0x7c00, FPSCR_IXC]); // 65536 is normal in AHP
  assert.deepEqual(h(floatToBits(131008), RM_NEAREST, FPSCR_AHP), [0x7fff, 0]);
  assert.deepEqual(h(floatToBits(200000), RM_NEAREST, FPSCR_AHP), [0x7fff, FPSCR_IOC]);
  assert.deepEqual(h(0xff800000, RM_NEAREST, FPSCR_AHP), [0xffff, FPSCR_IOC]);
  assert.deepEqual(h(0x7fc00000, RM_NEAREST, FPSCR_AHP), [0, FPSCR_IOC]);
  assert.deepEqual(h(0xff800000), [0xfc00, 0]);
  assert.deepEqual(h(0x7f802000), [0x7e01, FPSCR_IOC]); // sNaN payload's top bits, quietened
  assert.deepEqual(h(0x7f802000, RM_NEAREST, FPSCR_DN), [0x7e00, FPSCR_IOC]);
  assert.deepEqual(h(floatToBits(2 ** -24)), [0x0001, 0]);
  assert.deepEqual(h(floatToBits(2 ** -25)), [0x0000, FPSCR_UFC | FPSCR_IXC]);
  assert.deepEqual(h(floatToBits(2 ** -20), RM_NEAREST, FPSCR_FZ), [0x0010, 0]); // FZ does not apply to halves
  const f = (x: number, extra = 0) => { const s = st(RM_NEAREST, extra); return [fpHalfToSingle(s, x), flags(s)]; };
  assert.deepEqual(f(0x3c00), [ONE, 0]);
  assert.deepEqual(f(0x0001), [0x33800000, 0]);
  assert.deepEqual(f(0x8000), [0x80000000, 0]);
  assert.deepEqual(f(0xfc00), [0xff800000, 0]);
  assert.deepEqual(f(0x7c01), [0x7fc02000, FPSCR_IOC]);
  assert.deepEqual(f(0x7e01, FPSCR_DN), [0x7fc00000, 0]);
  assert.deepEqual(f(0x7c00, FPSCR_AHP), [0x47800000, 0]);
  assert.deepEqual(f(0x7fff, FPSCR_AHP), [floatToBits(131008), 0]);
  // VCVTT writes the top half and keeps the bottom one; VCVTB reads the bottom half.
  const t = makeFpCpu();
  t.cpu.sBits[0] = 0x0000abcd; t.cpu.sBits[1] = 0xc0000000;
  exec32(t, 0xeeb30ae0); // vcvtt.f16.f32 s0, s1
  assert.equal(t.cpu.sBits[0], 0xc000abcd);
  t.cpu.sBits[1] = 0x12343c00;
  exec32(t, 0xeeb20a60); // vcvtb.f32.f16 s0, s1
  assert.equal(t.cpu.sBits[0], ONE);
});

test('VFPExpandImm covers the whole immediate range', () => {
  // Every imm8 expands to +/-(16..31)/16 * 2^(-3..4) (A6.4.1), so compare with that formula.
  for (let imm8 = 0; imm8 < 256; imm8++) {
    const sign = imm8 & 0x80 ? -1 : 1;
    const exp = ((imm8 >> 4) & 7) ^ 4; // b:c:d with b inverted gives the exponent -3..4 offset by 3
    const v = sign * ((16 + (imm8 & 15)) / 16) * 2 ** (exp - 3);
    assert.equal(vfpExpandImm32(imm8), floatToBits(v), `imm8 ${imm8}`);
  }
});
