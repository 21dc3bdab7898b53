// The debug-information facade the debugger uses: one `DebugInfo` per ELF that opens lazily
// onto the symbol table, line programs, DIEs/scopes/types and (later) call frame information,
// and answers the debugger's questions (pc -> source + function + inline chain, file:line ->
// addresses, function -> addresses, scopes and variables at a pc, line-step ranges).
import { demangle } from './demangle';
import { ElfFile, type ElfParseOptions, type ElfSymbol } from './elf';
import { DW_AT, DwarfInfo, sectionsFrom, type Unit } from './info';
import { LineTable, type AddressRange, type BreakpointMatch, type LineLocation } from './lines';
import { Scopes, type FunctionAddress, type Scope, type Variable } from './scopes';
import type { EvalContext } from './location';
import { typeName } from './types';
import { formatValue } from './values';
import { CallFrameInfo, cfaValue, unwindHeuristic, unwindWithRules, type ReadMemory, type RulesAt, type UnwoundFrame } from './frames';

export { DwarfError, ByteReader } from './reader';
export { ElfError, ElfFile } from './elf';
export type { ElfSection, ElfSegment, ElfSymbol, ArmAttributes, MappingKind } from './elf';
export { demangle } from './demangle';
export type { LineLocation, BreakpointMatch, AddressRange } from './lines';
export type { Scope, Variable, FunctionAddress } from './scopes';
export type { EvalContext } from './location';
export { CallFrameInfo, armRegName, formatCfa, formatRule } from './frames';
export type { CfaRule, RegRule, FrameRow, Cie, Fde, RulesAt, UnwoundFrame, ReadMemory } from './frames';

/** Options for `DebugInfo.unwind`. */
export interface UnwindOptions {
  /**
   * pc is a return address (every frame but the innermost): look its rules up at pc - 1, inside
   * the call, since a call can be the last instruction of a function (DWARF 5 section 6.4.4).
   */
  caller?: boolean;
}

/** One frame of the inline chain at a pc, innermost first. */
export interface InlineFrame {
  /** The inlined function's name. */
  function: string;
  /** Where it was called from (in the function one level out). */
  callFile?: string;
  callLine?: number;
  callColumn?: number;
}

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  /** The innermost function at pc (an inlined one if pc is in inlined code), demangled. */
  function?: string;
  /** Inlined calls around pc, innermost first; the last frame's call site is in `outerFunction`. */
  inlined: InlineFrame[];
  /** The out-of-line function containing pc. */
  outerFunction?: string;
  /** The line-table row the answer came from. */
  row: LineLocation;
}

/** What variable evaluation needs from the target: registers (DWARF numbering), memory, the CFA. */
export type TargetAccess = Omit<EvalContext, 'addrSize' | 'frameBase' | 'offsetSize' | 'addrx'>;

/** One variable or parameter in scope at a pc, as the debugger shows it. */
export interface LocalView {
  name: string;
  isParam: boolean;
  /** C/Rust spelling of the type, e.g. "struct point *". */
  type: string;
  /** The innermost scope it belongs to: 'function', 'block' or 'inlined' (with the function). */
  scope: string;
  /** The formatted value, when a target was given and the value could be read. */
  value?: string;
  /** Why there is no value: "optimized out", a register or memory that could not be read. */
  error?: string;
  variable: Variable;
}

/** A function's code, from DWARF when present, else from the symbol table (reported as such). */
export interface FunctionRange {
  name: string;
  lo: number;
  hi: number;
  inlined: boolean;
  source: 'dwarf' | 'symbol';
}

const strOf = (a: { value: unknown } | undefined): string | undefined => (typeof a?.value === 'string' ? a.value : undefined);

export class DebugInfo {
  private _lines?: LineTable | null;
  private _info?: DwarfInfo;
  private _scopes?: Scopes;
  private stmtIndex?: Map<number, Unit>;
  private _frames?: CallFrameInfo | null;

  private constructor(readonly elf: ElfFile) {}

