// IEEE 754 single and double arithmetic with ARMv7 VFPv3 semantics (ARM ARM DDI0406C A2.7,
// pseudocode FPUnpack, FPProcessNaNs, FPRound, FPAdd/FPMul/FPDiv/FPSqrt, FPCompare, FPToFixed,
// FixedToFP, FPSingleToDouble/FPDoubleToSingle, FPHalfToSingle/FPSingleToHalf).
// Operands are raw bit patterns (F32: one word; F64: lo/hi words). Results go to `res`.
// Round-to-nearest results that are normal take a float64 fast path with exact error terms;
// everything else (directed rounding, tiny results) goes through an exact BigInt path.
import { FPSCR_IOC, FPSCR_DZC, FPSCR_OFC, FPSCR_UFC, FPSCR_IXC, FPSCR_IDC, FPSCR_FZ, FPSCR_DN, FPSCR_AHP } from './vfp-regs';

/** Result words of the last operation (hi is 0 for single precision). */
export const res = { lo: 0, hi: 0 };
/** Control bits in force (FPSCR, or the NEON "standard FPSCR value"); set with fpBegin. */
let ctl = 0;
/** Cumulative exception bits raised since fpBegin; the caller ORs them into FPSCR. */
export let fpFlags = 0;

let fastPath = true;
/** Tests only: route every result through the exact BigInt path, to check the fast path against it. */
export function setFastPathForTests(on: boolean): void { fastPath = on; }

/** Start an operation under FPSCR-like control value `c` (FZ, DN, RMode, AHP are read from it). */
export function fpBegin(c: number): void { ctl = c; fpFlags = 0; }
/** The ARMv7 StandardFPSCRValue() for Advanced SIMD: DN and FZ set, round to nearest, AHP kept. */
export function standardFpscr(fpscr: number): number { return (fpscr & FPSCR_AHP) | FPSCR_DN | FPSCR_FZ; }

// FPUnpack types.
const T_ZERO = 0, T_NUM = 1, T_INF = 2, T_QNAN = 3, T_SNAN = 4;

const sf32 = new Float32Array(1), sw32 = new Uint32Array(sf32.buffer);
const sf64 = new Float64Array(1), sw64 = new Uint32Array(sf64.buffer);

/** Values of the two last-unpacked operands: type, sign (0/1) and exact value (as a float64). */
let tA = 0, sA = 0, tB = 0, sB = 0;
/**
 * Unpacked values: [0] the last FPUnpack, [1] operand A, [2] operand B. A Float64Array rather than
 * module variables, because V8 boxes every double stored in a module-level binding (measured:
 * unpacking was half of a NEON float loop's time).
 */
const UV = new Float64Array(3);

function unpackInto(lo: number, hi: number, dbl: boolean): number {
  // Returns the type; sets uS/UV[0].
  if (!dbl) {
    const exp = (lo >>> 23) & 0xff, frac = lo & 0x7fffff;
    uS = lo >>> 31;
    if (exp === 0) {
      if (frac === 0 || (ctl & FPSCR_FZ) !== 0) {
        if (frac !== 0) fpFlags |= FPSCR_IDC;
        UV[0] = uS ? -0 : 0;
        return T_ZERO;
      }
    } else if (exp === 0xff) {
      UV[0] = 0;
      if (frac === 0) { UV[0] = uS ? -Infinity : Infinity; return T_INF; }
      return (frac & 0x400000) !== 0 ? T_QNAN : T_SNAN;
    }
    sw32[0] = lo;
    UV[0] = sf32[0];
    return T_NUM;
  }
  const exp = (hi >>> 20) & 0x7ff, fracHi = hi & 0xfffff;
  uS = hi >>> 31;
  if (exp === 0) {
    if ((fracHi | lo) === 0 || (ctl & FPSCR_FZ) !== 0) {
      if ((fracHi | lo) !== 0) fpFlags |= FPSCR_IDC;
      UV[0] = uS ? -0 : 0;
      return T_ZERO;
    }
  } else if (exp === 0x7ff) {
    UV[0] = 0;
    if ((fracHi | lo) === 0) { UV[0] = uS ? -Infinity : Infinity; return T_INF; }
    return (fracHi & 0x80000) !== 0 ? T_QNAN : T_SNAN;
  }
  sw64[0] = lo; sw64[1] = hi;
  UV[0] = sf64[0];
  return T_NUM;
}
let uS = 0;

function unpack2(alo: number, ahi: number, blo: number, bhi: number, dbl: boolean): void {
  tA = unpackInto(alo, ahi, dbl); sA = uS; UV[1] = UV[0];
  tB = unpackInto(blo, bhi, dbl); sB = uS; UV[2] = UV[0];
}

