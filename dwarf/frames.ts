// Call frame information (DWARF 5 section 6.4) from .debug_frame and .eh_frame: CIE/FDE parsing,
// the DW_CFA interpreter that yields the rule table, and one-frame unwinding for ARM (with a
// prologue-scanning fallback for code without CFI). Location expressions in rules go through
// location.ts; registers and memory come from the caller, so nothing here knows the target.
import type { ElfFile } from './elf';
import { evaluate, type Location } from './location';
import { ByteReader, DwarfError } from './reader';

/** How to compute the CFA: register + offset, or a DWARF expression (DW_CFA_def_cfa_expression). */
export type CfaRule =
  | { kind: 'reg'; reg: number; offset: number }
  | { kind: 'expr'; expr: Uint8Array };

/** A register's rule (DWARF 5 section 6.4.1). A register without a rule is "unspecified". */
export type RegRule =
  | { kind: 'undefined' }
  | { kind: 'same' }
  | { kind: 'offset'; offset: number }
  | { kind: 'val-offset'; offset: number }
  | { kind: 'register'; reg: number }
  | { kind: 'expr'; expr: Uint8Array }
  | { kind: 'val-expr'; expr: Uint8Array };

/** One row of the CFI table: the rules in force from `loc` on. */
export interface FrameRow {
  loc: number;
  cfa: CfaRule;
  /** Shared with neighbouring rows that have the same rules: do not modify. */
  regs: ReadonlyMap<number, RegRule>;
  /** DW_CFA_GNU_args_size: bytes of outgoing arguments pushed at this point. */
  argsSize: number;
}

export interface Cie {
  section: string;
  offset: number;
  version: number;
  augmentation: string;
  addrSize: number;
  segmentSize: number;
  codeAlign: number;
  dataAlign: number;
  raReg: number;
  /** DW_EH_PE_* encoding of FDE addresses ('R'), of the LSDA pointer ('L'); absptr by default. */
  fdeEncoding: number;
  lsdaEncoding: number;
  personality?: number;
  /** 'S': a signal/exception frame (the pc is not a return address). */
  signalFrame: boolean;
  hasAugData: boolean;
  /** From .eh_frame (pointer encodings apply to set_loc) and that section's load address. */
  eh: boolean;
  sectionAddr: number;
  instrStart: number;
  instrEnd: number;
  /** The section's bytes (the instructions are [instrStart, instrEnd) of it). */
  data: Uint8Array;
}

export interface Fde {
  section: string;
  offset: number;
  cie: Cie;
  lo: number;
  hi: number;
  lsda?: number;
  instrStart: number;
  instrEnd: number;
}

/** What `rulesAt` answers: the FDE that covers pc and the row in force there. */
export interface RulesAt { fde: Fde; row: FrameRow }

// DW_EH_PE_* (LSB 5.0 "Exception Frames"; the .eh_frame pointer encodings).
const PE_OMIT = 0xff;

// Bounds on guest-controlled work: remember_state nesting, FDE entries per section, and the
// register rules copied while interpreting one FDE (rows share their rule maps until changed,
// so real tables copy a few hundred; a hostile one could otherwise cost rows x registers).
const MAX_STATE_DEPTH = 256;
const MAX_COPIED_RULES = 1 << 22;
const MAX_ENTRIES = 1 << 22;

interface FrameSection { name: string; data: Uint8Array; addr: number; eh: boolean }

/**
 * The CFI of one ELF: entries are parsed once, on first use, into an FDE index sorted by
 * address; rows are interpreted on demand (only up to the pc asked about).
 */
export class CallFrameInfo {
  private index?: Fde[];
  private cies = new Map<string, Cie>();
  private readonly sections: FrameSection[];

  constructor(sections: FrameSection[], private readonly defaultAddrSize: number) {
    this.sections = sections;
  }

  /** The CFI of an ELF (.debug_frame first, then .eh_frame), or undefined when it has neither. */
  static fromElf(elf: ElfFile): CallFrameInfo | undefined {
    const out: FrameSection[] = [];
    for (const name of ['.debug_frame', '.eh_frame']) {
      const s = elf.section(name);
      if (s === undefined || s.type === 8 /* NOBITS */) continue;
      const data = elf.sectionData(name);
      if (data !== undefined && data.length > 0) out.push({ name, data, addr: s.addr, eh: name === '.eh_frame' });
    }
    return out.length ? new CallFrameInfo(out, elf.is64 ? 8 : 4) : undefined;
  }

