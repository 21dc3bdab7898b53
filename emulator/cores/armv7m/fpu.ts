// FPv4-SP single-precision arithmetic with the ARMv7-M FPSCR semantics, following the
// ARM ARM (DDI0403E) A2.5 pseudocode: FPUnpack, FPProcessNaN(s), FPRound, FPAdd/FPSub/
// FPMul/FPMulAdd/FPDiv/FPSqrt, FPCompare, FPToFixed/FixedToFP and the half-precision
// conversions. Operands and results are raw bit patterns; flags accumulate in st.fpscr.

/** Anything holding an FPSCR (the CortexM core, or a bare object in tests). May hold the int32 view. */
export interface FpState { fpscr: number }

// FPSCR fields (A2.5.3, B4.? FPSCR): cumulative exception flags and control bits.
export const FPSCR_IOC = 1 << 0, FPSCR_DZC = 1 << 1, FPSCR_OFC = 1 << 2, FPSCR_UFC = 1 << 3,
  FPSCR_IXC = 1 << 4, FPSCR_IDC = 1 << 7;
export const FPSCR_FZ = 1 << 24, FPSCR_DN = 1 << 25, FPSCR_AHP = 1 << 26;
export const FPSCR_RMODE_SHIFT = 22;
/** Rounding modes (FPSCR.RMode). */
export const RM_NEAREST = 0, RM_PLUS_INF = 1, RM_MINUS_INF = 2, RM_ZERO = 3;
/** Bits a VMSR can change on a Cortex-M4: N Z C V, AHP, DN, FZ, RMode, IDC and IOC..IXC; the rest are reserved. */
export const FPSCR_WRITABLE_MASK = 0xf7c0009f;
export const FP_DEFAULT_NAN = 0x7fc00000;

// FPUnpack types.
const T_ZERO = 0, T_NONZERO = 1, T_INF = 2, T_QNAN = 3, T_SNAN = 4;

// Scratch for bit casts; the hot path must not allocate. Little-endian hosts only
// (x86, arm64), so word 1 of a float64 is the sign/exponent word.
const f64 = new Float64Array(1);
const w64 = new Uint32Array(f64.buffer);
const p64 = new Float64Array(1);
const pw64 = new Uint32Array(p64.buffer);
const f32 = new Float32Array(1);
const w32 = new Uint32Array(f32.buffer);
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('fpu.ts: a little-endian host is required');

/** Type of the operand last unpacked (module scratch instead of a returned tuple). */
let uType = 0;

/** 2^k for -1022 <= k <= 1023, built from the exponent field so it is exact. */
function pow2(k: number): number {
  pw64[0] = 0;
  pw64[1] = (k + 1023) << 20;
  return p64[0];
}

/** Unbiased exponent of a positive normal float64 (floor(log2 m)). */
function exponentOf(m: number): number {
  f64[0] = m;
  return ((w64[1] >>> 20) & 0x7ff) - 1023;
}

/** FPUnpack (A2.5.?): the value of `x`, with its type left in uType. FZ flushes denormal inputs (IDC). */
function unpack(st: FpState, x: number): number {
  const exp = (x >>> 23) & 0xff;
  const frac = x & 0x7fffff;
  if (exp === 0) {
    if (frac === 0 || (st.fpscr & FPSCR_FZ) !== 0) {
      uType = T_ZERO;
      if (frac !== 0) st.fpscr |= FPSCR_IDC;
      return (x >>> 31) !== 0 ? -0 : 0;
    }
  } else if (exp === 0xff) {
    if (frac === 0) { uType = T_INF; return (x >>> 31) !== 0 ? -Infinity : Infinity; }
    uType = (frac & 0x400000) !== 0 ? T_QNAN : T_SNAN;
    return 0;
  }
  uType = T_NONZERO;
  w32[0] = x;
  return f32[0];
}

/** FPProcessNaN: quieten (IOC for a signalling NaN), or the default NaN when FPSCR.DN. */
function processNaN(st: FpState, type: number, op: number): number {
  if (type === T_SNAN) st.fpscr |= FPSCR_IOC;
  return (st.fpscr & FPSCR_DN) !== 0 ? FP_DEFAULT_NAN : (op | 0x400000) >>> 0;
}

/** FPProcessNaNs for two operands, at least one of them a NaN: signalling NaNs first, then operand order. */
function processNaNs(st: FpState, t1: number, t2: number, op1: number, op2: number): number {
  if (t1 === T_SNAN) return processNaN(st, t1, op1);
  if (t2 === T_SNAN) return processNaN(st, t2, op2);
  if (t1 === T_QNAN) return processNaN(st, t1, op1);
  return processNaN(st, t2, op2);
}

