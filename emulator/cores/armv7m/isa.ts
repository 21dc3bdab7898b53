// The complete ARMv7-M Thumb instruction table (integer, DSP extension, FPv4-SP) and
// the disassembler entry point used by the debug adapter and the comparison tests.
import { InsnDef, InsnTable, isThumb32 } from './insn';
import { thumb16Defs } from './isa-thumb16';
import { thumb32Defs } from './isa-thumb32';
import { dspDefs } from './isa-dsp';
import { vfpDefs } from './isa-vfp';

export const armv7mDefs: readonly InsnDef[] = [...thumb16Defs, ...thumb32Defs, ...dspDefs, ...vfpDefs];
export const armv7mTable: InsnTable = new InsnTable(armv7mDefs);

/**
 * Disassemble the instruction whose first halfword is hw1 (hw2 is only used for a
 * 32-bit encoding). Undecodable encodings print as objdump's '.inst' directives.
 */
export function disassemble(hw1: number, hw2: number, pc: number, itCond: number): { text: string; size: 2 | 4 } {
  hw1 &= 0xffff; hw2 &= 0xffff;
  if (isThumb32(hw1)) {
    const w = ((hw1 << 16) | hw2) >>> 0;
    const d = armv7mTable.decode32(w);
    const text = d !== undefined ? d.disasm(w, pc, itCond) : `.inst.w 0x${w.toString(16).padStart(8, '0')}`;
    return { text, size: 4 };
  }
  const d = armv7mTable.decode16(hw1);
  return { text: d !== undefined ? d.disasm(hw1, pc, itCond) : `.inst.n 0x${hw1.toString(16).padStart(4, '0')}`, size: 2 };
}