  /** Every FDE, sorted by start address (built once). */
  fdes(): readonly Fde[] {
    if (this.index === undefined) {
      const all: Fde[] = [];
      for (const s of this.sections) this.parseSection(s, all, []);
      all.sort((a, b) => a.lo - b.lo || a.hi - b.hi);
      this.index = all;
    }
    return this.index;
  }

  /** Every CIE and FDE of each section, in file order (for dumps and the readelf comparison). */
  entries(): { section: string; cies: Cie[]; fdes: Fde[] }[] {
    return this.sections.map((s) => {
      const fdes: Fde[] = [];
      const cies: Cie[] = [];
      this.parseSection(s, fdes, cies);
      return { section: s.name, cies, fdes };
    });
  }

  /** The FDE whose [lo, hi) contains pc (the first one by address when several overlap). */
  fdeAt(pc: number): Fde | undefined {
    const a = this.fdes();
    let lo = 0, hi = a.length;
    while (lo < hi) { const m = (lo + hi) >>> 1; if (a[m].lo <= pc) lo = m + 1; else hi = m; }
    // FDEs for discarded (garbage-collected) sections keep lo = 0; scan back past empty ones.
    for (let i = lo - 1, n = 0; i >= 0 && n < 64; i--, n++) if (pc >= a[i].lo && pc < a[i].hi) return a[i];
    return undefined;
  }

  /** The CFA rule and register rules in force at pc, or undefined when no FDE covers pc. */
  rulesAt(pc: number): RulesAt | undefined {
    const fde = this.fdeAt(pc);
    if (fde === undefined) return undefined;
    let found: FrameRow | undefined;
    runFde(fde, (row) => { if (row.loc <= pc) { found = row; return true; } return false; });
    return found === undefined ? undefined : { fde, row: found };
  }

  /**
   * The rows of an FDE's table as `readelf --debug-dump=frames-interp` lists them: one row per
   * location advance (the row in force before it) and the final row.
   */
  rows(fde: Fde): FrameRow[] {
    const out: FrameRow[] = [];
    runFde(fde, (row) => { out.push(row); return true; });
    return out;
  }

  /** The CIE's initial row (the rules its initial instructions set). */
  cieRow(cie: Cie): FrameRow {
    const st = new CfaState(cie, 0);
    interpret(cie, cie.instrStart, cie.instrEnd, st, undefined, () => true, false);
    return st.snapshot();
  }

  private parseSection(s: FrameSection, fdes: Fde[], cies: Cie[]): void {
    const r = new ByteReader(s.data, s.name);
    for (let n = 0; !r.atEnd(); n++) {
      if (n >= MAX_ENTRIES) r.fail(`more than ${MAX_ENTRIES} entries`);
      const start = r.pos;
      let length = r.u32();
      let offsetSize: 4 | 8 = 4;
      if (length === 0xffffffff) { length = r.u64n(); offsetSize = 8; }
      if (length === 0) {
        // .eh_frame ends with a zero terminator; in .debug_frame a zero length is padding.
        if (s.eh) break;
        continue;
      }
      const bodyStart = r.pos;
      if (length > r.end - bodyStart) r.fail(`entry length 0x${length.toString(16)} runs past the end of the section (0x${r.end.toString(16)})`, start);
      const end = bodyStart + length;
      const body = r.sub(bodyStart, length);
      const idPos = body.pos;
      const id = offsetSize === 4 ? body.u32() : body.u64();
      const isCie = s.eh ? id === 0 : (offsetSize === 4 ? id === 0xffffffff : id === 0xffffffffffffffffn);
      if (isCie) {
        const cie = this.cieAt(s, start);
        cies.push(cie);
      } else {
        // .eh_frame: the CIE pointer is relative to the field; .debug_frame: a section offset.
        const idNum = typeof id === 'bigint' ? Number(id) : id;
        const cieOff = s.eh ? idPos - idNum : idNum;
        const cie = this.cieAt(s, cieOff, start);
        fdes.push(this.parseFde(s, body, start, end, cie));
      }
      r.pos = end;
    }
  }

  private cieAt(s: FrameSection, offset: number, from?: number): Cie {
    const key = `${s.name}:${offset}`;
    const hit = this.cies.get(key);
    if (hit !== undefined) return hit;
    const cie = parseCie(s, offset, this.defaultAddrSize, from);
    this.cies.set(key, cie);
    return cie;
  }

