// Advanced SIMD (NEON) for the Cortex-A9, following ARM ARM DDI0406C A7.4 (data-processing
// tables A7-8 to A7-17) and A7.7 (element and structure loads/stores). Operands are copied to
// scratch lanes before any result is written, so overlapping Q/D operands behave as the
// pseudocode says. Float lanes use the "standard FPSCR value" (flush-to-zero, default NaN,
// round to nearest); their exceptions still accumulate in FPSCR. Saturation sets FPSCR.QC.
import type { SimdHost, SimdExec } from './vfp-host';
import type { SimdRegs } from './vfp-regs';
import { FPSCR_QC } from './vfp-regs';
import { vfpEnabled } from './vfp';
import { neonLoadStore } from './neon-ls';
import {
  res, fpBegin, fpFlags, fpAdd, fpMul, fpCompareBool, fpMaxMin, fpRecipStep, fpRSqrtStep, standardFpscr,
  fpToFixed, fixedToFp, fpHalfToSingle, fpSingleToHalf, fpRecipEstimate, fpRSqrtEstimate, unsignedRecipEstimate, unsignedRSqrtEstimate,
} from './vfp-fp';

const hex = (i: number) => '0x' + (i >>> 0).toString(16).padStart(8, '0');

// ---------------------------------------------------------------- lanes

/** 16-byte scratch with every lane view. */
class Lanes {
  readonly buf = new ArrayBuffer(16);
  readonly u8 = new Uint8Array(this.buf); readonly i8 = new Int8Array(this.buf);
  readonly u16 = new Uint16Array(this.buf); readonly i16 = new Int16Array(this.buf);
  readonly u32 = new Uint32Array(this.buf); readonly i32 = new Int32Array(this.buf);
  readonly u64 = new BigUint64Array(this.buf); readonly i64 = new BigInt64Array(this.buf);
}
const LA = new Lanes(), LB = new Lanes(), LD = new Lanes(), LR = new Lanes();
// Wide scratch (32 bytes) for VTBL tables and VEXT/zip concatenations.
const WIDE = new Uint8Array(32);

/** Copy `regs` D registers starting at D d into lanes. */
function load(L: Lanes, r: SimdRegs, d: number, regs: number): void {
  const w = d << 1;
  L.u32[0] = r.u32[w]; L.u32[1] = r.u32[w + 1];
  if (regs === 2) { L.u32[2] = r.u32[w + 2]; L.u32[3] = r.u32[w + 3]; }
}
function store(L: Lanes, r: SimdRegs, d: number, regs: number): void {
  const w = d << 1;
  r.u32[w] = L.u32[0]; r.u32[w + 1] = L.u32[1];
  if (regs === 2) { r.u32[w + 2] = L.u32[2]; r.u32[w + 3] = L.u32[3]; }
}
/** Element k of size esize (8/16/32) as a signed or unsigned number. */
function get(L: Lanes, esize: number, k: number, signed: boolean): number {
  if (esize === 8) return signed ? L.i8[k] : L.u8[k];
  if (esize === 16) return signed ? L.i16[k] : L.u16[k];
  return signed ? L.i32[k] : L.u32[k];
}
/** Set element k (the value wraps modulo 2^esize, as typed-array stores do). */
function set(L: Lanes, esize: number, k: number, v: number): void {
  if (esize === 8) L.u8[k] = v; else if (esize === 16) L.u16[k] = v; else L.u32[k] = v;
}

let qc = false;
/** SignedSatQ / UnsignedSatQ (A2.2.1): clamp to esize bits, noting saturation for FPSCR.QC. */
function satS(v: number, esize: number): number {
  const max = esize === 32 ? 2147483647 : (1 << (esize - 1)) - 1;
  const min = -max - 1;
  if (v > max) { qc = true; return max; }
  if (v < min) { qc = true; return min; }
  return v;
}
function satU(v: number, esize: number): number {
  const max = esize === 32 ? 4294967295 : (1 << esize) - 1;
  if (v > max) { qc = true; return max; }
  if (v < 0) { qc = true; return 0; }
  return v;
}
function satS64(v: bigint): bigint {
  if (v > 0x7fffffffffffffffn) { qc = true; return 0x7fffffffffffffffn; }
  if (v < -0x8000000000000000n) { qc = true; return -0x8000000000000000n; }
  return v;
}
function satU64(v: bigint): bigint {
  if (v > 0xffffffffffffffffn) { qc = true; return 0xffffffffffffffffn; }
  if (v < 0n) { qc = true; return 0n; }
  return v;
}
function finishQc(r: SimdRegs): void { if (qc) { r.fpscr = (r.fpscr | FPSCR_QC) >>> 0; qc = false; } }

/**
 * Shift by a signed amount as VSHL/VRSHL/VQSHL/VQRSHL (register) do (A8.8.396 etc.): left for
 * positive, right (arithmetic if signed) for negative; `round` adds 2^(-shift-1) first.
 */
function shiftBy(v: number, shift: number, round: boolean): number {
  if (shift >= 0) return shift > 64 ? (v === 0 ? 0 : v * Math.pow(2, 64)) : v * Math.pow(2, shift);
  const s = -shift;
  if (s > 64) return round ? 0 : (v < 0 ? -1 : 0);
  const p = Math.pow(2, s);
  return Math.floor((round ? v + p / 2 : v) / p);
}
function shiftBy64(v: bigint, shift: number, round: boolean): bigint {
  if (shift >= 0) return shift > 128 ? (v === 0n ? 0n : v << 128n) : v << BigInt(shift);
  const s = -shift;
  if (s > 128) return round ? 0n : (v < 0n ? -1n : 0n);
  return (round ? v + (1n << BigInt(s - 1)) : v) >> BigInt(s);
}

function undef(h: SimdHost, i: number, what: string): void {
  h.undefinedInstruction(`${what} (A32 ${hex(i)}) is UNDEFINED`);
}

// Register fields (A7.3.1): D:Vd, N:Vn, M:Vm.
const vd = (i: number) => (((i >>> 22) & 1) << 4) | ((i >>> 12) & 0xf);
const vn = (i: number) => (((i >>> 7) & 1) << 4) | ((i >>> 16) & 0xf);
const vm = (i: number) => (((i >>> 5) & 1) << 4) | (i & 0xf);
const qbit = (i: number) => (i & 0x40) !== 0;
const ubit = (i: number) => (i & 0x01000000) !== 0;

/** Q=1 needs even register numbers (Qn = D2n:D2n+1); otherwise UNDEFINED. */
function qOdd(i: number, d: number, n: number, m: number): boolean {
  return qbit(i) && ((d | n | m) & 1) !== 0;
}

// ---------------------------------------------------------------- three registers of the same length (A7.4.1)

