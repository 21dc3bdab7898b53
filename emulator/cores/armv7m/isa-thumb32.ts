// The 32-bit Thumb-2 integer instructions of ARMv7-M other than loads/stores (ARM ARM
// DDI0403E A5.3): data processing (modified immediate, plain binary immediate, shifted
// register, register), branches and miscellaneous control, multiply, long multiply, divide.
// Loads and stores are in isa-thumb32-ls.ts. The word is (hw1 << 16 | hw2) >>> 0.
import { CFSR_DIVBYZERO, type CortexM } from './cpu';
import type { InsnDef } from './insn';
import {
  alu, addWithCarry, shiftC, shiftImmC, thumbExpandImmC, thumbExpandImmUnpredictable, imm12Of,
  mul64, add64, mulOut, rbit32,
} from './alu';
import { regName as R, condSuffix, condName, hex, shiftSuffix, shiftName, fmt } from './disasm-util';
import { rev32, rev16, revsh } from './isa-thumb16';
import { thumb32LsDefs } from './isa-thumb32-ls';

const bad = (r: number) => r === 13 || r === 15;
const rn = (w: number) => (w >>> 16) & 15;
const rd = (w: number) => (w >>> 8) & 15;
const rm = (w: number) => w & 15;
const sbit = (w: number) => (w >>> 20) & 1;
const imm5Of = (w: number) => ((w >>> 10) & 0x1c) | ((w >>> 6) & 3);

/** Mnemonic with optional 's', the IT condition and a width suffix, in objdump's order ('addseq.w'). */
function mn(base: string, s: number, it: number, wide: string): string {
  return base + (s ? 's' : '') + condSuffix(it) + wide;
}

/** Write a data-processing result; a (UNPREDICTABLE) PC destination branches rather than corrupting r[15]. */
function wr(cpu: CortexM, d: number, v: number): void {
  if (d === 15) cpu.aluWritePC(v); else cpu.r[d] = v;
}

// ---------------------------------------------------------------- shared data-processing core

/**
 * The 4-bit opcode of A5.3.1 / A5.3.11 applied to Rn value `a` and operand2 `b` whose
 * shifter carry is in alu.c. Opcodes 2/3 with Rn=PC are MOV/MVN; TST/TEQ/CMN/CMP are
 * the Rd=PC, S=1 forms.
 */
function dataProc(cpu: CortexM, w: number, a: number, b: number): void {
  const op = (w >>> 21) & 15;
  const s = sbit(w);
  const d = rd(w);
  const n = rn(w);
  const carry = alu.c;
  let res: number;
  switch (op) {
    case 0: res = a & b; break;
    case 1: res = a & ~b; break;
    case 2: res = n === 15 ? b : a | b; break;
    case 3: res = n === 15 ? ~b : a | ~b; break;
    case 4: res = a ^ b; break;
    case 8: case 10: case 11: case 13: case 14: {
      if (op === 8) res = addWithCarry(a, b, 0);
      else if (op === 10) res = addWithCarry(a, b, cpu.c);
      else if (op === 11) res = addWithCarry(a, ~b, cpu.c);
      else if (op === 13) res = addWithCarry(a, ~b, 1);
      else res = addWithCarry(~a, b, 1);
      if (s) { cpu.n = res >>> 31; cpu.z = res === 0 ? 1 : 0; cpu.c = alu.c; cpu.v = alu.v; }
      if (!(s && d === 15 && (op === 8 || op === 13))) wr(cpu, d, res);
      return;
    }
    default: cpu.undefinedInstruction();
  }
  if (s) { cpu.n = res >>> 31; cpu.z = res === 0 ? 1 : 0; cpu.c = carry; }
  if (!(s && d === 15 && (op === 0 || op === 4))) wr(cpu, d, res);
}

