// Scopes, variables, evaluate and setVariable for the DAP session: a tree of lazily expanded
// nodes (struct members, paged array elements, pointer targets, decoded registers) behind
// variablesReference handles that live until the target resumes. Values come from DWARF
// through the evaluator in evaluate.ts; target memory arrives through the per-stop cache.
import { Handles } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugInfo } from '../dwarf';
import { DW_AT, DW_TAG, type Die, type Unit } from '../dwarf/info';
import type { Scope } from '../dwarf/scopes';
import type { DwarfType } from '../dwarf/types';
import type { MemoryCache } from './memory-cache';
import type { FrameModel, RegHome } from './stack';
import type { CoreId, CoreInfo, Target } from './target';
import {
  Evaluator, EvalError, encodeFor, fromDwarf, memberOf, sizeOf, MAX_VALUE_BYTES, T_UINT,
  type EvalEnv, type Ty, type Val,
} from './evaluate';
import { bitsOfFloat, decodeControl, decodeFaultRegisters, decodeFpscr, decodeXpsr, floatOfBits } from './registers';
import { securityRows, SFARVALID, type SecurityRow } from './security-scope';
import { rustShape } from './rust-shapes';

/** What the store needs from the session. */
export interface VariablesHost {
  target(): Target;
  frame(core: CoreId, index: number): Promise<FrameModel | undefined>;
  cache(core: CoreId): MemoryCache;
  coreInfo(core: CoreId): CoreInfo | undefined;
  /** The images bound to a core, for globals and types outside the frame's own image. */
  images(core: CoreId): DebugInfo[];
  /** Memory or registers were written: drop cached memory (and the stack for registers). */
  changed(core: CoreId, what: 'memory' | 'registers'): void;
  /** The last stop on this core was a fault (the Fault status scope is shown). */
  faulted(core: CoreId): boolean;
}

/** One row of the Variables view; `children` makes it expandable. */
interface Node {
  name: string;
  value: string;
  type?: string;
  evaluateName?: string;
  memoryReference?: string;
  /** Elements, for arrays paged by the client (DAP indexedVariables). */
  indexed?: number;
  children?: (start: number, count: number) => Promise<Node[]>;
  /** Assigns from the user's text and returns the node as it is now. */
  set?: (text: string) => Promise<Node>;
  readOnly?: boolean;
  /** Where the value lives in memory, for data breakpoints on it (struct members, elements). */
  watch?: { address: number; size: number };
  /** A scope root (Locals, Registers...): its children resolve by name in the frame. */
  scopeRoot?: boolean;
  /** The scope and frame the node belongs to (inherited by children). */
  origin?: { kind: 'locals' | 'registers'; core: CoreId; frame: number };
}

/** Arrays longer than this are paged (VS Code asks for chunks of indexed variables). */
const PAGE_THRESHOLD = 100;
/** Elements one variables request returns at most. */
const MAX_CHILDREN = 1000;

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
const DWARF_REGS = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'sp', 'lr', 'pc'];
/** DWARF register number (AADWARF32: r0-r15 = 0-15, s0-s31 = 64-95) -> target register name. */
function dwarfRegName(n: number): string | undefined {
  if (n >= 0 && n < 16) return DWARF_REGS[n];
  if (n >= 64 && n < 96) return `s${n - 64}`;
  return undefined;
}

const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));

// ------------------------------------------------------------------ DWARF indexes

interface ImageIndex { globals: Map<string, Die[]>; types: Map<string, Die> }
const indexes = new WeakMap<DebugInfo, ImageIndex>();
const TYPE_TAGS = new Set<number>([DW_TAG.base_type, DW_TAG.typedef, DW_TAG.structure_type, DW_TAG.union_type, DW_TAG.enumeration_type, DW_TAG.class_type]);
const TAG_PREFIX = new Map<number, string>([[DW_TAG.structure_type, 'struct '], [DW_TAG.union_type, 'union '], [DW_TAG.enumeration_type, 'enum '], [DW_TAG.class_type, 'class ']]);