function zeroBits(sign: number): number { return sign !== 0 ? 0x80000000 : 0; }
function infBits(sign: number): number { return sign !== 0 ? 0xff800000 : 0x7f800000; }
/** Zero for an exact zero result whose sign is not fixed by the operands: -0 only when rounding to minus infinity. */
function exactZero(st: FpState): number { return ((st.fpscr >>> FPSCR_RMODE_SHIFT) & 3) === RM_MINUS_INF ? 0x80000000 : 0; }

/**
 * FPRound (A2.5.?) to single (half = false) or half precision. The exact real result is
 * x + err, x a nonzero finite float64 and err either 0 or a correction whose only use is its
 * sign, with the exact value strictly between x and the float64 neighbour of x on err's side
 * (as from TwoSum, or a sticky bit below an integer quotient/root). Tininess is detected
 * before rounding, as the pseudocode does. FZ flushes tiny single results (UFC, no IXC).
 */
function fpRound(st: FpState, x: number, err: number, half: boolean): number {
  const fpscr = st.fpscr;
  let sign = 0, m = x, e = err;
  if (x < 0) { sign = 1; m = -x; e = -err; }
  if (e < 0) {
    // The value lies just below m: use the float64 below m with a positive sticky, so every
    // rounding and tininess decision below sees the exact value's side of each boundary.
    f64[0] = m;
    if (w64[0] === 0) { w64[1] -= 1; w64[0] = 0xffffffff; } else w64[0] -= 1;
    m = f64[0];
    e = 1;
  }
  const F = half ? 10 : 23;
  const minExp = half ? -14 : -126;
  const exponent = exponentOf(m);
  if (!half && (fpscr & FPSCR_FZ) !== 0 && exponent < minExp) {
    st.fpscr |= FPSCR_UFC;
    return zeroBits(sign);
  }
  let biased = exponent - minExp + 1;
  let scaled: number;
  if (biased <= 0) { biased = 0; scaled = m * pow2(F - minExp); } else scaled = m * pow2(F - exponent);
  let intMant = Math.floor(scaled);
  const frac = scaled - intMant; // exact: scaled has at most 53 significant bits
  const inexact = frac !== 0 || e !== 0;
  if (biased === 0 && inexact) st.fpscr |= FPSCR_UFC;
  let roundUp: boolean, overflowToInf: boolean;
  switch ((fpscr >>> FPSCR_RMODE_SHIFT) & 3) {
    case RM_NEAREST: roundUp = frac > 0.5 || (frac === 0.5 && (e !== 0 || (intMant & 1) !== 0)); overflowToInf = true; break;
    case RM_PLUS_INF: roundUp = inexact && sign === 0; overflowToInf = sign === 0; break;
    case RM_MINUS_INF: roundUp = inexact && sign === 1; overflowToInf = sign === 1; break;
    default: roundUp = false; overflowToInf = false; break;
  }
  if (roundUp) {
    intMant++;
    if (intMant === 1 << F) biased = 1; // a denormal rounded up to the smallest normal
    if (intMant === 1 << (F + 1)) { biased++; intMant >>>= 1; }
  }
  if (half) {
    if ((fpscr & FPSCR_AHP) !== 0) {
      // Alternative half precision has no infinities: exponent 31 is normal, beyond saturates (IOC, no IXC).
      if (biased >= 32) { st.fpscr |= FPSCR_IOC; return (sign << 15) | 0x7fff; }
    } else if (biased >= 31) {
      st.fpscr |= FPSCR_OFC | FPSCR_IXC;
      return (sign << 15) | (overflowToInf ? 0x7c00 : 0x7bff);
    }
    if (inexact) st.fpscr |= FPSCR_IXC;
    return (sign << 15) | (biased << 10) | (intMant & 0x3ff);
  }
  if (biased >= 255) {
    st.fpscr |= FPSCR_OFC | FPSCR_IXC;
    return overflowToInf ? infBits(sign) : (sign !== 0 ? 0xff7fffff : 0x7f7fffff);
  }
  if (inexact) st.fpscr |= FPSCR_IXC;
  return ((sign << 31) | (biased << 23) | (intMant & 0x7fffff)) >>> 0;
}

/** Rounding error of s = fl(a + b), exactly (Knuth's TwoSum; no overflow is possible for float32 inputs). */
function twoSumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