/** Is this opcode/field combination a compare (no destination)? */
function isCompare(w: number): boolean {
  const op = (w >>> 21) & 15;
  return sbit(w) === 1 && rd(w) === 15 && (op === 0 || op === 4 || op === 8 || op === 13);
}
const DP_NAMES = ['and', 'bic', 'orr', 'orn', 'eor', '', '', '', 'add', '', 'adc', 'sbc', '', 'sub', 'rsb', ''];
const CMP_NAMES: Record<number, string> = { 0: 'tst', 4: 'teq', 8: 'cmn', 13: 'cmp' };
/** objdump prints '.w' for the mnemonics that also have a 16-bit encoding. */
function wideFor(base: string): string {
  return base === 'orn' || base === 'teq' || base === 'rsb' ? '' : '.w';
}

/** UNPREDICTABLE register choices common to the two data-processing groups (A7.7 pages). */
function dpUnpredictable(w: number, shifted: boolean): boolean {
  const op = (w >>> 21) & 15;
  const d = rd(w), n = rn(w), s = sbit(w);
  const m = shifted ? rm(w) : 0;
  if (shifted && bad(m)) return true;
  if (isCompare(w)) return op === 0 || op === 4 ? bad(n) : n === 15;
  switch (op) {
    case 2: case 3:
      if (n === 15) return bad(d);
      return bad(d) || n === 13;
    case 8: case 13:
      if (n === 13) {
        if (d === 15) return true;
        if (shifted && d === 13) { const t = (w >>> 4) & 3; return t !== 0 || imm5Of(w) > 3; }
        return false;
      }
      return d === 13 || (d === 15 && s === 0) || n === 15;
    default: return bad(d) || bad(n);
  }
}

// ---------------------------------------------------------------- A5.3.1 modified immediate

function execDpModImm(cpu: CortexM, w: number): void {
  const b = thumbExpandImmC(imm12Of(w), cpu.c);
  dataProc(cpu, w, cpu.r[rn(w)], b);
}
function disDpModImm(w: number, _pc: number, it: number): string {
  const op = (w >>> 21) & 15;
  const imm = `#${thumbExpandImmC(imm12Of(w), 0) >>> 0}`;
  if (isCompare(w)) return fmt(CMP_NAMES[op] + condSuffix(it) + wideFor(CMP_NAMES[op]), `${R(rn(w))}, ${imm}`);
  if ((op === 2 || op === 3) && rn(w) === 15) {
    const b = op === 2 ? 'mov' : 'mvn';
    return fmt(mn(b, sbit(w), it, '.w'), `${R(rd(w))}, ${imm}`);
  }
  const b = DP_NAMES[op];
  return fmt(mn(b, sbit(w), it, wideFor(b)), `${R(rd(w))}, ${R(rn(w))}, ${imm}`);
}

// ---------------------------------------------------------------- A5.3.11 shifted register

function execDpShifted(cpu: CortexM, w: number): void {
  const b = shiftImmC(cpu.r[rm(w)], (w >>> 4) & 3, imm5Of(w), cpu.c);
  dataProc(cpu, w, cpu.r[rn(w)], b);
}
function disDpShifted(w: number, _pc: number, it: number): string {
  const op = (w >>> 21) & 15;
  const type = (w >>> 4) & 3, imm5 = imm5Of(w);
  const sh = shiftSuffix(type, imm5);
  if (isCompare(w)) return fmt(CMP_NAMES[op] + condSuffix(it) + wideFor(CMP_NAMES[op]), `${R(rn(w))}, ${R(rm(w))}${sh}`);
  if (op === 2 && rn(w) === 15) {
    // MOV (register) T3 and its shift-by-immediate forms; objdump keeps the MOV spelling.
    return fmt(mn('mov', sbit(w), it, '.w'), `${R(rd(w))}, ${R(rm(w))}${sh}`);
  }
  if (op === 3 && rn(w) === 15) return fmt(mn('mvn', sbit(w), it, '.w'), `${R(rd(w))}, ${R(rm(w))}${sh}`);
  const b = DP_NAMES[op];
  return fmt(mn(b, sbit(w), it, wideFor(b)), `${R(rd(w))}, ${R(rn(w))}, ${R(rm(w))}${sh}`);
}