// ---------------------------------------------------------------- NaNs and special results

function setDefaultNaN(dbl: boolean): void {
  if (dbl) { res.lo = 0; res.hi = 0x7ff80000; } else { res.lo = 0x7fc00000; res.hi = 0; }
}
/** FPProcessNaN: quieten (IOC for signalling), or the default NaN under FPSCR.DN. */
function processNaN(type: number, lo: number, hi: number, dbl: boolean): void {
  if (type === T_SNAN) fpFlags |= FPSCR_IOC;
  if ((ctl & FPSCR_DN) !== 0) { setDefaultNaN(dbl); return; }
  if (dbl) { res.lo = lo >>> 0; res.hi = (hi | 0x80000) >>> 0; } else { res.lo = (lo | 0x400000) >>> 0; res.hi = 0; }
}
/** FPProcessNaNs: signalling NaNs first, then operand order. True if a NaN result was produced. */
function processNaNs(alo: number, ahi: number, blo: number, bhi: number, dbl: boolean): boolean {
  if (tA === T_SNAN) processNaN(tA, alo, ahi, dbl);
  else if (tB === T_SNAN) processNaN(tB, blo, bhi, dbl);
  else if (tA === T_QNAN) processNaN(tA, alo, ahi, dbl);
  else if (tB === T_QNAN) processNaN(tB, blo, bhi, dbl);
  else return false;
  return true;
}
function setInf(sign: number, dbl: boolean): void {
  if (dbl) { res.lo = 0; res.hi = ((sign << 31) | 0x7ff00000) >>> 0; } else { res.lo = ((sign << 31) | 0x7f800000) >>> 0; res.hi = 0; }
}
function setZero(sign: number, dbl: boolean): void {
  if (dbl) { res.lo = 0; res.hi = (sign << 31) >>> 0; } else { res.lo = (sign << 31) >>> 0; res.hi = 0; }
}
function invalid(dbl: boolean): void { fpFlags |= FPSCR_IOC; setDefaultNaN(dbl); }

// ---------------------------------------------------------------- rounding

const MIN_NORM64 = 2.2250738585072014e-308; // 2^-1022
const MIN_NORM32 = 1.1754943508222875e-38;  // 2^-126
const rmode = () => (ctl >>> 22) & 3;

/** Exact value of a finite float64 as mantissa * 2^exp. */
let dM = 0n, dE = 0;
function decompose(v: number): void {
  sf64[0] = v < 0 ? -v : v;
  const hi = sw64[1], lo = sw64[0];
  const e = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (e !== 0) m |= 1n << 52n;
  dM = m;
  dE = (e === 0 ? 1 : e) - 1075;
}

function bitLength(m: bigint): number {
  // Bounded: m has at most a few thousand bits for any pair of doubles.
  let n = 0;
  let x = m;
  while (x >= 0x100000000n) { x >>= 32n; n += 32; }
  return n + (32 - Math.clz32(Number(x)));
}

/**
 * FPRound: round sign * m * 2^e (m > 0; `sticky` says the true value is a bit above m*2^e,
 * below one unit of m's last bit) to single or double precision under ctl.
 */
function roundExact(sign: number, m: bigint, e: number, dbl: boolean): void {
  const F = dbl ? 52 : 23;
  const minExp = dbl ? -1022 : -126;
  const maxBiased = dbl ? 0x7ff : 0xff;
  const nb = bitLength(m);
  const exponent = e + nb - 1;
  if ((ctl & FPSCR_FZ) !== 0 && exponent < minExp) {
    fpFlags |= FPSCR_UFC;
    setZero(sign, dbl);
    return;
  }
  let biased = exponent - minExp + 1;
  if (biased < 0) biased = 0;
  const ulpExp = (biased === 0 ? minExp : exponent) - F;
  const shift = ulpExp - e;
  let intMant: bigint;
  let errHalf = 0; // 0 exact, 1 below half, 2 half, 3 above half
  if (shift > 0) {
    const sh = BigInt(shift);
    intMant = m >> sh;
    const rem = m & ((1n << sh) - 1n);
    if (rem !== 0n) {
      const half = 1n << (sh - 1n);
      errHalf = rem < half ? 1 : rem === half ? 2 : 3;
    }
  } else {
    intMant = m << BigInt(-shift);
  }
  if (biased === 0 && errHalf !== 0) fpFlags |= FPSCR_UFC;
  let up = false;
  let overflowToInf = true;
  switch (rmode()) {
    case 0: up = errHalf === 3 || (errHalf === 2 && (intMant & 1n) === 1n); break;
    case 1: up = errHalf !== 0 && sign === 0; overflowToInf = sign === 0; break;
    case 2: up = errHalf !== 0 && sign === 1; overflowToInf = sign === 1; break;
    default: overflowToInf = false; break;
  }
  if (up) intMant += 1n;
  // Normal numbers carry the implicit bit in intMant, so adding (biased-1) << F gives the encoding,
  // including the carry of a rounded-up mantissa into the exponent (and denormal -> normal).
  let bits = biased === 0 ? intMant : (BigInt(biased - 1) << BigInt(F)) + intMant;
  if (Number(bits >> BigInt(F)) >= maxBiased) {
    fpFlags |= FPSCR_OFC | FPSCR_IXC;
    if (overflowToInf) { setInf(sign, dbl); return; }
    bits = (BigInt(maxBiased - 1) << BigInt(F)) | ((1n << BigInt(F)) - 1n);
  } else if (errHalf !== 0) {
    fpFlags |= FPSCR_IXC;
  }
  if (dbl) {
    res.lo = Number(bits & 0xffffffffn);
    res.hi = (Number(bits >> 32n) | (sign << 31)) >>> 0;
  } else {
    res.lo = (Number(bits) | (sign << 31)) >>> 0;
    res.hi = 0;
  }
}

