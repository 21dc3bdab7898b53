// VFPv3-D32 instructions of the Cortex-A9 (ARM ARM DDI0406C A7.5-A7.9 decode tables, A8 pages):
// data processing with VFPv3 short vectors, conversions, VMOV/VMRS/VMSR, VLDR/VSTR/VLDM/VSTM.
// Decoding works on the A32 form; T32 words are mapped in simd-decode (vfp-decode.ts).
// Arithmetic is in vfp-fp.ts; the core reaches all of this through SimdHost (vfp-host.ts).
import type { SimdHost, SimdExec } from './vfp-host';
import type { SimdRegs } from './vfp-regs';
import { FPEXC_EN, FPSCR_WRITABLE, FPSCR_LEN_SHIFT, FPSCR_STRIDE_SHIFT } from './vfp-regs';
import {
  res, fpBegin, fpFlags, fpAdd, fpMul, fpDiv, fpSqrt, fpCompare, fpSingleToDouble, fpDoubleToSingle,
  fpToFixed, fixedToFp, fpHalfToSingle, fpSingleToHalf, vfpExpandImm,
} from './vfp-fp';
import { sd, sn, sm, dd, dn, dm } from '../vfp-fields';

const hex = (i: number) => '0x' + (i >>> 0).toString(16).padStart(8, '0');

/**
 * CheckVFPEnabled (B1.11.?): CPACR/NSACR via the host, then FPEXC.EN. False after raising
 * Undefined Instruction.
 */
export function vfpEnabled(h: SimdHost, neon: boolean, what: string, insn: number): boolean {
  if (!h.fpAccessAllowed(neon)) { h.undefinedInstruction(`${what} (${hex(insn)}): CPACR/NSACR deny coprocessors 10/11`); return false; }
  if ((h.simd.fpexc & FPEXC_EN) === 0) { h.undefinedInstruction(`${what} (${hex(insn)}): FPEXC.EN is 0`); return false; }
  return true;
}

// ---------------------------------------------------------------- operand access

// Each register is addressed as a word index into SimdRegs.u32: S n is word n, D n is words 2n/2n+1.
function rd(r: SimdRegs, idx: number, dbl: boolean): void { LH[0] = r.u32[dbl ? idx << 1 : idx]; LH[1] = dbl ? r.u32[(idx << 1) | 1] : 0; }
/** Words of the last operand read: a typed array, since V8 boxes large numbers kept in module bindings. */
const LH = new Uint32Array(2);
function wr(r: SimdRegs, idx: number, dbl: boolean): void {
  if (dbl) { r.u32[idx << 1] = res.lo; r.u32[(idx << 1) | 1] = res.hi; } else r.u32[idx] = res.lo;
}
function finish(r: SimdRegs): void { r.fpscr = (r.fpscr | fpFlags) >>> 0; }

// ---------------------------------------------------------------- data processing (A7.5, Table A7-16)

/** The kinds of short-vector-capable data-processing operations. */
const OP_MLA = 0, OP_MLS = 1, OP_NMLA = 2, OP_NMLS = 3, OP_MUL = 4, OP_NMUL = 5, OP_ADD = 6, OP_SUB = 7, OP_DIV = 8;
const OP_MOVI = 9, OP_MOV = 10, OP_ABS = 11, OP_NEG = 12, OP_SQRT = 13;