/** Top-level variables and named types of every unit, built once per image. */
function indexOf(info: DebugInfo): ImageIndex {
  let ix = indexes.get(info);
  if (ix !== undefined) return ix;
  ix = { globals: new Map(), types: new Map() };
  if (info.hasDwarf()) {
    for (const u of info.info.compileUnits()) {
      const root = u.root();
      if (root === undefined) continue;
      for (const c of root.children()) {
        if (c.tag === DW_TAG.variable) {
          if (!c.has(DW_AT.location) && !c.has(DW_AT.const_value)) continue;
          const name = c.name();
          if (name === undefined) continue;
          const l = ix.globals.get(name);
          if (l === undefined) ix.globals.set(name, [c]); else l.push(c);
        } else if (TYPE_TAGS.has(c.tag) && !c.flag(DW_AT.declaration)) {
          const name = c.str(DW_AT.name);
          if (name === undefined) continue;
          const key = (TAG_PREFIX.get(c.tag) ?? '') + name;
          if (!ix.types.has(key)) ix.types.set(key, c);
        }
      }
    }
  }
  indexes.set(info, ix);
  return ix;
}

/** The unit's own top-level variables (its statics and the globals it defines). */
/**
 * The scopes of one DAP frame, innermost first: a physical frame (inlineDepth 0) owns its
 * function and the lexical blocks outside any inlined call; an inlined frame owns its
 * inlined-subroutine scope and the blocks inside it, but not calls inlined deeper (gdb shows
 * each of those in its own frame). scopesAt's chain is innermost first, so a scope's depth is
 * the number of inlined scopes from it outwards.
 */
export function frameScopes(info: DebugInfo, frame: Pick<FrameModel, 'lookupPc' | 'inlineDepth'>): Scope[] {
  const chain = info.scopesAt(frame.lookupPc);
  const out: Scope[] = [];
  let depth = 0;
  for (let i = chain.length - 1; i >= 0; i--) {
    if (chain[i].kind === 'inlined') depth++;
    if (depth === frame.inlineDepth) out.push(chain[i]);
    else if (depth > frame.inlineDepth) break;
  }
  return out.reverse();
}

function unitVariables(u: Unit): Die[] {
  const out: Die[] = [];
  const root = u.root();
  if (root === undefined) return out;
  for (const c of root.children()) {
    if (c.tag === DW_TAG.variable && (c.has(DW_AT.location) || c.has(DW_AT.const_value)) && c.name() !== undefined) out.push(c);
  }
  return out;
}

// ------------------------------------------------------------------ the store

type ScopeKind = 'locals' | 'arguments' | 'statics' | 'registers' | 'fault' | 'security';

export class VariableStore {
  // Above the session's own handle range, so references from both never collide.
  private handles = new Handles<Node>(1_000_000);

  constructor(private readonly host: VariablesHost) {}

  /** The scope and frame behind a variablesReference (for data breakpoints on its variables). */
  scopeOf(ref: number): { kind: 'locals' | 'registers'; core: CoreId; frame: number } | undefined {
    return this.handles.get(ref)?.origin;
  }

  /**
   * The memory of child `name` of an expanded value (a struct member, an array element, a
   * pointer target), or why it cannot be watched; undefined for scope roots, whose children
   * the session resolves by name in the frame.
   */
  async childTarget(ref: number, name: string): Promise<{ address: number; size: number; label: string } | string | undefined> {
    const parent = this.handles.get(ref);
    if (parent === undefined || parent.scopeRoot === true || parent.children === undefined) return undefined;
    const kids = await parent.children(0, MAX_CHILDREN);
    const node = kids.find((k) => k.name === name);
    if (node === undefined) return `no member '${name}' in '${parent.evaluateName ?? parent.name}'`;
    const label = node.evaluateName ?? name;
    if (node.watch === undefined) return `'${label}' is not in memory: it cannot be watched`;
    return { ...node.watch, label };
  }

  /** The target resumed: every reference is stale. */
  reset(): void { this.handles.reset(); }