/** Write a float64 value that is already the correctly rounded, normal result. */
function setValue(v: number, dbl: boolean): void {
  if (dbl) { sf64[0] = v; res.lo = sw64[0]; res.hi = sw64[1]; } else { sf32[0] = v; res.lo = sw32[0]; res.hi = 0; }
}

/** Exact cancellation gives +0, or -0 when rounding toward minus infinity (IEEE 754 6.3). */
function exactZero(dbl: boolean): void { setZero(rmode() === 2 ? 1 : 0, dbl); }

/** Error of the float64 sum s = a + b (TwoSum, Knuth): exact unless the sum overflowed. */
function twoSumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}
// Veltkamp/Dekker splitting for exact float64 products.
const SPLIT = 134217729; // 2^27 + 1
function twoProdErr(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}
/** |x| is in the range where Dekker's splitting and error terms are exact. */
const dekkerSafe = (x: number) => { const a = x < 0 ? -x : x; return a < 1e290 && a > 1e-280; };

/**
 * Finish a round-to-nearest fast-path result r (the float64 rounding of the exact value) whose
 * exactness is known. Returns false if the slow path must decide (tiny, overflow or not RN).
 */
function fastFinish(r: number, exact: boolean, dbl: boolean): boolean {
  if (rmode() !== 0 || !fastPath) return false;
  const a = r < 0 ? -r : r;
  if (dbl) {
    if (!(a > MIN_NORM64) || a === Infinity) return false;
    if (!exact) fpFlags |= FPSCR_IXC;
    setValue(r, true);
    return true;
  }
  const r32 = Math.fround(r);
  const a32 = r32 < 0 ? -r32 : r32;
  if (!(a32 > MIN_NORM32) || a32 === Infinity || !(a > MIN_NORM32)) return false;
  if (!exact || r32 !== r) fpFlags |= FPSCR_IXC;
  setValue(r32, false);
  return true;
}

// ---------------------------------------------------------------- arithmetic

/**
 * Both operands normal (neither zero, denormal, infinite nor NaN)? Then their values are in
 * UV[1] and UV[2] and no FPUnpack side effects (IDC) can arise: the common case's shortcut.
 */
function bothNormal(alo: number, ahi: number, blo: number, bhi: number, dbl: boolean): boolean {
  if (dbl) {
    const ea = (ahi >>> 20) & 0x7ff, eb = (bhi >>> 20) & 0x7ff;
    if (ea === 0 || ea === 0x7ff || eb === 0 || eb === 0x7ff) return false;
    sw64[0] = alo; sw64[1] = ahi; UV[1] = sf64[0];
    sw64[0] = blo; sw64[1] = bhi; UV[2] = sf64[0];
    return true;
  }
  const ea = (alo >>> 23) & 0xff, eb = (blo >>> 23) & 0xff;
  if (ea === 0 || ea === 0xff || eb === 0 || eb === 0xff) return false;
  sw32[0] = alo; UV[1] = sf32[0];
  sw32[0] = blo; UV[2] = sf32[0];
  return true;
}

