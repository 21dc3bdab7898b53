// Scopes and variables by pc: the unit containing a pc, the subprogram / lexical block /
// inlined-subroutine chain around it, the variables and parameters of each scope with the
// location that applies at that pc, and function name → address ranges. Indexes are built on
// first use and kept.
import { DW_AT, DW_TAG, type Die, type DwarfInfo, type Unit } from './info';
import { dieLocList, dieRanges, isListForm, rangesContain, readAranges, type AddrRange, type LocListEntry } from './ranges';
import { evaluate, readLocationPartial, type EvalContext, type Location } from './location';
import { TypeTable, type DwarfType } from './types';

export type ScopeKind = 'function' | 'block' | 'inlined';

/** Where a variable lives at the queried pc, before evaluation. */
export type VarLocation =
  | { kind: 'expr'; expr: Uint8Array }
  | { kind: 'list'; entry: LocListEntry }
  | { kind: 'const'; value: number | bigint | string | Uint8Array | boolean; form: number }
  | { kind: 'optimized-out'; reason: string };

export interface Variable {
  name: string;
  isParam: boolean;
  type?: DwarfType;
  location: VarLocation;
  die: Die;
  declLine?: number;
}

export interface Scope {
  kind: ScopeKind;
  die: Die;
  /** The function's name (function and inlined scopes). */
  name?: string;
  ranges: AddrRange[];
  /** Call site of an inlined subroutine (file index into the unit's line table, line, column). */
  callFile?: number;
  callLine?: number;
  callColumn?: number;
  variables: Variable[];
}

export interface FunctionAddress { name: string; linkageName?: string; lo: number; hi: number; inlined: boolean; die: Die }

interface UnitRange { lo: number; hi: number; unit: Unit }
/** A piece of the address space and the units covering it, narrowest range first. */
interface UnitSegment { lo: number; hi: number; units: Unit[] }
interface FuncRange { lo: number; hi: number; index: number }

const SCOPE_TAGS = new Set<number>([DW_TAG.subprogram, DW_TAG.lexical_block, DW_TAG.inlined_subroutine]);
const MAX_DEPTH = 256;
const MAX_VALUE_BYTES = 1 << 20;

export class Scopes {
  readonly types = new TypeTable();
  private unitRanges?: UnitSegment[];
  private funcIndex = new Map<Unit, FuncRange[]>();
  private byName?: Map<string, FunctionAddress[]>;

  constructor(readonly info: DwarfInfo) {}

  /**
   * The compile unit that owns pc: of the units whose ranges contain it, the first one with a
   * function covering pc, else the one with the narrowest containing range.
   */
  unitAt(pc: number): Unit | undefined {
    const us = this.unitsAt(pc);
    for (const u of us) if (this.functionAt(u, pc) !== undefined) return u;
    return us[0];
  }

