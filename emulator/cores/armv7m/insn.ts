// The declarative Thumb instruction table: one entry per ARM ARM encoding, carrying
// its bit pattern, its execute function and its disassembler. The decoder, the
// disassembler and the random-encoding generator of the differential tests are all
// driven from these entries (the single source of truth for encodings).
import type { CortexM } from './cpu';

/** Instruction classes, used to group differential tests. */
export type InsnClass = 'dp' | 'dsp' | 'ls' | 'branch' | 'fp' | 'misc' | 'sys';

export interface InsnDef {
  /** ARM ARM name and encoding, e.g. 'ADC (register) T2'. */
  readonly name: string;
  /** 2 for a 16-bit encoding, 4 for a 32-bit one. */
  readonly size: 2 | 4;
  /** For size 4 the word is (hw1 << 16 | hw2) >>> 0; for size 2 the halfword. */
  readonly mask: number;
  readonly match: number;
  /** Further decode condition (e.g. "Rn != 1111"); false sends decode to the next entry. */
  readonly when?: (insn: number) => boolean;
  /** True for encodings the ARM ARM calls UNPREDICTABLE; the random generator skips them. */
  readonly unpredictable?: (insn: number) => boolean;
  readonly cls: InsnClass;
  /**
   * Execute. On entry cpu.curPc is this instruction's address, cpu.r[15] reads as
   * curPc + 4, and cpu.pc already points past the instruction (branches overwrite it).
   * The IT condition has already been checked.
   */
  readonly exec: (cpu: CortexM, insn: number) => void;
  /**
   * Disassemble in GNU objdump's unified syntax, lower case, e.g. 'adds r0, r1, #4'.
   * `itCond` is the condition of the enclosing IT block slot (0..14), or -1 outside one.
   */
  readonly disasm: (insn: number, pc: number, itCond: number) => string;
}

/** First halfword of a 32-bit Thumb encoding? (ARM ARM A5.1: bits[15:11] = 11101/11110/11111) */
export function isThumb32(hw1: number): boolean {
  return (hw1 & 0xf800) >= 0xe800;
}

export const COND_NAMES = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', '', ''];

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** A decode table: entries sorted so that more specific patterns are tried first. */
export class InsnTable {
  private readonly t16: InsnDef[];
  private readonly t32: InsnDef[];
  constructor(readonly all: readonly InsnDef[]) {
    const order = (a: InsnDef, b: InsnDef) => popcount(b.mask) - popcount(a.mask);
    this.t16 = all.filter((d) => d.size === 2).sort(order);
    this.t32 = all.filter((d) => d.size === 4).sort(order);
    for (const d of all) {
      if (((d.match & d.mask) >>> 0) !== d.match >>> 0) throw new Error(`insn table: '${d.name}' has match bits outside its mask`);
    }
  }
  /** Decode a 16-bit halfword or a 32-bit word ((hw1<<16)|hw2). Undefined means UNDEFINED. */
  decode16(hw: number): InsnDef | undefined {
    for (const d of this.t16) if ((hw & d.mask) === d.match && (d.when === undefined || d.when(hw))) return d;
    return undefined;
  }
  decode32(w: number): InsnDef | undefined {
    for (const d of this.t32) if (((w & d.mask) >>> 0) === d.match && (d.when === undefined || d.when(w))) return d;
    return undefined;
  }
}
