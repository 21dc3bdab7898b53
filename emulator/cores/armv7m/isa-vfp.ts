// The FPv4-SP instructions of ARMv7-M (ARM ARM DDI0403E A6.4-A6.6 decode, A7.7 pages):
// data processing, conversions, register moves, VMRS/VMSR and the load/store forms.
// Arithmetic is in fpu.ts. Double-precision data processing decodes (so the disassembler
// names it) but is UNDEFINED on FPv4-SP; doubleword loads, stores and moves are valid.
import type { CortexM } from './cpu';
import type { InsnDef } from './insn';
import { regName as R, condSuffix, fmt } from './disasm-util';
import {
  fpAddSub, fpMul, fpMulAdd, fpDiv, fpSqrt, fpCompare, fpNeg, fpAbs, fpToFixed, fixedToFp,
  fpHalfToSingle, fpSingleToHalf, vfpExpandImm32, FPSCR_WRITABLE_MASK,
} from './fpu';
import { sd, sn, sm, dd, dn, dm } from '../vfp-fields';

const isDouble = (i: number) => (i & 0x100) !== 0;

function mc(base: string, it: number, dt: string): string { return base + condSuffix(it) + dt; }
/** Destination, first and second operand names in the precision selected by sz. */
function vd(i: number): string { return isDouble(i) ? `d${dd(i)}` : `s${sd(i)}`; }
function vn(i: number): string { return isDouble(i) ? `d${dn(i)}` : `s${sn(i)}`; }
function vm(i: number): string { return isDouble(i) ? `d${dm(i)}` : `s${sm(i)}`; }
function ft(i: number): string { return isDouble(i) ? '.f64' : '.f32'; }

/** sz = 1 selects double precision, which FPv4-SP does not implement (A6.4). */
function noDouble(cpu: CortexM, i: number): void { if (isDouble(i)) cpu.undefinedInstruction(); }

// ---------------------------------------------------------------- three-register data processing

// VMLA/VMLS T1: 1110 1110 0D00 nnnn dddd 101s N0M0 mmmm / N1M0. Two roundings (FPMul then FPAdd).
function execVmla(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  const d = sd(i);
  const prod = fpMul(cpu, cpu.sBits[sn(i)], cpu.sBits[sm(i)]);
  cpu.sBits[d] = fpAddSub(cpu, cpu.sBits[d], (i & 0x40) !== 0 ? fpNeg(prod) : prod, false);
}
// VNMLA T1 (op=1) / VNMLS T1 (op=0): 1110 1110 0D01 nnnn dddd 101s NopM0 mmmm.
function execVnmla(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  const d = sd(i);
  const prod = fpMul(cpu, cpu.sBits[sn(i)], cpu.sBits[sm(i)]);
  cpu.sBits[d] = fpAddSub(cpu, fpNeg(cpu.sBits[d]), (i & 0x40) !== 0 ? fpNeg(prod) : prod, false);
}
// VMUL T1: 1110 1110 0D10 nnnn dddd 101s N0M0 mmmm; VNMUL T1: N1M0.
function execVmul(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  const prod = fpMul(cpu, cpu.sBits[sn(i)], cpu.sBits[sm(i)]);
  cpu.sBits[sd(i)] = (i & 0x40) !== 0 ? fpNeg(prod) : prod;
}
// VADD T1: 1110 1110 0D11 nnnn dddd 101s N0M0 mmmm; VSUB T1: N1M0.
function execVadd(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  cpu.sBits[sd(i)] = fpAddSub(cpu, cpu.sBits[sn(i)], cpu.sBits[sm(i)], (i & 0x40) !== 0);
}
// VDIV T1: 1110 1110 1D00 nnnn dddd 101s N0M0 mmmm.
function execVdiv(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  cpu.sBits[sd(i)] = fpDiv(cpu, cpu.sBits[sn(i)], cpu.sBits[sm(i)]);
}
// VFMA T1 (op=0) / VFMS T1 (op=1): 1110 1110 1D10 nnnn dddd 101s NopM0 mmmm. One rounding.
function execVfma(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  const d = sd(i);
  const op1 = (i & 0x40) !== 0 ? fpNeg(cpu.sBits[sn(i)]) : cpu.sBits[sn(i)];
  cpu.sBits[d] = fpMulAdd(cpu, cpu.sBits[d], op1, cpu.sBits[sm(i)]);
}
// VFNMA T1 (op=1) / VFNMS T1 (op=0): 1110 1110 1D01 nnnn dddd 101s NopM0 mmmm.
function execVfnma(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  const d = sd(i);
  const op1 = (i & 0x40) !== 0 ? fpNeg(cpu.sBits[sn(i)]) : cpu.sBits[sn(i)];
  cpu.sBits[d] = fpMulAdd(cpu, fpNeg(cpu.sBits[d]), op1, cpu.sBits[sm(i)]);
}