  private parseFde(s: FrameSection, body: ByteReader, offset: number, end: number, cie: Cie): Fde {
    let lo: number, range: number;
    if (s.eh) {
      lo = readEncoded(body, cie.fdeEncoding, s, cie.addrSize);
      range = readEncoded(body, cie.fdeEncoding & 0x0f, s, cie.addrSize);
    } else {
      if (cie.segmentSize) body.skip(cie.segmentSize);
      lo = body.addr(cie.addrSize);
      range = body.addr(cie.addrSize);
    }
    let lsda: number | undefined;
    if (cie.hasAugData) {
      const len = body.uleb();
      const augEnd = body.pos + len;
      if (len > body.remaining()) body.fail(`FDE augmentation data (${len} bytes) runs past the entry`);
      if (cie.lsdaEncoding !== PE_OMIT && len > 0) lsda = readEncoded(body, cie.lsdaEncoding, s, cie.addrSize);
      body.pos = augEnd;
    }
    const fde: Fde = { section: s.name, offset, cie, lo, hi: lo + range, instrStart: body.pos, instrEnd: end };
    if (lsda !== undefined) fde.lsda = lsda;
    return fde;
  }
}

function parseCie(s: FrameSection, offset: number, defaultAddrSize: number, from?: number): Cie {
  const where = from === undefined ? '' : ` (the CIE of the FDE at 0x${from.toString(16)})`;
  if (!(Number.isInteger(offset) && offset >= 0 && offset + 4 <= s.data.length)) {
    throw new DwarfError(`CIE offset 0x${offset.toString(16)}${where} is outside the section`, s.name, from ?? offset);
  }
  const r = new ByteReader(s.data, s.name, offset);
  let length = r.u32();
  let offsetSize: 4 | 8 = 4;
  if (length === 0xffffffff) { length = r.u64n(); offsetSize = 8; }
  if (length > r.remaining()) r.fail(`CIE length 0x${length.toString(16)} runs past the end of the section`, offset);
  const b = r.sub(r.pos, length);
  const id = offsetSize === 4 ? b.u32() : b.u64();
  const isCie = s.eh ? id === 0 : (offsetSize === 4 ? id === 0xffffffff : id === 0xffffffffffffffffn);
  if (!isCie) b.fail(`entry at 0x${offset.toString(16)}${where} is not a CIE`, offset);
  const version = b.u8();
  if (version !== 1 && version !== 3 && version !== 4) b.fail(`unsupported CIE version ${version}`, b.pos - 1);
  const augmentation = b.cstr();
  let addrSize = defaultAddrSize, segmentSize = 0;
  if (version >= 4) {
    addrSize = b.u8();
    segmentSize = b.u8();
    if (addrSize !== 1 && addrSize !== 2 && addrSize !== 4 && addrSize !== 8) b.fail(`unsupported address size ${addrSize}`, b.pos - 2);
  }
  // Old GCC "eh" augmentation: an address-sized pointer to exception data before the alignments.
  if (augmentation.includes('eh')) b.skip(addrSize);
  const codeAlign = b.uleb();
  const dataAlign = b.sleb();
  const raReg = version === 1 ? b.u8() : b.uleb();
  const cie: Cie = {
    section: s.name, offset, version, augmentation, addrSize, segmentSize, codeAlign, dataAlign, raReg,
    fdeEncoding: 0, lsdaEncoding: PE_OMIT, signalFrame: false, hasAugData: false, eh: s.eh, sectionAddr: s.addr, instrStart: 0, instrEnd: b.end, data: s.data,
  };
  if (augmentation.startsWith('z')) {
    cie.hasAugData = true;
    const len = b.uleb();
    if (len > b.remaining()) b.fail(`CIE augmentation data (${len} bytes) runs past the entry`);
    const augEnd = b.pos + len;
    for (let i = 1; i < augmentation.length; i++) {
      const c = augmentation[i];
      if (c === 'L') cie.lsdaEncoding = b.u8();
      else if (c === 'R') cie.fdeEncoding = b.u8();
      else if (c === 'P') { const enc = b.u8(); cie.personality = readEncoded(b, enc, s, addrSize); }
      else if (c === 'S') cie.signalFrame = true;
      // 'B' (AArch64 BTI) and 'G' (MTE) carry no data; anything else: the length lets us skip it.
      else if (c !== 'B' && c !== 'G') break;
    }
    b.pos = augEnd;
  } else if (augmentation !== '' && augmentation !== 'eh') {
    // Without 'z' an unknown augmentation's data cannot be skipped (DWARF 5 section 6.4.1).
    b.fail(`unknown CIE augmentation '${augmentation}'`, offset);
  }
  cie.instrStart = b.pos;
  return cie;
}

