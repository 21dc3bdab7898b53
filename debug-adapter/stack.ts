// Builds a core's call stack from its registers: CFI unwinding through `DebugInfo.unwind`,
// inlined calls as their own frames, and exception entry (an EXC_RETURN return address) as a
// `<signal handler: SysTick>` frame after which unwinding goes on from the stacked registers.
// On ARMv8-M with the Security Extension the walk crosses worlds: a FNC_RETURN continues on the
// secure stack, a secure function's return to a non-secure caller continues on the NS stack.
import type { DebugInfo, ReadMemory } from '../dwarf';
import type { World } from './target';
import { ROW_END_SEQUENCE, ROW_STMT } from '../dwarf/lines';

/** One frame as the session shows it. */
export interface FrameModel {
  name: string;
  /** The frame's pc (for callers, the return address). */
  pc: number;
  file?: string;
  line?: number;
  column?: number;
  /** The exception-entry pseudo frame between a handler and the code it interrupted. */
  exception?: { number: number; excReturn: number };
  /** Registers of the physical frame (DWARF numbers), for locals. */
  regs: ReadonlyMap<number, number>;
  /** The address to look scopes up at: pc, or pc - 1 for a return address (inside the call). */
  lookupPc: number;
  /** Which image's debug info describes this frame. */
  info?: DebugInfo;
  /** 0 for the physical frame, 1.. for the inlined functions inside it, innermost first. */
  inlineDepth: number;
  /** The security state the frame's code runs in (cores with the Security Extension only). */
  world?: World;
  /**
   * Where each register of the frame lives, for setVariable: 'live' (the core's own register,
   * unchanged since), or the stack slot the unwinder read it from (a CFI "offset" rule).
   * Registers missing here were computed (CFA, return address) and have no home to write.
   */
  homes?: ReadonlyMap<number, RegHome>;
}

export type RegHome = { kind: 'live' } | { kind: 'memory'; address: number };
const LIVE: RegHome = { kind: 'live' };

export interface StackInput {
  /** DWARF-numbered registers of the innermost frame (r0-r15). */
  regs: ReadonlyMap<number, number>;
  /** The process stack pointer (EXC_RETURN may name it as the stack of the interrupted code). */
  psp: number;
  /** IPSR of the core now: 0 in Thread mode, else the active exception. */
  ipsr: number;
  /** ARMv8-M: the callee-saved context may be stacked too (EXC_RETURN.DCRS = 0). */
  profile: 'v7m' | 'v8m';
  readMem: ReadMemory;
  /** The image whose debug info covers pc (in `world`, when the core has worlds), if any. */
  infoFor(pc: number, world?: World): DebugInfo | undefined;
  /** ARMv8-M Security Extension: the innermost frame's world and both worlds' stack pointers. */
  security?: StackSecurity;
  /** Stop after this many physical frames: a breakpoint condition needs only the innermost. */
  maxPhysical?: number;
}

export interface StackSecurity {
  world: World;
  msp: Record<World, number>;
  psp: Record<World, number>;
  /** CONTROL.SPSEL of each world: its Thread mode runs on PSP. */
  spsel: Record<World, boolean>;
}

export const MAX_FRAMES = 256;

/** FNC_RETURN (ARMv8-M B3.20): the LR a BLXNS leaves; the real return address is on the secure stack. */
export function isFncReturn(v: number): boolean {
  return ((v & 0xfffffffe) >>> 0) === 0xfefffffe;
}

const EXC_NAMES: Record<number, string> = {
  1: 'Reset', 2: 'NMI', 3: 'HardFault', 4: 'MemManage', 5: 'BusFault', 6: 'UsageFault', 7: 'SecureFault',
  11: 'SVCall', 12: 'DebugMonitor', 14: 'PendSV', 15: 'SysTick',
};

/** 'SysTick', 'HardFault', 'IRQ8' (ARM ARM B1.5.2: external interrupt n is exception 16 + n). */
export function exceptionName(n: number): string {
  return EXC_NAMES[n] ?? (n >= 16 ? `IRQ${n - 16}` : `exception ${n}`);
}

/** A little-endian 32-bit word at offset o. */
export const le32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/**
 * The row gdb shows for pc: when several rows share pc's address and the last one is not a
 * statement, the last statement row at that address (gdb's find_pc_sect_line does the same,
 * so `main` at its first instruction reads as line 8, not the opening brace's line 7).
 */
export function statementRow(info: DebugInfo, pc: number): { file: string; line: number; column: number } | undefined {
  const loc = info.lines?.lookup(pc);
  if (loc === undefined || loc.isStmt) return loc;
  const s = loc.program.raw();
  for (let i = loc.row - 1; i >= 0 && i > loc.row - 64 && s.address[i] === loc.address; i--) {
    if ((s.flags[i] & ROW_STMT) !== 0 && (s.flags[i] & ROW_END_SEQUENCE) === 0) {
      return { file: loc.program.filePath(s.file[i]), line: s.line[i], column: s.column[i] };
    }
  }
  return loc;
}