function dis3(names: readonly [string, string]) {
  return (i: number, _pc: number, it: number) => fmt(mc(names[(i >>> 6) & 1], it, ft(i)), `${vd(i)}, ${vn(i)}, ${vm(i)}`);
}

// ---------------------------------------------------------------- two-register and immediate forms

// VMOV (immediate) T1: 1110 1110 1D11 hhhh dddd 101s 0000 llll.
function execVmovImm(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  cpu.sBits[sd(i)] = vfpExpandImm32(((i >>> 12) & 0xf0) | (i & 0xf));
}
function disVmovImm(i: number, _pc: number, it: number): string {
  return fmt(mc('vmov', it, ft(i)), `${vd(i)}, #${((i >>> 12) & 0xf0) | (i & 0xf)}`);
}

// VMOV (register) T1: 1110 1110 1D11 0000 dddd 101s 01M0 mmmm; VABS T1: ...0000...11M0;
// VNEG T1: ...0001...01M0. Pure bit operations: no flags, no flush (A7.7.?).
function execVmovReg(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  cpu.sBits[sd(i)] = cpu.sBits[sm(i)];
}
function execVabs(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  cpu.sBits[sd(i)] = fpAbs(cpu.sBits[sm(i)]);
}
function execVneg(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  cpu.sBits[sd(i)] = fpNeg(cpu.sBits[sm(i)]);
}
// VSQRT T1: 1110 1110 1D11 0001 dddd 101s 11M0 mmmm.
function execVsqrt(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  cpu.sBits[sd(i)] = fpSqrt(cpu, cpu.sBits[sm(i)]);
}
function dis2(name: string) {
  return (i: number, _pc: number, it: number) => fmt(mc(name, it, ft(i)), `${vd(i)}, ${vm(i)}`);
}

// VCMP{E} T1: 1110 1110 1D11 0100 dddd 101s E1M0 mmmm; T2 (with #0.0): ...0101...E100 0000.
function execVcmp(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  fpCompare(cpu, cpu.sBits[sd(i)], cpu.sBits[sm(i)], (i & 0x80) !== 0);
}
function execVcmpZero(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  fpCompare(cpu, cpu.sBits[sd(i)], 0, (i & 0x80) !== 0);
}
function disVcmp(i: number, _pc: number, it: number): string {
  return fmt(mc((i & 0x80) !== 0 ? 'vcmpe' : 'vcmp', it, ft(i)), `${vd(i)}, ${vm(i)}`);
}
function disVcmpZero(i: number, _pc: number, it: number): string {
  return fmt(mc((i & 0x80) !== 0 ? 'vcmpe' : 'vcmp', it, ft(i)), `${vd(i)}, #0.0`);
}

// VCVT (between floating-point and integer) T1: 1110 1110 1D11 1ooo dddd 101s op1M0 mmmm.
// opc2 = 000: integer (signed when op) to float, FPSCR rounding; opc2 = 10U: float to integer
// (signed when opc2<0>), round towards zero when op, else FPSCR rounding (VCVTR).
function execVcvtToFloat(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  cpu.sBits[sd(i)] = fixedToFp(cpu, cpu.sBits[sm(i)], 32, 0, (i & 0x80) === 0);
}
function execVcvtToInt(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  if (!cpu.fpCheck()) return;
  cpu.sBits[sd(i)] = fpToFixed(cpu, cpu.sBits[sm(i)], 32, 0, (i & 0x10000) === 0, (i & 0x80) !== 0);
}
function disVcvtToFloat(i: number, _pc: number, it: number): string {
  return fmt(mc('vcvt', it, `${ft(i)}.${(i & 0x80) !== 0 ? 's' : 'u'}32`), `${vd(i)}, s${sm(i)}`);
}
function disVcvtToInt(i: number, _pc: number, it: number): string {
  const dt = `.${(i & 0x10000) !== 0 ? 's' : 'u'}32${ft(i)}`;
  return fmt(mc((i & 0x80) !== 0 ? 'vcvt' : 'vcvtr', it, dt), `s${sd(i)}, ${vm(i)}`);
}