  async scopes(core: CoreId, frameIndex: number): Promise<DebugProtocol.Scope[]> {
    const frame = await this.host.frame(core, frameIndex);
    if (frame === undefined) throw new Error(`frame ${frameIndex} of core ${core} is no longer on the stack`);
    const out: DebugProtocol.Scope[] = [];
    const add = (name: string, kind: ScopeKind, hint?: string, expensive = false) => {
      const origin = { kind: kind === 'registers' || kind === 'fault' || kind === 'security' ? 'registers' as const : 'locals' as const, core, frame: frameIndex };
      const ref = this.handles.create({ name, value: '', origin, scopeRoot: true, children: () => this.scopeChildren(core, frameIndex, kind) });
      const s: DebugProtocol.Scope = { name, variablesReference: ref, expensive };
      if (hint !== undefined) s.presentationHint = hint;
      out.push(s);
    };
    if (frame.info !== undefined && frame.exception === undefined) {
      const vars = frameScopes(frame.info, frame).flatMap((s) => s.variables);
      if (vars.some((v) => v.isParam)) add('Arguments', 'arguments', 'arguments');
      add('Locals', 'locals', 'locals');
      if (frame.info.scopes.unitAt(frame.lookupPc) !== undefined) add('Statics', 'statics');
    }
    add('Registers', 'registers', 'registers');
    if (this.host.faulted(core)) add('Fault status', 'fault');
    // Read only when expanded (security-scope.ts); a target without readSecurity shows no scope.
    if (this.host.coreInfo(core)?.hasSecurity === true && this.host.target().readSecurity !== undefined) add('Security', 'security');
    return out;
  }

  async variables(ref: number, filter?: 'indexed' | 'named', start = 0, count = 0): Promise<DebugProtocol.Variable[]> {
    const node = this.handles.get(ref);
    if (node === undefined || node.children === undefined) throw new Error(`unknown variablesReference ${ref}: the target resumed since`);
    if (filter === 'named' && node.indexed !== undefined) return [];
    const kids = await node.children(Math.max(0, start), count > 0 ? Math.min(count, MAX_CHILDREN) : MAX_CHILDREN);
    for (const k of kids) k.origin ??= node.origin;
    return kids.map((k) => this.toDap(k));
  }

  private toDap(n: Node): DebugProtocol.Variable {
    const v: DebugProtocol.Variable = { name: n.name, value: n.value, variablesReference: n.children ? this.handles.create(n) : 0 };
    if (n.type !== undefined) v.type = n.type;
    if (n.evaluateName !== undefined) v.evaluateName = n.evaluateName;
    if (n.memoryReference !== undefined) v.memoryReference = n.memoryReference;
    if (n.indexed !== undefined) v.indexedVariables = n.indexed;
    if (n.readOnly || n.set === undefined) v.presentationHint = { attributes: ['readOnly'] };
    return v;
  }

  async setVariable(ref: number, name: string, text: string): Promise<DebugProtocol.Variable> {
    const parent = this.handles.get(ref);
    if (parent === undefined || parent.children === undefined) throw new Error(`unknown variablesReference ${ref}: the target resumed since`);
    const kids = await parent.children(0, MAX_CHILDREN);
    const node = kids.find((k) => k.name === name);
    if (node === undefined) throw new Error(`no variable '${name}' here`);
    if (node.set === undefined) throw new Error(`'${name}' cannot be changed`);
    return this.toDap(await node.set(text));
  }