/** FPAdd, or FPSub when `sub` (a NaN op2 propagates unnegated). Result in res. */
export function fpAdd(alo: number, ahi: number, blo: number, bhi: number, dbl: boolean, sub: boolean): void {
  if (rmode() === 0 && fastPath && bothNormal(alo, ahi, blo, bhi, dbl)) {
    const a = UV[1], b = sub ? -UV[2] : UV[2];
    const s = a + b;
    if (s !== Infinity && s !== -Infinity) {
      const err = twoSumErr(a, b, s);
      if (s === 0 && err === 0) { exactZero(dbl); return; }
      if (fastFinish(s, err === 0, dbl)) return;
    }
  }
  unpack2(alo, ahi, blo, bhi, dbl);
  if (processNaNs(alo, ahi, blo, bhi, dbl)) return;
  const s1 = sA;
  const s2 = sub ? sB ^ 1 : sB;
  const v2 = sub ? -UV[2] : UV[2];
  if (tA === T_INF && tB === T_INF && s1 !== s2) { invalid(dbl); return; }
  if (tA === T_INF) { setInf(s1, dbl); return; }
  if (tB === T_INF) { setInf(s2, dbl); return; }
  if (tA === T_ZERO && tB === T_ZERO && s1 === s2) { setZero(s1, dbl); return; }
  if (tA === T_ZERO && tB !== T_ZERO) { roundValue(v2, dbl); return; }
  if (tB === T_ZERO && tA !== T_ZERO) { roundValue(UV[1], dbl); return; }
  const s = UV[1] + v2;
  if (s !== Infinity && s !== -Infinity) {
    const err = twoSumErr(UV[1], v2, s);
    if (s === 0 && err === 0) { exactZero(dbl); return; }
    if (fastFinish(s, err === 0, dbl)) return;
  }
  // Exact sum with BigInt.
  decompose(UV[1]); const m1 = s1 ? -dM : dM, e1 = dE;
  decompose(v2); const m2 = s2 ? -dM : dM, e2 = dE;
  const e = e1 < e2 ? e1 : e2;
  const sum = (m1 << BigInt(e1 - e)) + (m2 << BigInt(e2 - e));
  if (sum === 0n) { exactZero(dbl); return; }
  roundExact(sum < 0n ? 1 : 0, sum < 0n ? -sum : sum, e, dbl);
}

/** Round a finite non-zero value that is exact as a float64 (e.g. a denormal operand under a zero). */
function roundValue(v: number, dbl: boolean): void {
  if (fastFinish(v, true, dbl)) return;
  decompose(v);
  roundExact(v < 0 ? 1 : 0, dM, dE, dbl);
}

/** FPMul. */
export function fpMul(alo: number, ahi: number, blo: number, bhi: number, dbl: boolean): void {
  if (rmode() === 0 && fastPath && bothNormal(alo, ahi, blo, bhi, dbl)) {
    const p = UV[1] * UV[2];
    if (!dbl) { if (fastFinish(p, true, false)) return; } // 24x24-bit products are exact in float64
    else if (dekkerSafe(UV[1]) && dekkerSafe(UV[2]) && dekkerSafe(p) && fastFinish(p, twoProdErr(UV[1], UV[2], p) === 0, true)) return;
  }
  unpack2(alo, ahi, blo, bhi, dbl);
  if (processNaNs(alo, ahi, blo, bhi, dbl)) return;
  const sign = sA ^ sB;
  if ((tA === T_INF && tB === T_ZERO) || (tA === T_ZERO && tB === T_INF)) { invalid(dbl); return; }
  if (tA === T_INF || tB === T_INF) { setInf(sign, dbl); return; }
  if (tA === T_ZERO || tB === T_ZERO) { setZero(sign, dbl); return; }
  const p = UV[1] * UV[2];
  if (!dbl) { if (fastFinish(p, true, false)) return; } // 24x24-bit products are exact in float64
  else if (dekkerSafe(UV[1]) && dekkerSafe(UV[2]) && dekkerSafe(p) && fastFinish(p, twoProdErr(UV[1], UV[2], p) === 0, true)) return;
  decompose(UV[1]); const m1 = dM, e1 = dE;
  decompose(UV[2]);
  roundExact(sign, m1 * dM, e1 + dE, dbl);
}