// Integer significand and exponent of a nonzero finite single value: |v| = dMant * 2^dExp, dMant in [2^23, 2^24).
let dMant = 0, dExp = 0;
function decompose(v: number): void {
  const a = v < 0 ? -v : v;
  const e = exponentOf(a);
  dMant = a * pow2(23 - e);
  dExp = e - 23;
}

// ---------------------------------------------------------------- arithmetic

/** FPAdd, or FPSub when `sub` (NaN propagation still uses the unnegated op2). */
export function fpAddSub(st: FpState, op1: number, op2: number, sub: boolean): number {
  const v1 = unpack(st, op1); const t1 = uType;
  let v2 = unpack(st, op2); const t2 = uType;
  if (t1 >= T_QNAN || t2 >= T_QNAN) return processNaNs(st, t1, t2, op1, op2);
  const s1 = op1 >>> 31;
  let s2 = op2 >>> 31;
  if (sub) { s2 ^= 1; v2 = -v2; }
  if (t1 === T_INF && t2 === T_INF && s1 !== s2) { st.fpscr |= FPSCR_IOC; return FP_DEFAULT_NAN; }
  if (t1 === T_INF) return infBits(s1);
  if (t2 === T_INF) return infBits(s2);
  if (t1 === T_ZERO && t2 === T_ZERO && s1 === s2) return zeroBits(s1);
  const s = v1 + v2;
  if (s === 0) return exactZero(st); // the float64 sum of two singles is zero only when exactly zero
  return fpRound(st, s, twoSumErr(v1, v2, s), false);
}

export function fpAdd(st: FpState, op1: number, op2: number): number { return fpAddSub(st, op1, op2, false); }
export function fpSub(st: FpState, op1: number, op2: number): number { return fpAddSub(st, op1, op2, true); }

/** FPMul. The float64 product of two 24-bit significands is exact, so only one rounding happens. */
export function fpMul(st: FpState, op1: number, op2: number): number {
  const v1 = unpack(st, op1); const t1 = uType;
  const v2 = unpack(st, op2); const t2 = uType;
  if (t1 >= T_QNAN || t2 >= T_QNAN) return processNaNs(st, t1, t2, op1, op2);
  const sign = (op1 ^ op2) >>> 31;
  if ((t1 === T_INF && t2 === T_ZERO) || (t1 === T_ZERO && t2 === T_INF)) { st.fpscr |= FPSCR_IOC; return FP_DEFAULT_NAN; }
  if (t1 === T_INF || t2 === T_INF) return infBits(sign);
  if (t1 === T_ZERO || t2 === T_ZERO) return zeroBits(sign);
  return fpRound(st, v1 * v2, 0, false);
}

/**
 * FPMulAdd: addend + op1*op2 with a single rounding. The product is exact in float64;
 * TwoSum gives the exact error of the float64 sum, which fpRound uses as a sticky bit.
 */
export function fpMulAdd(st: FpState, addend: number, op1: number, op2: number): number {
  const vA = unpack(st, addend); const tA = uType;
  const v1 = unpack(st, op1); const t1 = uType;
  const v2 = unpack(st, op2); const t2 = uType;
  const infZero = (t1 === T_INF && t2 === T_ZERO) || (t1 === T_ZERO && t2 === T_INF);
  if (tA >= T_QNAN || t1 >= T_QNAN || t2 >= T_QNAN) {
    // FPProcessNaNs3: signalling NaNs first, in operand order (addend, op1, op2), then quiet ones.
    let r: number;
    if (tA === T_SNAN) r = processNaN(st, tA, addend);
    else if (t1 === T_SNAN) r = processNaN(st, t1, op1);
    else if (t2 === T_SNAN) r = processNaN(st, t2, op2);
    else if (tA === T_QNAN) r = processNaN(st, tA, addend);
    else if (t1 === T_QNAN) r = processNaN(st, t1, op1);
    else r = processNaN(st, t2, op2);
    // A quiet-NaN addend does not hide the invalid 0 * inf product.
    if (tA === T_QNAN && infZero) { st.fpscr |= FPSCR_IOC; return FP_DEFAULT_NAN; }
    return r;
  }
  const sA = addend >>> 31;
  const sP = (op1 ^ op2) >>> 31;
  const infP = t1 === T_INF || t2 === T_INF;
  const zeroP = t1 === T_ZERO || t2 === T_ZERO;
  if (infZero || (tA === T_INF && infP && sA !== sP)) { st.fpscr |= FPSCR_IOC; return FP_DEFAULT_NAN; }
  if ((tA === T_INF && sA === 0) || (infP && sP === 0)) return 0x7f800000;
  if (tA === T_INF || infP) return 0xff800000;
  if (tA === T_ZERO && zeroP && sA === sP) return zeroBits(sA);
  const p = v1 * v2;
  const s = vA + p;
  if (s === 0) return exactZero(st);
  return fpRound(st, s, twoSumErr(vA, p, s), false);
}