// VCVT (between floating-point and fixed-point) T1: 1110 1110 1D11 1o1U dddd 101f x1i0 iiii.
// size = 16 when sx = 0, else 32; frac_bits = size - imm4:i. To fixed rounds towards zero,
// from fixed uses FPSCR rounding (A7.7.?).
function fixedFracBits(i: number): number {
  const size = (i & 0x80) !== 0 ? 32 : 16;
  return size - (((i & 0xf) << 1) | ((i >>> 5) & 1));
}
function execVcvtFixed(cpu: CortexM, i: number): void {
  noDouble(cpu, i);
  const size = (i & 0x80) !== 0 ? 32 : 16;
  const frac = fixedFracBits(i);
  if (frac < 0) cpu.undefinedInstruction(); // UNPREDICTABLE in the ARM ARM; treated as UNDEFINED
  if (!cpu.fpCheck()) return;
  const d = sd(i);
  const unsigned = (i & 0x10000) !== 0;
  if ((i & 0x40000) !== 0) cpu.sBits[d] = fpToFixed(cpu, cpu.sBits[d], size, frac, unsigned, true);
  else cpu.sBits[d] = fixedToFp(cpu, cpu.sBits[d], size, frac, unsigned);
}
function disVcvtFixed(i: number, _pc: number, it: number): string {
  const fx = `${(i & 0x10000) !== 0 ? 'u' : 's'}${(i & 0x80) !== 0 ? 32 : 16}`;
  const dt = (i & 0x40000) !== 0 ? `.${fx}${ft(i)}` : `${ft(i)}.${fx}`;
  return fmt(mc('vcvt', it, dt), `${vd(i)}, ${vd(i)}, #${fixedFracBits(i)}`);
}
const unpredictableFixed = (i: number) => fixedFracBits(i) < 0;

// VCVTB/VCVTT T1: 1110 1110 1D11 001o dddd 1010 T1M0 mmmm. op = 1: single to half into the
// bottom (T = 0) or top half of Sd, the other half kept; op = 0: half from Sm's bottom/top.
function execVcvtHalf(cpu: CortexM, i: number): void {
  if (!cpu.fpCheck()) return;
  const top = (i & 0x80) !== 0;
  const d = sd(i);
  const m = cpu.sBits[sm(i)];
  if ((i & 0x10000) !== 0) {
    const h = fpSingleToHalf(cpu, m);
    const old = cpu.sBits[d];
    cpu.sBits[d] = top ? ((old & 0xffff) | (h << 16)) >>> 0 : ((old & 0xffff0000) | h) >>> 0;
  } else {
    cpu.sBits[d] = fpHalfToSingle(cpu, top ? m >>> 16 : m & 0xffff);
  }
}
function disVcvtHalf(i: number, _pc: number, it: number): string {
  const dt = (i & 0x10000) !== 0 ? '.f16.f32' : '.f32.f16';
  return fmt(mc((i & 0x80) !== 0 ? 'vcvtt' : 'vcvtb', it, dt), `s${sd(i)}, s${sm(i)}`);
}

// ---------------------------------------------------------------- core register transfers

// VMOV (between ARM core register and single) T1: 1110 1110 000o nnnn tttt 1010 N001 0000.
function execVmovCoreSingle(cpu: CortexM, i: number): void {
  if (!cpu.fpCheck()) return;
  const t = (i >>> 12) & 0xf;
  if ((i & 0x100000) !== 0) cpu.r[t] = cpu.sBits[sn(i)];
  else cpu.sBits[sn(i)] = cpu.r[t];
}
function disVmovCoreSingle(i: number, _pc: number, it: number): string {
  const t = R((i >>> 12) & 0xf);
  return fmt(mc('vmov', it, ''), (i & 0x100000) !== 0 ? `${t}, s${sn(i)}` : `s${sn(i)}, ${t}`);
}
const unpredictableCoreSingle = (i: number) => { const t = (i >>> 12) & 0xf; return t === 13 || t === 15; };