/** FPDiv. */
export function fpDiv(alo: number, ahi: number, blo: number, bhi: number, dbl: boolean): void {
  unpack2(alo, ahi, blo, bhi, dbl);
  if (processNaNs(alo, ahi, blo, bhi, dbl)) return;
  const sign = sA ^ sB;
  if ((tA === T_INF && tB === T_INF) || (tA === T_ZERO && tB === T_ZERO)) { invalid(dbl); return; }
  if (tA === T_INF || tB === T_ZERO) {
    if (tB === T_ZERO && tA !== T_INF) fpFlags |= FPSCR_DZC;
    setInf(sign, dbl);
    return;
  }
  if (tA === T_ZERO || tB === T_INF) { setZero(sign, dbl); return; }
  const q = UV[1] / UV[2];
  if (!dbl) {
    const q32 = Math.fround(q);
    if (fastFinish(q, q32 * UV[2] === UV[1], false)) return; // q32*b has 48 bits: exact
  } else if (dekkerSafe(UV[1]) && dekkerSafe(UV[2]) && dekkerSafe(q)) {
    const p = q * UV[2];
    if (fastFinish(q, p === UV[1] && twoProdErr(q, UV[2], p) === 0, true)) return;
  }
  decompose(UV[1]); const m1 = dM, e1 = dE;
  decompose(UV[2]); const m2 = dM, e2 = dE;
  const F = dbl ? 52 : 23;
  let shift = F + 4 + bitLength(m2) - bitLength(m1);
  if (shift < 0) shift = 0;
  const num = m1 << BigInt(shift);
  const quo = num / m2;
  const rem = num - quo * m2;
  roundExact(sign, (quo << 1n) | (rem !== 0n ? 1n : 0n), e1 - e2 - shift - 1, dbl);
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  // Newton from above; converges in O(log bits) steps, bounded by the loop guard.
  let x = 1n << BigInt((bitLength(n) + 1) >> 1);
  for (let i = 0; i < 4000; i++) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
  return x;
}

/** FPSqrt. */
export function fpSqrt(alo: number, ahi: number, dbl: boolean): void {
  tA = unpackInto(alo, ahi, dbl); sA = uS; UV[1] = UV[0];
  if (tA === T_QNAN || tA === T_SNAN) { processNaN(tA, alo, ahi, dbl); return; }
  if (tA === T_ZERO) { setZero(sA, dbl); return; }
  if (sA === 1) { invalid(dbl); return; }
  if (tA === T_INF) { setInf(0, dbl); return; }
  const r = Math.sqrt(UV[1]);
  if (!dbl) {
    const r32 = Math.fround(r);
    if (fastFinish(r, r32 * r32 === UV[1], false)) return;
  } else if (dekkerSafe(r) && dekkerSafe(UV[1])) {
    const p = r * r;
    if (fastFinish(r, p === UV[1] && twoProdErr(r, r, p) === 0, true)) return;
  }
  decompose(UV[1]);
  let m = dM, e = dE;
  if ((e & 1) !== 0) { m <<= 1n; e -= 1; }
  const F = dbl ? 52 : 23;
  let k = (2 * (F + 4) - bitLength(m) + 1) >> 1;
  if (k < 0) k = 0;
  const n = m << BigInt(2 * k);
  const s = isqrt(n);
  const rem = n - s * s;
  roundExact(0, (s << 1n) | (rem !== 0n ? 1n : 0n), e / 2 - k - 1, dbl);
}

/** FPCompare: returns NZCV in bits [3:0]. `quietNaNExc` is VCMPE. */
export function fpCompare(alo: number, ahi: number, blo: number, bhi: number, dbl: boolean, quietNaNExc: boolean): number {
  unpack2(alo, ahi, blo, bhi, dbl);
  if (tA >= T_QNAN || tB >= T_QNAN) {
    if (tA === T_SNAN || tB === T_SNAN || quietNaNExc) fpFlags |= FPSCR_IOC;
    return 0b0011;
  }
  if (UV[1] === UV[2]) return 0b0110;
  return UV[1] < UV[2] ? 0b1000 : 0b0010;
}

// ---------------------------------------------------------------- conversions

/** FPSingleToDouble (VCVT.F64.F32). */
export function fpSingleToDouble(x: number): void {
  const t = unpackInto(x, 0, false);
  if (t === T_QNAN || t === T_SNAN) {
    if (t === T_SNAN) fpFlags |= FPSCR_IOC;
    if ((ctl & FPSCR_DN) !== 0) { setDefaultNaN(true); return; }
    res.hi = ((x & 0x80000000) | 0x7ff80000 | ((x >>> 3) & 0x7ffff)) >>> 0;
    res.lo = (x << 29) >>> 0;
    return;
  }
  setValue(UV[0], true); // exact; zeros and infinities keep their sign
}

/** FPDoubleToSingle (VCVT.F32.F64). */
export function fpDoubleToSingle(lo: number, hi: number): void {
  const t = unpackInto(lo, hi, true);
  const sign = uS;
  if (t === T_QNAN || t === T_SNAN) {
    if (t === T_SNAN) fpFlags |= FPSCR_IOC;
    if ((ctl & FPSCR_DN) !== 0) { setDefaultNaN(false); return; }
    res.lo = ((hi & 0x80000000) | 0x7fc00000 | ((hi & 0x7ffff) << 3) | (lo >>> 29)) >>> 0;
    res.hi = 0;
    return;
  }
  if (t === T_INF) { setInf(sign, false); return; }
  if (t === T_ZERO) { setZero(sign, false); return; }
  roundValue(UV[0], false);
}