/** The frame(s) for one physical frame: inlined functions first, then the out-of-line one. */
function framesAt(pc: number, lookupPc: number, regs: ReadonlyMap<number, number>, info: DebugInfo | undefined): FrameModel[] {
  const base = { pc, regs, lookupPc, info };
  const loc = info?.sourceAt(lookupPc);
  if (loc === undefined) {
    const sym = info?.symbolAt(lookupPc);
    const name = sym === undefined ? hex(pc) : sym.offset === 0 && pc === lookupPc ? sym.display : `${sym.display}+${pc - sym.symbol.value}`;
    return [{ ...base, name, inlineDepth: 0 }];
  }
  const out: FrameModel[] = [];
  const row = statementRow(info!, lookupPc) ?? loc;
  let file = row.file, line = row.line, column = row.column;
  for (const [i, f] of loc.inlined.entries()) {
    out.push({ ...base, name: f.function, file, line, column, inlineDepth: loc.inlined.length - i });
    file = f.callFile ?? file; line = f.callLine ?? line; column = f.callColumn ?? 0;
  }
  out.push({ ...base, name: loc.outerFunction ?? loc.function ?? hex(pc), file, line, column, inlineDepth: 0 });
  return out;
}

/**
 * Reads the exception frame an EXC_RETURN describes (ARM ARM B1.5.6 "Exception entry
 * behavior", B1.5.7 for the FP extension; ARMv8-M adds the callee context when DCRS = 0).
 * Returns the interrupted code's registers, or a reason it could not.
 */
function unstack(excReturn: number, handlerRegs: ReadonlyMap<number, number>, cfa: number, input: StackInput, handlerWorld: World | undefined): { regs: Map<number, number>; xpsr: number; world?: World } | string {
  // EXC_RETURN bit 2 (SPSEL): the frame is on the process stack, else on the main stack,
  // where the handler's CFA (its SP at entry) points at it. ARMv8-M bit 6 (S) names the
  // world whose stack holds it: another world's stack pointers are as the exception left them.
  const sec = input.security;
  const frameWorld: World | undefined = sec === undefined ? undefined : (excReturn & 0x40) !== 0 ? 'secure' : 'non-secure';
  let frame: number;
  if (sec !== undefined && frameWorld !== undefined) {
    if ((excReturn & 4) !== 0) frame = sec.psp[frameWorld];
    else frame = frameWorld === handlerWorld ? cfa : sec.msp[frameWorld];
  } else {
    frame = (excReturn & 4) !== 0 ? input.psp : cfa;
  }
  const regs = new Map(handlerRegs);
  if (input.profile === 'v8m' && (excReturn & 0x20) === 0) {
    // Integrity signature, reserved word, then r4-r11 below the basic frame.
    const extra = input.readMem(frame >>> 0, 0x28);
    if (extra === undefined) return `the callee-saved context at ${hex(frame)} could not be read`;
    for (let i = 0; i < 8; i++) regs.set(4 + i, le32(extra, 8 + 4 * i));
    frame += 0x28;
  }
  const b = input.readMem(frame >>> 0, 0x20);
  if (b === undefined) return `the exception frame at ${hex(frame)} could not be read`;
  const order = [0, 1, 2, 3, 12, 14, 15];
  order.forEach((r, i) => regs.set(r, le32(b, 4 * i)));
  const xpsr = le32(b, 28);
  // EXC_RETURN bit 4 = 0: an extended frame with s0-s15, FPSCR and a reserved word.
  let size = (excReturn & 0x10) === 0 ? 0x68 : 0x20;
  // xPSR bit 9: the frame was aligned to 8 bytes with a padding word.
  if ((xpsr & 0x200) !== 0) size += 4;
  regs.set(13, (frame + size) >>> 0);
  regs.set(15, regs.get(15)! & ~1);
  return { regs, xpsr, ...(frameWorld !== undefined ? { world: frameWorld } : {}) };
}

