// The FPv5-SP additions of the Cortex-M33 FPU (ARM ARM DDI0553, "Floating-point" pages):
// VSEL, VMAXNM/VMINNM, VRINT{A,N,P,M,R,Z,X} and VCVT{A,N,P,M}, with the FPMaxNum/FPMinNum,
// FPRoundInt and FPToFixed pseudocode. Double-precision forms decode (so the disassembler
// names them) but are UNDEFINED on FPv5-SP, as the FPv4-SP table in isa-vfp.ts does.
import type { CortexM } from './cpu';
import type { InsnDef } from './insn';
import { condSuffix, fmt } from './disasm-util';
import {
  FPSCR_DN, FPSCR_FZ, FPSCR_IDC, FPSCR_IOC, FPSCR_IXC, FPSCR_RMODE_SHIFT, FP_DEFAULT_NAN, RM_NEAREST,
  RM_PLUS_INF, RM_MINUS_INF, RM_ZERO, type FpState,
} from './fpu';
import { sd, sn, sm, dd, dn, dm } from '../vfp-fields';

/** FPRounding_TIEAWAY: not an FPSCR.RMode value, only selected by VRINTA/VCVTA. */
export const RM_TIE_AWAY = 4;
/** The RM field of VRINT{A,N,P,M} and VCVT{A,N,P,M} (bits 17:16) to a rounding mode (FPDecodeRM). */
const DECODE_RM = [RM_TIE_AWAY, RM_NEAREST, RM_PLUS_INF, RM_MINUS_INF];
const RM_LETTER = ['a', 'n', 'p', 'm'];

// FPUnpack types, as fpu.ts uses them.
const T_ZERO = 0, T_NONZERO = 1, T_INF = 2, T_QNAN = 3, T_SNAN = 4;
const f32 = new Float32Array(1);
const w32 = new Uint32Array(f32.buffer);

/** FPUnpack's type of `x`; FZ flushes a denormal to zero and sets IDC (the value is read separately). */
function fpType(st: FpState, x: number): number {
  const exp = (x >>> 23) & 0xff;
  const frac = x & 0x7fffff;
  if (exp === 0) {
    if (frac === 0) return T_ZERO;
    if ((st.fpscr & FPSCR_FZ) !== 0) { st.fpscr |= FPSCR_IDC; return T_ZERO; }
    return T_NONZERO;
  }
  if (exp === 0xff) return frac === 0 ? T_INF : (frac & 0x400000) !== 0 ? T_QNAN : T_SNAN;
  return T_NONZERO;
}

function valueOf(x: number): number { w32[0] = x; return f32[0]; }

/** FPProcessNaN: quieten (IOC for a signalling NaN), or the default NaN when FPSCR.DN. */
function processNaN(st: FpState, type: number, op: number): number {
  if (type === T_SNAN) st.fpscr |= FPSCR_IOC;
  return (st.fpscr & FPSCR_DN) !== 0 ? FP_DEFAULT_NAN : (op | 0x400000) >>> 0;
}

/**
 * FPMaxNum (max = true) / FPMinNum: a single quiet NaN operand is replaced by the infinity
 * that never wins (-inf for max, +inf for min), then FPMax/FPMin run with FPProcessNaNs
 * (signalling NaNs first). Zeros of both signs give +0 for max, -0 for min. The result of
 * a number is FPRound of its unpacked value: the operand itself, or a signed zero under FZ.
 */
export function fpMaxMinNum(st: FpState, op1: number, op2: number, max: boolean): number {
  let t1 = fpType(st, op1), t2 = fpType(st, op2);
  if (t1 === T_QNAN && t2 !== T_QNAN) { op1 = max ? 0xff800000 : 0x7f800000; t1 = T_INF; }
  else if (t2 === T_QNAN && t1 !== T_QNAN) { op2 = max ? 0xff800000 : 0x7f800000; t2 = T_INF; }
  if (t1 === T_SNAN) return processNaN(st, t1, op1);
  if (t2 === T_SNAN) return processNaN(st, t2, op2);
  if (t1 === T_QNAN) return processNaN(st, t1, op1);
  if (t2 === T_QNAN) return processNaN(st, t2, op2);
  const s1 = op1 >>> 31, s2 = op2 >>> 31;
  if (t1 === T_ZERO && t2 === T_ZERO) return (max ? s1 & s2 : s1 | s2) !== 0 ? 0x80000000 : 0;
  const v1 = t1 === T_ZERO ? 0 : valueOf(op1);
  const v2 = t2 === T_ZERO ? 0 : valueOf(op2);
  const firstWins = max ? v1 > v2 : v1 < v2;
  // The chosen operand may be a flushed denormal (zero) against a nonzero: keep its own sign.
  if (firstWins) return t1 === T_ZERO ? (s1 !== 0 ? 0x80000000 : 0) : op1 >>> 0;
  return t2 === T_ZERO ? (s2 !== 0 ? 0x80000000 : 0) : op2 >>> 0;
}