function execThreeSame(h: SimdHost, i: number): void {
  const a = (i >>> 8) & 0xf, b = (i >>> 4) & 1, u = ubit(i), c = (i >>> 20) & 3;
  const d = vd(i), n = vn(i), m = vm(i);
  if (qOdd(i, d, n, m)) { undef(h, i, 'Q operand with an odd register'); return; }
  if (a === 0b1101 || a === 0b1110 || a === 0b1111 || (a === 0b1100 && b === 1)) { threeSameFloat(h, i, a, b, u, c, d, n, m); return; }
  if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
  const r = h.simd;
  const regs = qbit(i) ? 2 : 1;
  if (a === 0b0001 && b === 1) { // bitwise (size field is the opcode)
    load(LA, r, n, regs); load(LB, r, m, regs); load(LD, r, d, regs);
    for (let k = 0; k < regs * 2; k++) {
      const x = LA.u32[k], y = LB.u32[k], z = LD.u32[k];
      let v: number;
      if (!u) v = c === 0 ? x & y : c === 1 ? x & ~y : c === 2 ? x | y : x | ~y;       // VAND VBIC VORR VORN
      else v = c === 0 ? x ^ y : c === 1 ? (z & x) | (~z & y) : c === 2 ? (x & y) | (z & ~y) : (z & y) | (x & ~y); // VEOR VBSL VBIT VBIF
      LR.u32[k] = v;
    }
    store(LR, r, d, regs);
    return;
  }
  const esize = 8 << c;
  const pairwise = a === 0b1010 || (a === 0b1011 && b === 1);
  if (pairwise && qbit(i)) { undef(h, i, 'pairwise operation with Q=1'); return; }
  if (a === 0b1011 && b === 1 && u) { undef(h, i, 'VPADD with U=1'); return; }
  if (a === 0b1011 && b === 0 && (c === 0 || c === 3)) { undef(h, i, 'VQDMULH/VQRDMULH size'); return; }
  if (a === 0b1001 && b === 1 && u && c !== 0) { undef(h, i, 'VMUL.P with size != 8'); return; }
  if (c === 3 && !(a === 0b0000 && b === 1) && !(a === 0b0010 && b === 1) && a !== 0b0100 && a !== 0b0101 && !(a === 0b1000 && b === 0)) {
    undef(h, i, 'size 64 for this operation'); return;
  }
  load(LA, r, n, regs); load(LB, r, m, regs); load(LD, r, d, regs);
  if (c === 3) { threeSame64(i, a, b, u, regs); store(LR, r, d, regs); finishQc(r); return; }
  const lanes = (regs * 64) / esize;
  const sgn = !u;
  for (let k = 0; k < lanes; k++) {
    const x = get(LA, esize, k, sgn), y = get(LB, esize, k, sgn);
    let v = 0;
    switch ((a << 1) | b) {
      case 0b00000: v = Math.floor((x + y) / 2); break;                                   // VHADD
      case 0b00001: v = sgn ? satS(x + y, esize) : satU(x + y, esize); break;             // VQADD
      case 0b00010: v = Math.floor((x + y + 1) / 2); break;                               // VRHADD
      case 0b00100: v = Math.floor((x - y) / 2); break;                                   // VHSUB
      case 0b00101: v = sgn ? satS(x - y, esize) : satU(x - y, esize); break;             // VQSUB
      case 0b00110: v = x > y ? -1 : 0; break;                                            // VCGT
      case 0b00111: v = x >= y ? -1 : 0; break;                                           // VCGE
      case 0b01000: case 0b01001: case 0b01010: case 0b01011: {                           // VSHL VQSHL VRSHL VQRSHL (register)
        // A8.8.396: the element of Vm is shifted by the signed bottom byte of Vn's element.
        const shift = (get(LA, esize, k, false) << 24) >> 24;
        const w = shiftBy(get(LB, esize, k, sgn), shift, a === 0b0101);
        v = b === 1 ? (sgn ? satS(w, esize) : satU(w, esize)) : w;
        break;
      }
      case 0b01100: v = x > y ? x : y; break;                                             // VMAX
      case 0b01101: v = x < y ? x : y; break;                                             // VMIN
      case 0b01110: v = Math.abs(x - y); break;                                           // VABD
      case 0b01111: v = get(LD, esize, k, false) + Math.abs(x - y); break;                // VABA
      case 0b10000: v = u ? x - y : x + y; break;                                         // VADD / VSUB
      case 0b10001: v = u ? (x === y ? -1 : 0) : ((x & y) !== 0 ? -1 : 0); break;         // VCEQ / VTST
      case 0b10010: {                                                                     // VMLA / VMLS
        const p = esize === 32 ? Math.imul(x, y) : x * y;
        v = u ? get(LD, esize, k, false) - p : get(LD, esize, k, false) + p;
        if (esize === 32) v |= 0;
        break;
      }
      case 0b10011: v = u ? polyMul8(x, y) : (esize === 32 ? Math.imul(x, y) : x * y); break; // VMUL.P8 / VMUL.I
      case 0b10100: case 0b10101: {                                                       // VPMAX / VPMIN
        const lo = k < lanes / 2;
        const src = lo ? LA : LB, j = lo ? 2 * k : 2 * (k - lanes / 2);
        const p = get(src, esize, j, sgn), q = get(src, esize, j + 1, sgn);
        v = b === 0 ? (p > q ? p : q) : (p < q ? p : q);
        break;
      }
      case 0b10110: case 0b10111: {
        if (b === 1) {                                                                    // VPADD (integer)
          const lo = k < lanes / 2;
          const src = lo ? LA : LB, j = lo ? 2 * k : 2 * (k - lanes / 2);
          v = get(src, esize, j, false) + get(src, esize, j + 1, false);
        } else {                                                                          // VQDMULH / VQRDMULH
          const xs = get(LA, esize, k, true), ys = get(LB, esize, k, true);
          if (esize === 16) v = satS(Math.floor((2 * xs * ys + (u ? 0x8000 : 0)) / 65536), 16);
          else {
            const big = (2n * BigInt(xs) * BigInt(ys) + (u ? 0x80000000n : 0n)) >> 32n;
            v = satS(Number(big), 32);
          }
        }
        break;
      }
      default: undef(h, i, 'three-register opcode'); return;
    }
    set(LR, esize, k, v);
  }
  store(LR, r, d, regs);
  finishQc(r);
}

/** 64-bit lanes: VQADD, VQSUB, VSHL/VQSHL/VRSHL/VQRSHL, VADD/VSUB (A7.4.1 with size = 11). */
function threeSame64(_i: number, a: number, b: number, u: boolean, regs: number): void {
  for (let k = 0; k < regs; k++) {
    const x = u ? LA.u64[k] : LA.i64[k], y = u ? LB.u64[k] : LB.i64[k];
    let v: bigint;
    if (a === 0b0000) v = u ? satU64(x + y) : satS64(x + y);
    else if (a === 0b0010) v = u ? satU64(x - y) : satS64(x - y);
    else if (a === 0b1000) v = u ? x - y : x + y;
    else {
      const shift = Number(BigInt.asIntN(8, LA.u64[k]));
      const val = u ? LB.u64[k] : LB.i64[k];
      const w = shiftBy64(val, shift, a === 0b0101);
      v = b === 1 ? (u ? satU64(w) : satS64(w)) : w;
    }
    LR.u64[k] = BigInt.asUintN(64, v);
  }
}

function polyMul8(x: number, y: number): number {
  let p = 0;
  for (let k = 0; k < 8; k++) if ((y >>> k) & 1) p ^= x << k;
  return p & 0xff;
}