/** One element of a data-processing operation; dbl selects F64. */
function dpOne(r: SimdRegs, op: number, d: number, n: number, m: number, dbl: boolean, insn: number): void {
  const sgn = dbl ? 1 : 0; // which result word holds the sign
  switch (op) {
    case OP_MLA: case OP_MLS: case OP_NMLA: case OP_NMLS: {
      // VMLA etc. (A8.8.337/A8.8.351): FPMul, then FPAdd with the (negated) accumulator; two roundings.
      rd(r, n, dbl); const nlo = LH[0], nhi = LH[1];
      rd(r, m, dbl);
      fpMul(nlo, nhi, LH[0], LH[1], dbl);
      let plo = res.lo, phi = res.hi;
      if (op === OP_MLS || op === OP_NMLA) { if (sgn) phi = (phi ^ 0x80000000) >>> 0; else plo = (plo ^ 0x80000000) >>> 0; }
      rd(r, d, dbl);
      if (op === OP_NMLA || op === OP_NMLS) { if (sgn) LH[1] = (LH[1] ^ 0x80000000) >>> 0; else LH[0] = (LH[0] ^ 0x80000000) >>> 0; }
      fpAdd(LH[0], LH[1], plo, phi, dbl, false);
      break;
    }
    case OP_MUL: case OP_NMUL: case OP_ADD: case OP_SUB: case OP_DIV: {
      rd(r, n, dbl); const nlo = LH[0], nhi = LH[1];
      rd(r, m, dbl);
      if (op === OP_ADD || op === OP_SUB) fpAdd(nlo, nhi, LH[0], LH[1], dbl, op === OP_SUB);
      else if (op === OP_DIV) fpDiv(nlo, nhi, LH[0], LH[1], dbl);
      else {
        fpMul(nlo, nhi, LH[0], LH[1], dbl);
        if (op === OP_NMUL) { if (sgn) res.hi = (res.hi ^ 0x80000000) >>> 0; else res.lo = (res.lo ^ 0x80000000) >>> 0; }
      }
      break;
    }
    case OP_MOVI: vfpExpandImm(((insn >>> 12) & 0xf0) | (insn & 0xf), dbl); break;
    case OP_MOV: case OP_ABS: case OP_NEG:
      // VMOV/VABS/VNEG (A8.8.340/A8.8.280/A8.8.355) touch only the sign bit: no flags, NaNs pass.
      rd(r, m, dbl);
      if (op === OP_ABS) { if (sgn) LH[1] = (LH[1] & 0x7fffffff) >>> 0; else LH[0] = (LH[0] & 0x7fffffff) >>> 0; }
      if (op === OP_NEG) { if (sgn) LH[1] = (LH[1] ^ 0x80000000) >>> 0; else LH[0] = (LH[0] ^ 0x80000000) >>> 0; }
      res.lo = LH[0]; res.hi = LH[1];
      break;
    default: // OP_SQRT
      rd(r, m, dbl);
      fpSqrt(LH[0], LH[1], dbl);
      break;
  }
  wr(r, d, dbl);
}

/**
 * Run a data-processing operation, as a VFPv3 short vector when FPSCR.Len != 0 (ARM ARM
 * A2.7.? "VFP vector operation support"; MVFR0.ShortVectors = 1 on QEMU's cortex-a9). Register
 * numbers wrap within banks of 8 singles / 4 doubles. Where the ARM ARM leaves details to the
 * implementation this follows the oracle (QEMU): scalar destinations are s0-s7 and d0-d3/d16-d19,
 * and the step is Stride+1 for singles and (Stride>>1)+1 for doubles.
 */
function dataProcessing(h: SimdHost, insn: number, op: number, what: string): void {
  if (!vfpEnabled(h, false, what, insn)) return;
  const r = h.simd;
  const dbl = (insn & 0x100) !== 0;
  let d = dbl ? dd(insn) : sd(insn);
  let n = dbl ? dn(insn) : sn(insn);
  let m = dbl ? dm(insn) : sm(insn);
  fpBegin(r.fpscr);
  const len = (r.fpscr >>> FPSCR_LEN_SHIFT) & 7;
  const scalarBank = dbl ? 0xc : 0x18;
  if (len === 0 || (d & scalarBank) === 0) {
    dpOne(r, op, d, n, m, dbl, insn);
    finish(r);
    return;
  }
  const bankMask = dbl ? 3 : 7;
  const strideField = (r.fpscr >>> FPSCR_STRIDE_SHIFT) & 3;
  const delta = dbl ? (strideField >>> 1) + 1 : strideField + 1;
  const mScalar = (m & scalarBank) === 0;
  for (let k = 0; k <= len; k++) {
    dpOne(r, op, d, n, m, dbl, insn);
    d = (d & ~bankMask) | ((d + delta) & bankMask);
    n = (n & ~bankMask) | ((n + delta) & bankMask);
    if (!mScalar) m = (m & ~bankMask) | ((m + delta) & bankMask);
  }
  finish(r);
}