/** Reads a DW_EH_PE_* encoded pointer; pc-relative values are relative to the field's address. */
function readEncoded(r: ByteReader, enc: number, s: FrameSection, addrSize: number): number {
  if (enc === PE_OMIT) return 0;
  const fieldAddr = s.addr + r.pos;
  const app = enc & 0x70;
  if (app === 0x50) {
    // DW_EH_PE_aligned: an absolute pointer aligned to the address size within the section.
    const pad = (addrSize - ((s.addr + r.pos) % addrSize)) % addrSize;
    r.skip(pad);
    return r.addr(addrSize);
  }
  let v: number;
  const at = r.pos;
  switch (enc & 0x0f) {
    case 0x00: v = r.addr(addrSize); break;
    case 0x01: v = r.uleb(); break;
    case 0x02: v = r.u16(); break;
    case 0x03: v = r.u32(); break;
    case 0x04: v = r.u64n(); break;
    case 0x09: v = r.sleb(); break;
    case 0x0a: v = r.i16(); break;
    case 0x0b: v = r.i32(); break;
    case 0x0c: { const x = r.i64(); if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < BigInt(Number.MIN_SAFE_INTEGER)) r.fail('pointer does not fit in 53 bits', at); v = Number(x); break; }
    default: return r.fail(`unknown pointer encoding 0x${enc.toString(16)}`, at);
  }
  if (app === 0x10) v += fieldAddr;
  else if (app !== 0x00) {
    // textrel/datarel/funcrel need bases the ELF does not give us for ARM; these do not occur there.
    r.fail(`unsupported pointer encoding 0x${enc.toString(16)} (application 0x${app.toString(16)})`, at);
  }
  // DW_EH_PE_indirect (0x80) points at the value in run-time memory; the slot's address is kept.
  return addrSize === 8 ? v : v >>> 0;
}

/** The interpreter's mutable state (DWARF 5 section 6.4.2); rows share `regs` copy-on-write. */
class CfaState {
  loc: number;
  cfa: CfaRule = { kind: 'reg', reg: 0, offset: 0 };
  regs = new Map<number, RegRule>();
  argsSize = 0;
  stack: { cfa: CfaRule; regs: Map<number, RegRule>; argsSize: number }[] = [];
  private shared = false;
  private budget = MAX_COPIED_RULES;
  constructor(readonly cie: Cie, loc: number) { this.loc = loc; }
  /** A copy of the current rules, charged to the work budget. */
  copy(r: ByteReader): Map<number, RegRule> {
    this.budget -= this.regs.size + 1;
    if (this.budget < 0) r.fail(`call frame program copies more than ${MAX_COPIED_RULES} register rules`);
    return new Map(this.regs);
  }
  private own(r: ByteReader): Map<number, RegRule> {
    if (this.shared) { this.regs = this.copy(r); this.shared = false; }
    return this.regs;
  }
  set(r: ByteReader, reg: number, rule: RegRule): void { this.own(r).set(reg, rule); }
  delete(r: ByteReader, reg: number): void { if (this.regs.has(reg)) this.own(r).delete(reg); }
  replaceRegs(regs: Map<number, RegRule>): void { this.regs = regs; this.shared = false; }
  snapshot(): FrameRow { this.shared = true; return { loc: this.loc, cfa: this.cfa, regs: this.regs, argsSize: this.argsSize }; }
}

/**
 * Runs the CIE's initial instructions and then the FDE's, calling `row` with the row in force
 * before each location advance and with the final row; `row` returns false to stop early.
 */
function runFde(fde: Fde, row: (r: FrameRow) => boolean): void {
  const cie = fde.cie;
  const st = new CfaState(cie, fde.lo);
  interpret(cie, cie.instrStart, cie.instrEnd, st, undefined, () => true, false);
  const initial = { cfa: st.cfa, regs: st.snapshot().regs };
  interpret(cie, fde.instrStart, fde.instrEnd, st, initial, row, true, fde);
}