  /**
   * Every unit whose ranges contain pc, narrowest containing range first. Ranges overlap when the
   * linker discarded a unit's sections (--gc-sections): its low_pc/aranges are then relocated to
   * 0 and cover the start of real code (newlib's reent.c claims [0, 0xd8) in faults.elf).
   */
  unitsAt(pc: number): readonly Unit[] {
    const rs = this.buildUnitRanges();
    let lo = 0, hi = rs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (pc < rs[mid].lo) hi = mid - 1; else if (pc >= rs[mid].hi) lo = mid + 1; else return rs[mid].units;
    }
    return [];
  }

  private buildUnitRanges(): UnitSegment[] {
    if (this.unitRanges) return this.unitRanges;
    const raw: UnitRange[] = [];
    const covered = new Set<Unit>();
    for (const set of readAranges(this.info.sections)) {
      const u = this.info.unitAt(set.infoOffset);
      if (!u || u.offset !== set.infoOffset) continue;
      covered.add(u);
      for (const r of set.ranges) if (r.hi > r.lo) raw.push({ lo: r.lo, hi: r.hi, unit: u });
    }
    for (const u of this.info.compileUnits()) {
      if (covered.has(u)) continue;
      const root = u.root();
      if (root) for (const r of dieRanges(root)) if (r.hi > r.lo) raw.push({ lo: r.lo, hi: r.hi, unit: u });
    }
    this.unitRanges = flattenUnitRanges(raw);
    return this.unitRanges;
  }

  /** The out-of-line subprogram of unit u whose ranges contain pc. */
  private functionAt(u: Unit, pc: number): Die | undefined {
    const fs = this.functionsOf(u);
    let fi = -1;
    let lo = 0, hi = fs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (fs[mid].lo <= pc) { fi = mid; lo = mid + 1; } else hi = mid - 1;
    }
    // Ranges of different functions do not overlap, but one function can have several ranges.
    for (let k = fi; k >= 0 && k > fi - 64; k--) if (pc >= fs[k].lo && pc < fs[k].hi) return u.dieByIndex(fs[k].index);
    return undefined;
  }

  /** Out-of-line subprograms of a unit with their ranges, sorted by start. */
  private functionsOf(u: Unit): FuncRange[] {
    let f = this.funcIndex.get(u);
    if (f) return f;
    f = [];
    const n = u.dieCount();
    // Only DIEs outside any subprogram are candidates (nested functions are found by descent).
    for (let i = 1; i < n; i++) {
      const ab = u.abbrevOf(i);
      if (ab.tag !== DW_TAG.subprogram) continue;
      let p = u.parentOf(i), nested = false;
      for (let k = 0; p >= 0 && k < MAX_DEPTH; k++) { if (u.abbrevOf(p).tag === DW_TAG.subprogram) { nested = true; break; } p = u.parentOf(p); }
      if (nested) continue;
      for (const r of dieRanges(u.dieByIndex(i))) if (r.hi > r.lo) f.push({ lo: r.lo, hi: r.hi, index: i });
    }
    f.sort((a, b) => a.lo - b.lo);
    this.funcIndex.set(u, f);
    return f;
  }

  /** The scopes containing pc, innermost first; empty when no function covers pc. */
  scopesAt(pc: number): Scope[] {
    let fn: Die | undefined;
    for (const u of this.unitsAt(pc)) if ((fn = this.functionAt(u, pc)) !== undefined) break;
    if (!fn) return [];
    const chain: Die[] = [fn];
    let cur = fn;
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      let next: Die | undefined;
      for (const c of cur.children()) {
        if (!SCOPE_TAGS.has(c.tag)) continue;
        if (c.tag === DW_TAG.subprogram) continue;
        const rs = dieRanges(c);
        // A lexical block without ranges belongs to its parent's ranges (GCC emits these).
        if (rs.length === 0 && c.tag === DW_TAG.lexical_block) { if (blockHasScopeAt(c, pc)) { next = c; break; } continue; }
        if (rangesContain(rs, pc)) { next = c; break; }
      }
      if (!next) break;
      chain.push(next);
      cur = next;
    }
    return chain.reverse().map((d) => this.scopeOf(d, pc));
  }

  private scopeOf(d: Die, pc: number): Scope {
    const kind: ScopeKind = d.tag === DW_TAG.subprogram ? 'function' : d.tag === DW_TAG.inlined_subroutine ? 'inlined' : 'block';
    const s: Scope = { kind, die: d, ranges: dieRanges(d), variables: [] };
    if (kind !== 'block') s.name = d.name();
    if (kind === 'inlined') {
      s.callFile = d.num(DW_AT.call_file);
      s.callLine = d.num(DW_AT.call_line);
      s.callColumn = d.num(DW_AT.call_column);
    }
    for (const c of d.children()) {
      if (c.tag === DW_TAG.formal_parameter || c.tag === DW_TAG.variable) s.variables.push(this.variableOf(c, pc));
      else if (c.tag === DW_TAG.lexical_block && dieRanges(c).length === 0 && !c.has(DW_AT.ranges)) {
        // Range-less blocks only group declarations; their variables belong to this scope.
        for (const v of c.children()) if (v.tag === DW_TAG.variable) s.variables.push(this.variableOf(v, pc));
      }
    }
    return s;
  }

  variableOf(d: Die, pc: number): Variable {
    const name = d.name() ?? '<anonymous>';
    const typeDie = d.inherited(DW_AT.type);
    const type = typeDie ? this.types.fromRef(typeDie, DW_AT.type) : undefined;
    const v: Variable = { name, isParam: d.tag === DW_TAG.formal_parameter, type, die: d, location: { kind: 'optimized-out', reason: 'no location' } };
    const declLine = d.inherited(DW_AT.decl_line)?.num(DW_AT.decl_line);
    if (declLine !== undefined) v.declLine = declLine;
    // Location and const_value belong to the concrete DIE; an abstract origin has none.
    const cv = d.attr(DW_AT.const_value);
    const loc = d.attr(DW_AT.location);
    if (loc) {
      if (isListForm(d.unit, loc.form)) {
        const list = dieLocList(d, DW_AT.location) ?? [];
        const e = list.find((x) => x.lo === -1 ? false : pc >= x.lo && pc < x.hi) ?? list.find((x) => x.lo === -1);
        v.location = e ? { kind: 'list', entry: e } : { kind: 'optimized-out', reason: 'no location at this pc' };
      } else if (loc.value instanceof Uint8Array) {
        v.location = loc.value.length ? { kind: 'expr', expr: loc.value } : { kind: 'optimized-out', reason: 'empty location' };
      }
    } else if (cv) v.location = { kind: 'const', value: cv.value, form: cv.form };
    return v;
  }

  /** Every function (out-of-line and inlined instances) with the given name or linkage name. */
  functionAddresses(name: string): FunctionAddress[] {
    return this.buildNameIndex().get(name) ?? [];
  }

  private buildNameIndex(): Map<string, FunctionAddress[]> {
    if (this.byName) return this.byName;
    const m = new Map<string, FunctionAddress[]>();
    const add = (k: string, f: FunctionAddress) => { const l = m.get(k); if (l) l.push(f); else m.set(k, [f]); };
    for (const u of this.info.compileUnits()) {
      const n = u.dieCount();
      for (let i = 0; i < n; i++) {
        const tag = u.abbrevOf(i).tag;
        if (tag !== DW_TAG.subprogram && tag !== DW_TAG.inlined_subroutine) continue;
        const d = u.dieByIndex(i);
        const rs = dieRanges(d);
        if (rs.length === 0) continue;
        const name = d.name();
        if (name === undefined) continue;
        const ln = d.inherited(DW_AT.linkage_name)?.str(DW_AT.linkage_name) ?? d.inherited(DW_AT.MIPS_linkage_name)?.str(DW_AT.MIPS_linkage_name);
        const inlined = tag === DW_TAG.inlined_subroutine;
        // An inlined instance is entered at DW_AT_entry_pc when given, else its lowest address.
        const entry = inlined ? d.num(DW_AT.entry_pc) : undefined;
        for (const r of rs) {
          if (r.hi <= r.lo) continue;
          const f: FunctionAddress = { name, linkageName: ln, lo: entry !== undefined && rangesContain([r], entry) ? entry : r.lo, hi: r.hi, inlined, die: d };
          add(name, f);
          if (ln && ln !== name) add(ln, f);
        }
      }
    }
    for (const l of m.values()) l.sort((a, b) => a.lo - b.lo);
    this.byName = m;
    return m;
  }

  /** The enclosing concrete subprogram of a scope DIE (for DW_AT_frame_base). */
  private enclosingFunction(d: Die): Die | undefined {
    let c: Die | undefined = d;
    for (let i = 0; c && i < MAX_DEPTH; i++) { if (c.tag === DW_TAG.subprogram) return c; c = c.parent(); }
    return undefined;
  }

  /**
   * Evaluates a variable at pc to its location and bytes. `target` supplies registers, memory
   * and the CFA (from the frame unwinder); missing pieces come back as an error string.
   */
  evaluateVariable(v: Variable, pc: number, target: Omit<EvalContext, 'addrSize' | 'frameBase'>): VariableValue {
    const u = v.die.unit;
    const size = v.type?.size ?? u.addrSize;
    // A corrupt or huge array bound must not turn into a giant allocation or memory read.
    if (size > MAX_VALUE_BYTES) return { type: v.type, error: `value is too large to read (${size} bytes, limit ${MAX_VALUE_BYTES})` };
    const ctx: EvalContext = { ...target, addrSize: u.addrSize, offsetSize: u.offsetSize, addrx: (i) => this.info.readAddrx(u, i) };
    const fn = this.enclosingFunction(v.die);
    ctx.frameBase = () => (fn ? this.frameBase(fn, pc, ctx) : undefined);
    const loc = v.location;
    switch (loc.kind) {
      case 'optimized-out': return { type: v.type, error: 'optimized out' };
      case 'const': {
        const bytes = constBytes(loc.value, size);
        return bytes ? { type: v.type, bytes } : { type: v.type, error: 'constant value cannot be shown' };
      }
      case 'expr': case 'list': {
        const l = evaluate(loc.kind === 'expr' ? loc.expr : loc.entry.expr, ctx);
        if (l.kind === 'optimized-out') return { type: v.type, location: l, error: 'optimized out' };
        const r = readLocationPartial(l, size, ctx);
        return 'error' in r ? { type: v.type, location: l, error: r.error } : { type: v.type, location: l, bytes: r.bytes, valid: r.valid };
      }
    }
  }

  private frameBase(fn: Die, pc: number, ctx: EvalContext): bigint | undefined {
    const a = fn.attr(DW_AT.frame_base);
    if (!a) return undefined;
    let expr: Uint8Array | undefined;
    if (isListForm(fn.unit, a.form)) expr = dieLocList(fn, DW_AT.frame_base)?.find((e) => pc >= e.lo && pc < e.hi)?.expr;
    else if (a.value instanceof Uint8Array) expr = a.value;
    if (!expr) return undefined;
    // The frame base must not itself use DW_OP_fbreg (section 2.5.1.2).
    const l: Location = evaluate(expr, { ...ctx, frameBase: undefined });
    if (l.kind === 'memory') return l.addr;
    if (l.kind === 'register') return ctx.readReg?.(l.reg);
    if (l.kind === 'value') return l.value;
    return undefined;
  }
}