  /** Parses the ELF headers only; everything else is read and indexed on first use and kept. */
  static open(bytes: Uint8Array, fileName: string, opts: ElfParseOptions = {}): DebugInfo {
    return new DebugInfo(ElfFile.parse(bytes, fileName, opts));
  }

  static fromElf(elf: ElfFile): DebugInfo { return new DebugInfo(elf); }

  get fileName(): string { return this.elf.fileName; }

  /** The line programs, or undefined when the file has no .debug_line. */
  get lines(): LineTable | undefined {
    if (this._lines === undefined) {
      // DWARF 2-4 line headers leave the compilation directory to the unit's DW_AT_comp_dir.
      this._lines = LineTable.fromElf(this.elf, { compDir: (off) => strOf(this.unitForLineProgram(off)?.rootAttr(DW_AT.comp_dir)) }) ?? null;
    }
    return this._lines ?? undefined;
  }

  get info(): DwarfInfo {
    return this._info ??= new DwarfInfo(sectionsFrom((n) => this.elf.sectionData(n)));
  }

  get scopes(): Scopes {
    return this._scopes ??= new Scopes(this.info);
  }

  /** The call frame information (.debug_frame, .eh_frame), or undefined when the file has none. */
  get frames(): CallFrameInfo | undefined {
    if (this._frames === undefined) this._frames = CallFrameInfo.fromElf(this.elf) ?? null;
    return this._frames ?? undefined;
  }

  /** The CFA rule and register rules in force at pc (from CFI), or undefined without an FDE for pc. */
  rulesAt(pc: number): RulesAt | undefined {
    return this.frames?.rulesAt(pc);
  }

  /**
   * Unwinds one frame: the caller's registers (DWARF numbers, r13 = CFA, r15 = caller pc) from CFI
   * when an FDE covers pc, else from the function's symbol and a prologue scan ('heuristic').
   * Stops cleanly (`stop`) at an EXC_RETURN (0xFxxxxxxx), a zero or undefined return address.
   */
  unwind(pc: number, regs: ReadonlyMap<number, number>, readMem: ReadMemory, opts: UnwindOptions = {}): UnwoundFrame {
    const lookup = opts.caller && pc > 0 ? pc - 1 : pc;
    const rules = this.rulesAt(lookup);
    if (rules !== undefined) return unwindWithRules(rules, regs, readMem);
    const sym = this.elf.symbolAt(lookup);
    // Hand-written assembly (libgcc's __gnu_cmse_nonsecure_call) often leaves its symbols untyped.
    const start = sym !== undefined && (sym.type === 2 || sym.type === 0) ? sym.value & ~1 : undefined;
    return unwindHeuristic(pc, start, regs, readMem, (a, n) => this.codeBytes(a, n) ?? readMem(a, n));
  }

  /**
   * Walks the stack from the innermost frame's registers (DWARF numbers; r15 is the pc) until an
   * exception return, the outermost frame, an unreadable frame, no progress, or `max` frames.
   * Frame 0 is the given state; each later frame is the caller's state as `unwind` gives it.
   */
  backtrace(regs: ReadonlyMap<number, number>, readMem: ReadMemory, max = 64): { frames: { pc: number; regs: Map<number, number>; method?: 'cfi' | 'heuristic' }[]; last: UnwoundFrame | undefined } {
    const pc0 = regs.get(15);
    const frames: { pc: number; regs: Map<number, number>; method?: 'cfi' | 'heuristic' }[] = [];
    if (pc0 === undefined) return { frames, last: undefined };
    let cur = { pc: pc0 & ~1, regs: new Map(regs) };
    frames.push(cur);
    let last: UnwoundFrame | undefined;
    for (let i = 1; i < max; i++) {
      last = this.unwind(cur.pc, cur.regs, readMem, { caller: i > 1 });
      if (last.stop !== undefined || last.pc === undefined) break;
      // A frame that does not move the stack or the pc would repeat forever.
      if (last.cfa === cur.regs.get(13) && last.pc === cur.pc) { last = { ...last, stop: 'unreadable', reason: 'the frame does not advance' }; break; }
      cur = { pc: last.pc, regs: last.regs };
      frames.push({ ...cur, method: last.method });
    }
    return { frames, last };
  }