// VMOV (two core registers and two singles / a doubleword) T1: 1110 1100 010o uuuu tttt 101s 00M1 mmmm.
function execVmov64(cpu: CortexM, i: number): void {
  if (!cpu.fpCheck()) return;
  const t = (i >>> 12) & 0xf, t2 = (i >>> 16) & 0xf;
  const m = isDouble(i) ? dm(i) * 2 : sm(i);
  if (isDouble(i) && dm(i) >= 16) cpu.undefinedInstruction();
  if ((i & 0x100000) !== 0) { cpu.r[t] = cpu.sBits[m]; cpu.r[t2] = cpu.sBits[m + 1]; }
  else { cpu.sBits[m] = cpu.r[t]; cpu.sBits[m + 1] = cpu.r[t2]; }
}
function disVmov64(i: number, _pc: number, it: number): string {
  const t = R((i >>> 12) & 0xf), t2 = R((i >>> 16) & 0xf);
  const v = isDouble(i) ? `d${dm(i)}` : `s${sm(i)}, s${sm(i) + 1}`;
  return fmt(mc('vmov', it, ''), (i & 0x100000) !== 0 ? `${t}, ${t2}, ${v}` : `${v}, ${t}, ${t2}`);
}
const unpredictableVmov64 = (i: number) => {
  const t = (i >>> 12) & 0xf, t2 = (i >>> 16) & 0xf;
  if (t === 13 || t === 15 || t2 === 13 || t2 === 15) return true;
  if (!isDouble(i) && sm(i) === 31) return true;
  return (i & 0x100000) !== 0 && t === t2;
};

// VMOV (ARM core register to scalar) T1: 1110 1110 000H dddd tttt 1011 D001 0000 and
// (scalar to ARM core register) T1: 1110 1110 000H nnnn tttt 1011 N001 0000 with bit 20 set.
function execVmovScalar(cpu: CortexM, i: number): void {
  if (!cpu.fpCheck()) return;
  const dreg = dn(i);
  if (dreg >= 16) cpu.undefinedInstruction();
  const s = dreg * 2 + ((i >>> 21) & 1);
  const t = (i >>> 12) & 0xf;
  if ((i & 0x100000) !== 0) cpu.r[t] = cpu.sBits[s];
  else cpu.sBits[s] = cpu.r[t];
}
function disVmovScalar(i: number, _pc: number, it: number): string {
  const t = R((i >>> 12) & 0xf);
  const sc = `d${dn(i)}[${(i >>> 21) & 1}]`;
  return fmt(mc('vmov', it, '.32'), (i & 0x100000) !== 0 ? `${t}, ${sc}` : `${sc}, ${t}`);
}

// VMRS T1: 1110 1110 1111 0001 tttt 1010 0001 0000 (Rt = 15: APSR_nzcv); VMSR T1: 1110 1110 1110 0001 ...
function execVmrs(cpu: CortexM, i: number): void {
  if (!cpu.fpCheck()) return;
  const t = (i >>> 12) & 0xf;
  if (t === 15) {
    const f = cpu.fpscr;
    cpu.n = (f >>> 31) & 1; cpu.z = (f >>> 30) & 1; cpu.c = (f >>> 29) & 1; cpu.v = (f >>> 28) & 1;
  } else cpu.r[t] = cpu.fpscr;
}
function execVmsr(cpu: CortexM, i: number): void {
  if (!cpu.fpCheck()) return;
  cpu.fpscr = (cpu.r[(i >>> 12) & 0xf] & FPSCR_WRITABLE_MASK) >>> 0;
}
function disVmrs(i: number, _pc: number, it: number): string {
  const t = (i >>> 12) & 0xf;
  return fmt(mc('vmrs', it, ''), `${t === 15 ? 'APSR_nzcv' : R(t)}, fpscr`);
}
function disVmsr(i: number, _pc: number, it: number): string {
  return fmt(mc('vmsr', it, ''), `fpscr, ${R((i >>> 12) & 0xf)}`);
}

// ---------------------------------------------------------------- loads and stores