// ---------------------------------------------------------------- A5.3.3 plain binary immediate

const imm16Of = (w: number) => ((w >>> 4) & 0xf000) | imm12Of(w);

function execAddw(cpu: CortexM, w: number): void {
  const n = rn(w);
  const base = n === 15 ? cpu.r[15] & ~3 : cpu.r[n];
  const imm = imm12Of(w);
  wr(cpu, rd(w), (w >>> 23) & 1 ? (base - imm) | 0 : (base + imm) | 0);
}
function disAddw(w: number, _pc: number, it: number): string {
  const sub = (w >>> 23) & 1;
  const n = rn(w);
  if (n === 15) return fmt(`${sub ? 'sub' : 'add'}w${condSuffix(it)}`, `${R(rd(w))}, pc, #${imm12Of(w)}`);
  return fmt(`${sub ? 'sub' : 'add'}w${condSuffix(it)}`, `${R(rd(w))}, ${R(n)}, #${imm12Of(w)}`);
}
function execMovw(cpu: CortexM, w: number): void {
  const d = rd(w);
  if ((w >>> 23) & 1) cpu.r[d] = (cpu.r[d] & 0xffff) | (imm16Of(w) << 16);
  else cpu.r[d] = imm16Of(w);
}
function disMovw(w: number, _pc: number, it: number): string {
  return fmt(((w >>> 23) & 1 ? 'movt' : 'movw') + condSuffix(it), `${R(rd(w))}, #${imm16Of(w)}`);
}
const lsbOf = (w: number) => ((w >>> 10) & 0x1c) | ((w >>> 6) & 3);
function execBfx(cpu: CortexM, w: number): void {
  const lsb = lsbOf(w);
  const width = (w & 31) + 1;
  const v = cpu.r[rn(w)];
  const msb = lsb + width - 1;
  if (msb > 31) { cpu.r[rd(w)] = 0; return; } // UNPREDICTABLE
  const sh = 32 - width;
  cpu.r[rd(w)] = (w >>> 23) & 1 ? ((v >>> lsb) << sh) >>> sh : ((v >>> lsb) << sh) >> sh;
}
function disBfx(w: number, _pc: number, it: number): string {
  return fmt(((w >>> 23) & 1 ? 'ubfx' : 'sbfx') + condSuffix(it), `${R(rd(w))}, ${R(rn(w))}, #${lsbOf(w)}, #${(w & 31) + 1}`);
}
function execBfi(cpu: CortexM, w: number): void {
  const lsb = lsbOf(w);
  const msb = w & 31;
  if (msb < lsb) return; // UNPREDICTABLE
  const width = msb - lsb + 1;
  const fieldMask = (width === 32 ? -1 : ((1 << width) - 1)) << lsb;
  const n = rn(w);
  const src = n === 15 ? 0 : cpu.r[n] << lsb;
  const d = rd(w);
  cpu.r[d] = (cpu.r[d] & ~fieldMask) | (src & fieldMask);
}
function disBfi(w: number, _pc: number, it: number): string {
  const lsb = lsbOf(w);
  const width = (w & 31) - lsb + 1;
  if (rn(w) === 15) return fmt('bfc' + condSuffix(it), `${R(rd(w))}, #${lsb}, #${width}`);
  return fmt('bfi' + condSuffix(it), `${R(rd(w))}, ${R(rn(w))}, #${lsb}, #${width}`);
}

// ---------------------------------------------------------------- A5.3.12 data processing (register)