/** Float three-same (A7.4.1, A = 1101/1110/1111): size bit 0 must be 0 (F32). */
function threeSameFloat(h: SimdHost, i: number, a: number, b: number, u: boolean, c: number, d: number, n: number, m: number): void {
  if ((c & 1) !== 0) { undef(h, i, 'floating-point operation with sz=1'); return; }
  if (a === 0b1100) { undef(h, i, 'VFMA/VFMS (VFPv4)'); return; }
  const pairwise = u && b === 0 && (a === 0b1111 || (a === 0b1101 && (c & 2) === 0));
  if (pairwise && qbit(i)) { undef(h, i, 'pairwise operation with Q=1'); return; }
  let op = (a << 3) | (b << 2) | ((u ? 1 : 0) << 1) | (c >>> 1);
  // VMUL.F32 is U=1 with size 0x; like QEMU (the oracle) accept size 1x as VMUL too.
  if (op === 0b1101_1_1_1) op = 0b1101_1_1_0;
  // Reject the unallocated float slots before touching the FPU.
  switch (op) {
    case 0b1101_0_0_0: case 0b1101_0_0_1: case 0b1101_0_1_0: case 0b1101_0_1_1: case 0b1101_1_0_0: case 0b1101_1_0_1: case 0b1101_1_1_0:
    case 0b1110_0_0_0: case 0b1110_0_1_0: case 0b1110_0_1_1: case 0b1110_1_1_0: case 0b1110_1_1_1:
    case 0b1111_0_0_0: case 0b1111_0_0_1: case 0b1111_0_1_0: case 0b1111_0_1_1: case 0b1111_1_0_0: case 0b1111_1_0_1:
      break;
    default: undef(h, i, 'floating-point three-register encoding'); return;
  }
  if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
  const r = h.simd;
  const regs = qbit(i) ? 2 : 1;
  load(LA, r, n, regs); load(LB, r, m, regs); load(LD, r, d, regs);
  fpBegin(standardFpscr(r.fpscr));
  const lanes = regs * 2;
  for (let k = 0; k < lanes; k++) {
    const x = LA.u32[k], y = LB.u32[k];
    let v = 0;
    switch (op) {
      case 0b1101_0_0_0: fpAdd(x, 0, y, 0, false, false); v = res.lo; break;                 // VADD.F32
      case 0b1101_0_0_1: fpAdd(x, 0, y, 0, false, true); v = res.lo; break;                  // VSUB.F32
      case 0b1101_0_1_0: {                                                                    // VPADD.F32
        const lo = k < lanes / 2, src = lo ? LA : LB, j = lo ? 2 * k : 2 * (k - lanes / 2);
        fpAdd(src.u32[j], 0, src.u32[j + 1], 0, false, false); v = res.lo; break;
      }
      case 0b1101_0_1_1: fpAdd(x, 0, y, 0, false, true); v = res.lo & 0x7fffffff; break;     // VABD.F32
      case 0b1101_1_0_0: case 0b1101_1_0_1: {                                                 // VMLA/VMLS.F32: two roundings
        fpMul(x, 0, y, 0, false);
        const p = (c & 2) !== 0 ? (res.lo ^ 0x80000000) >>> 0 : res.lo;
        fpAdd(LD.u32[k], 0, p, 0, false, false); v = res.lo; break;
      }
      case 0b1101_1_1_0: fpMul(x, 0, y, 0, false); v = res.lo; break;                        // VMUL.F32
      case 0b1110_0_0_0: v = fpCompareBool(x, y, 0) ? -1 : 0; break;                         // VCEQ.F32
      case 0b1110_0_1_0: v = fpCompareBool(x, y, 1) ? -1 : 0; break;                         // VCGE.F32
      case 0b1110_0_1_1: v = fpCompareBool(x, y, 2) ? -1 : 0; break;                         // VCGT.F32
      case 0b1110_1_1_0: v = fpCompareBool(x & 0x7fffffff, y & 0x7fffffff, 1) ? -1 : 0; break; // VACGE
      case 0b1110_1_1_1: v = fpCompareBool(x & 0x7fffffff, y & 0x7fffffff, 2) ? -1 : 0; break; // VACGT
      case 0b1111_0_0_0: fpMaxMin(x, y, true); v = res.lo; break;                             // VMAX.F32
      case 0b1111_0_0_1: fpMaxMin(x, y, false); v = res.lo; break;                            // VMIN.F32
      case 0b1111_0_1_0: case 0b1111_0_1_1: {                                                 // VPMAX/VPMIN.F32
        const lo = k < lanes / 2, src = lo ? LA : LB, j = lo ? 2 * k : 2 * (k - lanes / 2);
        fpMaxMin(src.u32[j], src.u32[j + 1], (c & 2) === 0); v = res.lo; break;
      }
      case 0b1111_1_0_0: fpRecipStep(x, y); v = res.lo; break;                                // VRECPS
      default: fpRSqrtStep(x, y); v = res.lo; break;                                          // VRSQRTS
    }
    LR.u32[k] = v;
  }
  store(LR, r, d, regs);
  r.fpscr = (r.fpscr | fpFlags) >>> 0;
}

// ---------------------------------------------------------------- three registers of different lengths (A7.4.2)