const dp = (op: number, what: string): SimdExec => (h, i) => dataProcessing(h, i, op, what);
const X_VMLA = dp(OP_MLA, 'VMLA'), X_VMLS = dp(OP_MLS, 'VMLS'), X_VNMLA = dp(OP_NMLA, 'VNMLA'), X_VNMLS = dp(OP_NMLS, 'VNMLS');
const X_VMUL = dp(OP_MUL, 'VMUL'), X_VNMUL = dp(OP_NMUL, 'VNMUL'), X_VADD = dp(OP_ADD, 'VADD'), X_VSUB = dp(OP_SUB, 'VSUB');
const X_VDIV = dp(OP_DIV, 'VDIV'), X_VMOVI = dp(OP_MOVI, 'VMOV (immediate)'), X_VMOVR = dp(OP_MOV, 'VMOV (register)');
const X_VABS = dp(OP_ABS, 'VABS'), X_VNEG = dp(OP_NEG, 'VNEG'), X_VSQRT = dp(OP_SQRT, 'VSQRT');

// VCMP/VCMPE (A8.8.304): cond 1110 1D11 0100 Vd 101s E1M0 Vm; with #0: 0101 ... E100 0000.
function execVcmp(h: SimdHost, i: number): void {
  if (!vfpEnabled(h, false, 'VCMP', i)) return;
  const r = h.simd;
  const dbl = (i & 0x100) !== 0;
  fpBegin(r.fpscr);
  rd(r, dbl ? dd(i) : sd(i), dbl); const alo = LH[0], ahi = LH[1];
  if ((i & 0x10000) !== 0) { LH[0] = 0; LH[1] = 0; } else rd(r, dbl ? dm(i) : sm(i), dbl);
  const nzcv = fpCompare(alo, ahi, LH[0], LH[1], dbl, (i & 0x80) !== 0);
  r.fpscr = (((r.fpscr & 0x0fffffff) | (nzcv << 28)) | fpFlags) >>> 0;
}

// VCVT.F64.F32 / VCVT.F32.F64 (A8.8.309): cond 1110 1D11 0111 Vd 101s 11M0 Vm.
function execVcvtDs(h: SimdHost, i: number): void {
  if (!vfpEnabled(h, false, 'VCVT (between double and single)', i)) return;
  const r = h.simd;
  fpBegin(r.fpscr);
  if ((i & 0x100) !== 0) { // F32 <- F64
    rd(r, dm(i), true);
    fpDoubleToSingle(LH[0], LH[1]);
    r.u32[sd(i)] = res.lo;
  } else {
    fpSingleToDouble(r.u32[sm(i)]);
    const d = dd(i);
    r.u32[d << 1] = res.lo; r.u32[(d << 1) | 1] = res.hi;
  }
  finish(r);
}