function execShiftReg(cpu: CortexM, w: number): void {
  const res = shiftC(cpu.r[rn(w)], (w >>> 21) & 3, cpu.r[rm(w)] & 0xff, cpu.c);
  cpu.r[rd(w)] = res;
  if (sbit(w)) { cpu.n = res >>> 31; cpu.z = res === 0 ? 1 : 0; cpu.c = alu.c; }
}
function disShiftReg(w: number, _pc: number, it: number): string {
  return fmt(mn(shiftName((w >>> 21) & 3), sbit(w), it, '.w'), `${R(rd(w))}, ${R(rn(w))}, ${R(rm(w))}`);
}
function execRev32(cpu: CortexM, w: number): void {
  const v = cpu.r[rm(w)];
  let res: number;
  switch ((w >>> 4) & 3) {
    case 0: res = rev32(v); break;
    case 1: res = rev16(v); break;
    case 2: res = rbit32(v); break;
    default: res = revsh(v); break;
  }
  cpu.r[rd(w)] = res;
}
const REV_NAMES = ['rev.w', 'rev16.w', 'rbit', 'revsh.w'];
function disRev32(w: number, _pc: number, it: number): string {
  const b = REV_NAMES[(w >>> 4) & 3];
  const dot = b.indexOf('.');
  const name = dot < 0 ? b + condSuffix(it) : b.slice(0, dot) + condSuffix(it) + b.slice(dot);
  return fmt(name, `${R(rd(w))}, ${R(rn(w))}`); // objdump shows the hw1 copy of Rm
}
function execClz(cpu: CortexM, w: number): void { cpu.r[rd(w)] = Math.clz32(cpu.r[rm(w)]); }
const miscUnpred = (w: number) => bad(rd(w)) || bad(rm(w)) || rm(w) !== rn(w);

// ---------------------------------------------------------------- A5.3.16/17 multiplies and divide

function execMla(cpu: CortexM, w: number): void {
  const a = (w >>> 12) & 15;
  const p = Math.imul(cpu.r[rn(w)], cpu.r[rm(w)]);
  if ((w >>> 4) & 1) cpu.r[rd(w)] = (cpu.r[a] - p) | 0;
  else cpu.r[rd(w)] = a === 15 ? p : (p + cpu.r[a]) | 0;
}
function disMla(w: number, _pc: number, it: number): string {
  const a = (w >>> 12) & 15;
  if ((w >>> 4) & 1) return fmt('mls' + condSuffix(it), `${R(rd(w))}, ${R(rn(w))}, ${R(rm(w))}, ${R(a)}`);
  if (a === 15) return fmt('mul' + condSuffix(it) + '.w', `${R(rd(w))}, ${R(rn(w))}, ${R(rm(w))}`);
  return fmt('mla' + condSuffix(it), `${R(rd(w))}, ${R(rn(w))}, ${R(rm(w))}, ${R(a)}`);
}
function execLongMul(cpu: CortexM, w: number): void {
  const op1 = (w >>> 20) & 7;
  const lo = (w >>> 12) & 15, hi = rd(w);
  mul64(cpu.r[rn(w)], cpu.r[rm(w)], (op1 & 2) === 0);
  if (op1 & 4) add64(cpu.r[lo], cpu.r[hi]);
  cpu.r[hi] = mulOut.hi;
  cpu.r[lo] = mulOut.lo;
}
const LMUL_NAMES = ['smull', '', 'umull', '', 'smlal', '', 'umlal', ''];
function disLongMul(w: number, _pc: number, it: number): string {
  return fmt(LMUL_NAMES[(w >>> 20) & 7] + condSuffix(it), `${R((w >>> 12) & 15)}, ${R(rd(w))}, ${R(rn(w))}, ${R(rm(w))}`);
}
function execDiv(cpu: CortexM, w: number): void {
  const a = cpu.r[rn(w)], b = cpu.r[rm(w)];
  if (b === 0) {
    if (cpu.system.div0Trap) cpu.abort(CFSR_DIVBYZERO, 0);
    cpu.r[rd(w)] = 0;
    return;
  }
  // RoundTowardsZero; -2^31 / -1 wraps to -2^31 (A7.7.127).
  cpu.r[rd(w)] = (w >>> 21) & 1 ? ((a >>> 0) / (b >>> 0)) >>> 0 : (a / b) | 0;
}
function disDiv(w: number, _pc: number, it: number): string {
  return fmt(((w >>> 21) & 1 ? 'udiv' : 'sdiv') + condSuffix(it), `${R(rd(w))}, ${R(rn(w))}, ${R(rm(w))}`);
}