function execThreeDiff(h: SimdHost, i: number): void {
  const a = (i >>> 8) & 0xf, u = ubit(i), c = (i >>> 20) & 3;
  const d = vd(i), n = vn(i), m = vm(i);
  const esize = 8 << c;
  const narrowOut = a === 0b0100 || a === 0b0110;          // VADDHN/VRADDHN/VSUBHN/VRSUBHN
  const wideIn = a === 0b0001 || a === 0b0011;              // VADDW/VSUBW
  if (a === 0b1111) { undef(h, i, 'three-register different-length opcode 1111'); return; }
  if ((!narrowOut && (d & 1) !== 0) || ((narrowOut || wideIn) && (n & 1) !== 0) || (narrowOut && (m & 1) !== 0)) { undef(h, i, 'odd Q register'); return; }
  if ((a === 0b1001 || a === 0b1011 || a === 0b1101) && (u || c === 0)) { undef(h, i, 'VQDMLAL/VQDMLSL/VQDMULL encoding'); return; }
  if (a === 0b1110 && (u || c !== 0)) { undef(h, i, 'VMULL.P with size != 8'); return; }
  if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
  const r = h.simd;
  load(LA, r, n, wideIn || narrowOut ? 2 : 1); load(LB, r, m, narrowOut ? 2 : 1); load(LD, r, d, narrowOut ? 1 : 2);
  const sgn = !u && a !== 0b1110; // VMULL.P8 takes its bytes unsigned
  const lanes = 64 / esize;
  for (let k = 0; k < lanes; k++) {
    if (narrowOut) {
      // 2*esize-bit lanes in, the high half out (A8.8.278 VADDHN etc.).
      const w = esize * 2;
      let v: number;
      if (w === 64) {
        const x = LA.u64[k], y = LB.u64[k];
        let s = a === 0b0100 ? x + y : x - y;
        if (u) s += 1n << 31n;
        v = Number(BigInt.asUintN(32, s >> 32n));
      } else {
        const x = get(LA, w, k, false), y = get(LB, w, k, false);
        let s = a === 0b0100 ? x + y : x - y;
        if (u) s += Math.pow(2, esize - 1);
        s = ((s % Math.pow(2, w)) + Math.pow(2, w)) % Math.pow(2, w);
        v = Math.floor(s / Math.pow(2, esize));
      }
      set(LR, esize, k, v);
      continue;
    }
    const x = wideIn ? 0 : get(LA, esize, k, sgn), y = get(LB, esize, k, sgn);
    let v: number | bigint;
    const w = esize * 2;
    switch (a) {
      case 0b0000: v = x + y; break;                                                      // VADDL
      case 0b0001: v = w === 64 ? (sgn ? LA.i64[k] : LA.u64[k]) + BigInt(y) : get(LA, w, k, sgn) + y; break; // VADDW
      case 0b0010: v = x - y; break;                                                      // VSUBL
      case 0b0011: v = w === 64 ? (sgn ? LA.i64[k] : LA.u64[k]) - BigInt(y) : get(LA, w, k, sgn) - y; break; // VSUBW
      case 0b0101: v = (w === 64 ? 0 : get(LD, w, k, false)) + Math.abs(x - y); break;    // VABAL
      case 0b0111: v = Math.abs(x - y); break;                                            // VABDL
      case 0b1000: case 0b1010: case 0b1100: {                                            // VMLAL VMLSL VMULL
        const p = BigInt(x) * BigInt(y);
        if (a === 0b1100) v = p;
        else {
          const acc = w === 64 ? LD.u64[k] : BigInt(get(LD, w, k, false));
          v = a === 0b1000 ? acc + p : acc - p;
        }
        break;
      }
      case 0b1001: case 0b1011: case 0b1101: {                                            // VQDMLAL VQDMLSL VQDMULL
        const p = 2n * BigInt(x) * BigInt(y);
        const pp = w === 64 ? satS64(p) : BigInt(satS(Number(p), 32));
        if (a === 0b1101) v = pp;
        else {
          const acc = w === 64 ? LD.i64[k] : BigInt(get(LD, w, k, true));
          const s = a === 0b1001 ? acc + pp : acc - pp;
          v = w === 64 ? satS64(s) : BigInt(satS(Number(s), 32));
        }
        break;
      }
      default: {                                                                           // VMULL.P8
        let p = 0;
        for (let bit = 0; bit < 8; bit++) if ((y >>> bit) & 1) p ^= x << bit;
        v = p;
      }
    }
    if (w === 64) {
      const bv = typeof v === 'bigint' ? v : BigInt(v);
      // VABAL.32 accumulates into a 64-bit lane.
      LR.u64[k] = BigInt.asUintN(64, a === 0b0101 ? LD.u64[k] + bv : bv);
    } else set(LR, w, k, typeof v === 'bigint' ? Number(BigInt.asUintN(w, v)) : v);
  }
  store(LR, r, d, narrowOut ? 1 : 2);
  finishQc(r);
}

// ---------------------------------------------------------------- two registers and a scalar (A7.4.3)

function execScalar(h: SimdHost, i: number): void {
  const a = (i >>> 8) & 0xf, u = ubit(i), c = (i >>> 20) & 3;
  const d = vd(i), n = vn(i);
  if (c === 0 || c === 3) { undef(h, i, 'by-scalar size'); return; }
  const esize = 8 << c;
  const mreg = esize === 16 ? i & 7 : i & 0xf;
  const idx = esize === 16 ? ((i >>> 5) & 1) << 1 | ((i >>> 3) & 1) : (i >>> 5) & 1;
  const long = a === 0b0010 || a === 0b0110 || a === 0b1010 || a === 0b0011 || a === 0b0111 || a === 0b1011;
  const floatOp = (a & 0b1011) === 0b0001 || a === 0b1001; // VMLA/VMLS/VMUL .F32 by scalar (F bit = bit 8)
  const q = u && !long; // for the non-long forms bit 24 is Q
  if (long && (d & 1) !== 0) { undef(h, i, 'odd Q register'); return; }
  if (!long && q && ((d | n) & 1) !== 0) { undef(h, i, 'odd Q register'); return; }
  if ((a === 0b0011 || a === 0b0111 || a === 0b1011) && u) { undef(h, i, 'VQDMLAL/VQDMLSL/VQDMULL by scalar with U=1'); return; }
  if (floatOp && c !== 2) { undef(h, i, 'float by-scalar size'); return; }
  if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
  const r = h.simd;
  const regs = long ? 1 : (q ? 2 : 1);
  load(LA, r, n, regs); load(LD, r, d, long ? 2 : regs);
  load(LB, r, mreg, 1);
  const sgn = long ? !u : true;
  const s = get(LB, esize, idx, sgn);
  const sBits = LB.u32[idx];
  const lanes = regs * 64 / esize;
  if (floatOp) fpBegin(standardFpscr(r.fpscr));
  for (let k = 0; k < lanes; k++) {
    if (floatOp) {
      fpMul(LA.u32[k], 0, sBits, 0, false);
      if (a === 0b1001) { LR.u32[k] = res.lo; continue; }
      const p = a === 0b0101 ? (res.lo ^ 0x80000000) >>> 0 : res.lo;
      fpAdd(LD.u32[k], 0, p, 0, false, false);
      LR.u32[k] = res.lo;
      continue;
    }
    const x = get(LA, esize, k, sgn);
    switch (a) {
      case 0b0000: case 0b0100: {                                                          // VMLA/VMLS.I by scalar
        const p = esize === 32 ? Math.imul(x, s) : x * s;
        set(LR, esize, k, a === 0 ? get(LD, esize, k, false) + p : get(LD, esize, k, false) - p);
        break;
      }
      case 0b1000: set(LR, esize, k, esize === 32 ? Math.imul(x, s) : x * s); break;     // VMUL.I by scalar
      case 0b0010: case 0b0110: case 0b1010: {                                             // VMLAL/VMLSL/VMULL by scalar
        const p = BigInt(x) * BigInt(s);
        const w = esize * 2;
        const acc = w === 64 ? LD.u64[k] : BigInt(get(LD, w, k, false));
        const v = a === 0b1010 ? p : a === 0b0010 ? acc + p : acc - p;
        if (w === 64) LR.u64[k] = BigInt.asUintN(64, v); else set(LR, w, k, Number(BigInt.asUintN(w, v)));
        break;
      }
      case 0b0011: case 0b0111: case 0b1011: {                                             // VQDMLAL/VQDMLSL/VQDMULL by scalar
        const w = esize * 2;
        const p = 2n * BigInt(x) * BigInt(s);
        const pp = w === 64 ? satS64(p) : BigInt(satS(Number(p), 32));
        let v = pp;
        if (a !== 0b1011) {
          const acc = w === 64 ? LD.i64[k] : BigInt(get(LD, w, k, true));
          v = a === 0b0011 ? acc + pp : acc - pp;
          v = w === 64 ? satS64(v) : BigInt(satS(Number(v), 32));
        }
        if (w === 64) LR.u64[k] = BigInt.asUintN(64, v); else set(LR, w, k, Number(BigInt.asUintN(w, v)));
        break;
      }
      case 0b1100: case 0b1101: {                                                          // VQDMULH/VQRDMULH by scalar
        const xs = get(LA, esize, k, true);
        const rnd = a === 0b1101;
        if (esize === 16) set(LR, 16, k, satS(Math.floor((2 * xs * s + (rnd ? 0x8000 : 0)) / 65536), 16));
        else set(LR, 32, k, satS(Number((2n * BigInt(xs) * BigInt(s) + (rnd ? 0x80000000n : 0n)) >> 32n), 32));
        break;
      }
      default: undef(h, i, 'by-scalar opcode 111x'); return;
    }
  }
  store(LR, r, d, long ? 2 : regs);
  if (floatOp) r.fpscr = (r.fpscr | fpFlags) >>> 0;
  finishQc(r);
}