// VCVT/VCVTR between floating-point and integer (A8.8.306): cond 1110 1D11 1opc2 Vd 101s op1M0 Vm.
// opc2 = 000: integer -> float (op: 1 signed); 100/101: float -> unsigned/signed (op: 1 round to zero).
function execVcvtInt(h: SimdHost, i: number): void {
  if (!vfpEnabled(h, false, 'VCVT (floating-point and integer)', i)) return;
  const r = h.simd;
  const dbl = (i & 0x100) !== 0;
  fpBegin(r.fpscr);
  const opc2 = (i >>> 16) & 7;
  if ((opc2 & 4) !== 0) {
    rd(r, dbl ? dm(i) : sm(i), dbl);
    r.u32[sd(i)] = fpToFixed(LH[0], LH[1], dbl, 32, 0, (opc2 & 1) === 0, (i & 0x80) !== 0);
  } else {
    const x = r.u32[sm(i)];
    fixedToFp((i & 0x80) !== 0 ? x | 0 : x >>> 0, 0, dbl, false);
    wr(r, dbl ? dd(i) : sd(i), dbl);
  }
  finish(r);
}

// VCVT between floating-point and fixed-point (A8.8.308): cond 1110 1D11 1op1U Vd 101s sx1i0 imm4.
// The operand is the destination register itself; size is 16 (sx=0) or 32, frac_bits = size - imm5.
function execVcvtFixed(h: SimdHost, i: number): void {
  if (!vfpEnabled(h, false, 'VCVT (floating-point and fixed-point)', i)) return;
  const r = h.simd;
  const dbl = (i & 0x100) !== 0;
  const toFixed = (i & 0x40000) !== 0;
  const unsigned = (i & 0x10000) !== 0;
  const size = (i & 0x80) !== 0 ? 32 : 16;
  const imm5 = ((i & 0xf) << 1) | ((i >>> 5) & 1);
  const frac = size - imm5;
  // frac_bits < 0 is UNPREDICTABLE; like QEMU, scale by the negative power of two.
  const d = dbl ? dd(i) : sd(i);
  fpBegin(r.fpscr);
  if (toFixed) {
    rd(r, d, dbl);
    let v = fpToFixed(LH[0], LH[1], dbl, size, frac, unsigned, true);
    if (size === 16) v = unsigned ? v & 0xffff : ((v << 16) >> 16) >>> 0;
    if (dbl) { r.u32[d << 1] = v; r.u32[(d << 1) | 1] = (v & 0x80000000) !== 0 && !unsigned ? 0xffffffff : 0; } else r.u32[d] = v;
  } else {
    let x = dbl ? r.u32[d << 1] : r.u32[d];
    if (size === 16) x = unsigned ? x & 0xffff : (x << 16) >> 16;
    else x = unsigned ? x >>> 0 : x | 0;
    fixedToFp(x, frac, dbl, false);
    wr(r, d, dbl);
  }
  finish(r);
}

// VCVTB/VCVTT (A8.8.310): cond 1110 1D11 001op Vd 1010 T1M0 Vm (half <-> single, HP extension).
function execVcvtHalf(h: SimdHost, i: number): void {
  if (!vfpEnabled(h, false, 'VCVTB/VCVTT', i)) return;
  const r = h.simd;
  if ((i & 0x100) !== 0) { h.undefinedInstruction(`VCVTB/VCVTT (${hex(i)}) with sz=1 is UNDEFINED before ARMv8`); return; }
  const top = (i & 0x80) !== 0;
  fpBegin(r.fpscr);
  if ((i & 0x10000) !== 0) { // single -> half into the bottom or top half of Sd
    const hv = fpSingleToHalf(r.u32[sm(i)]);
    const d = sd(i);
    r.u32[d] = top ? ((r.u32[d] & 0xffff) | (hv << 16)) >>> 0 : ((r.u32[d] & 0xffff0000) | hv) >>> 0;
  } else {
    const src = r.u32[sm(i)];
    r.u32[sd(i)] = fpHalfToSingle(top ? src >>> 16 : src & 0xffff);
  }
  finish(r);
}

// ---------------------------------------------------------------- register transfers (A7.8, A7.9)