  /** The CFA at pc for the given registers, for DW_OP_call_frame_cfa; undefined without CFI. */
  cfaAt(pc: number, readReg: (reg: number) => bigint | undefined, readMem?: (addr: bigint, size: number) => Uint8Array | undefined): bigint | undefined {
    const rules = this.rulesAt(pc);
    return rules === undefined ? undefined : cfaValue(rules.row, readReg, readMem);
  }

  /** Bytes of the file's loaded code at [addr, addr + n), when one section holds them all. */
  private codeBytes(addr: number, n: number): Uint8Array | undefined {
    for (const s of this.elf.sections) {
      // SHF_ALLOC program data: what the loader puts in the target's memory.
      if (s.type !== 1 || (s.flags & 2) === 0 || addr < s.addr || addr + n > s.addr + s.size) continue;
      return this.elf.sectionBytes(s).subarray(addr - s.addr, addr - s.addr + n);
    }
    return undefined;
  }

  /** Whether there is any DWARF to work from (otherwise only symbols answer). */
  hasDwarf(): boolean { return this.elf.section('.debug_info') !== undefined || this.elf.section('.zdebug_info') !== undefined; }

  private unitForLineProgram(offset: number): Unit | undefined {
    if (this.stmtIndex === undefined) {
      this.stmtIndex = new Map();
      if (this.hasDwarf()) {
        for (const u of this.info.compileUnits()) {
          const v = u.rootAttr(DW_AT.stmt_list)?.value;
          const off = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
          if (off !== undefined && !this.stmtIndex.has(off)) this.stmtIndex.set(off, u);
        }
      }
    }
    return this.stmtIndex.get(offset);
  }

  /** pc -> file, line, column, the function (demangled) and the chain of inlined calls around it. */
  sourceAt(pc: number): SourceLocation | undefined {
    const row = this.lines?.lookup(pc);
    if (row === undefined) return undefined;
    const chain = this.hasDwarf() ? this.scopes.scopesAt(pc) : [];
    const inlined: InlineFrame[] = [];
    let outer: string | undefined;
    for (const s of chain) {
      if (s.kind === 'inlined') {
        const f: InlineFrame = { function: this.display(s.name) ?? '??' };
        if (s.callFile !== undefined) f.callFile = this.unitFile(s, s.callFile);
        if (s.callLine !== undefined) f.callLine = s.callLine;
        if (s.callColumn !== undefined) f.callColumn = s.callColumn;
        inlined.push(f);
      } else if (s.kind === 'function') {
        outer = this.display(s.name);
        break;
      }
    }
    if (outer === undefined) {
      const sym = this.elf.symbolAt(pc);
      if (sym !== undefined) outer = demangle(sym.name);
    }
    const loc: SourceLocation = { file: row.file, line: row.line, column: row.column, inlined, row };
    const fn = inlined.length ? inlined[0].function : outer;
    if (fn !== undefined) loc.function = fn;
    if (outer !== undefined) loc.outerFunction = outer;
    return loc;
  }

  private display(name: string | undefined): string | undefined {
    return name === undefined ? undefined : demangle(name);
  }

  /** A call_file index resolved through the line program of the scope's unit. */
  private unitFile(s: Scope, index: number): string | undefined {
    const off = s.die.unit.root()?.num(DW_AT.stmt_list);
    const lines = this.lines;
    if (off === undefined || lines === undefined) return undefined;
    return lines.program(off).filePath(index);
  }

  /** file:line -> breakpoint addresses, moving to the nearest line with code when needed. */
  breakpointAddresses(file: string, line: number): BreakpointMatch | undefined {
    return this.lines?.breakpointAddresses(file, line);
  }