// ---------------------------------------------------------------- two registers and a shift amount (A7.4.4)

function execShiftImm(h: SimdHost, i: number): void {
  const a = (i >>> 8) & 0xf, u = ubit(i), l = (i >>> 7) & 1, bq = (i >>> 6) & 1;
  const imm6 = (i >>> 16) & 0x3f;
  const d = vd(i), m = vm(i);
  let esize: number;
  if (l === 1) esize = 64; else if (imm6 & 0x20) esize = 32; else if (imm6 & 0x10) esize = 16; else esize = 8;
  const narrow = a === 0b1000 || a === 0b1001;
  const long = a === 0b1010;
  if (a >= 0b1110) { execVcvtFixedNeon(h, i); return; }
  if (a === 0b1011 || a === 0b1100 || a === 0b1101) { undef(h, i, 'shift-immediate opcode'); return; }
  if ((narrow || long) && l === 1) { undef(h, i, 'narrowing/lengthening shift with L=1'); return; }
  if (long && bq === 1) { undef(h, i, 'VSHLL/VMOVL with bit 6 set'); return; }
  const right = a <= 0b0100 || narrow;
  const shift = right ? (l === 1 ? 64 - imm6 : 2 * esize - imm6) : (l === 1 ? imm6 : imm6 - esize);
  if (narrow) { if ((m & 1) !== 0) { undef(h, i, 'odd Q register'); return; } }
  else if (long) { if ((d & 1) !== 0) { undef(h, i, 'odd Q register'); return; } }
  else if (bq === 1 && ((d | m) & 1) !== 0) { undef(h, i, 'odd Q register'); return; }
  if (a === 0b0100 && !u) { undef(h, i, 'VSRI with U=0'); return; }
  if (a === 0b0110 && !u) { undef(h, i, 'VQSHLU with U=0'); return; }
  if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
  const r = h.simd;
  if (narrow) { shiftNarrow(r, i, a, u, bq, esize, shift, d, m); finishQc(r); return; }
  if (long) {                                                                               // VSHLL / VMOVL
    load(LA, r, m, 1);
    const lanes = 64 / esize;
    for (let k = 0; k < lanes; k++) {
      const v = get(LA, esize, k, !u) * Math.pow(2, shift);
      if (esize === 32) LR.i64[k] = BigInt(v); else set(LR, esize * 2, k, v);
    }
    store(LR, r, d, 2);
    return;
  }
  const regs = bq === 1 ? 2 : 1;
  load(LA, r, m, regs); load(LD, r, d, regs);
  if (esize === 64) {
    for (let k = 0; k < regs; k++) {
      const sv = u ? LA.u64[k] : LA.i64[k];
      let v: bigint;
      switch (a) {
        case 0b0000: case 0b0001: case 0b0010: case 0b0011: {
          const w = shiftBy64(sv, -shift, (a & 2) !== 0);
          v = (a & 1) !== 0 ? LD.u64[k] + BigInt.asUintN(64, w) : w;
          break;
        }
        case 0b0100: { const mask = shift === 64 ? 0n : (0xffffffffffffffffn >> BigInt(shift)); v = (LD.u64[k] & ~mask) | ((LA.u64[k] >> BigInt(shift)) & mask); break; }
        case 0b0101: v = u ? (LD.u64[k] & ((1n << BigInt(shift)) - 1n)) | (LA.u64[k] << BigInt(shift)) : LA.u64[k] << BigInt(shift); break;
        case 0b0110: v = satU64(LA.i64[k] << BigInt(shift)); break;                          // VQSHLU
        default: v = u ? satU64(LA.u64[k] << BigInt(shift)) : satS64(LA.i64[k] << BigInt(shift)); break; // VQSHL
      }
      LR.u64[k] = BigInt.asUintN(64, v);
    }
  } else {
    const lanes = regs * 64 / esize;
    for (let k = 0; k < lanes; k++) {
      const sv = get(LA, esize, k, !u);
      let v: number;
      switch (a) {
        case 0b0000: case 0b0001: case 0b0010: case 0b0011: {                                 // VSHR VSRA VRSHR VRSRA
          const w = shiftBy(sv, -shift, (a & 2) !== 0);
          v = (a & 1) !== 0 ? get(LD, esize, k, false) + w : w;
          break;
        }
        case 0b0100: {                                                                         // VSRI
          const full = esize === 32 ? 0xffffffff : (1 << esize) - 1;
          const mask = shift >= esize ? 0 : full >>> shift;
          const ins = shift >= esize ? 0 : get(LA, esize, k, false) >>> shift;
          v = (get(LD, esize, k, false) & ~mask) | (ins & mask);
          break;
        }
        case 0b0101: {                                                                         // VSHL / VSLI (immediate)
          const x = get(LA, esize, k, false);
          v = u ? (get(LD, esize, k, false) & ((1 << shift) - 1)) | (x << shift) : x << shift;
          break;
        }
        case 0b0110: v = satU(get(LA, esize, k, true) * Math.pow(2, shift), esize); break;     // VQSHLU
        default: v = u ? satU(get(LA, esize, k, false) * Math.pow(2, shift), esize) : satS(get(LA, esize, k, true) * Math.pow(2, shift), esize); // VQSHL
      }
      set(LR, esize, k, v);
    }
  }
  store(LR, r, d, regs);
  finishQc(r);
}

/** VSHRN, VRSHRN, VQSHRN, VQRSHRN, VQSHRUN, VQRSHRUN (A8.8.383 etc.): 2*esize lanes of Qm to esize lanes of Dd. */
function shiftNarrow(r: SimdRegs, _i: number, a: number, u: boolean, op: number, esize: number, shift: number, d: number, m: number): void {
  load(LA, r, m, 2);
  const w = esize * 2;
  const lanes = 64 / esize;
  // a=1000: U=0 VSHRN/VRSHRN (op = round), U=1 VQSHRUN/VQRSHRUN (signed in, unsigned out)
  // a=1001: VQSHRN/VQRSHRN, signed (U=0) or unsigned (U=1)
  const round = op === 1;
  for (let k = 0; k < lanes; k++) {
    let v: number;
    if (w === 64) {
      const signedIn = a === 0b1000 ? u : !u;
      const x = signedIn ? LA.i64[k] : LA.u64[k];
      const s = shiftBy64(x, -shift, round);
      if (a === 0b1000 && !u) v = Number(BigInt.asUintN(32, s));
      else if (a === 0b1000) v = Number(s > 0xffffffffn ? (qc = true, 0xffffffffn) : s < 0n ? (qc = true, 0n) : s);
      else v = u ? Number(s > 0xffffffffn ? (qc = true, 0xffffffffn) : s) : Number(s > 0x7fffffffn ? (qc = true, 0x7fffffffn) : s < -0x80000000n ? (qc = true, -0x80000000n) : s);
    } else {
      const signedIn = a === 0b1000 ? u : !u;
      const x = get(LA, w, k, signedIn);
      const s = shiftBy(x, -shift, round);
      if (a === 0b1000 && !u) v = s;
      else if (a === 0b1000) v = satU(s, esize);
      else v = u ? satU(s, esize) : satS(s, esize);
    }
    set(LR, esize, k, v);
  }
  store(LR, r, d, 1);
}

