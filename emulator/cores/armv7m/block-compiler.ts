// Hot straight-line code compiled to JS functions. A block is a run of decoded
// instructions within one 4 KiB frame, ending at a branch, a system instruction or
// before an IT. Its function calls each instruction's exec directly: every call site
// sees one target, so V8 keeps it monomorphic and may inline it, instead of the
// interpreter's one megamorphic call per instruction. Semantics are the interpreter's:
// the same PC bookkeeping per instruction, and an exit as soon as an instruction
// branches, faults or raises attention.
import type { Frame } from '../../bus';
import { PAGE_MASK, PAGE_SHIFT, PAGE_SIZE } from '../../bus';
import type { CortexM } from './cpu';
import type { InsnDef } from './insn';
import { isThumb32 } from './insn';

/** A compiled block; `entry` is the address it was compiled for (its PC values are baked in). */
export type BlockFn = ((cpu: CortexM) => void) & { entry: number };

/** Longest block; the interpreter only enters a block with at least this many instructions of budget left. */
export const MAX_BLOCK = 32;
/** Interpreted executions of a slot before its block is compiled. */
export const HEAT_THRESHOLD = 16;

/** Compile the block starting at `pc` (in frame `f`), store it in the frame, and return it (or undefined). */
export function compileBlock(cpu: CortexM, f: Frame, pc: number): BlockFn | undefined {
  const defs: InsnDef[] = [];
  const words: number[] = [];
  const addrs: number[] = [];
  let a = pc;
  const page = pc >>> PAGE_SHIFT;
  while (defs.length < MAX_BLOCK) {
    if ((a >>> PAGE_SHIFT) !== page) break; // a block never leaves its frame
    const off = a & PAGE_MASK;
    const hw1 = f.u16[off >> 1];
    let def: InsnDef | undefined;
    let word: number;
    if (isThumb32(hw1)) {
      if (off + 2 >= PAGE_SIZE) break; // straddles the frame: leave it to the interpreter
      word = ((hw1 << 16) | f.u16[(off >> 1) + 1]) | 0;
      def = cpu.isa.decode32(word >>> 0);
    } else {
      word = hw1;
      def = cpu.isa.decode16(hw1);
    }
    if (def === undefined || def.name.startsWith('IT ')) break; // UNDEFINED faults and IT state stay interpreted
    defs.push(def); words.push(word); addrs.push(a >>> 0);
    a += def.size;
    if (def.cls === 'branch' || def.cls === 'sys') break;
  }
  if (defs.length < 2) return undefined;
  const lines: string[] = ['const r = cpu.r;'];
  for (let k = 0; k < defs.length; k++) {
    const at = addrs[k], next = (at + defs[k].size) >>> 0;
    lines.push(`cpu.curPc = ${at}; r[15] = ${(at + 4) | 0}; cpu.pc = ${next}; cpu.instret++; clock.now++;`);
    lines.push(`e${k}(cpu, ${words[k]});`);
    if (k < defs.length - 1) lines.push(`if (cpu.pc !== ${next} || cpu.attention) return;`);
  }
  const params = defs.map((_, k) => `e${k}`);
  // eslint-disable-next-line no-new-func
  const factory = new Function(...params, 'clock', `return function block_${(pc >>> 0).toString(16)}(cpu) {\n${lines.join('\n')}\n};`) as (...args: unknown[]) => BlockFn;
  const fn = factory(...defs.map((d) => d.exec), cpu.clock);
  fn.entry = pc | 0;
  if (f.blocks === null) f.blocks = new Array(PAGE_SIZE >> 1);
  f.blocks[(pc & PAGE_MASK) >> 1] = fn;
  return fn;
}