function interpret(
  cie: Cie, start: number, end: number, st: CfaState,
  initial: { cfa: CfaRule; regs: ReadonlyMap<number, RegRule> } | undefined,
  row: (r: FrameRow) => boolean, emit: boolean, fde?: Fde,
): void {
  const r = new ByteReader(cie.data, cie.section, start, end);
  const da = cie.dataAlign, ca = cie.codeAlign;
  const advance = (to: number): boolean => {
    if (emit && !row(st.snapshot())) return false;
    st.loc = to;
    return true;
  };
  const restore = (reg: number) => {
    const rule = initial?.regs.get(reg);
    if (rule === undefined) st.delete(r, reg); else st.set(r, reg, rule);
  };
  const block = () => { const n = r.uleb(); return r.bytes(n); };
  const setCfaReg = (reg: number) => {
    const c = st.cfa;
    if (c.kind !== 'reg') return r.fail('DW_CFA_def_cfa_register after a CFA expression', r.pos - 1);
    st.cfa = { kind: 'reg', reg, offset: c.offset };
  };
  const setCfaOffset = (offset: number) => {
    const c = st.cfa;
    if (c.kind !== 'reg') return r.fail('DW_CFA_def_cfa_offset after a CFA expression', r.pos - 1);
    st.cfa = { kind: 'reg', reg: c.reg, offset };
  };
  while (!r.atEnd()) {
    const at = r.pos;
    const op = r.u8();
    const hi = op & 0xc0, low = op & 0x3f;
    if (hi === 0x40) { if (!advance(st.loc + low * ca)) return; continue; }
    if (hi === 0x80) { st.set(r, low, { kind: 'offset', offset: r.uleb() * da }); continue; }
    if (hi === 0xc0) { if (initial === undefined) r.fail('DW_CFA_restore in a CIE', at); restore(low); continue; }
    switch (op) {
      case 0x00: break; // nop
      case 0x01: { // set_loc
        if (fde === undefined) r.fail('DW_CFA_set_loc in a CIE', at);
        const to = cie.eh
          ? readEncoded(r, cie.fdeEncoding, { name: cie.section, data: cie.data, addr: cie.sectionAddr, eh: true }, cie.addrSize)
          : r.addr(cie.addrSize);
        if (!advance(to)) return;
        break;
      }
      case 0x02: if (!advance(st.loc + r.u8() * ca)) return; break;
      case 0x03: if (!advance(st.loc + r.u16() * ca)) return; break;
      case 0x04: if (!advance(st.loc + r.u32() * ca)) return; break;
      case 0x1d: if (!advance(st.loc + r.u64n() * ca)) return; break; // MIPS_advance_loc8
      case 0x05: { const reg = r.uleb(); st.set(r, reg, { kind: 'offset', offset: r.uleb() * da }); break; }
      case 0x06: { const reg = r.uleb(); if (initial === undefined) r.fail('DW_CFA_restore_extended in a CIE', at); restore(reg); break; }
      case 0x07: st.set(r, r.uleb(), { kind: 'undefined' }); break;
      case 0x08: st.set(r, r.uleb(), { kind: 'same' }); break;
      case 0x09: { const reg = r.uleb(); st.set(r, reg, { kind: 'register', reg: r.uleb() }); break; }
      case 0x0a:
        if (st.stack.length >= MAX_STATE_DEPTH) r.fail(`DW_CFA_remember_state nested deeper than ${MAX_STATE_DEPTH}`, at);
        st.stack.push({ cfa: st.cfa, regs: st.copy(r), argsSize: st.argsSize });
        break;
      case 0x0b: {
        const s = st.stack.pop();
        if (s === undefined) r.fail('DW_CFA_restore_state without a remembered state', at);
        // The CFA rule is part of the remembered state (DWARF 5 section 6.4.2.4).
        st.cfa = s!.cfa; st.replaceRegs(s!.regs); st.argsSize = s!.argsSize;
        break;
      }
      case 0x0c: { const reg = r.uleb(); st.cfa = { kind: 'reg', reg, offset: r.uleb() }; break; }
      case 0x0d: setCfaReg(r.uleb()); break;
      case 0x0e: setCfaOffset(r.uleb()); break;
      case 0x0f: st.cfa = { kind: 'expr', expr: block() }; break;
      case 0x10: { const reg = r.uleb(); st.set(r, reg, { kind: 'expr', expr: block() }); break; }
      case 0x11: { const reg = r.uleb(); st.set(r, reg, { kind: 'offset', offset: r.sleb() * da }); break; }
      case 0x12: { const reg = r.uleb(); st.cfa = { kind: 'reg', reg, offset: r.sleb() * da }; break; }
      case 0x13: setCfaOffset(r.sleb() * da); break;
      case 0x14: { const reg = r.uleb(); st.set(r, reg, { kind: 'val-offset', offset: r.uleb() * da }); break; }
      case 0x15: { const reg = r.uleb(); st.set(r, reg, { kind: 'val-offset', offset: r.sleb() * da }); break; }
      case 0x16: { const reg = r.uleb(); st.set(r, reg, { kind: 'val-expr', expr: block() }); break; }
      case 0x2d: break; // GNU_window_save (SPARC) / AArch64 negate_ra_state: no ARM meaning
      case 0x2e: st.argsSize = r.uleb(); break; // GNU_args_size
      case 0x2f: { const reg = r.uleb(); st.set(r, reg, { kind: 'offset', offset: -r.uleb() * da }); break; }
      default: r.fail(`unknown call frame instruction 0x${op.toString(16)}`, at);
    }
  }
  if (emit) row(st.snapshot());
}