  async evaluate(expr: string, core: CoreId, frameIndex: number | undefined): Promise<DebugProtocol.Variable & { result: string }> {
    const frame = frameIndex === undefined ? await this.host.frame(core, 0) : await this.host.frame(core, frameIndex);
    const idx = frameIndex ?? 0;
    await this.prepare(core);
    const trimmed = expr.trim();
    // `x = 5` from the REPL: assignment through the same path as setVariable.
    const assign = /^(.*[^=!<>])=([^=].*)$/.exec(trimmed);
    const ctx = this.context(core, idx, frame);
    if (assign !== null && !/^\s*\(/.test(assign[2] ?? '') && !/[<>]$/.test(assign[1])) {
      const lhs = await this.settle(core, () => ctx.ev.evaluate(assign[1]));
      const n = await this.assign(core, idx, lhs, assign[2]);
      return { ...this.toDap(n), name: assign[1].trim(), result: n.value };
    }
    const v = await this.settle(core, () => ctx.ev.evaluate(trimmed));
    const node = await this.settle(core, () => this.valueNode(core, idx, trimmed, trimmed, v, ctx.ev));
    return { ...this.toDap(node), result: node.value };
  }

  /** Names for REPL completion: variables in scope, globals, registers. */
  async completions(core: CoreId, frameIndex: number | undefined, prefix: string): Promise<string[]> {
    const frame = await this.host.frame(core, frameIndex ?? 0);
    const names = new Set<string>();
    if (frame?.info !== undefined) {
      for (const s of frameScopes(frame.info, frame)) for (const v of s.variables) names.add(v.name);
    }
    for (const info of this.host.images(core)) for (const n of indexOf(info).globals.keys()) names.add(n);
    for (const r of [...DWARF_REGS, 'xpsr', 'msp', 'psp', 'control', 'primask', 'basepri', 'faultmask']) names.add(`$${r}`);
    return [...names].filter((n) => n.startsWith(prefix)).sort().slice(0, 500);
  }

  // ---------------------------------------------------------------- evaluation context

  /** Runs synchronous DWARF/evaluator code until the memory it reads is cached, then rethrows. */
  private async settle<T>(core: CoreId, fn: () => T): Promise<T> {
    const r = await this.host.cache(core).settle(() => { try { return { ok: fn() }; } catch (e) { return { err: e }; } });
    if ('err' in r) throw r.err;
    return r.ok;
  }

  private context(core: CoreId, frameIndex: number, frame: FrameModel | undefined): { ev: Evaluator; env: EvalEnv } {
    const cache = this.host.cache(core);
    const regs = frame?.regs ?? new Map<number, number>();
    const info = frame?.info;
    const pc = frame?.lookupPc ?? 0;
    const readReg = (r: number) => { const v = regs.get(r); return v === undefined ? undefined : BigInt(v >>> 0); };
    const readMemBig = (a: bigint, n: number) => (a > 0xffffffffn ? undefined : cache.read(Number(a), n));
    const access = { readReg, readMem: readMemBig, ...(info ? { cfa: () => info.cfaAt(pc, readReg, readMemBig) } : {}) };
    const specials = this.specialRegs.get(core);
    const toVal = (inf: DebugInfo, d: Die): Val | undefined => {
      const v = inf.scopes.variableOf(d, pc);
      const r = inf.scopes.evaluateVariable(v, pc, access);
      return valOf(v.type, r);
    };
    const env: EvalEnv = {
      lookup: (name) => {
        if (info !== undefined && frame?.exception === undefined) {
          for (const s of frame !== undefined ? frameScopes(info, frame) : info.scopesAt(pc)) {
            const v = s.variables.find((x) => x.name === name);
            if (v !== undefined) return valOf(v.type, info.scopes.evaluateVariable(v, pc, access));
          }
          const u = info.scopes.unitAt(pc);
          const own = u === undefined ? undefined : unitVariables(u).find((d) => d.name() === name);
          if (own !== undefined) return toVal(info, own);
        }
        for (const inf of [...(info ? [info] : []), ...this.host.images(core)]) {
          const ds = indexOf(inf).globals.get(name);
          if (ds !== undefined && ds.length > 0) return toVal(inf, ds[0]);
        }
        return undefined;
      },
      register: (name) => {
        const alias: Record<string, string> = { r13: 'sp', r14: 'lr', r15: 'pc', fp: 'r7' };
        const n = alias[name] ?? name;
        const i = DWARF_REGS.indexOf(n);
        if (i >= 0) { const v = regs.get(i); return v === undefined ? undefined : v >>> 0; }
        return frameIndex === 0 ? specials?.get(n) : undefined;
      },
      readMem: (a, n) => cache.read(a, n),
      typeByName: (name) => {
        for (const inf of [...(info ? [info] : []), ...this.host.images(core)]) {
          const d = indexOf(inf).types.get(name);
          if (d !== undefined) return inf.scopes.types.get(d);
        }
        return undefined;
      },
    };
    return { ev: new Evaluator(env), env };
  }

  /** Special and FP registers of frame 0, read once per stop for `$name` in expressions. */
  private readonly specialRegs = new Map<CoreId, Map<string, number>>();

  /** Reads the registers `$name` can name beyond r0-pc; called before evaluating on a core. */
  async prepare(core: CoreId): Promise<void> {
    if (this.specialRegs.has(core)) return;
    const m = new Map<string, number>();
    try { for (const r of await this.host.target().readRegisters(core)) m.set(r.name, r.value >>> 0); } catch { /* none */ }
    this.specialRegs.set(core, m);
  }

  /** Drops what `prepare` read (the target resumed or a register was written). */
  forget(core?: CoreId): void { if (core === undefined) this.specialRegs.clear(); else this.specialRegs.delete(core); }

  /** A frame's parameters as name, type and value (for stackFrameFormat.parameters). */
  async frameArguments(core: CoreId, frameIndex: number): Promise<Array<{ name: string; type?: string; value: string }>> {
    const kids = await this.scopeChildren(core, frameIndex, 'arguments');
    return kids.map((k) => ({ name: k.name, value: k.value, ...(k.type !== undefined ? { type: k.type } : {}) }));
  }

  // ---------------------------------------------------------------- nodes

  private async scopeChildren(core: CoreId, frameIndex: number, kind: ScopeKind): Promise<Node[]> {
    if (kind === 'registers') return this.registerNodes(core, frameIndex);
    if (kind === 'fault') return this.faultNodes(core);
    if (kind === 'security') return this.securityNodes(core, frameIndex);
    const frame = await this.host.frame(core, frameIndex);
    if (frame === undefined || frame.info === undefined) return [];
    await this.prepare(core);
    const info = frame.info;
    const ctx = this.context(core, frameIndex, frame);
    return this.settle(core, () => {
      const out: Node[] = [];
      const seen = new Set<string>();
      if (kind === 'statics') {
        const u = info.scopes.unitAt(frame.lookupPc);
        for (const d of u ? unitVariables(u) : []) {
          const name = d.name()!;
          if (seen.has(name)) continue;
          seen.add(name);
          out.push(this.safeNode(core, frameIndex, name, name, () => ctx.env.lookup(name), ctx.ev));
        }
        return out;
      }
      for (const s of frameScopes(info, frame)) {
        for (const v of s.variables) {
          if ((kind === 'arguments') !== v.isParam) continue;
          // An inner scope's variable hides an outer one of the same name.
          if (seen.has(v.name)) continue;
          seen.add(v.name);
          out.push(this.safeNode(core, frameIndex, v.name, v.name, () => ctx.env.lookup(v.name), ctx.ev, v.type));
        }
      }
      // Without an Arguments scope (no parameters) the locals scope is all there is.
      return out;
    });
  }

  private safeNode(core: CoreId, frameIndex: number, name: string, path: string, get: () => Val | undefined, ev: Evaluator, dwType?: DwarfType): Node {
    try {
      const v = get();
      if (v === undefined) return { name, value: '<not found>', readOnly: true };
      return this.valueNode(core, frameIndex, name, path, v, ev);
    } catch (e) {
      return { name, value: `<${msg(e)}>`, ...(dwType ? { type: fromDwarf(dwType).name } : {}), readOnly: true };
    }
  }

  /** A node for a value: formatted, with children for structs, arrays and pointers. */
  private valueNode(core: CoreId, frameIndex: number, name: string, path: string, v: Val, ev: Evaluator): Node {
    const t = v.ty;
    const n: Node = { name, value: ev.format(v, (a) => this.symbolize(core, a)), type: t.name, evaluateName: path };
    if (v.lv?.kind === 'memory') {
      n.memoryReference = hex(v.lv.addr);
      // Bitfields watch their whole storage unit: the DWT compares bytes, not bits.
      n.watch = { address: v.lv.addr >>> 0, size: Math.max(1, sizeOf(t)) };
    }
    if (v.lv !== undefined && (t.k === 'int' || t.k === 'float' || t.k === 'ptr')) n.set = (text) => this.assign(core, frameIndex, v, text, name, path);
    const wrap = (p: string) => (/^[A-Za-z_$][\w$]*$/.test(p) ? p : `(${p})`);
    const rust = t.k === 'struct' && t.dw.language === 'rust' ? rustShape(v, ev, path) : undefined;
    if (rust) {
      // A fieldless variant (Cmd::Nop) or an empty slice has nothing to expand.
      if (rust.count > PAGE_THRESHOLD) n.indexed = rust.count;
      if (rust.count > 0) n.children = async (start, max) => this.settle(core, () => {
        const out: Node[] = [];
        for (let i = start; i < Math.min(rust.count, start + max); i++) {
          const c = rust.child(i);
          out.push(this.safeNode(core, frameIndex, c.name, c.path, () => c.get(), ev));
        }
        return out;
      });
    } else if (t.k === 'struct') {
      n.children = async () => this.settle(core, () => t.dw.strip().members().map((m, i) => {
        const mname = m.name ?? `<base ${i}>`;
        return this.safeNode(core, frameIndex, mname, `${wrap(path)}.${mname}`, () => memberOf(ev, v, m), ev, m.type);
      }));
    } else if (t.k === 'array' && (t.count ?? 0) > 0) {
      const count = t.count!;
      if (count > PAGE_THRESHOLD) n.indexed = count;
      n.children = async (start, max) => this.settle(core, () => {
        const out: Node[] = [];
        const es = sizeOf(t.elem);
        const end = Math.min(count, start + max);
        for (let i = start; i < end; i++) {
          out.push(this.safeNode(core, frameIndex, `[${i}]`, `${wrap(path)}[${i}]`, () => {
            if (v.lv?.kind === 'memory') {
              const el: Val = { ty: t.elem, lv: { kind: 'memory', addr: (v.lv.addr + i * es) >>> 0 } };
              if (t.elem.k !== 'struct' && t.elem.k !== 'array') ev.load(el);
              return el;
            }
            const b = ev.load(v);
            return { ty: t.elem, bytes: b.slice(i * es, (i + 1) * es) };
          }, ev));
        }
        return out;
      });
    } else if (t.k === 'ptr' && t.to.k !== 'void' && t.to.k !== 'func') {
      n.children = async () => this.settle(core, () => [
        this.safeNode(core, frameIndex, `*${name}`, `*${wrap(path)}`, () => {
          const d = ev.deref(v);
          if (d.ty.k !== 'struct' && d.ty.k !== 'array') ev.load(d);
          return d;
        }, ev),
      ]);
    }
    return n;
  }

  private symbolize(core: CoreId, a: bigint): string | undefined {
    if (a > 0xffffffffn) return undefined;
    for (const info of this.host.images(core)) {
      const s = info.symbolAt(Number(a));
      if (s !== undefined) return s.offset === 0 ? s.display : `${s.display}+${s.offset}`;
    }
    return undefined;
  }

  /** Writes `text` (an expression) into the value's location; bitfields read-modify-write. */
  private async assign(core: CoreId, frameIndex: number, lhs: Val, text: string, name = '', path = ''): Promise<Node> {
    const frame = await this.host.frame(core, frameIndex);
    await this.prepare(core);
    const ctx = this.context(core, frameIndex, frame);
    const rhs = await this.settle(core, () => ctx.ev.evaluate(text));
    let bytes = await this.settle(core, () => encodeFor(ctx.ev, lhs.ty, rhs));
    const target = this.host.target();
    if (lhs.bits !== undefined) {
      const old = await this.settle(core, () => ctx.ev.load({ ty: lhs.ty, lv: lhs.lv }));
      let storage = 0n, x = 0n;
      for (let i = old.length - 1; i >= 0; i--) storage = (storage << 8n) | BigInt(old[i]);
      for (let i = bytes.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]);
      const mask = ((1n << BigInt(lhs.bits.size)) - 1n) << BigInt(lhs.bits.offset);
      storage = (storage & ~mask) | ((x << BigInt(lhs.bits.offset)) & mask);
      bytes = new Uint8Array(old.length);
      for (let i = 0; i < old.length; i++) bytes[i] = Number((storage >> BigInt(8 * i)) & 0xffn);
    }
    if (lhs.lv?.kind === 'memory') {
      await target.writeMemory({ core, address: lhs.lv.addr }, bytes);
      this.host.changed(core, 'memory');
    } else if (lhs.lv?.kind === 'register') {
      if (frameIndex !== 0) throw new EvalError(`'${lhs.lv.name}' of an outer frame cannot be changed (only the innermost frame's registers are live)`);
      let x = 0;
      for (let i = Math.min(bytes.length, 4) - 1; i >= 0; i--) x = (x * 256) + bytes[i];
      // A narrower value in a register keeps the register's upper bits as the ABI leaves them: set all 32.
      await target.writeRegister(core, lhs.lv.name, x >>> 0);
      this.host.changed(core, 'registers');
      this.forget(core);
    } else {
      throw new EvalError(`${name || 'this value'} is not in memory or a register and cannot be changed`);
    }
    const fresh = await this.host.frame(core, frameIndex);
    const ctx2 = this.context(core, frameIndex, fresh);
    const now: Val = lhs.lv.kind === 'memory' ? { ty: lhs.ty, lv: lhs.lv, ...(lhs.bits ? { bits: lhs.bits } : {}) } : { ty: lhs.ty, bytes, lv: lhs.lv };
    return this.settle(core, () => this.valueNode(core, frameIndex, name, path, now, ctx2.ev));
  }