// ---------------------------------------------------------------- A5.3.4 branches and misc control

function bT3Offset(w: number): number {
  const s = (w >>> 26) & 1, j1 = (w >>> 13) & 1, j2 = (w >>> 11) & 1;
  const v = (s << 20) | (j2 << 19) | (j1 << 18) | (((w >>> 16) & 0x3f) << 12) | ((w & 0x7ff) << 1);
  return (v << 11) >> 11;
}
function bT4Offset(w: number): number {
  const s = (w >>> 26) & 1;
  const i1 = ~((w >>> 13) ^ s) & 1, i2 = ~((w >>> 11) ^ s) & 1;
  const v = (s << 24) | (i1 << 23) | (i2 << 22) | (((w >>> 16) & 0x3ff) << 12) | ((w & 0x7ff) << 1);
  return (v << 7) >> 7;
}
function execBcondW(cpu: CortexM, w: number): void {
  if (cpu.conditionPassed((w >>> 22) & 15)) cpu.branchWritePC(cpu.r[15] + bT3Offset(w));
}
function disBcondW(w: number, pc: number): string {
  return fmt(`b${condName((w >>> 22) & 15)}.w`, hex(pc + 4 + bT3Offset(w)));
}
function execBW(cpu: CortexM, w: number): void { cpu.branchWritePC(cpu.r[15] + bT4Offset(w)); }
function disBW(w: number, pc: number, it: number): string { return fmt(`b${condSuffix(it)}.w`, hex(pc + 4 + bT4Offset(w))); }
function execBl(cpu: CortexM, w: number): void {
  const pc = cpu.r[15];
  cpu.r[14] = pc | 1;
  cpu.branchWritePC(pc + bT4Offset(w));
}
function disBl(w: number, pc: number, it: number): string { return fmt(`bl${condSuffix(it)}`, hex(pc + 4 + bT4Offset(w))); }

function execMsr(cpu: CortexM, w: number): void { cpu.writeSpecial(w & 0xff, cpu.r[rn(w)], (w >>> 10) & 3); }
function execMrs(cpu: CortexM, w: number): void { cpu.r[rd(w)] = cpu.readSpecial(w & 0xff); }
/** objdump's names for SYSm (B5.1.1); the APSR views are printed in the A-profile CPSR style for MSR. */
const SYSM_NAMES: Record<number, string> = {
  0: 'APSR', 1: 'IAPSR', 2: 'EAPSR', 3: 'PSR', 5: 'IPSR', 6: 'EPSR', 7: 'IEPSR', 8: 'MSP', 9: 'PSP',
  16: 'PRIMASK', 17: 'BASEPRI', 18: 'BASEPRI_MAX', 19: 'FAULTMASK', 20: 'CONTROL',
};
function sysmName(sysm: number): string { return SYSM_NAMES[sysm] ?? `#${sysm}`; }
function disMsr(w: number, _pc: number, it: number): string {
  const sysm = w & 0xff, mask = (w >>> 10) & 3;
  let name = sysmName(sysm);
  if (sysm <= 3) name = mask === 2 ? 'CPSR_f' : mask === 1 ? 'CPSR_s' : mask === 3 ? 'CPSR_fs' : `${name}_${mask}`;
  return fmt('msr' + condSuffix(it), `${name}, ${R(rn(w))}`);
}
function disMrs(w: number, _pc: number, it: number): string {
  const sysm = w & 0xff;
  return fmt('mrs' + condSuffix(it), `${R(rd(w))}, ${sysm === 0 ? 'CPSR' : sysmName(sysm)}`);
}
const SYSM_VALID = new Set([0, 1, 2, 3, 5, 6, 7, 8, 9, 16, 17, 18, 19, 20]);