/**
 * FPToFixed: op * 2^fracBits to a `size`-bit (16 or 32) signed/unsigned integer, rounding toward
 * zero or by FPSCR.RMode; NaN gives 0 and out-of-range saturates, both with IOC. Returns the
 * integer as an unsigned 32-bit pattern of the size-bit result (not yet extended).
 */
export function fpToFixed(lo: number, hi: number, dbl: boolean, size: number, fracBits: number, unsigned: boolean, roundZero: boolean): number {
  const t = unpackInto(lo, hi, dbl);
  if (t === T_QNAN || t === T_SNAN) { fpFlags |= FPSCR_IOC; return 0; }
  let v = UV[0];
  if (t === T_INF) v = uS ? -Infinity : Infinity;
  const scaled = v * Math.pow(2, fracBits); // exact: a power-of-two scale of a finite double (or inf)
  let i: number;
  const mode = roundZero ? 3 : rmode();
  const fl = Math.floor(scaled);
  const err = scaled - fl; // exact for |scaled| < 2^52; larger values are integers already
  switch (mode) {
    case 0: i = err > 0.5 || (err === 0.5 && fl % 2 !== 0) ? fl + 1 : fl; break;
    case 1: i = err !== 0 ? fl + 1 : fl; break;
    case 2: i = fl; break;
    default: i = scaled < 0 ? Math.ceil(scaled) : fl; break;
  }
  if (!Number.isFinite(scaled)) i = scaled;
  const max = unsigned ? Math.pow(2, size) - 1 : Math.pow(2, size - 1) - 1;
  const min = unsigned ? 0 : -Math.pow(2, size - 1);
  if (i > max) { fpFlags |= FPSCR_IOC; i = max; } else if (i < min) { fpFlags |= FPSCR_IOC; i = min; } else if (i !== scaled) fpFlags |= FPSCR_IXC;
  return (size === 32 ? i >>> 0 : (i & 0xffff)) >>> 0;
}

/** FixedToFP: an integer (already sign- or zero-extended to a JS number) / 2^fracBits, rounded by ctl. */
export function fixedToFp(value: number, fracBits: number, dbl: boolean, roundNearest: boolean): void {
  if (value === 0) { setZero(0, dbl); return; }
  const save = ctl;
  if (roundNearest) ctl &= ~(3 << 22);
  const v = value / Math.pow(2, fracBits); // exact: |value| < 2^32, the scale is a power of two
  roundValue(v, dbl);
  ctl = save;
}

/** FPHalfToSingle (VCVTB/VCVTT .F32.F16); AHP selects the alternative format (no inf/NaN). */
export function fpHalfToSingle(h: number): number {
  const sign = (h >>> 15) & 1, exp = (h >>> 10) & 0x1f, frac = h & 0x3ff;
  if (exp === 0x1f && (ctl & FPSCR_AHP) === 0) {
    if (frac === 0) return ((sign << 31) | 0x7f800000) >>> 0;
    if ((frac & 0x200) === 0) fpFlags |= FPSCR_IOC;
    if ((ctl & FPSCR_DN) !== 0) return 0x7fc00000;
    return ((sign << 31) | 0x7fc00000 | (frac << 13)) >>> 0;
  }
  if (exp === 0 && frac === 0) return (sign << 31) >>> 0;
  // Half-precision denormals are never flushed (A2.7.4) and all values are exact in single.
  const v = (exp === 0 ? frac * Math.pow(2, -24) : (1024 + frac) * Math.pow(2, exp - 25));
  sf32[0] = sign ? -v : v;
  return sw32[0];
}