  // ---------------------------------------------------------------- registers

  /**
   * A register of an outer frame: written where the unwinder found it (the stack slot its
   * callee saved it in, or the live register when no callee changed it); a value the unwinder
   * computed (sp as the CFA, pc from the return address) has nowhere to go.
   */
  private async setOuterRegister(core: CoreId, frameIndex: number, name: string, home: RegHome | undefined, text: string): Promise<Node> {
    if (home === undefined) throw new EvalError(`${name} of frame ${frameIndex} was computed by the unwinder, not saved anywhere: it cannot be changed (change it in frame 0 or in memory)`);
    const frame = await this.host.frame(core, 0);
    await this.prepare(core);
    const ctx = this.context(core, 0, frame);
    const rhs = await this.settle(core, () => ctx.ev.evaluate(text));
    const bytes = await this.settle(core, () => encodeFor(ctx.ev, T_UINT, rhs));
    const target = this.host.target();
    let x = 0;
    for (let i = Math.min(bytes.length, 4) - 1; i >= 0; i--) x = (x * 256) + bytes[i];
    if (home.kind === 'memory') {
      const b = new Uint8Array(4);
      for (let i = 0; i < 4; i++) b[i] = (x >>> (8 * i)) & 0xff;
      await target.writeMemory({ core, address: home.address }, b);
    } else {
      await target.writeRegister(core, name, x >>> 0);
      this.forget(core);
    }
    // Either write can move the unwound stack (a saved lr, a frame pointer): rebuild it.
    this.host.changed(core, 'registers');
    return { name, value: hex(x), evaluateName: `$${name}` };
  }