// ---------------------------------------------------------------------------------------------
// Display

/** ARM DWARF register names (IHI 0040 "DWARF for the Arm Architecture" section 4.1). */
export function armRegName(reg: number): string {
  if (reg >= 0 && reg <= 15) return `r${reg}`;
  if (reg >= 64 && reg <= 95) return `s${reg - 64}`;
  if (reg >= 256 && reg <= 287) return `d${reg - 256}`;
  return `r${reg}`;
}

/** readelf's short forms: `r13+16`, `c-4`, `u`, `s`, `v+8`, `r4`, `exp`, `vexp`. */
export function formatCfa(c: CfaRule): string {
  return c.kind === 'reg' ? `${armRegName(c.reg)}${c.offset >= 0 ? '+' : ''}${c.offset}` : 'exp';
}
export function formatRule(rule: RegRule | undefined): string {
  if (rule === undefined) return 'u';
  switch (rule.kind) {
    case 'undefined': return 'u';
    case 'same': return 's';
    case 'offset': return `c${rule.offset >= 0 ? '+' : ''}${rule.offset}`;
    case 'val-offset': return `v${rule.offset >= 0 ? '+' : ''}${rule.offset}`;
    case 'register': return armRegName(rule.reg);
    case 'expr': return 'exp';
    case 'val-expr': return 'vexp';
  }
}

// ---------------------------------------------------------------------------------------------
// Unwinding

/** Reads target memory; undefined when it cannot be read. */
export type ReadMemory = (addr: number, size: number) => Uint8Array | undefined;

export interface UnwoundFrame {
  /** Where the answer came from: the ELF's CFI, or the symbol table and a prologue scan. */
  method: 'cfi' | 'heuristic';
  /** The canonical frame address: the caller's SP. */
  cfa: number;
  /** The raw return address (Thumb bit included, or an EXC_RETURN value). */
  returnAddress: number;
  /** The caller's pc (return address with the Thumb bit cleared); absent when unwinding stops. */
  pc?: number;
  thumb: boolean;
  /** The caller's registers (DWARF numbers); r13 is the CFA and r15 the caller's pc. */
  regs: Map<number, number>;
  /** Why there is no caller frame: an exception return, the outermost frame, or a bad return address. */
  stop?: 'exception' | 'outermost' | 'unreadable';
  /** When stop is 'exception': the EXC_RETURN value (the debugger reads the exception frame). */
  excReturn?: number;
  /** Details for the user when stop is 'unreadable'. */
  reason?: string;
}