/** FPSingleToHalf: round a single to half precision under ctl (IEEE or alternative format). */
export function fpSingleToHalf(x: number): number {
  const ahp = (ctl & FPSCR_AHP) !== 0;
  const t = unpackInto(x, 0, false);
  const sign = uS;
  if (t === T_QNAN || t === T_SNAN) {
    if (ahp) { fpFlags |= FPSCR_IOC; return (sign << 15) >>> 0; }
    if (t === T_SNAN) fpFlags |= FPSCR_IOC;
    if ((ctl & FPSCR_DN) !== 0) return 0x7e00;
    return ((sign << 15) | 0x7e00 | ((x >>> 13) & 0x1ff)) >>> 0;
  }
  if (t === T_INF) {
    if (ahp) { fpFlags |= FPSCR_IOC; return ((sign << 15) | 0x7fff) >>> 0; }
    return ((sign << 15) | 0x7c00) >>> 0;
  }
  if (t === T_ZERO) return (sign << 15) >>> 0;
  // Round the magnitude to an 11-bit significand (half denormals are not flushed: FZ does not
  // apply to half-precision outputs, A2.7.4).
  const a = UV[0] < 0 ? -UV[0] : UV[0];
  let e = Math.floor(Math.log2(a));
  if (Math.pow(2, e) > a) e -= 1; else if (Math.pow(2, e + 1) <= a) e += 1;
  const minE = -14;
  const ue = (e < minE ? minE : e) - 10;
  const scaled = a / Math.pow(2, ue); // exact: power-of-two scale
  const fl = Math.floor(scaled);
  const err = scaled - fl;
  let m = fl;
  const mode = rmode();
  if (err !== 0) {
    if (e < minE) fpFlags |= FPSCR_UFC;
    if (mode === 0) { if (err > 0.5 || (err === 0.5 && (fl & 1) === 1)) m++; } else if (mode === 1) { if (sign === 0) m++; } else if (mode === 2) { if (sign === 1) m++; }
  }
  const biased = e < minE ? 0 : e + 15;
  let bits = biased === 0 ? m : (biased - 1) * 1024 + m;
  const limit = ahp ? 0x8000 : 0x7c00;
  if (bits >= limit) {
    if (ahp) { fpFlags |= FPSCR_IOC; return ((sign << 15) | 0x7fff) >>> 0; }
    fpFlags |= FPSCR_OFC | FPSCR_IXC;
    const toInf = mode === 0 || (mode === 1 && sign === 0) || (mode === 2 && sign === 1);
    bits = toInf ? 0x7c00 : 0x7bff;
  } else if (err !== 0) fpFlags |= FPSCR_IXC;
  return ((sign << 15) | bits) >>> 0;
}

/** VFPExpandImm (A7.5.1 / VFP modified immediate): the 8-bit VMOV immediate as single or double bits. */
export function vfpExpandImm(imm8: number, dbl: boolean): void {
  const a = (imm8 >>> 7) & 1, b = (imm8 >>> 6) & 1, cdefgh = imm8 & 0x3f;
  if (dbl) {
    res.lo = 0;
    res.hi = ((a << 31) | ((b ^ 1) << 30) | ((b ? 0xff : 0) << 22) | (cdefgh << 16)) >>> 0;
  } else {
    res.lo = ((a << 31) | ((b ^ 1) << 30) | ((b ? 0x1f : 0) << 25) | (cdefgh << 19)) >>> 0;
    res.hi = 0;
  }
}

// ---------------------------------------------------------------- Advanced SIMD helpers (single precision)

/** FPCompareEQ/GE/GT (A2.7.?): `kind` 0 EQ, 1 GE, 2 GT. A NaN gives false; GE/GT raise IOC on any NaN, EQ only on sNaN. */
export function fpCompareBool(a: number, b: number, kind: number): boolean {
  unpack2(a, 0, b, 0, false);
  if (tA >= T_QNAN || tB >= T_QNAN) {
    if (kind !== 0 || tA === T_SNAN || tB === T_SNAN) fpFlags |= FPSCR_IOC;
    return false;
  }
  return kind === 0 ? UV[1] === UV[2] : kind === 1 ? UV[1] >= UV[2] : UV[1] > UV[2];
}

/** FPMax/FPMin (A2.7.?): NaNs propagate through FPProcessNaNs; max(+0, -0) = +0, min = -0. Result in res.lo. */
export function fpMaxMin(a: number, b: number, max: boolean): void {
  unpack2(a, 0, b, 0, false);
  if (processNaNs(a, 0, b, 0, false)) return;
  if (tA === T_ZERO && tB === T_ZERO) { setZero(max ? sA & sB : sA | sB, false); return; }
  const takeA = max ? UV[1] > UV[2] : UV[1] < UV[2];
  const t = takeA ? tA : tB, s = takeA ? sA : sB, v = takeA ? UV[1] : UV[2];
  if (t === T_INF) { setInf(s, false); return; }
  if (t === T_ZERO) { setZero(s, false); return; }
  setValue(v, false);
}

function zeroOrDenormal32(x: number): boolean { return (x & 0x7f800000) === 0; }
function isInf32(x: number): boolean { return (x & 0x7fffffff) === 0x7f800000; }