/** The whole stack, innermost first, at most MAX_FRAMES frames. */
export function buildStack(input: StackInput): FrameModel[] {
  const out: FrameModel[] = [];
  let regs = new Map(input.regs);
  let pc = (regs.get(15) ?? 0) & ~1;
  regs.set(15, pc);
  let exact = true; // pc is where the core is (not a return address)
  let handler = input.ipsr;
  let homes = new Map<number, RegHome>([...regs.keys()].map((r) => [r, LIVE]));
  const sec = input.security;
  let world = sec?.world;
  // Each world's SP where its code was left when the walk crossed into the other world:
  // initially the banked stack pointer the mode uses (MSP in Handler mode).
  const spOf = (w: World): number => (sec === undefined ? 0 : handler !== 0 || !sec.spsel[w] ? sec.msp[w] : sec.psp[w]);
  const parked = new Map<World, number>();
  for (let guard = 0; guard < MAX_FRAMES && out.length < MAX_FRAMES; guard++) {
    const info = input.infoFor(pc, world);
    const lookupPc = exact ? pc : pc - 1;
    for (const f of framesAt(pc, lookupPc, regs, info)) out.push({ ...f, homes, ...(world !== undefined ? { world } : {}) });
    if (input.maxPhysical !== undefined && guard + 1 >= input.maxPhysical) break;
    if (info === undefined) {
      // Without debug info there is no CFI or symbol to unwind by; a return address in LR
      // is only trustworthy for the innermost frame.
      break;
    }
    const next = info.unwind(pc, regs, input.readMem, { caller: !exact });
    if (next.stop === 'exception' && next.excReturn !== undefined && sec !== undefined && world === 'non-secure' && isFncReturn(next.excReturn)) {
      // A non-secure function called by BLXNS returns to FNC_RETURN; BLXNS pushed the real
      // return address and the partial RETPSR on the secure stack (ARMv8-M B3.20).
      const sp = parked.get('secure') ?? spOf('secure');
      const b = input.readMem(sp >>> 0, 8);
      if (b === undefined) {
        out.push({ name: `<secure caller: its return address at ${hex(sp)} could not be read>`, pc: next.excReturn, regs, lookupPc: next.excReturn, inlineDepth: 0, world: 'secure' });
        break;
      }
      parked.set('non-secure', next.cfa);
      homes = callerHomes(info, lookupPc, next.cfa, next.regs, homes);
      for (const r of [13, 14, 15]) homes.delete(r);
      regs = new Map(next.regs);
      pc = le32(b, 0) & ~1;
      regs.set(13, (sp + 8) >>> 0);
      regs.set(15, pc);
      world = 'secure';
      exact = false;
      continue;
    }
    // In Thread mode an EXC_RETURN-looking LR is the reset value 0xFFFFFFFF (B1.4.1), i.e.
    // the outermost frame, not an exception to unwind through.
    if (next.stop === 'exception' && next.excReturn !== undefined && handler === 0) break;
    if (next.stop === 'exception' && next.excReturn !== undefined) {
      const un = unstack(next.excReturn, next.regs, next.cfa, input, world);
      if (typeof un === 'string') {
        out.push({ name: `<signal handler: ${exceptionName(handler)}> (${un})`, pc: next.excReturn, regs, lookupPc: next.excReturn, inlineDepth: 0, exception: { number: handler, excReturn: next.excReturn } });
        break;
      }
      out.push({ name: `<signal handler: ${exceptionName(handler)}>`, pc: next.excReturn, regs: un.regs, lookupPc: next.excReturn, inlineDepth: 0, exception: { number: handler, excReturn: next.excReturn } });
      handler = un.xpsr & 0x1ff;
      regs = un.regs;
      if (world !== undefined) parked.set(world, next.cfa);
      if (un.world !== undefined) { world = un.world; parked.delete(un.world); }
      // The basic frame's registers (and r4-r11 when ARMv8-M stacked them) came from the exception frame.
      homes = new Map(homes);
      for (const r of [0, 1, 2, 3, 12, 13, 14, 15]) homes.delete(r);
      if (input.profile === 'v8m' && (next.excReturn & 0x20) === 0) for (let r = 4; r < 12; r++) homes.delete(r);
      pc = regs.get(15)!;
      exact = true; // the interrupted instruction had not executed yet
      continue;
    }
    if (next.stop !== undefined || next.pc === undefined) break;
    if (sec !== undefined && world === 'secure' && (next.returnAddress & 1) === 0) {
      // SG cleared LR[0] on entry from the non-secure world: this secure function returns by
      // BXNS to a non-secure caller, whose SP is the NS stack as the call left it.
      homes = callerHomes(info, lookupPc, next.cfa, next.regs, homes);
      homes.delete(13);
      parked.set('secure', next.cfa);
      regs = next.regs;
      regs.set(13, (parked.get('non-secure') ?? spOf('non-secure')) >>> 0);
      parked.delete('non-secure');
      pc = next.pc;
      world = 'non-secure';
      exact = false;
      continue;
    }
    // A frame that moves neither the stack nor the pc would repeat forever.
    if (next.cfa === regs.get(13) && next.pc === pc) break;
    homes = callerHomes(info, lookupPc, next.cfa, next.regs, homes);
    regs = next.regs;
    pc = next.pc;
    exact = false;
  }
  return out.slice(0, MAX_FRAMES);
}

/**
 * The homes of the caller's registers after one CFI step (DWARF 5 section 6.4.1): a register
 * with no rule or "same value" is where it was in the callee; "offset(N)" is the stack slot
 * at CFA + N; any other rule (or a heuristic unwind) gives a value with no home.
 */
function callerHomes(info: DebugInfo, lookupPc: number, cfa: number, caller: ReadonlyMap<number, number>, inner: ReadonlyMap<number, RegHome>): Map<number, RegHome> {
  const out = new Map<number, RegHome>();
  const rules = info.rulesAt(lookupPc);
  if (rules === undefined) return out;
  for (const r of caller.keys()) {
    if (r === 13 || r === 15) continue;
    const rule = rules.row.regs.get(r);
    if (rule === undefined || rule.kind === 'same') {
      const h = inner.get(r);
      if (h !== undefined) out.set(r, h);
    } else if (rule.kind === 'offset') {
      out.set(r, { kind: 'memory', address: (cfa + rule.offset) >>> 0 });
    }
  }
  return out;
}