/** VCVT between F32 and fixed point (A8.8.307): imm6 = 64 - frac_bits; op bit 8 (1: to fixed). */
function execVcvtFixedNeon(h: SimdHost, i: number): void {
  const d = vd(i), m = vm(i), q = qbit(i);
  if ((i & 0x80) !== 0) { undef(h, i, 'VCVT fixed-point with L=1'); return; }
  if ((i & 0x200000) === 0) { undef(h, i, 'VCVT fixed-point with imm6 < 32'); return; }
  if (q && ((d | m) & 1) !== 0) { undef(h, i, 'odd Q register'); return; }
  if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
  const r = h.simd;
  const frac = 64 - ((i >>> 16) & 0x3f);
  const toFixed = (i & 0x100) !== 0, unsigned = ubit(i);
  const regs = q ? 2 : 1;
  load(LA, r, m, regs);
  fpBegin(standardFpscr(r.fpscr));
  for (let k = 0; k < regs * 2; k++) {
    if (toFixed) LR.u32[k] = fpToFixed(LA.u32[k], 0, false, 32, frac, unsigned, true);
    else { fixedToFp(unsigned ? LA.u32[k] : LA.i32[k], frac, false, true); LR.u32[k] = res.lo; }
  }
  store(LR, r, d, regs);
  r.fpscr = (r.fpscr | fpFlags) >>> 0;
}

// ---------------------------------------------------------------- two registers, miscellaneous (A7.4.5)

function execTwoMisc(h: SimdHost, i: number): void {
  const sz = (i >>> 18) & 3, a = (i >>> 16) & 3, b = (i >>> 6) & 0x1f;
  const d = vd(i), m = vm(i), q = qbit(i);
  const esize = 8 << sz;
  const regs = q ? 2 : 1;
  const op = b >>> 1; // bits 10:7
  // Narrowing/lengthening forms have their own register shapes.
  if (a === 2 && (op === 0b0100 || op === 0b0101 || op === 0b0110)) { miscNarrow(h, i, b, sz, d, m); return; }
  if (a === 2 && op === 0b1100 && !q) { miscHalf(h, i, sz, d, m, false); return; }
  if (a === 2 && op === 0b1110 && !q) { miscHalf(h, i, sz, d, m, true); return; }
  if (q && ((d | m) & 1) !== 0) { undef(h, i, 'odd Q register'); return; }
  const r = h.simd;
  switch (a) {
    case 0: {
      if (op === 0b0000 || op === 0b0001 || op === 0b0010) {                               // VREV64/32/16
        const group = op === 0 ? 64 : op === 1 ? 32 : 16;
        if (esize >= group) { undef(h, i, 'VREV size'); return; }
        if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
        load(LA, r, m, regs);
        const per = group / esize;
        for (let k = 0; k < regs * 64 / esize; k++) {
          const base = k - (k % per);
          set(LR, esize, base + (per - 1 - (k % per)), get(LA, esize, k, false));
        }
        store(LR, r, d, regs);
        return;
      }
      if ((op & 0b1110) === 0b0100 || (op & 0b1110) === 0b1100) {                           // VPADDL / VPADAL
        if (sz === 3) { undef(h, i, 'VPADDL size'); return; }
        if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
        const uns = (op & 1) !== 0, acc = (op & 0b1000) !== 0;
        load(LA, r, m, regs); load(LD, r, d, regs);
        const w = esize * 2;
        for (let k = 0; k < regs * 64 / w; k++) {
          const s = get(LA, esize, 2 * k, !uns) + get(LA, esize, 2 * k + 1, !uns);
          if (w === 64) LR.u64[k] = BigInt.asUintN(64, BigInt(s) + (acc ? LD.u64[k] : 0n));
          else set(LR, w, k, s + (acc ? get(LD, w, k, false) : 0));
        }
        store(LR, r, d, regs);
        return;
      }
      if (op === 0b1000 || op === 0b1001 || op === 0b1110 || op === 0b1111) {               // VCLS VCLZ VQABS VQNEG
        if (sz === 3) { undef(h, i, 'size 11'); return; }
        if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
        load(LA, r, m, regs);
        for (let k = 0; k < regs * 64 / esize; k++) {
          const x = get(LA, esize, k, true);
          let v: number;
          if (op === 0b1000) { const y = x < 0 ? ~x : x; v = (y === 0 ? esize : esize - (32 - Math.clz32(y))) - 1; }
          else if (op === 0b1001) { const y = get(LA, esize, k, false); v = y === 0 ? esize : esize - (32 - Math.clz32(y)); }
          else v = satS(op === 0b1110 ? Math.abs(x) : -x, esize);
          set(LR, esize, k, v);
        }
        store(LR, r, d, regs);
        finishQc(r);
        return;
      }
      if (op === 0b1010 || op === 0b1011) {                                                  // VCNT / VMVN
        if (sz !== 0) { undef(h, i, 'VCNT/VMVN size'); return; }
        if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
        load(LA, r, m, regs);
        for (let k = 0; k < regs * 8; k++) {
          const x = LA.u8[k];
          LR.u8[k] = op === 0b1011 ? ~x : popcount8(x);
        }
        store(LR, r, d, regs);
        return;
      }
      undef(h, i, 'two-register misc opcode'); return;
    }
    case 1: {                                                                                // compares with zero, VABS, VNEG
      const f = (op & 0b1000) !== 0, o = op & 7;
      if (o === 5) { undef(h, i, 'two-register misc opcode'); return; }
      if (sz === 3 || (f && sz !== 2)) { undef(h, i, 'size'); return; }
      if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
      load(LA, r, m, regs);
      if (f) fpBegin(standardFpscr(r.fpscr));
      for (let k = 0; k < regs * 64 / esize; k++) {
        let v: number;
        if (f) {
          const x = LA.u32[k];
          switch (o) {
            case 0: v = fpCompareBool(x, 0, 2) ? -1 : 0; break;
            case 1: v = fpCompareBool(x, 0, 1) ? -1 : 0; break;
            case 2: v = fpCompareBool(x, 0, 0) ? -1 : 0; break;
            case 3: v = fpCompareBool(0, x, 1) ? -1 : 0; break;
            case 4: v = fpCompareBool(0, x, 2) ? -1 : 0; break;
            case 6: v = x & 0x7fffffff; break;
            default: v = (x ^ 0x80000000) >>> 0; break;
          }
        } else {
          const x = get(LA, esize, k, true);
          switch (o) {
            case 0: v = x > 0 ? -1 : 0; break;
            case 1: v = x >= 0 ? -1 : 0; break;
            case 2: v = x === 0 ? -1 : 0; break;
            case 3: v = x <= 0 ? -1 : 0; break;
            case 4: v = x < 0 ? -1 : 0; break;
            case 6: v = Math.abs(x); break;
            default: v = -x; break;
          }
        }
        set(LR, esize, k, v);
      }
      store(LR, r, d, regs);
      if (f) r.fpscr = (r.fpscr | fpFlags) >>> 0;
      return;
    }
    case 2: {
      if (op === 0b0000) {                                                                   // VSWP
        if (sz !== 0) { undef(h, i, 'VSWP size'); return; }
        if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
        load(LA, r, m, regs); load(LD, r, d, regs);
        store(LA, r, d, regs); store(LD, r, m, regs);
        return;
      }
      if (op === 0b0001 || op === 0b0010 || op === 0b0011) {                                // VTRN VUZP VZIP
        if (sz === 3 || (op !== 1 && !q && sz === 2)) { undef(h, i, 'VTRN/VUZP/VZIP size'); return; }
        if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
        load(LD, r, d, regs); load(LA, r, m, regs);
        const lanes = regs * 64 / esize;
        if (op === 0b0001) {
          for (let k = 0; k < lanes; k += 2) {
            const x = get(LD, esize, k + 1, false), y = get(LA, esize, k, false);
            set(LD, esize, k + 1, y); set(LA, esize, k, x);
          }
        } else {
          // Concatenate Dd:Dm element lists, then (un)interleave (A8.8.428 / A8.8.430).
          const all: number[] = [];
          for (let k = 0; k < lanes; k++) all.push(get(LD, esize, k, false));
          for (let k = 0; k < lanes; k++) all.push(get(LA, esize, k, false));
          const out: number[] = new Array(2 * lanes);
          if (op === 0b0010) { for (let k = 0; k < lanes; k++) { out[k] = all[2 * k]; out[lanes + k] = all[2 * k + 1]; } }
          else { for (let k = 0; k < lanes; k++) { out[2 * k] = all[k]; out[2 * k + 1] = all[lanes + k]; } }
          for (let k = 0; k < lanes; k++) { set(LD, esize, k, out[k]); set(LA, esize, k, out[lanes + k]); }
        }
        store(LD, r, d, regs); store(LA, r, m, regs);
        return;
      }
      if (op === 0b0110 && (b & 1) === 0 && !q) { undef(h, i, 'VSHLL'); return; }
      undef(h, i, 'two-register misc opcode'); return;
    }
    default: {                                                                               // a = 3
      if ((op & 0b1100) === 0b1000) {                                                        // VRECPE / VRSQRTE
        if (sz !== 2) { undef(h, i, 'VRECPE/VRSQRTE size'); return; }
        if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
        const isF = (op & 2) !== 0, sqrt = (op & 1) !== 0;
        load(LA, r, m, regs);
        fpBegin(standardFpscr(r.fpscr));
        for (let k = 0; k < regs * 2; k++) {
          const x = LA.u32[k];
          LR.u32[k] = isF ? (sqrt ? fpRSqrtEstimate(x) : fpRecipEstimate(x)) : (sqrt ? unsignedRSqrtEstimate(x) : unsignedRecipEstimate(x));
        }
        store(LR, r, d, regs);
        r.fpscr = (r.fpscr | fpFlags) >>> 0;
        return;
      }
      if ((op & 0b1100) === 0b1100) {                                                        // VCVT F32 <-> S32/U32
        if (sz !== 2) { undef(h, i, 'VCVT size'); return; }
        if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
        load(LA, r, m, regs);
        fpBegin(standardFpscr(r.fpscr));
        const toInt = (op & 2) !== 0, uns = (op & 1) !== 0;
        for (let k = 0; k < regs * 2; k++) {
          if (toInt) LR.u32[k] = fpToFixed(LA.u32[k], 0, false, 32, 0, uns, true);
          else { fixedToFp(uns ? LA.u32[k] : LA.i32[k], 0, false, true); LR.u32[k] = res.lo; }
        }
        store(LR, r, d, regs);
        r.fpscr = (r.fpscr | fpFlags) >>> 0;
        return;
      }
      undef(h, i, 'two-register misc opcode'); return;
    }
  }
}