  /**
   * Function name (plain, qualified or mangled) -> code ranges: every out-of-line and inlined
   * instance from DWARF, else the symbol table's sized FUNC symbols of that name.
   */
  functionAddresses(name: string): FunctionRange[] {
    const out: FunctionRange[] = [];
    if (this.hasDwarf()) {
      for (const f of this.scopes.functionAddresses(name) as FunctionAddress[]) {
        out.push({ name: f.name, lo: f.lo, hi: f.hi, inlined: f.inlined, source: 'dwarf' });
      }
    }
    if (out.length === 0) {
      for (const s of this.elf.symbols()) {
        if (s.type !== 2 || s.shndx === 0) continue;
        if (s.name === name || demangle(s.name) === name || demangle(s.name).replace(/\(.*$/, '') === name) {
          out.push({ name: s.name, lo: s.value, hi: s.value + s.size, inlined: false, source: 'symbol' });
        }
      }
    }
    return out;
  }

  /**
   * The out-of-line code of function `name`, found without indexing every unit's DIEs: the symbol
   * table's FUNC symbol of that (linkage) name, confirmed by the DWARF function scope at its
   * address. Falls back to `functionAddresses` (the full name index) when they do not agree,
   * e.g. for names only DWARF knows (static functions the linker dropped from the symtab).
   */
  functionEntry(name: string): FunctionRange | undefined {
    for (const s of this.elf.symbols()) {
      if (s.type !== 2 || s.shndx === 0 || s.name !== name) continue;
      const fn = this.hasDwarf() ? this.scopesAt(s.value).find((sc) => sc.kind === 'function') : undefined;
      if (fn === undefined) return { name, lo: s.value, hi: s.value + s.size, inlined: false, source: 'symbol' };
      if (fn.name === name || fn.die.str(DW_AT.linkage_name) === name) {
        const r = fn.ranges.find((x) => x.lo <= s.value && s.value < x.hi) ?? fn.ranges[0];
        if (r !== undefined) return { name, lo: r.lo, hi: r.hi, inlined: false, source: 'dwarf' };
      }
    }
    return this.functionAddresses(name).find((f) => !f.inlined);
  }

  /** The scopes around pc with their variables, innermost first. */
  scopesAt(pc: number): Scope[] {
    return this.hasDwarf() ? this.scopes.scopesAt(pc) : [];
  }

  /**
   * The variables and parameters in scope at pc, innermost scope first, with their values when
   * `target` is given (pointers are shown with the symbol they point into).
   */
  localsAt(pc: number, target?: TargetAccess): LocalView[] {
    const out: LocalView[] = [];
    // DW_OP_call_frame_cfa (the usual GCC frame base) needs the CFA: take it from CFI when the
    // caller has not supplied one.
    if (target !== undefined && target.cfa === undefined && target.readReg !== undefined) {
      const readReg = target.readReg.bind(target);
      const readMem = target.readMem?.bind(target);
      target = { ...target, cfa: () => this.cfaAt(pc, readReg, readMem) };
    }
    const symbolize = (addr: bigint) => {
      if (addr > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
      const s = this.symbolAt(Number(addr));
      return s === undefined ? undefined : s.offset === 0 ? s.display : `${s.display}+${s.offset}`;
    };
    for (const s of this.scopesAt(pc)) {
      const scope = s.kind === 'block' ? 'block' : `${s.kind} ${this.display(s.name) ?? '??'}`;
      for (const v of s.variables) {
        const view: LocalView = { name: v.name, isParam: v.isParam, type: typeName(v.type), scope, variable: v };
        if (target !== undefined) {
          const val = this.scopes.evaluateVariable(v, pc, target);
          if (val.bytes !== undefined) {
            view.value = formatValue(val.type, val.bytes, { readMem: target.readMem, symbolize, ...(val.valid ? { valid: val.valid } : {}) });
          } else {
            view.error = val.error ?? 'unavailable';
          }
        }
        out.push(view);
      }
    }
    return out;
  }

  /** Address ranges that belong to pc's line, for line stepping (see LineTable.stepRanges). */
  stepRanges(pc: number, within?: AddressRange): AddressRange[] {
    return this.lines?.stepRanges(pc, within) ?? [];
  }

  /** The symbol containing addr and its demangled display name. */
  symbolAt(addr: number): { symbol: ElfSymbol; display: string; offset: number } | undefined {
    const symbol = this.elf.symbolAt(addr);
    return symbol === undefined ? undefined : { symbol, display: demangle(symbol.name), offset: addr - symbol.value };
  }
}