// VMOV (between ARM core register and single-precision register) (A8.8.343): cond 1110 000op Vn Rt 1010 N001 0000.
function execVmovCoreS(h: SimdHost, i: number): void {
  if (!vfpEnabled(h, false, 'VMOV (core and single)', i)) return;
  const t = (i >>> 12) & 0xf;
  if (t === 15) { h.undefinedInstruction(`VMOV (${hex(i)}) with Rt = PC is UNPREDICTABLE`); return; }
  const n = sn(i);
  if ((i & 0x100000) !== 0) h.writeReg(t, h.simd.u32[n]);
  else h.simd.u32[n] = h.readReg(t) >>> 0;
}

// VMOV (two ARM core registers and two singles / a doubleword) (A8.8.345/A8.8.346):
// cond 1100 010op Rt2 Rt 1010 00M1 Vm (singles Sm, Sm+1), cond 1100 010op Rt2 Rt 1011 00M1 Vm (Dm).
function execVmov64(h: SimdHost, i: number): void {
  if (!vfpEnabled(h, false, 'VMOV (two core registers)', i)) return;
  const t = (i >>> 12) & 0xf, t2 = (i >>> 16) & 0xf;
  const toCore = (i & 0x100000) !== 0;
  let w0: number;
  if ((i & 0x100) !== 0) w0 = dm(i) << 1;
  else { w0 = sm(i); if (w0 === 31) { h.undefinedInstruction(`VMOV (${hex(i)}) with m = 31 is UNPREDICTABLE`); return; } }
  if (t === 15 || t2 === 15 || (toCore && t === t2)) { h.undefinedInstruction(`VMOV (${hex(i)}): UNPREDICTABLE register choice`); return; }
  const r = h.simd;
  if (toCore) { h.writeReg(t, r.u32[w0]); h.writeReg(t2, r.u32[w0 + 1]); }
  else { r.u32[w0] = h.readReg(t) >>> 0; r.u32[w0 + 1] = h.readReg(t2) >>> 0; }
}

// VMOV (ARM core register to scalar) (A8.8.341): cond 1110 0opc1 0 Vd Rt 1011 Dopc2 1 0000.
// Only the 32-bit form belongs to VFP; the 8/16-bit forms are Advanced SIMD (A9 has both).
function execVmovToScalar(h: SimdHost, i: number): void {
  const opc = (((i >>> 21) & 3) << 2) | ((i >>> 5) & 3);
  if (!vfpEnabled(h, (opc & 0b1011) !== 0, 'VMOV (core to scalar)', i)) return;
  const t = (i >>> 12) & 0xf;
  if (t === 15) { h.undefinedInstruction(`VMOV (${hex(i)}) with Rt = PC is UNPREDICTABLE`); return; }
  const d = dn(i), v = h.readReg(t) >>> 0;
  const r = h.simd;
  if ((opc & 0b1000) !== 0) r.u8[(d << 3) + (opc & 7)] = v & 0xff;
  else if ((opc & 1) !== 0) r.u16[(d << 2) + ((opc >>> 1) & 3)] = v & 0xffff;
  else if ((opc & 2) === 0) r.u32[(d << 1) + ((opc >>> 2) & 1)] = v;
  else { h.undefinedInstruction(`VMOV to scalar (${hex(i)}): opc1:opc2 = 0x10 is UNDEFINED`); return; }
}

// VMOV (scalar to ARM core register) (A8.8.342): cond 1110 Uopc1 1 Vn Rt 1011 Nopc2 1 0000.
function execVmovFromScalar(h: SimdHost, i: number): void {
  const opc = (((i >>> 21) & 3) << 2) | ((i >>> 5) & 3);
  const u = (i & 0x800000) !== 0;
  if (!vfpEnabled(h, (opc & 0b1011) !== 0 || u, 'VMOV (scalar to core)', i)) return;
  const t = (i >>> 12) & 0xf;
  if (t === 15) { h.undefinedInstruction(`VMOV (${hex(i)}) with Rt = PC is UNPREDICTABLE`); return; }
  const n = dn(i);
  const r = h.simd;
  let v: number;
  if ((opc & 0b1000) !== 0) v = u ? r.u8[(n << 3) + (opc & 7)] : r.i8[(n << 3) + (opc & 7)];
  else if ((opc & 1) !== 0) v = u ? r.u16[(n << 2) + ((opc >>> 1) & 3)] : r.i16[(n << 2) + ((opc >>> 1) & 3)];
  else if ((opc & 2) === 0 && !u) v = r.u32[(n << 1) + ((opc >>> 2) & 1)];
  else { h.undefinedInstruction(`VMOV from scalar (${hex(i)}) is UNDEFINED for this U:opc1:opc2`); return; }
  h.writeReg(t, v >>> 0);
}