/** The rounding decision of FPRoundInt/FPToFixed for int_result = RoundDown(value), error = value - int_result. */
function roundUp(rmode: number, intResult: number, error: number): boolean {
  switch (rmode) {
    case RM_NEAREST: return error > 0.5 || (error === 0.5 && (intResult & 1) !== 0);
    case RM_PLUS_INF: return error !== 0;
    case RM_MINUS_INF: return false;
    case RM_ZERO: return error !== 0 && intResult < 0;
    default: return error > 0.5 || (error === 0.5 && intResult >= 0); // TIEAWAY
  }
}

/**
 * FPRoundInt: `op` rounded to an integral single with `rmode` (RM_* or RM_TIE_AWAY).
 * A zero result keeps the operand's sign; IXC only when `exact` (VRINTX) and the value changed.
 */
export function fpRoundInt(st: FpState, op: number, rmode: number, exact: boolean): number {
  const t = fpType(st, op);
  if (t >= T_QNAN) return processNaN(st, t, op);
  const sign = op >>> 31;
  if (t === T_ZERO) return sign !== 0 ? 0x80000000 : 0;
  if (t === T_INF) return op >>> 0;
  // From 2^23 up every single is an integer, and below it the float64 arithmetic is exact.
  if (((op >>> 23) & 0xff) >= 127 + 23) return op >>> 0;
  const value = valueOf(op);
  let intResult = Math.floor(value);
  const error = value - intResult;
  if (roundUp(rmode, intResult, error)) intResult += 1;
  if (error !== 0 && exact) st.fpscr |= FPSCR_IXC;
  if (intResult === 0) return sign !== 0 ? 0x80000000 : 0;
  f32[0] = intResult;
  return w32[0];
}

/**
 * FPToFixed with an explicit rounding mode and no fraction bits: a single to a 32-bit signed
 * or unsigned integer, saturating with IOC (a NaN gives 0 and IOC), else IXC when inexact.
 */
export function fpToIntRounded(st: FpState, op: number, unsigned: boolean, rmode: number): number {
  const t = fpType(st, op);
  const lo = unsigned ? 0 : -2147483648;
  const hi = unsigned ? 4294967295 : 2147483647;
  if (t >= T_QNAN) { st.fpscr |= FPSCR_IOC; return 0; }
  if (t === T_ZERO) return 0;
  if (t === T_INF) { st.fpscr |= FPSCR_IOC; return (op >>> 31 !== 0 ? lo : hi) >>> 0; }
  const value = valueOf(op);
  let intResult = Math.floor(value);
  const error = value - intResult;
  if (roundUp(rmode, intResult, error)) intResult += 1;
  if (intResult < lo || intResult > hi) {
    st.fpscr |= FPSCR_IOC;
    return (intResult < lo ? lo : hi) >>> 0;
  }
  if (error !== 0) st.fpscr |= FPSCR_IXC;
  return intResult >>> 0;
}

// ---------------------------------------------------------------- decode helpers

const isDouble = (i: number) => (i & 0x100) !== 0;
const vd = (i: number) => (isDouble(i) ? `d${dd(i)}` : `s${sd(i)}`);
const vn = (i: number) => (isDouble(i) ? `d${dn(i)}` : `s${sn(i)}`);
const vm = (i: number) => (isDouble(i) ? `d${dm(i)}` : `s${sm(i)}`);
const ft = (i: number) => (isDouble(i) ? '.f64' : '.f32');

/** sz = 1 selects double precision, which FPv5-SP does not implement. */
function noDouble(cpu: CortexM, i: number): void { if (isDouble(i)) cpu.undefinedInstruction(); }

// ---------------------------------------------------------------- VSEL

/** VSEL cc (bits 21:20) to its condition cc:(cc<1> EOR cc<0>):'0': eq, vs, ge, gt. */
const VSEL_COND = [0b0000, 0b0110, 0b1010, 0b1100];
const VSEL_NAME = ['eq', 'vs', 'ge', 'gt'];

// VSEL T1: 1111 1110 0Dcc nnnn dddd 101s N0M0 mmmm. Reads the APSR flags; no FP exceptions.
// In an IT block it (like every FPv5 form with first halfword 1111 1110) is UNPREDICTABLE;
// like QEMU we let the IT condition gate it, and like objdump we print that condition.
function execVsel(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  const cond = VSEL_COND[(i >>> 20) & 3];
  cpu.sBits[sd(i)] = cpu.conditionPassed(cond) ? cpu.sBits[sn(i)] : cpu.sBits[sm(i)];
}
function disVsel(i: number, _pc: number, it: number): string {
  return fmt(`vsel${VSEL_NAME[(i >>> 20) & 3]}${condSuffix(it)}${ft(i)}`, `${vd(i)}, ${vn(i)}, ${vm(i)}`);
}

// ---------------------------------------------------------------- VMAXNM / VMINNM