// VLDR T1/T2: 1110 1101 UD01 nnnn dddd 101s iiii iiii; VSTR: ...UD00... Word-aligned (MemA).
// A doubleword is two words, the lower-numbered single at the lower address (little-endian).
function ldstAddress(cpu: CortexM, i: number): number {
  const n = (i >>> 16) & 0xf;
  const base = n === 15 ? (cpu.r[15] & ~3) : cpu.r[n];
  const off = (i & 0xff) << 2;
  return ((i & 0x800000) !== 0 ? base + off : base - off) | 0;
}
function execVldr(cpu: CortexM, i: number): void {
  if (isDouble(i) && dd(i) >= 16) cpu.undefinedInstruction();
  if (!cpu.fpCheck()) return;
  const a = ldstAddress(cpu, i);
  if (isDouble(i)) {
    const lo = cpu.read32Aligned(a);
    const hi = cpu.read32Aligned(a + 4);
    cpu.sBits[dd(i) * 2] = lo; cpu.sBits[dd(i) * 2 + 1] = hi;
  } else cpu.sBits[sd(i)] = cpu.read32Aligned(a);
}
function execVstr(cpu: CortexM, i: number): void {
  if (isDouble(i) && dd(i) >= 16) cpu.undefinedInstruction();
  if (!cpu.fpCheck()) return;
  const a = ldstAddress(cpu, i);
  if (isDouble(i)) {
    cpu.write32Aligned(a, cpu.sBits[dd(i) * 2]);
    cpu.write32Aligned(a + 4, cpu.sBits[dd(i) * 2 + 1]);
  } else cpu.write32Aligned(a, cpu.sBits[sd(i)]);
}
function disLdst(name: string) {
  return (i: number, _pc: number, it: number) => {
    const off = (i & 0xff) << 2;
    const up = (i & 0x800000) !== 0;
    const n = R((i >>> 16) & 0xf);
    const addr = off === 0 && up ? `[${n}]` : `[${n}, #${up ? '' : '-'}${off}]`;
    return fmt(mc(name, it, ''), `${vd(i)}, ${addr}`);
  };
}

// VLDM/VSTM T1 (doubles, imm8 = 2 * count) / T2 (singles): 1110 110P UDWL nnnn dddd 101s iiii iiii
// with PU = 01 (increment after) or PU = 10 with W = 1 (decrement before). VPUSH/VPOP are the sp! forms.
/** First single register and count of singles transferred. */
function multiRegs(i: number): number { return isDouble(i) ? (i & 0xfe) : (i & 0xff); }
function multiFirst(i: number): number { return isDouble(i) ? dd(i) * 2 : sd(i); }
function execVldm(cpu: CortexM, i: number): void {
  const count = multiRegs(i), first = multiFirst(i);
  if (count === 0 || first + count > 32) cpu.undefinedInstruction(); // UNPREDICTABLE; never reaches past s31
  if (!cpu.fpCheck()) return;
  const n = (i >>> 16) & 0xf;
  const add = (i & 0x800000) !== 0;
  const base = cpu.r[n];
  const start = add ? base : (base - count * 4) | 0;
  for (let k = 0; k < count; k++) cpu.sBits[first + k] = cpu.read32Aligned((start + k * 4) | 0);
  if ((i & 0x200000) !== 0) cpu.r[n] = add ? base + count * 4 : start;
}
function execVstm(cpu: CortexM, i: number): void {
  const count = multiRegs(i), first = multiFirst(i);
  if (count === 0 || first + count > 32) cpu.undefinedInstruction();
  if (!cpu.fpCheck()) return;
  const n = (i >>> 16) & 0xf;
  const add = (i & 0x800000) !== 0;
  const base = cpu.r[n];
  const start = add ? base : (base - count * 4) | 0;
  for (let k = 0; k < count; k++) cpu.write32Aligned((start + k * 4) | 0, cpu.sBits[first + k]);
  if ((i & 0x200000) !== 0) cpu.r[n] = add ? base + count * 4 : start;
}
function disMulti(load: boolean) {
  return (i: number, _pc: number, it: number) => {
    const n = (i >>> 16) & 0xf;
    const wb = (i & 0x200000) !== 0;
    const dbl = isDouble(i);
    const first = dbl ? dd(i) : sd(i);
    const cnt = dbl ? (i & 0xff) >>> 1 : i & 0xff;
    const p = dbl ? 'd' : 's';
    const list = cnt <= 1 ? `{${p}${first}}` : `{${p}${first}-${p}${first + cnt - 1}}`;
    const inc = (i & 0x800000) !== 0;
    if (n === 13 && wb && inc === load) return fmt(mc(load ? 'vpop' : 'vpush', it, ''), list);
    const name = (load ? 'vldm' : 'vstm') + (inc ? 'ia' : 'db');
    return fmt(mc(name, it, ''), `${R(n)}${wb ? '!' : ''}, ${list}`);
  };
}
const unpredictableMulti = (i: number) => {
  const count = multiRegs(i);
  const n = (i >>> 16) & 0xf;
  return count === 0 || multiFirst(i) + count > 32 || (isDouble(i) && (i & 1) !== 0) || n === 15;
};