// VDUP (ARM core register) (A8.8.317): cond 1110 1BQ0 Vd Rt 1011 D0E1 0000.
function execVdupCore(h: SimdHost, i: number): void {
  if (!vfpEnabled(h, true, 'VDUP (core register)', i)) return;
  const q = (i & 0x200000) !== 0;
  const be = (((i >>> 22) & 1) << 1) | ((i >>> 5) & 1);
  let d = dn(i);
  const t = (i >>> 12) & 0xf;
  if (be === 3 || (q && (d & 1) !== 0) || t === 15) { h.undefinedInstruction(`VDUP (${hex(i)}) is UNDEFINED/UNPREDICTABLE for these fields`); return; }
  let v = h.readReg(t) >>> 0;
  if (be === 2) v = (v & 0xff) * 0x01010101;
  else if (be === 1) v = ((v & 0xffff) | (v << 16)) >>> 0;
  const r = h.simd;
  for (let k = q ? 2 : 1; k > 0; k--, d++) { r.u32[d << 1] = v; r.u32[(d << 1) | 1] = v; }
}

// VMRS / VMSR (A8.8.348/A8.8.350): cond 1110 1111 reg Rt 1010 0001 0000 / cond 1110 1110 reg Rt 1010 0001 0000.
function execVmrsVmsr(h: SimdHost, i: number): void {
  const reg = (i >>> 16) & 0xf, t = (i >>> 12) & 0xf;
  const toCore = (i & 0x100000) !== 0;
  const r = h.simd;
  const what = toCore ? 'VMRS' : 'VMSR';
  // Which FP system registers exist and who may reach them follows QEMU's cortex-a9 model:
  // FPSID, MVFR0/1 and FPEXC need PL1 and ignore FPEXC.EN; FPINST/FPINST2 are absent on VFPv3.
  let ignoreEn = false;
  switch (reg) {
    case 0b0000: case 0b0110: case 0b0111: case 0b1000:
      if (!h.isPrivileged()) { h.undefinedInstruction(`${what} (${hex(i)}): FP system register ${reg} needs PL1`); return; }
      ignoreEn = true;
      break;
    case 0b0001: break;
    default: h.undefinedInstruction(`${what} (${hex(i)}): FP system register ${reg} does not exist on Cortex-A9`); return;
  }
  if (!h.fpAccessAllowed(false)) { h.undefinedInstruction(`${what} (${hex(i)}): CPACR/NSACR deny coprocessors 10/11`); return; }
  if (!ignoreEn && (r.fpexc & FPEXC_EN) === 0) { h.undefinedInstruction(`${what} (${hex(i)}): FPEXC.EN is 0`); return; }
  if (toCore) {
    let v: number;
    switch (reg) {
      case 0b0000: v = r.fpsid; break;
      case 0b0110: v = r.mvfr1; break;
      case 0b0111: v = r.mvfr0; break;
      case 0b1000: v = r.fpexc; break;
      default: v = r.fpscr; break;
    }
    if (t === 15) h.setNzcv(v >>> 28);
    else h.writeReg(t, v >>> 0);
  } else {
    if (t === 15) { h.undefinedInstruction(`VMSR (${hex(i)}) with Rt = PC is UNPREDICTABLE`); return; }
    const v = h.readReg(t) >>> 0;
    if (reg === 0b0001) r.fpscr = (v & FPSCR_WRITABLE) >>> 0;
    else if (reg === 0b1000) r.fpexc = (v & FPEXC_EN) >>> 0; // only EN is implemented (no trapped exceptions)
    // FPSID and MVFR0/1 ignore writes.
  }
}