/** An evaluated variable; `valid` (one bit per value bit) is present when only part of it is known. */
export interface VariableValue { type?: DwarfType; location?: Location; bytes?: Uint8Array; valid?: Uint8Array; error?: string }

function constBytes(v: number | bigint | string | Uint8Array | boolean, size: number): Uint8Array | undefined {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return new TextEncoder().encode(v);
  const n = typeof v === 'boolean' ? (v ? 1n : 0n) : BigInt(v);
  const out = new Uint8Array(Math.max(size, 1));
  for (let i = 0; i < out.length; i++) out[i] = Number((n >> BigInt(8 * Math.min(i, 15))) & 0xffn);
  return out;
}

function blockHasScopeAt(b: Die, pc: number): boolean {
  for (const c of b.children()) if (SCOPE_TAGS.has(c.tag) && rangesContain(dieRanges(c), pc)) return true;
  return false;
}

/**
 * Cuts possibly overlapping unit ranges into sorted disjoint segments, each listing the units
 * that cover it by the width of their range (a sweep over the range ends; ties by unit offset).
 */
function flattenUnitRanges(raw: UnitRange[]): UnitSegment[] {
  raw.sort((a, b) => a.lo - b.lo || a.hi - b.hi);
  const ends = [...new Set(raw.flatMap((r) => [r.lo, r.hi]))].sort((a, b) => a - b);
  const out: UnitSegment[] = [];
  let active: UnitRange[] = [];
  let next = 0;
  for (let i = 0; i + 1 < ends.length; i++) {
    const lo = ends[i], hi = ends[i + 1];
    active = active.filter((r) => r.hi > lo);
    while (next < raw.length && raw[next].lo === lo) active.push(raw[next++]);
    if (active.length === 0) continue;
    const units: Unit[] = [];
    const byWidth = active.length === 1 ? active : [...active].sort((a, b) => (a.hi - a.lo) - (b.hi - b.lo) || a.unit.offset - b.unit.offset);
    for (const r of byWidth) if (!units.includes(r.unit)) units.push(r.unit);
    const prev = out[out.length - 1];
    if (prev && prev.hi === lo && prev.units.length === units.length && prev.units.every((u, k) => u === units[k])) prev.hi = hi;
    else out.push({ lo, hi, units });
  }
  return out;
}