// ---------------------------------------------------------------- the table

const DP = 0xffb00e50; // data processing: opc1, 101, opc3<0>, bit 4
export const vfpDefs: InsnDef[] = [
  { name: 'VMLA T1', size: 4, mask: DP, match: 0xee000a00, cls: 'fp', exec: execVmla, disasm: dis3(['vmla', 'vmls']) },
  { name: 'VMLS T1', size: 4, mask: DP, match: 0xee000a40, cls: 'fp', exec: execVmla, disasm: dis3(['vmla', 'vmls']) },
  { name: 'VNMLS T1', size: 4, mask: DP, match: 0xee100a00, cls: 'fp', exec: execVnmla, disasm: dis3(['vnmls', 'vnmla']) },
  { name: 'VNMLA T1', size: 4, mask: DP, match: 0xee100a40, cls: 'fp', exec: execVnmla, disasm: dis3(['vnmls', 'vnmla']) },
  { name: 'VMUL T1', size: 4, mask: DP, match: 0xee200a00, cls: 'fp', exec: execVmul, disasm: dis3(['vmul', 'vnmul']) },
  { name: 'VNMUL T1', size: 4, mask: DP, match: 0xee200a40, cls: 'fp', exec: execVmul, disasm: dis3(['vmul', 'vnmul']) },
  { name: 'VADD T1', size: 4, mask: DP, match: 0xee300a00, cls: 'fp', exec: execVadd, disasm: dis3(['vadd', 'vsub']) },
  { name: 'VSUB T1', size: 4, mask: DP, match: 0xee300a40, cls: 'fp', exec: execVadd, disasm: dis3(['vadd', 'vsub']) },
  { name: 'VDIV T1', size: 4, mask: DP, match: 0xee800a00, cls: 'fp', exec: execVdiv, disasm: dis3(['vdiv', 'vdiv']) },
  { name: 'VFNMS T1', size: 4, mask: DP, match: 0xee900a00, cls: 'fp', exec: execVfnma, disasm: dis3(['vfnms', 'vfnma']) },
  { name: 'VFNMA T1', size: 4, mask: DP, match: 0xee900a40, cls: 'fp', exec: execVfnma, disasm: dis3(['vfnms', 'vfnma']) },
  { name: 'VFMA T1', size: 4, mask: DP, match: 0xeea00a00, cls: 'fp', exec: execVfma, disasm: dis3(['vfma', 'vfms']) },
  { name: 'VFMS T1', size: 4, mask: DP, match: 0xeea00a40, cls: 'fp', exec: execVfma, disasm: dis3(['vfma', 'vfms']) },
  { name: 'VMOV (immediate) T1', size: 4, mask: 0xffb00ef0, match: 0xeeb00a00, cls: 'fp', exec: execVmovImm, disasm: disVmovImm },
  { name: 'VMOV (register) T1', size: 4, mask: 0xffbf0ed0, match: 0xeeb00a40, cls: 'fp', exec: execVmovReg, disasm: dis2('vmov') },
  { name: 'VABS T1', size: 4, mask: 0xffbf0ed0, match: 0xeeb00ac0, cls: 'fp', exec: execVabs, disasm: dis2('vabs') },
  { name: 'VNEG T1', size: 4, mask: 0xffbf0ed0, match: 0xeeb10a40, cls: 'fp', exec: execVneg, disasm: dis2('vneg') },
  { name: 'VSQRT T1', size: 4, mask: 0xffbf0ed0, match: 0xeeb10ac0, cls: 'fp', exec: execVsqrt, disasm: dis2('vsqrt') },
  { name: 'VCVTB/VCVTT T1', size: 4, mask: 0xffbe0f50, match: 0xeeb20a40, cls: 'fp', exec: execVcvtHalf, disasm: disVcvtHalf },
  { name: 'VCMP T1', size: 4, mask: 0xffbf0e50, match: 0xeeb40a40, cls: 'fp', exec: execVcmp, disasm: disVcmp },
  { name: 'VCMP T2', size: 4, mask: 0xffbf0e7f, match: 0xeeb50a40, cls: 'fp', exec: execVcmpZero, disasm: disVcmpZero },
  { name: 'VCVT (integer to fp) T1', size: 4, mask: 0xffbf0e50, match: 0xeeb80a40, cls: 'fp', exec: execVcvtToFloat, disasm: disVcvtToFloat },
  { name: 'VCVT (fp to integer) T1', size: 4, mask: 0xffbe0e50, match: 0xeebc0a40, cls: 'fp', exec: execVcvtToInt, disasm: disVcvtToInt },
  { name: 'VCVT (fixed-point) T1', size: 4, mask: 0xffba0e50, match: 0xeeba0a40, cls: 'fp', exec: execVcvtFixed, disasm: disVcvtFixed, unpredictable: unpredictableFixed },
  { name: 'VMOV (core and single) T1', size: 4, mask: 0xffe00f7f, match: 0xee000a10, cls: 'fp', exec: execVmovCoreSingle, disasm: disVmovCoreSingle, unpredictable: unpredictableCoreSingle },
  { name: 'VMOV (two core and two singles / doubleword) T1', size: 4, mask: 0xffe00ed0, match: 0xec400a10, cls: 'fp', exec: execVmov64, disasm: disVmov64, unpredictable: unpredictableVmov64 },
  { name: 'VMOV (core to scalar) T1', size: 4, mask: 0xffd00f7f, match: 0xee000b10, cls: 'fp', exec: execVmovScalar, disasm: disVmovScalar, unpredictable: unpredictableCoreSingle },
  { name: 'VMOV (scalar to core) T1', size: 4, mask: 0xffd00f7f, match: 0xee100b10, cls: 'fp', exec: execVmovScalar, disasm: disVmovScalar, unpredictable: unpredictableCoreSingle },
  { name: 'VMRS T1', size: 4, mask: 0xffff0fff, match: 0xeef10a10, cls: 'fp', exec: execVmrs, disasm: disVmrs, unpredictable: (i) => ((i >>> 12) & 0xf) === 13 },
  { name: 'VMSR T1', size: 4, mask: 0xffff0fff, match: 0xeee10a10, cls: 'fp', exec: execVmsr, disasm: disVmsr, unpredictable: (i) => { const t = (i >>> 12) & 0xf; return t === 13 || t === 15; } },
  { name: 'VLDR T1/T2', size: 4, mask: 0xff300e00, match: 0xed100a00, cls: 'fp', exec: execVldr, disasm: disLdst('vldr') },
  { name: 'VSTR T1/T2', size: 4, mask: 0xff300e00, match: 0xed000a00, cls: 'fp', exec: execVstr, disasm: disLdst('vstr'), unpredictable: (i) => ((i >>> 16) & 0xf) === 15 },
  { name: 'VLDM (increment after) T1/T2', size: 4, mask: 0xff900e00, match: 0xec900a00, cls: 'fp', exec: execVldm, disasm: disMulti(true), unpredictable: unpredictableMulti },
  { name: 'VSTM (increment after) T1/T2', size: 4, mask: 0xff900e00, match: 0xec800a00, cls: 'fp', exec: execVstm, disasm: disMulti(false), unpredictable: unpredictableMulti },
  { name: 'VLDM (decrement before) T1/T2', size: 4, mask: 0xffb00e00, match: 0xed300a00, cls: 'fp', exec: execVldm, disasm: disMulti(true), unpredictable: unpredictableMulti },
  { name: 'VSTM (decrement before) T1/T2', size: 4, mask: 0xffb00e00, match: 0xed200a00, cls: 'fp', exec: execVstm, disasm: disMulti(false), unpredictable: unpredictableMulti },
];