// ---------------------------------------------------------------- loads and stores (A7.6, Table A7-19)

// VLDR/VSTR (A8.8.333/A8.8.413): cond 1101 UD0L Rn Vd 101s imm8.
function execVldrVstr(h: SimdHost, i: number): void {
  const load = (i & 0x100000) !== 0;
  if (!vfpEnabled(h, false, load ? 'VLDR' : 'VSTR', i)) return;
  const dbl = (i & 0x100) !== 0;
  const n = (i >>> 16) & 0xf;
  let base = h.readReg(n) >>> 0;
  if (n === 15) base &= ~3; // Align(PC, 4)
  const off = (i & 0xff) << 2;
  const addr = ((i & 0x800000) !== 0 ? base + off : base - off) >>> 0;
  const r = h.simd;
  if (dbl) {
    const d = dd(i) << 1;
    if (load) { const a = h.read32(addr, 4); const b = h.read32((addr + 4) >>> 0, 4); r.u32[d] = a; r.u32[d + 1] = b; }
    else { h.write32(addr, r.u32[d], 4); h.write32((addr + 4) >>> 0, r.u32[d + 1], 4); }
  } else {
    const d = sd(i);
    if (load) r.u32[d] = h.read32(addr, 4);
    else h.write32(addr, r.u32[d], 4);
  }
}

// VLDM/VSTM/VPUSH/VPOP (A8.8.332/A8.8.412): cond 110P UDWL Rn Vd 101s imm8, IA (P=0 U=1) or DB (P=1 U=0 W=1).
// sz=1 with an odd imm8 is FLDMX/FSTMX: imm8/2 doubles, and the address range covers imm8 words.
function execVldmVstm(h: SimdHost, i: number): void {
  const load = (i & 0x100000) !== 0;
  const what = load ? 'VLDM' : 'VSTM';
  if (!vfpEnabled(h, false, what, i)) return;
  const dbl = (i & 0x100) !== 0;
  const n = (i >>> 16) & 0xf;
  const up = (i & 0x800000) !== 0, wback = (i & 0x200000) !== 0;
  const imm8 = i & 0xff;
  const first = dbl ? dd(i) : sd(i);
  const regs = dbl ? imm8 >>> 1 : imm8;
  if (n === 15 && (wback || !up)) { h.undefinedInstruction(`${what} (${hex(i)}) with Rn = PC and writeback is UNPREDICTABLE`); return; }
  if (regs === 0 || (dbl && (regs > 16 || first + regs > 32)) || (!dbl && first + regs > 32)) {
    h.undefinedInstruction(`${what} (${hex(i)}): register list ${dbl ? 'd' : 's'}${first} + ${regs} is UNPREDICTABLE`);
    return;
  }
  const base = h.readReg(n) >>> 0;
  const bytes = imm8 << 2;
  let addr = up ? base : (base - bytes) >>> 0;
  const r = h.simd;
  const words = dbl ? regs * 2 : regs;
  const w0 = dbl ? first << 1 : first;
  // Writeback happens after the transfers here; an abort leaves Rn unchanged (the ARM ARM allows either).
  for (let k = 0; k < words; k++) {
    if (load) r.u32[w0 + k] = h.read32(addr, 4);
    else h.write32(addr, r.u32[w0 + k], 4);
    addr = (addr + 4) >>> 0;
  }
  if (wback) h.writeReg(n, up ? (base + bytes) >>> 0 : (base - bytes) >>> 0);
}