function popcount8(x: number): number { let n = 0; for (let k = 0; k < 8; k++) n += (x >>> k) & 1; return n; }

/** VMOVN, VQMOVN, VQMOVUN (Qm -> Dd), and VSHLL by the element size (Dm -> Qd). */
function miscNarrow(h: SimdHost, i: number, b: number, sz: number, d: number, m: number): void {
  const op = b >>> 1;
  const esize = 8 << sz;
  if (op === 0b0110 && (b & 1) === 0) {                                                      // VSHLL (maximum shift)
    if (sz === 3 || (d & 1) !== 0) { undef(h, i, 'VSHLL size or odd Q register'); return; }
    if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
    const r = h.simd;
    load(LA, r, m, 1);
    for (let k = 0; k < 64 / esize; k++) {
      const v = get(LA, esize, k, false) * Math.pow(2, esize);
      if (esize === 32) LR.u64[k] = BigInt(v); else set(LR, esize * 2, k, v);
    }
    store(LR, r, d, 2);
    return;
  }
  if (op === 0b0110 || sz === 3 || (m & 1) !== 0) { undef(h, i, 'narrowing move encoding'); return; }
  if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
  const r = h.simd;
  load(LA, r, m, 2);
  const w = esize * 2;
  // b = 01000 VMOVN, 01001 VQMOVUN, 01010 VQMOVN.S, 01011 VQMOVN.U
  for (let k = 0; k < 64 / esize; k++) {
    let v: number;
    if (b === 0b01000) v = w === 64 ? LA.u32[2 * k] : get(LA, w, k, false);
    else if (w === 64) {
      const x = b === 0b01011 ? LA.u64[k] : LA.i64[k];
      const lo = b === 0b01010 ? -0x80000000n : 0n, hi = b === 0b01010 ? 0x7fffffffn : 0xffffffffn;
      v = Number(x > hi ? (qc = true, hi) : x < lo ? (qc = true, lo) : x);
    } else {
      const x = get(LA, w, k, b !== 0b01011);
      v = b === 0b01010 ? satS(x, esize) : satU(x, esize);
    }
    set(LR, esize, k, v);
  }
  store(LR, r, d, 1);
  finishQc(r);
}

/** VCVT between half and single precision (A8.8.311): F16 <- F32 (Qm -> Dd) or F32 <- F16 (Dm -> Qd). */
function miscHalf(h: SimdHost, i: number, sz: number, d: number, m: number, toSingle: boolean): void {
  if (sz !== 1 || (toSingle ? (d & 1) : (m & 1)) !== 0) { undef(h, i, 'VCVT half-precision encoding'); return; }
  if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
  const r = h.simd;
  fpBegin(standardFpscr(r.fpscr));
  if (toSingle) {
    load(LA, r, m, 1);
    for (let k = 0; k < 4; k++) LR.u32[k] = fpHalfToSingle(LA.u16[k]);
    store(LR, r, d, 2);
  } else {
    load(LA, r, m, 2);
    for (let k = 0; k < 4; k++) LR.u16[k] = fpSingleToHalf(LA.u32[k]);
    store(LR, r, d, 1);
  }
  r.fpscr = (r.fpscr | fpFlags) >>> 0;
}