// VMAXNM T1: 1111 1110 1D00 nnnn dddd 101s N0M0 mmmm; VMINNM T1: ... N1M0 mmmm.
function execVmaxMinNm(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  cpu.sBits[sd(i)] = fpMaxMinNum(cpu, cpu.sBits[sn(i)], cpu.sBits[sm(i)], (i & 0x40) === 0);
}
function disVmaxMinNm(i: number, _pc: number, it: number): string {
  return fmt(((i & 0x40) === 0 ? 'vmaxnm' : 'vminnm') + condSuffix(it) + ft(i), `${vd(i)}, ${vn(i)}, ${vm(i)}`);
}

// ---------------------------------------------------------------- VRINT

// VRINT{A,N,P,M} T1: 1111 1110 1D11 10RM dddd 101s 01M0 mmmm. Never signals inexact.
function execVrintFixed(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  cpu.sBits[sd(i)] = fpRoundInt(cpu, cpu.sBits[sm(i)], DECODE_RM[(i >>> 16) & 3], false);
}
function disVrintFixed(i: number, _pc: number, it: number): string {
  return fmt(`vrint${RM_LETTER[(i >>> 16) & 3]}${condSuffix(it)}${ft(i)}`, `${vd(i)}, ${vm(i)}`);
}

// VRINTR T1 (op = 0) / VRINTZ T1 (op = 1): 1110 1110 1D11 0110 dddd 101s op1M0 mmmm.
// VRINTR uses FPSCR.RMode, VRINTZ rounds towards zero; neither signals inexact.
function execVrintRZ(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  const rmode = (i & 0x80) !== 0 ? RM_ZERO : (cpu.fpscr >>> FPSCR_RMODE_SHIFT) & 3;
  cpu.sBits[sd(i)] = fpRoundInt(cpu, cpu.sBits[sm(i)], rmode, false);
}
function disVrintRZ(i: number, _pc: number, it: number): string {
  return fmt(((i & 0x80) !== 0 ? 'vrintz' : 'vrintr') + condSuffix(it) + ft(i), `${vd(i)}, ${vm(i)}`);
}

// VRINTX T1: 1110 1110 1D11 0111 dddd 101s 01M0 mmmm. FPSCR.RMode, IXC when the value changes.
function execVrintX(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  cpu.sBits[sd(i)] = fpRoundInt(cpu, cpu.sBits[sm(i)], (cpu.fpscr >>> FPSCR_RMODE_SHIFT) & 3, true);
}
function disVrintX(i: number, _pc: number, it: number): string {
  return fmt('vrintx' + condSuffix(it) + ft(i), `${vd(i)}, ${vm(i)}`);
}

// ---------------------------------------------------------------- VCVT{A,N,P,M}

// VCVT{A,N,P,M} T1: 1111 1110 1D11 11RM dddd 101s op1M0 mmmm; op = 1 signed. Sd = int(Sm or Dm).
function execVcvtRounded(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  cpu.sBits[sd(i)] = fpToIntRounded(cpu, cpu.sBits[sm(i)], (i & 0x80) === 0, DECODE_RM[(i >>> 16) & 3]);
}
function disVcvtRounded(i: number, _pc: number, it: number): string {
  const dt = `.${(i & 0x80) !== 0 ? 's' : 'u'}32${ft(i)}`;
  return fmt(`vcvt${RM_LETTER[(i >>> 16) & 3]}${condSuffix(it)}${dt}`, `s${sd(i)}, ${vm(i)}`);
}

// ---------------------------------------------------------------- the table

export const vfpv5Defs: InsnDef[] = [
  { name: 'VSEL T1', size: 4, mask: 0xff800e50, match: 0xfe000a00, cls: 'fp', exec: execVsel, disasm: disVsel },
  { name: 'VMAXNM T1', size: 4, mask: 0xffb00e50, match: 0xfe800a00, cls: 'fp', exec: execVmaxMinNm, disasm: disVmaxMinNm },
  { name: 'VMINNM T1', size: 4, mask: 0xffb00e50, match: 0xfe800a40, cls: 'fp', exec: execVmaxMinNm, disasm: disVmaxMinNm },
  { name: 'VRINTA/N/P/M T1', size: 4, mask: 0xffbc0ed0, match: 0xfeb80a40, cls: 'fp', exec: execVrintFixed, disasm: disVrintFixed },
  { name: 'VRINTR/VRINTZ T1', size: 4, mask: 0xffbf0e50, match: 0xeeb60a40, cls: 'fp', exec: execVrintRZ, disasm: disVrintRZ },
  { name: 'VRINTX T1', size: 4, mask: 0xffbf0ed0, match: 0xeeb70a40, cls: 'fp', exec: execVrintX, disasm: disVrintX },
  { name: 'VCVTA/N/P/M T1', size: 4, mask: 0xffbc0e50, match: 0xfebc0a40, cls: 'fp', exec: execVcvtRounded, disasm: disVcvtRounded },
];
