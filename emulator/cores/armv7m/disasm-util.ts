// Formatting helpers for the Thumb disassembler, matching GNU objdump's unified syntax
// (register names r0-r9, sl, fp, ip, sp, lr, pc; '#imm' decimal; branch targets as
// '0x...'). Shared by the integer, DSP and FP tables.
import { COND_NAMES } from './insn';

const REG_NAMES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'sl', 'fp', 'ip', 'sp', 'lr', 'pc'];
const SHIFT_NAMES = ['lsl', 'lsr', 'asr', 'ror'];

/** Register name as objdump prints it. */
export function regName(n: number): string { return REG_NAMES[n & 15]; }

/** Register list '{r4, r5, lr}' from a 16-bit mask (objdump lists every register, no ranges). */
export function regList(mask: number): string {
  const names: string[] = [];
  for (let i = 0; i < 16; i++) if ((mask >> i) & 1) names.push(REG_NAMES[i]);
  return `{${names.join(', ')}}`;
}

/** Condition suffix for an instruction inside an IT block ('' outside, or for AL). */
export function condSuffix(itCond: number): string {
  return itCond < 0 ? '' : COND_NAMES[itCond & 15];
}

/** Condition name for a 4-bit cond field ('' for AL). */
export function condName(cond: number): string { return COND_NAMES[cond & 15]; }

/** Unsigned hex with 0x prefix. */
export function hex(n: number): string { return `0x${(n >>> 0).toString(16)}`; }

/** An immediate operand '#n' (decimal, unsigned view unless `signed`). */
export function imm(n: number, signed = false): string { return `#${signed ? n | 0 : n >>> 0}`; }

/** ', lsl #3' style suffix from DecodeImmShift fields (type = insn<5:4>, imm5); '' for LSL #0. */
export function shiftSuffix(type: number, imm5: number): string {
  if (imm5 === 0) {
    if (type === 0) return '';
    if (type === 3) return ', rrx';
    return `, ${SHIFT_NAMES[type]} #32`;
  }
  return `, ${SHIFT_NAMES[type]} #${imm5}`;
}

/** Shift-type name (0..3). */
export function shiftName(type: number): string { return SHIFT_NAMES[type & 3]; }

/** Mnemonic + operands with objdump's single separator (we use one space instead of a tab). */
export function fmt(mnemonic: string, operands: string): string {
  return operands === '' ? mnemonic : `${mnemonic} ${operands}`;
}