/** VRECPS: 2 - a*b, with inf * (zero or denormal) giving exactly 2 (QEMU's recps_f32). */
export function fpRecipStep(a: number, b: number): void {
  if ((isInf32(a) && zeroOrDenormal32(b)) || (isInf32(b) && zeroOrDenormal32(a))) {
    if ((a & 0x7fffffff) !== 0 && (b & 0x7fffffff) !== 0) fpFlags |= FPSCR_IDC;
    res.lo = 0x40000000; res.hi = 0;
    return;
  }
  fpMul(a, 0, b, 0, false);
  fpAdd(0x40000000, 0, res.lo, 0, false, true);
}

/** VRSQRTS: (3 - a*b) / 2, with inf * (zero or denormal) giving exactly 1.5. */
export function fpRSqrtStep(a: number, b: number): void {
  if ((isInf32(a) && zeroOrDenormal32(b)) || (isInf32(b) && zeroOrDenormal32(a))) {
    if ((a & 0x7fffffff) !== 0 && (b & 0x7fffffff) !== 0) fpFlags |= FPSCR_IDC;
    res.lo = 0x3fc00000; res.hi = 0;
    return;
  }
  fpMul(a, 0, b, 0, false);
  fpAdd(0x40400000, 0, res.lo, 0, false, true);
  fpDiv(res.lo, 0, 0x40000000, 0, false);
}

// ---------------------------------------------------------------- VRECPE / VRSQRTE estimates

/** RecipEstimate (A2.7.? ): input 256..511 (0.5 <= a < 1 scaled by 512), result 256..511. */
function recipEstimate(input: number): number {
  const a = input * 2 + 1;
  const b = Math.floor((1 << 19) / a);
  return (b + 1) >> 1;
}
/** RecipSqrtEstimate: input 128..511, result 256..511 (precomputed; the search is bounded by 1024). */
const RSQRT_TABLE = new Uint16Array(512);
for (let input = 128; input < 512; input++) {
  const a = input < 256 ? input * 2 + 1 : (((input >> 1) << 1) + 1) * 2;
  let b = 512;
  while (a * (b + 1) * (b + 1) < (1 << 28) && b < 1024) b += 1;
  RSQRT_TABLE[input] = (b + 1) >> 1;
}

/** FPRecipEstimate for Advanced SIMD (standard FPSCR: denormal inputs are zeros). Returns the bits. */
export function fpRecipEstimate(x: number): number {
  const t = unpackInto(x, 0, false);
  const sign = uS;
  if (t === T_QNAN || t === T_SNAN) { processNaN(t, x, 0, false); return res.lo; }
  if (t === T_INF) return (sign << 31) >>> 0;
  if (t === T_ZERO) { fpFlags |= FPSCR_DZC; return ((sign << 31) | 0x7f800000) >>> 0; }
  const exp = (x >>> 23) & 0xff;
  if (exp >= 253 && (ctl & FPSCR_FZ) !== 0) { fpFlags |= FPSCR_UFC; return (sign << 31) >>> 0; }
  const est = recipEstimate(256 | ((x >>> 15) & 0xff));
  return ((sign << 31) | ((253 - exp) << 23) | ((est & 0xff) << 15)) >>> 0;
}

/** FPRSqrtEstimate for Advanced SIMD. */
export function fpRSqrtEstimate(x: number): number {
  const t = unpackInto(x, 0, false);
  const sign = uS;
  if (t === T_QNAN || t === T_SNAN) { processNaN(t, x, 0, false); return res.lo; }
  if (t === T_ZERO) { fpFlags |= FPSCR_DZC; return ((sign << 31) | 0x7f800000) >>> 0; }
  if (sign === 1) { fpFlags |= FPSCR_IOC; return 0x7fc00000; }
  if (t === T_INF) return 0;
  const exp = (x >>> 23) & 0xff;
  const scaled = (exp & 1) !== 0 ? 128 | ((x >>> 16) & 0x7f) : 256 | ((x >>> 15) & 0xff);
  const est = RSQRT_TABLE[scaled];
  const rexp = Math.trunc((380 - exp) / 2);
  return ((rexp << 23) | ((est & 0xff) << 15)) >>> 0;
}

/** UnsignedRecipEstimate (VRECPE.U32). */
export function unsignedRecipEstimate(a: number): number {
  if ((a & 0x80000000) === 0) return 0xffffffff;
  return (recipEstimate((a >>> 23) & 0x1ff) << 23) >>> 0;
}
/** UnsignedRSqrtEstimate (VRSQRTE.U32). */
export function unsignedRSqrtEstimate(a: number): number {
  if ((a & 0xc0000000) === 0) return 0xffffffff;
  return (RSQRT_TABLE[(a >>> 23) & 0x1ff] << 23) >>> 0;
}