function execHintW(cpu: CortexM, w: number): void {
  switch (w & 0xff) {
    case 2: cpu.wfe(); break;
    case 3: cpu.wfi(); break;
    case 4: cpu.sev(); break;
    default: break; // NOP, YIELD, DBG and reserved hints
  }
}
const HINTW_NAMES = ['nop', 'yield', 'wfe', 'wfi', 'sev'];
function disHintW(w: number, _pc: number, it: number): string {
  const op = w & 0xff;
  if (op < 5) return HINTW_NAMES[op] + condSuffix(it) + '.w';
  if ((op & 0xf0) === 0xf0) return fmt('dbg' + condSuffix(it), `#${op & 15}`);
  return fmt('nop' + condSuffix(it) + '.w', `{${op}}`);
}

function execBarrier(cpu: CortexM, w: number): void {
  // DSB/DMB/ISB have no visible effect on a single in-order core with a coherent bus;
  // ISB must refetch, which the decode cache does already (code writes invalidate it).
  if (((w >>> 4) & 15) === 2) cpu.exclusiveAddr = -1;
}
const BARRIER_OPTS: Record<number, string> = { 15: 'sy', 14: 'st', 11: 'ish', 10: 'ishst', 7: 'nsh', 6: 'nshst', 3: 'osh', 2: 'oshst' };
function disBarrier(w: number, _pc: number, it: number): string {
  const op = (w >>> 4) & 15, opt = w & 15;
  if (op === 2) return 'clrex' + condSuffix(it);
  const name = op === 4 ? 'dsb' : op === 5 ? 'dmb' : 'isb';
  const o = op === 6 ? (opt === 15 ? 'sy' : `#${opt}`) : BARRIER_OPTS[opt] ?? `#${opt}`;
  return fmt(name + condSuffix(it), o);
}

function execUdfW(cpu: CortexM): void { cpu.undefinedInstruction(); }
function disUdfW(w: number, _pc: number, it: number): string {
  return fmt('udf' + condSuffix(it) + '.w', `#${((w >>> 4) & 0xf000) | (w & 0xfff)}`);
}

// ---------------------------------------------------------------- the table

