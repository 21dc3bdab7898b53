// What a breakpoint does when it is hit: its condition, hit count and logpoint message, per DAP
// breakpoint id, and the value context (registers, the top frame's locals, the image's
// globals) those are evaluated in. The session asks `decide` at each hit and resumes on 'no'.
import type { DebugInfo } from '../dwarf';
import {
  ConditionError, evaluate, formatLogMessage, integerOf, parseExpression, parseHitCondition, parseLogMessage,
  type Expr, type LogPart, type ValueContext,
} from './conditions';
import type { FrameModel } from './stack';

export interface BreakpointOptions {
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

interface Rule {
  condition?: Expr;
  hit?: (n: number) => boolean;
  log?: LogPart[];
  /** Hits with the condition true (what the hit condition counts, as VS Code defines it). */
  hits: number;
}

export interface Decision {
  stop: boolean;
  /** Logpoint text to print (without the newline). */
  log?: string;
  /** The condition could not be evaluated: the breakpoint stops, and says why. */
  error?: string;
}

export class BreakpointRules {
  private readonly rules = new Map<number, Rule>();

  /** Registers the options of DAP breakpoint `id`; returns why they are invalid, or undefined. */
  set(id: number, o: BreakpointOptions): string | undefined {
    this.rules.delete(id);
    const blank = (s: string | undefined) => s === undefined || s.trim() === '';
    if (blank(o.condition) && blank(o.hitCondition) && o.logMessage === undefined) return undefined;
    try {
      const r: Rule = { hits: 0 };
      if (!blank(o.condition)) r.condition = parseExpression(o.condition!);
      if (!blank(o.hitCondition)) r.hit = parseHitCondition(o.hitCondition!);
      if (o.logMessage !== undefined) r.log = parseLogMessage(o.logMessage);
      this.rules.set(id, r);
      return undefined;
    } catch (e) {
      return e instanceof ConditionError ? e.message : String(e);
    }
  }

  delete(id: number): void { this.rules.delete(id); }
  has(id: number): boolean { return this.rules.has(id); }

  /**
   * Evaluates breakpoint `id`'s condition and log message without side effects, so it can run
   * again and again under MemoryCache.settle until every byte it reads is cached.
   */
  probe(id: number, ctx: ValueContext): Probe {
    const r = this.rules.get(id);
    if (r === undefined) return { pass: true };
    if (r.condition !== undefined) {
      try {
        if (evaluate(r.condition, ctx) === 0n) return { pass: false };
      } catch (e) {
        return { pass: true, error: `breakpoint condition failed: ${(e as Error).message}` };
      }
    }
    return r.log !== undefined ? { pass: true, log: formatLogMessage(r.log, ctx) } : { pass: true };
  }

  /** Counts the hit when the condition held, then applies the hit condition and logpoint. */
  commit(id: number, p: Probe): Decision {
    const r = this.rules.get(id);
    if (r === undefined) return { stop: true };
    if (p.error !== undefined) return { stop: true, error: p.error };
    if (!p.pass) return { stop: false };
    r.hits++;
    if (r.hit !== undefined && !r.hit(r.hits)) return { stop: false };
    if (p.log !== undefined) return { stop: false, log: p.log };
    return { stop: true };
  }
}

/** The side-effect-free part of a hit: condition result, log text or an evaluation error. */
export interface Probe { pass: boolean; log?: string; error?: string }

const STT_OBJECT = 1;
const DWARF_REGS = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'sp', 'lr', 'pc'];
/** Per-image index of data symbols by name, built once. */
const globalIndex = new WeakMap<DebugInfo, Map<string, { value: number; size: number }>>();

/** The ELF data symbol `name` (a C global or static), or undefined. */
export function globalSymbol(info: DebugInfo, name: string): { value: number; size: number } | undefined {
  let idx = globalIndex.get(info);
  if (idx === undefined) {
    idx = new Map();
    for (const s of info.elf.symbols()) if (s.type === STT_OBJECT && s.name !== '' && !idx.has(s.name)) idx.set(s.name, { value: s.value, size: s.size });
    globalIndex.set(info, idx);
  }
  return idx.get(name);
}

export interface StopView {
  /** Register name (lower case, as Target names them) -> value. */
  registers: ReadonlyMap<string, number>;
  /** The innermost frame, for its locals; undefined when there is no debug info. */
  frame?: FrameModel;
  /** Images to search for globals, the stopped one first. */
  images: readonly DebugInfo[];
  /** Synchronous memory reads (MemoryCache.read), run under MemoryCache.settle. */
  read: (addr: number, size: number) => Uint8Array | undefined;
}

/** Builds the ValueContext of a stop: `$reg`, locals of the top frame, then globals. */
export function valueContext(v: StopView): ValueContext {
  const readReg = (r: number): bigint | undefined => {
    const x = v.frame?.regs.get(r) ?? v.registers.get(DWARF_REGS[r] ?? '');
    return x === undefined ? undefined : BigInt(x >>> 0);
  };
  const readMem = (a: bigint, n: number) => (a < 0n || a > 0xffffffffn ? undefined : v.read(Number(a), n));
  const local = (name: string): bigint | undefined => {
    const f = v.frame;
    if (f === undefined || f.info === undefined || f.exception !== undefined) return undefined;
    const info = f.info, pc = f.lookupPc;
    for (const s of info.scopesAt(pc)) {
      const found = s.variables.find((x) => x.name === name);
      if (found === undefined) continue;
      const val = info.scopes.evaluateVariable(found, pc, { readReg, readMem, cfa: () => info.cfaAt(pc, readReg, readMem) });
      if (val.bytes === undefined) throw new ConditionError(`'${name}' has no value here (${val.error ?? 'unavailable'})`);
      const t = val.type?.strip();
      if (val.bytes.length > 8 || (t !== undefined && !['base', 'pointer', 'enum'].includes(t.kind))) {
        throw new ConditionError(`'${name}' is not an integer or pointer; compare one of its members`);
      }
      const enc = t?.kind === 'enum' ? t.target?.strip().encoding : t?.encoding;
      return integerOf(val.bytes, enc === 5 || enc === 6 /* DW_ATE_signed, signed_char */);
    }
    return undefined;
  };
  return {
    register: (name) => {
      const x = v.registers.get(name);
      return x === undefined ? undefined : BigInt(x >>> 0);
    },
    variable: (name) => {
      const l = local(name);
      if (l !== undefined) return l;
      for (const info of v.images) {
        const g = globalSymbol(info, name);
        if (g === undefined) continue;
        const size = [1, 2, 4, 8].includes(g.size) ? g.size : 4;
        const b = v.read(g.value, size);
        if (b === undefined) throw new ConditionError(`cannot read '${name}' at 0x${g.value.toString(16).padStart(8, '0')}`);
        return integerOf(b, false);
      }
      return undefined;
    },
    readMemory: v.read,
  };
}