const le32 = (b: Uint8Array) => (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;

/** Reads a 32-bit little-endian word, or undefined. */
function readWord(readMem: ReadMemory, addr: number): number | undefined {
  const b = readMem(addr >>> 0, 4);
  return b !== undefined && b.length >= 4 ? le32(b) : undefined;
}

/**
 * Unwinds one frame with CFI rules: the CFA from its rule, each register from its rule (an
 * unspecified callee register keeps its value, DWARF 5 section 6.4.1), and the return address
 * from the CIE's return-address column. Thumb: bit 0 of the return address selects T32.
 */
export function unwindWithRules(rules: RulesAt, regs: ReadonlyMap<number, number>, readMem: ReadMemory): UnwoundFrame {
  const { row, fde } = rules;
  const ctx = {
    addrSize: 4,
    readReg: (reg: number) => { const v = regs.get(reg); return v === undefined ? undefined : BigInt(v >>> 0); },
    readMem: (a: bigint, n: number) => (a > 0xffffffffn || a < 0n ? undefined : readMem(Number(a), n)),
  };
  const fail = (reason: string): UnwoundFrame => ({ method: 'cfi', cfa: 0, returnAddress: 0, thumb: false, regs: new Map(), stop: 'unreadable', reason });
  let cfa: number;
  if (row.cfa.kind === 'reg') {
    const base = regs.get(row.cfa.reg);
    if (base === undefined) return fail(`the CFA register ${armRegName(row.cfa.reg)} is not known`);
    cfa = (base + row.cfa.offset) >>> 0;
  } else {
    const v = locValue(evaluate(row.cfa.expr, ctx));
    if (v === undefined) return fail('the CFA expression could not be evaluated');
    cfa = v;
  }
  const out = new Map<number, number>();
  for (const [reg, v] of regs) out.set(reg, v);
  const withCfa = { ...ctx, cfa: () => BigInt(cfa) };
  for (const [reg, rule] of row.regs) {
    let v: number | undefined;
    switch (rule.kind) {
      case 'undefined': out.delete(reg); continue;
      case 'same': continue;
      case 'offset': v = readWord(readMem, cfa + rule.offset); break;
      case 'val-offset': v = (cfa + rule.offset) >>> 0; break;
      case 'register': v = regs.get(rule.reg); break;
      case 'expr': { const a = locValue(evaluate(rule.expr, withCfa, [BigInt(cfa)])); v = a === undefined ? undefined : readWord(readMem, a); break; }
      case 'val-expr': v = locValue(evaluate(rule.expr, withCfa, [BigInt(cfa)])); break;
    }
    if (v === undefined) out.delete(reg); else out.set(reg, v >>> 0);
  }
  out.set(13, cfa);
  const raRule = row.regs.get(fde.cie.raReg);
  if (raRule?.kind === 'undefined') return { method: 'cfi', cfa, returnAddress: 0, thumb: false, regs: out, stop: 'outermost' };
  const ra = out.get(fde.cie.raReg);
  if (ra === undefined) return { method: 'cfi', cfa, returnAddress: 0, thumb: false, regs: out, stop: 'unreadable', reason: `the return address (${armRegName(fde.cie.raReg)}) could not be read` };
  return finish('cfi', cfa, ra, out);
}

/** The CFA a row gives for the current registers (for DW_OP_call_frame_cfa), or undefined. */
export function cfaValue(row: FrameRow, readReg: (reg: number) => bigint | undefined, readMem?: (addr: bigint, size: number) => Uint8Array | undefined): bigint | undefined {
  if (row.cfa.kind === 'reg') {
    const base = readReg(row.cfa.reg);
    return base === undefined ? undefined : BigInt.asUintN(32, base + BigInt(row.cfa.offset));
  }
  const v = locValue(evaluate(row.cfa.expr, { addrSize: 4, readReg, ...(readMem ? { readMem } : {}) }));
  return v === undefined ? undefined : BigInt(v);
}

function locValue(l: Location): number | undefined {
  if (l.kind === 'memory') return l.addr <= 0xffffffffn && l.addr >= 0n ? Number(l.addr) : undefined;
  if (l.kind === 'value') return Number(BigInt.asUintN(32, l.value));
  return undefined;
}

/** Sets the caller's pc from the return address; stops on EXC_RETURN (ARMv7-M B1.5.8) and on 0. */
function finish(method: 'cfi' | 'heuristic', cfa: number, ra: number, regs: Map<number, number>): UnwoundFrame {
  const f: UnwoundFrame = { method, cfa, returnAddress: ra, thumb: (ra & 1) === 1, regs };
  if (ra >>> 28 === 0xf) { f.stop = 'exception'; f.excReturn = ra; return f; }
  if ((ra & ~1) === 0) { f.stop = 'outermost'; return f; }
  f.pc = (ra & ~1) >>> 0;
  regs.set(15, f.pc);
  return f;
}

/** Code bytes for the prologue scan: from the ELF's loadable sections, else from the target. */
export type ReadCode = (addr: number, size: number) => Uint8Array | undefined;

// The prologue scan looks at no more than this many halfwords.
const MAX_PROLOGUE_HALFWORDS = 64;

/**
 * Unwinding without CFI: find the function's start (symbol), replay the prologue up to pc
 * (push {..}, push.w / str lr,[sp,#-4]!, sub sp, vpush) to learn the frame size and where LR
 * went; with no prologue (or no symbol) assume a leaf whose return address is still in LR.
 */
export function unwindHeuristic(pc: number, funcStart: number | undefined, regs: ReadonlyMap<number, number>, readMem: ReadMemory, readCode: ReadCode): UnwoundFrame {
  const sp = regs.get(13);
  const out = new Map<number, number>(regs);
  if (sp === undefined) return { method: 'heuristic', cfa: 0, returnAddress: 0, thumb: false, regs: out, stop: 'unreadable', reason: 'SP (r13) is not known' };
  let frame = 0;
  const saved = new Map<number, number>(); // reg -> offset from the SP at function entry
  if (funcStart !== undefined && funcStart <= pc) {
    const n = Math.min(MAX_PROLOGUE_HALFWORDS, (pc - funcStart) >>> 1);
    const code = readCode(funcStart, n * 2);
    if (code !== undefined) {
      const h = (i: number) => (i * 2 + 1 < code.length ? code[i * 2] | (code[i * 2 + 1] << 8) : -1);
      const pushList = (list: number) => {
        for (let reg = 15; reg >= 0; reg--) if (list & (1 << reg)) { frame += 4; saved.set(reg, -frame); }
      };
      for (let i = 0; i < n;) {
        const a = h(i), b = h(i + 1);
        if (a < 0) break;
        if (endsPrologue(a, b)) break;
        if ((a & 0xfe00) === 0xb400) { pushList((a & 0xff) | ((a & 0x100) ? 1 << 14 : 0)); i++; continue; } // PUSH T1: 1011 010M llll llll
        if ((a & 0xff80) === 0xb080) { frame += (a & 0x7f) * 4; i++; continue; } // SUB SP,SP,#imm7*4 T1: 1011 0000 1iii iiii
        if (a === 0xe92d && b >= 0) { pushList(b & 0x5fff); i += 2; continue; } // PUSH T2 (STMDB SP!): e92d 0M0l...
        if (a === 0xf84d && b >= 0 && (b & 0x0fff) === 0x0d04) { frame += 4; saved.set(b >>> 12, -frame); i += 2; continue; } // PUSH T3: STR Rt,[SP,#-4]!
        if ((a & 0xfbff) === 0xf2ad && b >= 0 && (b & 0x8f00) === 0x0d00) { // SUBW SP,SP,#imm12 T3
          frame += ((a & 0x400) << 1) | ((b >> 4) & 0x700) | (b & 0xff); i += 2; continue;
        }
        if ((a & 0xfbff) === 0xf1ad && b >= 0 && (b & 0x8f00) === 0x0d00) { // SUB.W SP,SP,#const T2
          frame += thumbExpandImm(((a & 0x400) << 1) | ((b >> 4) & 0x700) | (b & 0xff)); i += 2; continue;
        }
        if ((a & 0xffbf) === 0xed2d && b >= 0 && (b & 0x0e00) === 0x0a00) { frame += (b & 0xff) * 4; i += 2; continue; } // VPUSH T1/T2
        // Anything else in a prologue (mov r7, sp; add r7, sp, #n; stores of arguments) leaves SP alone
        // until the body starts; a 32-bit instruction takes two halfwords.
        i += (a & 0xe000) === 0xe000 && (a & 0x1800) !== 0 ? 2 : 1;
      }
    }
  }
  const cfa = (sp + frame) >>> 0;
  out.set(13, cfa);
  for (const [reg, off] of saved) {
    const v = readWord(readMem, cfa + off);
    if (v === undefined) out.delete(reg); else out.set(reg, v);
  }
  const ra = saved.has(14) ? out.get(14) : regs.get(14);
  if (saved.has(14)) out.delete(14);
  if (ra === undefined) return { method: 'heuristic', cfa, returnAddress: 0, thumb: false, regs: out, stop: 'unreadable', reason: 'the return address could not be read' };
  return finish('heuristic', cfa, ra, out);
}

/** A pop, return or branch: the prologue is over (whatever follows may be an epilogue). */
function endsPrologue(a: number, b: number): boolean {
  if ((a & 0xfe00) === 0xbc00 || (a & 0xff80) === 0x4700) return true; // POP T1, BX
  if ((a & 0xf800) === 0xe000 || ((a & 0xf000) === 0xd000 && (a & 0x0e00) !== 0x0e00)) return true; // B T2, B<c> T1
  if ((a & 0xf500) === 0xb100) return true; // CBZ/CBNZ
  if (a === 0xe8bd) return true; // POP T2 (LDMIA SP!)
  return (a & 0xf800) === 0xf000 && b >= 0 && (b & 0x8000) !== 0; // B T3/T4, BL
}

/** ThumbExpandImm (ARMv7-M ARM A5.3.2) for the rotations SUB SP uses. */
function thumbExpandImm(imm12: number): number {
  const b = imm12 & 0xff;
  if ((imm12 >> 10) === 0) {
    switch ((imm12 >> 8) & 3) {
      case 0: return b;
      case 1: return (b << 16) | b;
      case 2: return ((b << 24) | (b << 8)) >>> 0;
      default: return ((b << 24) | (b << 16) | (b << 8) | b) >>> 0;
    }
  }
  const v = 0x80 | (imm12 & 0x7f), rot = imm12 >> 7;
  return ((v >>> rot) | (v << (32 - rot))) >>> 0;
}