  private async registerNodes(core: CoreId, frameIndex: number): Promise<Node[]> {
    const target = this.host.target();
    const info = this.host.coreInfo(core);
    if (frameIndex > 0) {
      const frame = await this.host.frame(core, frameIndex);
      const out: Node[] = [];
      for (const [n, v] of [...(frame?.regs ?? new Map<number, number>()).entries()].sort((a, b) => a[0] - b[0])) {
        const name = dwarfRegName(n);
        if (name === undefined) continue;
        const home = frame?.homes?.get(n);
        out.push({ name, value: hex(v), evaluateName: `$${name}`, set: (text) => this.setOuterRegister(core, frameIndex, name, home, text) });
      }
      return out;
    }
    const regs = await target.readRegisters(core);
    const setReg = (name: string, parse: (text: string) => number, show: (v: number) => string) => async (text: string): Promise<Node> => {
      const v = parse(text);
      await target.writeRegister(core, name, v >>> 0);
      this.host.changed(core, 'registers');
      this.forget(core);
      const now = await target.readRegister(core, name);
      return { name, value: show(now) };
    };
    const parseInt32 = (name: string) => (text: string) => {
      const t = text.trim();
      if (!/^[-+]?(0x[0-9a-f]+|0b[01]+|\d+)$/i.test(t)) throw new EvalError(`'${text}' is not a number for ${name} (use decimal, 0x... or 0b...)`);
      const neg = t.startsWith('-');
      const n = Number(BigInt(t.replace(/^[-+]/, '')));
      if (n > 0xffffffff) throw new EvalError(`${t} does not fit in 32-bit register ${name}`);
      return neg ? -n : n;
    };
    const fields = (fs: { name: string; value: string }[]) => async () => fs.map((f): Node => ({ name: f.name, value: f.value, readOnly: true }));
    const core_: Node[] = [], special: Node[] = [], banked: Node[] = [], fp: Node[] = [];
    for (const r of regs) {
      const node: Node = { name: r.name, value: hex(r.value), evaluateName: `$${r.name}`, set: setReg(r.name, parseInt32(r.name), hex) };
      if (r.name === 'xpsr') {
        node.children = fields(decodeXpsr(r.value, { ...(info ? { world: info.world, hasSecurity: info.hasSecurity, privileged: info.privileged } : {}) }));
      } else if (/^control(_s|_ns)?$/.test(r.name)) {
        node.children = fields(decodeControl(r.value, { register: r.name, hasSecurity: info?.hasSecurity === true }));
      } else if (r.name === 'fpscr') {
        node.children = fields(decodeFpscr(r.value));
      } else if (r.group === 'fp') {
        const showF = (b: number) => `${floatOfBits(b)} (${hex(b)})`;
        node.value = showF(r.value);
        node.type = 'float';
        node.set = setReg(r.name, (text) => {
          const t = text.trim();
          if (/^0x[0-9a-f]{1,8}$/i.test(t)) return Number(t);
          const f = Number(t);
          if (t === '' || Number.isNaN(f) && t.toLowerCase() !== 'nan') throw new EvalError(`'${text}' is not a float for ${r.name}`);
          return bitsOfFloat(f);
        }, showF);
      }
      (r.group === 'core' ? core_ : r.group === 'special' ? special : r.group === 'banked' ? banked : fp).push(node);
    }
    const out = [...core_];
    if (special.length > 0) out.push({ name: 'Special', value: special.map((s) => s.name).slice(0, 4).join(', ') + '…', children: async () => special, readOnly: true });
    if (banked.length > 0) out.push({ name: 'Banked (S/NS)', value: `${banked.length} registers`, children: async () => banked, readOnly: true });
    if (fp.length > 0) out.push({ name: 'FPU', value: `s0-s31, fpscr`, children: async () => fp, readOnly: true });
    return out;
  }