/** FPDiv. The quotient of the integer significands is taken to 28+ bits with an exact remainder as sticky. */
export function fpDiv(st: FpState, op1: number, op2: number): number {
  const v1 = unpack(st, op1); const t1 = uType;
  const v2 = unpack(st, op2); const t2 = uType;
  if (t1 >= T_QNAN || t2 >= T_QNAN) return processNaNs(st, t1, t2, op1, op2);
  const sign = (op1 ^ op2) >>> 31;
  if ((t1 === T_INF && t2 === T_INF) || (t1 === T_ZERO && t2 === T_ZERO)) { st.fpscr |= FPSCR_IOC; return FP_DEFAULT_NAN; }
  if (t1 === T_INF || t2 === T_ZERO) {
    if (t1 !== T_INF) st.fpscr |= FPSCR_DZC;
    return infBits(sign);
  }
  if (t1 === T_ZERO || t2 === T_INF) return zeroBits(sign);
  decompose(v1); const m1 = dMant, e1 = dExp;
  decompose(v2); const m2 = dMant, e2 = dExp;
  const n = m1 * 268435456; // m1 * 2^28 < 2^52: every product below stays an exact integer
  let q = Math.floor(n / m2);
  let r = n - q * m2;
  if (r < 0) { q--; r += m2; } else if (r >= m2) { q++; r -= m2; }
  const x = q * pow2(e1 - e2 - 28);
  return fpRound(st, sign !== 0 ? -x : x, r === 0 ? 0 : (sign !== 0 ? -1 : 1), false);
}

/** FPSqrt. The integer square root of the significand scaled to [2^50, 2^52) gives 26 bits plus a sticky bit. */
export function fpSqrt(st: FpState, op: number): number {
  const v = unpack(st, op); const t = uType;
  if (t >= T_QNAN) return processNaN(st, t, op);
  if (t === T_ZERO) return zeroBits(op >>> 31);
  if ((op >>> 31) !== 0) { st.fpscr |= FPSCR_IOC; return FP_DEFAULT_NAN; }
  if (t === T_INF) return 0x7f800000;
  decompose(v);
  const shift = ((dExp - 27) & 1) === 0 ? 27 : 28; // keep the remaining exponent even
  const n = dMant * pow2(shift);
  let q = Math.floor(Math.sqrt(n));
  if (q * q > n) q--;
  else if ((q + 1) * (q + 1) <= n) q++;
  return fpRound(st, q * pow2((dExp - shift) / 2), q * q === n ? 0 : 1, false);
}

/** FPCompare: writes FPSCR.NZCV. `quietNanExc` is VCMPE (IOC for quiet NaNs too). */
export function fpCompare(st: FpState, op1: number, op2: number, quietNanExc: boolean): void {
  const v1 = unpack(st, op1); const t1 = uType;
  const v2 = unpack(st, op2); const t2 = uType;
  let nzcv: number;
  if (t1 >= T_QNAN || t2 >= T_QNAN) {
    nzcv = 0b0011;
    if (t1 === T_SNAN || t2 === T_SNAN || quietNanExc) st.fpscr |= FPSCR_IOC;
  } else if (v1 === v2) nzcv = 0b0110;
  else if (v1 < v2) nzcv = 0b1000;
  else nzcv = 0b0010;
  st.fpscr = (st.fpscr & 0x0fffffff) | (nzcv << 28);
}

export function fpNeg(op: number): number { return (op ^ 0x80000000) >>> 0; }
export function fpAbs(op: number): number { return (op & 0x7fffffff) >>> 0; }

// ---------------------------------------------------------------- conversions

/**
 * FPToFixed: single to a `size`-bit (16 or 32) signed/unsigned fixed-point number with
 * `fracBits` fraction bits, saturating with IOC. Returns the result extended to 32 bits.
 */