// ---------------------------------------------------------------- decode

function undef(what: string): SimdExec {
  return (h, i) => h.undefinedInstruction(`${what} (A32 ${hex(i)}) is UNDEFINED on Cortex-A9 (VFPv3-D32)`);
}
const U_VFPV4 = undef('VFMA/VFMS/VFNMA/VFNMS (VFPv4)');
const U_VFP = undef('VFP data-processing encoding');
const U_LS = undef('VFP load/store encoding');
const U_XFER = undef('VFP register transfer encoding');

/**
 * Decode a VFP (coprocessor 10/11) A32 word whose condition already passed (bits[31:28] are
 * ignored). Returns undefined if bits[27:24]/[11:9] do not select coprocessor 10/11.
 */
export function decodeVfpA32(i: number): SimdExec | undefined {
  if ((i & 0xe00) !== 0xa00) return undefined;
  const top = (i >>> 24) & 0xf;
  if (top === 0xe) {
    if ((i & 0x10) === 0) return decodeDataProcessing(i);
    // 8, 16 and 32-bit transfers (A7.8): bit 8 = C, bits[23:21] = A, bit 20 = L.
    const c = (i & 0x100) !== 0, a = (i >>> 21) & 7, l = (i & 0x100000) !== 0;
    if (!c) {
      if (a === 0) return execVmovCoreS;
      if (a === 7) return execVmrsVmsr;
      return U_XFER;
    }
    if (!l) return (a & 4) === 0 ? execVmovToScalar : execVdupCore;
    return execVmovFromScalar;
  }
  if ((top & 0xe) !== 0xc) return undefined;
  const opcode = (i >>> 20) & 0x1f;
  if ((opcode & 0x1e) === 0x04) return (i & 0xd0) === 0x10 ? execVmov64 : U_XFER;
  if ((opcode & 0x12) === 0x10) return execVldrVstr;             // 1xx0x: VSTR/VLDR
  const pu = opcode >>> 3, w = (opcode >>> 1) & 1;
  if (pu === 1) return execVldmVstm;                              // 01xxx: IA, with or without writeback
  if (pu === 2 && w === 1) return execVldmVstm;                   // 10x1x: DB with writeback (VPUSH/VPOP)
  return U_LS;
}

function decodeDataProcessing(i: number): SimdExec {
  const opc1 = ((i >>> 20) & 0xf) & 0b1011;
  const op6 = (i & 0x40) !== 0;
  switch (opc1) {
    case 0b0000: return op6 ? X_VMLS : X_VMLA;
    case 0b0001: return op6 ? X_VNMLA : X_VNMLS;
    case 0b0010: return op6 ? X_VNMUL : X_VMUL;
    case 0b0011: return op6 ? X_VSUB : X_VADD;
    case 0b1000: return op6 ? U_VFP : X_VDIV;
    case 0b1001: case 0b1010: return U_VFPV4;
    case 0b1011: break;
    default: return U_VFP;
  }
  const opc2 = (i >>> 16) & 0xf, opc3 = (i >>> 6) & 3;
  if ((opc3 & 1) === 0) return (i & 0xa0) === 0 ? X_VMOVI : U_VFP;
  switch (opc2) {
    case 0b0000: return opc3 === 1 ? X_VMOVR : X_VABS;
    case 0b0001: return opc3 === 1 ? X_VNEG : X_VSQRT;
    case 0b0010: case 0b0011: return execVcvtHalf;
    case 0b0100: return execVcmp;
    case 0b0101: return (i & 0x2f) === 0 ? execVcmp : U_VFP;
    case 0b0111: return opc3 === 3 ? execVcvtDs : U_VFP;
    case 0b1000: return execVcvtInt;
    case 0b1100: case 0b1101: return execVcvtInt;
    case 0b1010: case 0b1011: case 0b1110: case 0b1111: return execVcvtFixed;
    default: return U_VFP;
  }
}
