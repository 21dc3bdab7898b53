// What a breakpoint does when it is hit: its condition, hit count and logpoint message, per DAP
// breakpoint id. Expressions are checked and evaluated by the session's evaluator (evaluate.ts
// through VariableStore); the session asks `decide` at each hit and resumes on 'no stop'.
import type { DebugInfo } from '../dwarf';
import { ConditionError, formatLogMessage, parseHitCondition, parseLogMessage, type LogPart } from './conditions';

export interface BreakpointOptions {
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

/** Evaluation at one stop, in the innermost frame of the stopped core. */
export interface RuleEvaluator {
  /** C truth of `expr`; throws with a readable message when it cannot be evaluated. */
  test(expr: string): Promise<boolean>;
  /** `expr`'s value as the Variables view shows it. */
  show(expr: string): Promise<string>;
}

interface Rule {
  condition?: string;
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

  /** `check` returns why an expression does not parse, or undefined. */
  constructor(private readonly check: (expr: string) => string | undefined) {}

  /** Registers the options of DAP breakpoint `id`; returns why they are invalid, or undefined. */
  set(id: number, o: BreakpointOptions): string | undefined {
    this.rules.delete(id);
    const blank = (s: string | undefined) => s === undefined || s.trim() === '';
    if (blank(o.condition) && blank(o.hitCondition) && o.logMessage === undefined) return undefined;
    try {
      const r: Rule = { hits: 0 };
      if (!blank(o.condition)) {
        const bad = this.check(o.condition!);
        if (bad !== undefined) return `condition '${o.condition}': ${bad}`;
        r.condition = o.condition!;
      }
      if (!blank(o.hitCondition)) r.hit = parseHitCondition(o.hitCondition!);
      if (o.logMessage !== undefined) {
        r.log = parseLogMessage(o.logMessage);
        for (const p of r.log) {
          if (typeof p === 'string') continue;
          const bad = this.check(p.expr);
          if (bad !== undefined) return `log message {${p.expr}}: ${bad}`;
        }
      }
      this.rules.set(id, r);
      return undefined;
    } catch (e) {
      return e instanceof ConditionError ? e.message : String(e);
    }
  }

  delete(id: number): void { this.rules.delete(id); }
  /** A restarted program counts hits from zero again. */
  resetHits(): void { for (const r of this.rules.values()) r.hits = 0; }
  has(id: number): boolean { return this.rules.has(id); }

  /** Evaluates breakpoint `id`'s rule at a hit, counting the hit when the condition holds. */
  async decide(id: number, ev: RuleEvaluator): Promise<Decision> {
    const r = this.rules.get(id);
    if (r === undefined) return { stop: true };
    if (r.condition !== undefined) {
      let pass: boolean;
      try { pass = await ev.test(r.condition); } catch (e) {
        return { stop: true, error: `breakpoint condition '${r.condition}' failed: ${(e as Error).message}` };
      }
      if (!pass) return { stop: false };
    }
    r.hits++;
    if (r.hit !== undefined && !r.hit(r.hits)) return { stop: false };
    if (r.log !== undefined) return { stop: false, log: await formatLogMessage(r.log, (x) => ev.show(x)) };
    return { stop: true };
  }
}

const STT_OBJECT = 1;
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