export function fpToFixed(st: FpState, op: number, size: number, fracBits: number, unsigned: boolean, roundZero: boolean): number {
  const rmode = roundZero ? RM_ZERO : (st.fpscr >>> FPSCR_RMODE_SHIFT) & 3;
  const v = unpack(st, op); const t = uType;
  if (t >= T_QNAN) { st.fpscr |= FPSCR_IOC; return 0; }
  const lo = unsigned ? 0 : -pow2(size - 1);
  const hi = unsigned ? pow2(size) - 1 : pow2(size - 1) - 1;
  let result: number;
  let overflow = false, error = 0;
  if (t === T_INF) {
    overflow = true;
    result = v < 0 ? lo : hi;
  } else {
    const value = v * pow2(fracBits);
    result = Math.floor(value);
    error = value - result;
    let roundUp: boolean;
    switch (rmode) {
      case RM_NEAREST: roundUp = error > 0.5 || (error === 0.5 && result % 2 !== 0); break;
      case RM_PLUS_INF: roundUp = error !== 0; break;
      case RM_MINUS_INF: roundUp = false; break;
      default: roundUp = error !== 0 && result < 0; break;
    }
    if (roundUp) result += 1;
    if (result < lo) { result = lo; overflow = true; } else if (result > hi) { result = hi; overflow = true; }
  }
  if (overflow) st.fpscr |= FPSCR_IOC;
  else if (error !== 0) st.fpscr |= FPSCR_IXC;
  return unsigned ? result >>> 0 : (result | 0) >>> 0;
}

/** FixedToFP: the low `size` bits of `operand` as a signed/unsigned fixed-point number, rounded per FPSCR. */
export function fixedToFp(st: FpState, operand: number, size: number, fracBits: number, unsigned: boolean): number {
  let i: number;
  if (size === 16) i = unsigned ? operand & 0xffff : (operand << 16) >> 16;
  else i = unsigned ? operand >>> 0 : operand | 0;
  if (i === 0) return 0;
  return fpRound(st, i * pow2(-fracBits), 0, false);
}

/** FPHalfToSingle: exact, except NaN handling; with FPSCR.AHP the all-ones exponent is an ordinary number. */
export function fpHalfToSingle(st: FpState, h: number): number {
  const sign = (h >>> 15) & 1;
  const exp = (h >>> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0 && frac === 0) return zeroBits(sign);
  if (exp === 0x1f && (st.fpscr & FPSCR_AHP) === 0) {
    if (frac === 0) return infBits(sign);
    if ((frac & 0x200) === 0) st.fpscr |= FPSCR_IOC;
    if ((st.fpscr & FPSCR_DN) !== 0) return FP_DEFAULT_NAN;
    return ((sign << 31) | 0x7fc00000 | ((frac & 0x1ff) << 13)) >>> 0;
  }
  const value = exp === 0 ? frac * pow2(-24) : (frac + 1024) * pow2(exp - 25);
  f32[0] = sign !== 0 ? -value : value;
  return w32[0];
}

/** FPSingleToHalf, rounded per FPSCR; AHP turns NaN into zero and infinity into the largest value, both IOC. */
export function fpSingleToHalf(st: FpState, op: number): number {
  const v = unpack(st, op); const t = uType;
  const sign = op >>> 31;
  const ahp = (st.fpscr & FPSCR_AHP) !== 0;
  if (t >= T_QNAN) {
    if (t === T_SNAN || ahp) st.fpscr |= FPSCR_IOC;
    if (ahp) return sign << 15;
    if ((st.fpscr & FPSCR_DN) !== 0) return 0x7e00;
    return (sign << 15) | 0x7e00 | ((op >>> 13) & 0x1ff);
  }
  if (t === T_INF) {
    if (ahp) { st.fpscr |= FPSCR_IOC; return (sign << 15) | 0x7fff; }
    return (sign << 15) | 0x7c00;
  }
  if (t === T_ZERO) return sign << 15;
  return fpRound(st, v, 0, true);
}

/** VFPExpandImm (A6.4.1) for single precision: imm8 = a:b:cdefgh -> a:NOT(b):bbbbb:cd:efgh:0{19}. */
export function vfpExpandImm32(imm8: number): number {
  const b = (imm8 >>> 6) & 1;
  const exp = ((b ^ 1) << 7) | (b !== 0 ? 0x7c : 0) | ((imm8 >>> 4) & 3);
  return ((((imm8 >>> 7) & 1) << 31) | (exp << 23) | ((imm8 & 0xf) << 19)) >>> 0;
}

/** The value of a single bit pattern (for disassembly and tests). */
export function bitsToFloat(bits: number): number { w32[0] = bits; return f32[0]; }
/** The bit pattern of the nearest single to `v` (host rounding; for tests and constants). */
export function floatToBits(v: number): number { f32[0] = v; return w32[0]; }