// ---------------------------------------------------------------- one register and a modified immediate (A7.4.6)

/** AdvSIMDExpandImm (A7.4.6): the 64-bit immediate as two words in LR.u32[0..1]. */
function expandImm(op: number, cmode: number, imm8: number): boolean {
  let lo: number;
  switch (cmode >>> 1) {
    case 0: lo = imm8; break;
    case 1: lo = imm8 << 8; break;
    case 2: lo = imm8 << 16; break;
    case 3: lo = (imm8 << 24) >>> 0; break;
    case 4: lo = (imm8 | (imm8 << 16)) >>> 0; break;
    case 5: lo = ((imm8 << 8) | (imm8 << 24)) >>> 0; break;
    case 6: lo = (cmode & 1) === 0 ? (imm8 << 8) | 0xff : (imm8 << 16) | 0xffff; break;
    default:
      if ((cmode & 1) === 0 && op === 0) { lo = imm8 * 0x01010101; break; }
      if ((cmode & 1) === 0 && op === 1) {
        let l = 0, hh = 0;
        for (let k = 0; k < 4; k++) { if ((imm8 >>> k) & 1) l |= 0xff << (8 * k); if ((imm8 >>> (k + 4)) & 1) hh |= 0xff << (8 * k); }
        LR.u32[0] = l >>> 0; LR.u32[1] = hh >>> 0;
        return true;
      }
      if (op === 1) return false;
      {
        const a = (imm8 >>> 7) & 1, b = (imm8 >>> 6) & 1;
        lo = ((a << 31) | ((b ^ 1) << 30) | ((b ? 0x1f : 0) << 25) | ((imm8 & 0x3f) << 19)) >>> 0;
      }
  }
  LR.u32[0] = lo >>> 0; LR.u32[1] = lo >>> 0;
  return true;
}

function execModImm(h: SimdHost, i: number): void {
  const cmode = (i >>> 8) & 0xf, op = (i >>> 5) & 1, q = qbit(i);
  const d = vd(i);
  const imm8 = (((i >>> 24) & 1) << 7) | (((i >>> 16) & 7) << 4) | (i & 0xf);
  if (q && (d & 1) !== 0) { undef(h, i, 'odd Q register'); return; }
  if (!expandImm(op, cmode, imm8)) { undef(h, i, 'VMOV/VMVN immediate with cmode=1111, op=1'); return; }
  if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
  const r = h.simd;
  const regs = q ? 2 : 1;
  const orrBic = (cmode & 1) === 1 && cmode < 12;
  const invert = op === 1 && cmode !== 14;
  const ilo = invert && !orrBic ? ~LR.u32[0] : LR.u32[0], ihi = invert && !orrBic ? ~LR.u32[1] : LR.u32[1];
  for (let k = 0; k < regs; k++) {
    const w = (d + k) << 1;
    if (!orrBic) { r.u32[w] = ilo; r.u32[w + 1] = ihi; }
    else if (op === 0) { r.u32[w] |= ilo; r.u32[w + 1] |= ihi; }                              // VORR
    else { r.u32[w] &= ~ilo; r.u32[w + 1] &= ~ihi; }                                           // VBIC
  }
}

// ---------------------------------------------------------------- VEXT, VTBL/VTBX, VDUP (scalar) (A7.4)

function execVext(h: SimdHost, i: number): void {
  const d = vd(i), n = vn(i), m = vm(i), q = qbit(i), imm4 = (i >>> 8) & 0xf;
  if (qOdd(i, d, n, m) || (!q && imm4 >= 8)) { undef(h, i, 'VEXT encoding'); return; }
  if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
  const r = h.simd;
  const bytes = q ? 16 : 8;
  for (let k = 0; k < bytes; k++) { WIDE[k] = r.u8[(n << 3) + k]; WIDE[bytes + k] = r.u8[(m << 3) + k]; }
  for (let k = 0; k < bytes; k++) r.u8[(d << 3) + k] = WIDE[imm4 + k];
}

function execVtbl(h: SimdHost, i: number): void {
  const d = vd(i), n = vn(i), m = vm(i), len = ((i >>> 8) & 3) + 1, tbx = (i & 0x40) !== 0;
  if (n + len > 32) { undef(h, i, 'VTBL/VTBX list past D31 (UNPREDICTABLE)'); return; }
  if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
  const r = h.simd;
  for (let k = 0; k < len * 8; k++) WIDE[k] = r.u8[(n << 3) + k];
  load(LA, r, m, 1); load(LD, r, d, 1);
  for (let k = 0; k < 8; k++) {
    const idx = LA.u8[k];
    LR.u8[k] = idx < len * 8 ? WIDE[idx] : tbx ? LD.u8[k] : 0;
  }
  store(LR, r, d, 1);
}

function execVdupScalar(h: SimdHost, i: number): void {
  const d = vd(i), m = vm(i), q = qbit(i), imm4 = (i >>> 16) & 0xf;
  let esize: number, idx: number;
  if (imm4 & 1) { esize = 8; idx = imm4 >>> 1; } else if (imm4 & 2) { esize = 16; idx = imm4 >>> 2; } else if (imm4 & 4) { esize = 32; idx = imm4 >>> 3; }
  else { undef(h, i, 'VDUP (scalar) imm4'); return; }
  if (q && (d & 1) !== 0) { undef(h, i, 'odd Q register'); return; }
  if (!vfpEnabled(h, true, 'Advanced SIMD', i)) return;
  const r = h.simd;
  load(LA, r, m, 1);
  const v = get(LA, esize, idx, false);
  for (let k = 0; k < (q ? 2 : 1) * 64 / esize; k++) set(LR, esize, k, v);
  store(LR, r, d, q ? 2 : 1);
}

// ---------------------------------------------------------------- decode (A7.4, Table A7-8)

/** Decode an Advanced SIMD data-processing A32 word (1111 001U ...). */
export function decodeNeonDataA32(i: number): SimdExec | undefined {
  const a = (i >>> 19) & 0x1f, b = (i >>> 8) & 0xf, c = (i >>> 4) & 0xf, u = ubit(i);
  if ((a & 0x10) === 0) return execThreeSame;
  if ((a & 0x17) === 0x10 && (c & 9) === 1) return execModImm;
  if ((c & 9) === 1 || (c & 9) === 9) {
    if ((a & 0x17) !== 0x10 || (c & 8) === 8) return execShiftImm;
  }
  if ((a & 0x16) !== 0x16 && (c & 5) === 0) return execThreeDiff;
  if ((a & 0x16) !== 0x16 && (c & 5) === 4) return execScalar;
  if (!u && (a & 0x16) === 0x16 && (c & 1) === 0) return execVext;
  if (u && (a & 0x16) === 0x16) {
    if ((b & 8) === 0 && (c & 1) === 0) return execTwoMisc;
    if ((b & 0xc) === 8 && (c & 1) === 0) return execVtbl;
    if (b === 0xc && (c & 9) === 0) return execVdupScalar;
  }
  return (h, w) => undef(h, w, 'Advanced SIMD data-processing encoding');
}

/** Decode an Advanced SIMD element/structure load/store A32 word (1111 0100 xxx0 ...). */
export function decodeNeonLoadStoreA32(_i: number): SimdExec | undefined { return neonLoadStore; }