export const thumb32Defs: InsnDef[] = [
  // Data processing (modified immediate): 1111 0i0o oooS nnnn | 0iii dddd iiii iiii
  {
    name: 'data processing (modified immediate)', size: 4, mask: 0xfa008000, match: 0xf0000000,
    when: (w) => { const op = (w >>> 21) & 15; return op <= 4 || op === 8 || op === 10 || op === 11 || op === 13 || op === 14; },
    unpredictable: (w) => dpUnpredictable(w, false) || thumbExpandImmUnpredictable(imm12Of(w)),
    cls: 'dp', exec: execDpModImm, disasm: disDpModImm,
  },
  // Data processing (shifted register): 1110 101o oooS nnnn | 0iii dddd iitt mmmm (PKH is the DSP table's)
  {
    name: 'data processing (shifted register)', size: 4, mask: 0xfe000000, match: 0xea000000,
    when: (w) => { const op = (w >>> 21) & 15; return op <= 4 || op === 8 || op === 10 || op === 11 || op === 13 || op === 14; },
    unpredictable: (w) => dpUnpredictable(w, true) || (w & 0x8000) !== 0,
    cls: 'dp', exec: execDpShifted, disasm: disDpShifted,
  },
  // ADDW/SUBW (ADD/SUB (immediate) T4, ADR T2/T3): 1111 0i10 o0o0 nnnn | 0iii dddd iiii iiii
  {
    name: 'ADDW/SUBW/ADR (plain immediate)', size: 4, mask: 0xfb508000, match: 0xf2000000,
    when: (w) => ((w >>> 23) & 1) === ((w >>> 21) & 1),
    unpredictable: (w) => { const d = rd(w), n = rn(w); return n === 13 ? d === 15 : bad(d); },
    cls: 'dp', exec: execAddw, disasm: disAddw,
  },
  // MOVW/MOVT: 1111 0i10 o100 iiii | 0iii dddd iiii iiii
  { name: 'MOVW/MOVT', size: 4, mask: 0xfb708000, match: 0xf2400000, unpredictable: (w) => bad(rd(w)), cls: 'dp', exec: execMovw, disasm: disMovw },
  // SBFX/UBFX: 1111 0(0)11 o100 nnnn | 0iii dddd ii(0)w wwww
  {
    name: 'SBFX/UBFX', size: 4, mask: 0xfb708000, match: 0xf3400000,
    unpredictable: (w) => bad(rd(w)) || bad(rn(w)) || lsbOf(w) + (w & 31) > 31 || (w & 0x04000020) !== 0,
    cls: 'dp', exec: execBfx, disasm: disBfx,
  },
  // BFI/BFC: 1111 0(0)11 0110 nnnn | 0iii dddd ii(0)m mmmm
  {
    name: 'BFI/BFC', size: 4, mask: 0xfbf08000, match: 0xf3600000,
    unpredictable: (w) => bad(rd(w)) || rn(w) === 13 || (w & 31) < lsbOf(w) || (w & 0x04000020) !== 0,
    cls: 'dp', exec: execBfi, disasm: disBfi,
  },
  // LSL/LSR/ASR/ROR (register) T2: 1111 1010 0ttS nnnn | 1111 dddd 0000 mmmm
  {
    name: 'shift (register) T2', size: 4, mask: 0xff80f0f0, match: 0xfa00f000,
    unpredictable: (w) => bad(rd(w)) || bad(rn(w)) || bad(rm(w)), cls: 'dp', exec: execShiftReg, disasm: disShiftReg,
  },
  // REV/REV16/RBIT/REVSH T2: 1111 1010 1001 mmmm | 1111 dddd 10oo mmmm
  { name: 'REV/REV16/RBIT/REVSH T2', size: 4, mask: 0xfff0f0c0, match: 0xfa90f080, unpredictable: miscUnpred, cls: 'misc', exec: execRev32, disasm: disRev32 },
  // CLZ T1: 1111 1010 1011 mmmm | 1111 dddd 1000 mmmm
  {
    name: 'CLZ T1', size: 4, mask: 0xfff0f0f0, match: 0xfab0f080, unpredictable: miscUnpred, cls: 'misc', exec: execClz,
    disasm: (w, _pc, it) => fmt('clz' + condSuffix(it), `${R(rd(w))}, ${R(rn(w))}`),
  },
  // MUL/MLA/MLS: 1111 1011 0000 nnnn | aaaa dddd 000o mmmm
  {
    name: 'MUL/MLA/MLS T', size: 4, mask: 0xfff000e0, match: 0xfb000000,
    unpredictable: (w) => { const a = (w >>> 12) & 15; return bad(rd(w)) || bad(rn(w)) || bad(rm(w)) || a === 13 || (a === 15 && ((w >>> 4) & 1) === 1); },
    cls: 'dp', exec: execMla, disasm: disMla,
  },
  // SMULL/UMULL/SMLAL/UMLAL: 1111 1011 1ou0 nnnn | llll hhhh 0000 mmmm
  {
    name: 'SMULL/UMULL/SMLAL/UMLAL', size: 4, mask: 0xff9000f0, match: 0xfb800000,
    unpredictable: (w) => { const lo = (w >>> 12) & 15, hi = rd(w); return bad(lo) || bad(hi) || bad(rn(w)) || bad(rm(w)) || lo === hi; },
    cls: 'dp', exec: execLongMul, disasm: disLongMul,
  },
  // SDIV/UDIV: 1111 1011 1u01 nnnn | (1)(1)(1)(1) dddd 1111 mmmm
  {
    name: 'SDIV/UDIV', size: 4, mask: 0xffd000f0, match: 0xfb9000f0,
    unpredictable: (w) => bad(rd(w)) || bad(rn(w)) || bad(rm(w)) || (w & 0xf000) !== 0xf000,
    cls: 'dp', exec: execDiv, disasm: disDiv,
  },
  // B T3: 1111 0scc ccii iiii | 10j0 jiii iiii iiii (cond 111x is the misc-control space)
  {
    name: 'B T3', size: 4, mask: 0xf800d000, match: 0xf0008000, when: (w) => ((w >>> 23) & 7) !== 7,
    cls: 'branch', exec: execBcondW, disasm: disBcondW,
  },
  // B T4: 1111 0sii iiii iiii | 10j1 jiii iiii iiii
  { name: 'B T4', size: 4, mask: 0xf800d000, match: 0xf0009000, cls: 'branch', exec: execBW, disasm: disBW },
  // BL T1: 1111 0sii iiii iiii | 11j1 jiii iiii iiii
  { name: 'BL T1', size: 4, mask: 0xf800d000, match: 0xf000d000, cls: 'branch', exec: execBl, disasm: disBl },
  // MSR T1: 1111 0011 100(0) nnnn | 10(0)0 mm(0)(0) ssss ssss
  {
    name: 'MSR T1', size: 4, mask: 0xffe0d000, match: 0xf3808000,
    unpredictable: (w) => { const mask = (w >>> 10) & 3, sysm = w & 0xff; return bad(rn(w)) || mask === 0 || (mask !== 2 && sysm > 3) || !SYSM_VALID.has(sysm) || (w & 0x00102300) !== 0; },
    cls: 'sys', exec: execMsr, disasm: disMsr,
  },
  // MRS T1: 1111 0011 111(0) (1)(1)(1)(1) | 10(0)0 dddd ssss ssss
  {
    name: 'MRS T1', size: 4, mask: 0xffe0d000, match: 0xf3e08000,
    unpredictable: (w) => bad(rd(w)) || !SYSM_VALID.has(w & 0xff) || (w & 0x001f2000) !== 0x000f0000,
    cls: 'sys', exec: execMrs, disasm: disMrs,
  },
  // NOP/YIELD/WFE/WFI/SEV/DBG .W: 1111 0011 1010 (1)(1)(1)(1) | 10(0)0 (0)000 oooo oooo
  {
    name: 'hints T2', size: 4, mask: 0xfff0d700, match: 0xf3a08000,
    unpredictable: (w) => (w & 0x000f2800) !== 0x000f0000, cls: 'misc', exec: execHintW, disasm: disHintW,
  },
  // CLREX/DSB/DMB/ISB: 1111 0011 1011 (1)(1)(1)(1) | 10(0)0 (1)(1)(1)(1) oooo pppp
  {
    name: 'CLREX/DSB/DMB/ISB', size: 4, mask: 0xfff0d000, match: 0xf3b08000,
    when: (w) => { const op = (w >>> 4) & 15; return op === 2 || op === 4 || op === 5 || op === 6; },
    unpredictable: (w) => (w & 0x000f2f00) !== 0x000f0f00 || (((w >>> 4) & 15) === 2 && (w & 15) !== 15),
    cls: 'sys', exec: execBarrier, disasm: disBarrier,
  },
  // UDF T2: 1111 0111 1111 iiii | 1010 iiii iiii iiii
  { name: 'UDF T2', size: 4, mask: 0xfff0f000, match: 0xf7f0a000, cls: 'misc', exec: execUdfW, disasm: disUdfW },
  ...thumb32LsDefs,
];