  /** The Security scope: SAU table, the frame's pc and sp attribution, SFSR/SFAR. */
  private async securityNodes(core: CoreId, frameIndex: number): Promise<Node[]> {
    const frame = await this.host.frame(core, frameIndex);
    const at: { name: string; address: number }[] = [];
    const pc = frame?.regs.get(15), sp = frame?.regs.get(13);
    if (pc !== undefined) at.push({ name: 'pc', address: (pc & ~1) >>> 0 });
    if (sp !== undefined) at.push({ name: 'sp', address: sp >>> 0 });
    const info = await this.host.target().readSecurity?.(core, at.map((a) => a.address));
    if (info === undefined) return [];
    const sfar = (info.sfsr & SFARVALID) !== 0 ? (await this.host.target().readSecurity?.(core, [info.sfar]))?.attributions[0] : undefined;
    const toNode = (r: SecurityRow): Node => ({ name: r.name, value: r.value, readOnly: true, ...(r.children ? { children: async () => r.children!.map(toNode) } : {}) });
    return securityRows(info, at, sfar).map(toNode);
  }

  private async faultNodes(core: CoreId): Promise<Node[]> {
    const st = await this.host.target().readFaultStatus(core);
    const out: Node[] = [{ name: 'summary', value: st.summary, readOnly: true }];
    for (const r of decodeFaultRegisters(st)) {
      const node: Node = { name: r.name, value: hex(r.value), readOnly: true };
      if (r.bits.length > 0) node.children = async () => r.bits.map((b): Node => ({ name: b.name, value: b.value, readOnly: true }));
      if (r.bits.length > 0 && r.name !== 'MMFAR' && r.name !== 'BFAR' && r.name !== 'SFAR') node.value += ` (${r.bits.map((b) => b.name).join(' ')})`;
      out.push(node);
    }
    return out;
  }
}

/** An evaluated DWARF variable as an evaluator value. */
function valOf(type: DwarfType | undefined, r: { location?: { kind: string; addr?: bigint; reg?: number }; bytes?: Uint8Array; error?: string }): Val {
  const ty: Ty = fromDwarf(type);
  // The Variables view shows `<optimized out>` as gdb prints it, so the message carries no name.
  if (r.bytes === undefined) throw new EvalError(r.error ?? 'unavailable');
  const loc = r.location;
  if (loc?.kind === 'memory' && loc.addr !== undefined && loc.addr <= 0xffffffffn) {
    return { ty, lv: { kind: 'memory', addr: Number(loc.addr) }, ...(r.bytes.length <= MAX_VALUE_BYTES ? { bytes: r.bytes } : {}) };
  }
  if (loc?.kind === 'register' && loc.reg !== undefined) {
    const rn = dwarfRegName(loc.reg);
    return { ty, bytes: r.bytes, ...(rn ? { lv: { kind: 'register' as const, name: rn } } : {}) };
  }
  return { ty, bytes: r.bytes };
}
