// .debug_info/.debug_types units, .debug_abbrev tables and every attribute form (DWARF 2-5).
// DIEs are indexed lazily per unit into flat typed arrays (offset, abbrev, parent, sibling);
// `Die` objects are thin views created only when a caller asks for one.
import { ByteReader, DwarfError } from './reader';

/** The DWARF sections this reader uses; absent ones are undefined. */
export interface DwarfSections {
  info?: Uint8Array; abbrev?: Uint8Array; str?: Uint8Array; line_str?: Uint8Array;
  str_offsets?: Uint8Array; addr?: Uint8Array; ranges?: Uint8Array; rnglists?: Uint8Array;
  loc?: Uint8Array; loclists?: Uint8Array; aranges?: Uint8Array; types?: Uint8Array;
}

/** Maps the DwarfSections keys to ELF section names, for callers that hold an ElfFile. */
export const SECTION_NAMES: Record<keyof DwarfSections, string> = {
  info: '.debug_info', abbrev: '.debug_abbrev', str: '.debug_str', line_str: '.debug_line_str',
  str_offsets: '.debug_str_offsets', addr: '.debug_addr', ranges: '.debug_ranges', rnglists: '.debug_rnglists',
  loc: '.debug_loc', loclists: '.debug_loclists', aranges: '.debug_aranges', types: '.debug_types',
};

export function sectionsFrom(get: (name: string) => Uint8Array | undefined): DwarfSections {
  const s: DwarfSections = {};
  for (const k of Object.keys(SECTION_NAMES) as (keyof DwarfSections)[]) s[k] = get(SECTION_NAMES[k]);
  return s;
}

// DWARF 5 section 7.5 tables (only the values this reader interprets by number).
export const DW_TAG = {
  array_type: 0x01, class_type: 0x02, entry_point: 0x03, enumeration_type: 0x04, formal_parameter: 0x05,
  label: 0x0a, lexical_block: 0x0b, member: 0x0d, pointer_type: 0x0f, reference_type: 0x10,
  compile_unit: 0x11, string_type: 0x12, structure_type: 0x13, subroutine_type: 0x15, typedef: 0x16,
  union_type: 0x17, unspecified_parameters: 0x18, variant: 0x19, common_block: 0x1a, inlined_subroutine: 0x1d,
  module: 0x1e, ptr_to_member_type: 0x1f, subrange_type: 0x21, base_type: 0x24, const_type: 0x26,
  enumerator: 0x28, subprogram: 0x2e, template_type_parameter: 0x2f, template_value_parameter: 0x30,
  variable: 0x34, volatile_type: 0x35, namespace: 0x39, restrict_type: 0x37, unspecified_type: 0x3b,
  partial_unit: 0x3c, rvalue_reference_type: 0x42, type_unit: 0x41, variant_part: 0x33, atomic_type: 0x47,
  call_site: 0x48, call_site_parameter: 0x49, skeleton_unit: 0x4a, GNU_call_site: 0x4109,
} as const;

export const DW_AT = {
  sibling: 0x01, location: 0x02, name: 0x03, byte_size: 0x0b, stmt_list: 0x10, low_pc: 0x11, high_pc: 0x12,
  language: 0x13, comp_dir: 0x1b, const_value: 0x1c, inline: 0x20, producer: 0x25, prototyped: 0x27,
  lower_bound: 0x22, count: 0x37, upper_bound: 0x2f, abstract_origin: 0x31, bit_offset: 0x0c, bit_size: 0x0d,
  data_member_location: 0x38, decl_file: 0x3a, decl_line: 0x3b, declaration: 0x3c, encoding: 0x3e,
  external: 0x3f, frame_base: 0x40, specification: 0x47, type: 0x49, ranges: 0x55, data_bit_offset: 0x6b,
  entry_pc: 0x52, call_file: 0x58, call_line: 0x59, call_column: 0x57, discr: 0x15, discr_value: 0x16,
  artificial: 0x34, linkage_name: 0x6e, MIPS_linkage_name: 0x2007, str_offsets_base: 0x72, addr_base: 0x73,
  rnglists_base: 0x74, loclists_base: 0x8c, GNU_addr_base: 0x2133, GNU_ranges_base: 0x2132,
  const_expr: 0x6c, enum_class: 0x6d, signature: 0x69, alignment: 0x88, data_location: 0x50,
  GNU_locviews: 0x2137, GNU_entry_view: 0x2138,
} as const;

export const DW_FORM = {
  addr: 0x01, block2: 0x03, block4: 0x04, data2: 0x05, data4: 0x06, data8: 0x07, string: 0x08, block: 0x09,
  block1: 0x0a, data1: 0x0b, flag: 0x0c, sdata: 0x0d, strp: 0x0e, udata: 0x0f, ref_addr: 0x10, ref1: 0x11,
  ref2: 0x12, ref4: 0x13, ref8: 0x14, ref_udata: 0x15, indirect: 0x16, sec_offset: 0x17, exprloc: 0x18,
  flag_present: 0x19, strx: 0x1a, addrx: 0x1b, ref_sup4: 0x1c, strp_sup: 0x1d, data16: 0x1e, line_strp: 0x1f,
  ref_sig8: 0x20, implicit_const: 0x21, loclistx: 0x22, rnglistx: 0x23, ref_sup8: 0x24, strx1: 0x25,
  strx2: 0x26, strx3: 0x27, strx4: 0x28, addrx1: 0x29, addrx2: 0x2a, addrx3: 0x2b, addrx4: 0x2c,
  GNU_addr_index: 0x1f01, GNU_str_index: 0x1f02, GNU_ref_alt: 0x1f20, GNU_strp_alt: 0x1f21,
} as const;

const TAG_NAMES = invert(DW_TAG);
const AT_NAMES = invert(DW_AT);
const FORM_NAMES = invert(DW_FORM);
function invert(o: Record<string, number>): Map<number, string> {
  const m = new Map<number, string>();
  for (const [k, v] of Object.entries(o)) m.set(v, k);
  return m;
}
const hex = (n: number) => `0x${n.toString(16)}`;
export const tagName = (t: number) => `DW_TAG_${TAG_NAMES.get(t) ?? hex(t)}`;
export const atName = (a: number) => `DW_AT_${AT_NAMES.get(a) ?? hex(a)}`;
export const formName = (f: number) => `DW_FORM_${FORM_NAMES.get(f) ?? hex(f)}`;

/**
 * A decoded attribute value. References are absolute offsets in the unit's section; strings are
 * resolved (strp, line_strp, strx*); addrx* are resolved to addresses; rnglistx/loclistx stay
 * indexes (see Unit.rnglistOffset/loclistOffset); ref_sig8 is a bigint; blocks/exprloc/data16 are bytes.
 */
export type AttrValue = number | bigint | string | boolean | Uint8Array;
export interface Attr { readonly at: number; readonly form: number; readonly value: AttrValue }

/** One abbreviation: the attribute list is flattened as (at, form, implicitConst) triples. */
export interface Abbrev {
  readonly code: number; readonly tag: number; readonly hasChildren: boolean;
  readonly specs: Int32Array; readonly implicit: (number | undefined)[];
  /** Byte size of all attributes when every form is fixed-size for this unit, else -1. */
  fixedSize: number;
}

/** An abbreviation table: code → Abbrev, dense array for the common sequential codes. */
export class AbbrevTable {
  private dense: (Abbrev | undefined)[] = [];
  private sparse = new Map<number, Abbrev>();
  get(code: number): Abbrev | undefined { return code < this.dense.length ? this.dense[code] : this.sparse.get(code); }
  set(a: Abbrev): void { if (a.code < 100000) this.dense[a.code] = a; else this.sparse.set(a.code, a); }
}

export function parseAbbrevTable(data: Uint8Array, offset: number): AbbrevTable {
  const t = new AbbrevTable();
  const r = new ByteReader(data, '.debug_abbrev', offset);
  // Each entry consumes at least 3 bytes, so the loop ends with the section at worst.
  for (;;) {
    const entryOff = r.pos;
    const code = r.uleb();
    if (code === 0) break;
    const tag = r.uleb();
    const hasChildren = r.u8() !== 0;
    const specs: number[] = [];
    const implicit: (number | undefined)[] = [];
    for (;;) {
      const at = r.uleb(), form = r.uleb();
      if (at === 0 && form === 0) break;
      implicit.push(form === DW_FORM.implicit_const ? r.sleb() : undefined);
      specs.push(at, form);
    }
    if (t.get(code)) throw new DwarfError(`duplicate abbreviation code ${code}`, '.debug_abbrev', entryOff);
    t.set({ code, tag, hasChildren, specs: Int32Array.from(specs), implicit, fixedSize: -2 });
  }
  return t;
}

/** DWARF 5 section 7.5.1 unit types (v2-4 units map to compile/type). */
export const DW_UT = { compile: 1, type: 2, partial: 3, skeleton: 4, split_compile: 5, split_type: 6 } as const;

export class Unit {
  /** Section-absolute offsets of the DIEs of this unit, in order (built on first use). */
  private offsets?: Int32Array;
  private abbrevIdx?: Abbrev[];
  private parents?: Int32Array;
  private siblings?: Int32Array;
  private basesRead = false;
  private _strOffsetsBase = 0;
  private _addrBase = 0;
  private _rnglistsBase = 0;
  private _loclistsBase = 0;
  private _lowPc = 0;

  constructor(
    readonly info: DwarfInfo,
    readonly section: '.debug_info' | '.debug_types',
    readonly data: Uint8Array,
    /** Offset of the unit header. */
    readonly offset: number,
    /** Offset one past the unit's last byte. */
    readonly end: number,
    readonly version: number,
    readonly unitType: number,
    readonly addrSize: number,
    readonly offsetSize: 4 | 8,
    readonly abbrevs: AbbrevTable,
    /** Offset of the first DIE. */
    readonly dieOffset: number,
    readonly typeSignature?: bigint,
    /** Absolute offset of the type DIE of a type unit. */
    readonly typeOffset?: number,
  ) {}

  /** The unit's root DIE, or undefined for a unit without DIEs. */
  root(): Die | undefined { this.index(); return this.offsets!.length ? new Die(this, 0) : undefined; }

  dieCount(): number { return this.index().length; }

  /** DIE at a section-absolute offset within this unit (undefined when no DIE starts there). */
  dieAt(offset: number): Die | undefined {
    const offs = this.index();
    let lo = 0, hi = offs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1, v = offs[mid];
      if (v === offset) return new Die(this, mid);
      if (v < offset) lo = mid + 1; else hi = mid - 1;
    }
    return undefined;
  }

  dieByIndex(i: number): Die { return new Die(this, i); }
  /** @internal */ offsetOf(i: number): number { return this.index()[i]; }
  /** @internal */ abbrevOf(i: number): Abbrev { this.index(); return this.abbrevIdx![i]; }
  /** @internal */ parentOf(i: number): number { this.index(); return this.parents![i]; }
  /** @internal */ siblingOf(i: number): number { this.index(); return this.siblings![i]; }

  get strOffsetsBase(): number { this.readBases(); return this._strOffsetsBase; }
  get addrBase(): number { this.readBases(); return this._addrBase; }
  get rnglistsBase(): number { this.readBases(); return this._rnglistsBase; }
  get loclistsBase(): number { this.readBases(); return this._loclistsBase; }
  /** The unit's base address for location and range lists (DW_AT_low_pc of the root). */
  get baseAddress(): number { this.readBases(); return this._lowPc; }

  /** Resolves a DW_FORM_rnglistx index to a .debug_rnglists offset (DWARF 5 section 7.28). */
  rnglistOffset(index: number): number { return this.listOffset(this.info.sections.rnglists, '.debug_rnglists', this.rnglistsBase, index); }
  loclistOffset(index: number): number { return this.listOffset(this.info.sections.loclists, '.debug_loclists', this.loclistsBase, index); }
  private listOffset(data: Uint8Array | undefined, name: string, base: number, index: number): number {
    if (!data) throw new DwarfError(`index ${index} used but ${name} is missing`, this.section, this.offset);
    const r = new ByteReader(data, name, base + index * this.offsetSize);
    return base + r.offsetSized(this.offsetSize);
  }

  private readBases(): void {
    if (this.basesRead) return;
    this.basesRead = true;
    // Base attributes must be known before strx/addrx on the root itself resolve, so read raw.
    if (this.version >= 5) this._strOffsetsBase = this.offsetSize === 8 ? 16 : 8;
    const r = new ByteReader(this.data, this.section, this.dieOffset, this.end);
    if (r.atEnd()) return;
    const code = r.uleb();
    const ab = code === 0 ? undefined : this.abbrevs.get(code);
    if (!ab) return;
    let lowPc: AttrValue | undefined, lowForm = 0;
    for (let k = 0; k < ab.specs.length; k += 2) {
      const at = ab.specs[k], form = ab.specs[k + 1];
      const v = readFormRaw(r, form, this, ab.implicit[k >> 1]);
      switch (at) {
        case DW_AT.str_offsets_base: this._strOffsetsBase = Number(v); break;
        case DW_AT.addr_base: case DW_AT.GNU_addr_base: this._addrBase = Number(v); break;
        case DW_AT.rnglists_base: case DW_AT.GNU_ranges_base: this._rnglistsBase = Number(v); break;
        case DW_AT.loclists_base: this._loclistsBase = Number(v); break;
        case DW_AT.low_pc: lowPc = v; lowForm = form; break;
      }
    }
    if (lowPc !== undefined) this._lowPc = isAddrx(lowForm) ? this.info.readAddrx(this, Number(lowPc)) : Number(lowPc);
  }

  /** Builds the flat DIE index: one pass over the unit, no per-DIE objects. */
  private index(): Int32Array {
    if (this.offsets) return this.offsets;
    // Typed arrays sized from the unit length (a DIE takes at least one byte), grown on demand:
    // no per-DIE allocation, which keeps the collector quiet on units with 100k+ DIEs.
    let cap = Math.max(16, Math.min(this.end - this.dieOffset, 1 << 16));
    let offs = new Int32Array(cap), par = new Int32Array(cap), sib = new Int32Array(cap);
    const abbr: Abbrev[] = [];
    let n = 0;
    const r = new ByteReader(this.data, this.section, this.dieOffset, this.end);
    const stack: number[] = [];
    const prevStack: number[] = [];
    let parent = -1, prevAtLevel = -1;
    while (!r.atEnd()) {
      const off = r.pos;
      const code = r.uleb();
      if (code === 0) {
        // End of a sibling chain: pop one level (a stray null at top level is padding).
        if (stack.length === 0) continue;
        parent = stack.pop()!;
        prevAtLevel = prevStack.pop()!;
        continue;
      }
      const ab = this.abbrevs.get(code);
      if (!ab) throw new DwarfError(`unknown abbreviation code ${code}`, this.section, off);
      if (n === cap) {
        cap *= 2;
        const grow = (a: Int32Array) => { const b = new Int32Array(cap); b.set(a); return b; };
        offs = grow(offs); par = grow(par); sib = grow(sib);
      }
      const idx = n++;
      offs[idx] = off; abbr.push(ab); par[idx] = parent; sib[idx] = -1;
      if (prevAtLevel >= 0) sib[prevAtLevel] = idx;
      prevAtLevel = idx;
      skipAttrs(r, ab, this);
      if (ab.hasChildren) {
        stack.push(parent); prevStack.push(prevAtLevel);
        parent = idx; prevAtLevel = -1;
      }
      if (stack.length === 0 && parent === -1 && idx === 0 && !ab.hasChildren) break;
    }
    this.offsets = offs.subarray(0, n);
    this.abbrevIdx = abbr;
    this.parents = par.subarray(0, n);
    this.siblings = sib.subarray(0, n);
    return this.offsets;
  }

  /** Reads every attribute of the DIE at index i. */
  attrsOf(i: number): Attr[] {
    const ab = this.abbrevOf(i);
    const r = new ByteReader(this.data, this.section, this.offsetOf(i), this.end);
    r.uleb();
    const out: Attr[] = [];
    for (let k = 0; k < ab.specs.length; k += 2) {
      const at = ab.specs[k];
      const { form, value } = readForm(r, ab.specs[k + 1], this, ab.implicit[k >> 1]);
      out.push({ at, form, value });
    }
    return out;
  }

  /** Reads one attribute of the DIE at index i, skipping the others. */
  /**
   * One attribute of the root DIE, read without indexing the unit: the line-table facade maps
   * stmt_list and comp_dir for every unit, and indexing them all cost most of a cold lookup.
   */
  rootAttr(at: number): Attr | undefined {
    const r = new ByteReader(this.data, this.section, this.dieOffset, this.end);
    if (r.atEnd()) return undefined;
    const code = r.uleb();
    const ab = code === 0 ? undefined : this.abbrevs.get(code);
    if (!ab) return undefined;
    const specs = ab.specs;
    for (let k = 0; k < specs.length; k += 2) {
      if (specs[k] === at) { const { form, value } = readForm(r, specs[k + 1], this, ab.implicit[k >> 1]); return { at, form, value }; }
      skipForm(r, specs[k + 1], this, 0);
    }
    return undefined;
  }

  attrOf(i: number, at: number): Attr | undefined {
    const ab = this.abbrevOf(i);
    const specs = ab.specs;
    let k = 0;
    for (; k < specs.length; k += 2) if (specs[k] === at) break;
    if (k >= specs.length) return undefined;
    const r = new ByteReader(this.data, this.section, this.offsetOf(i), this.end);
    r.uleb();
    for (let j = 0; j < k; j += 2) skipForm(r, specs[j + 1], this, 0);
    const { form, value } = readForm(r, specs[k + 1], this, ab.implicit[k >> 1]);
    return { at, form, value };
  }
}

const isAddrx = (f: number) => f === DW_FORM.addrx || (f >= DW_FORM.addrx1 && f <= DW_FORM.addrx4) || f === DW_FORM.GNU_addr_index;
const isStrx = (f: number) => f === DW_FORM.strx || (f >= DW_FORM.strx1 && f <= DW_FORM.strx4) || f === DW_FORM.GNU_str_index;

/** True for forms whose value is a reference to another DIE (an absolute offset after decoding). */
export const isRefForm = (f: number) => (f >= DW_FORM.ref_addr && f <= DW_FORM.ref_udata) || f === DW_FORM.GNU_ref_alt;

function fixedFormSize(form: number, u: Unit): number {
  switch (form) {
    case DW_FORM.addr: return u.addrSize;
    case DW_FORM.data1: case DW_FORM.ref1: case DW_FORM.flag: case DW_FORM.strx1: case DW_FORM.addrx1: return 1;
    case DW_FORM.data2: case DW_FORM.ref2: case DW_FORM.strx2: case DW_FORM.addrx2: return 2;
    case DW_FORM.strx3: case DW_FORM.addrx3: return 3;
    case DW_FORM.data4: case DW_FORM.ref4: case DW_FORM.strx4: case DW_FORM.addrx4: case DW_FORM.ref_sup4: return 4;
    case DW_FORM.data8: case DW_FORM.ref8: case DW_FORM.ref_sig8: case DW_FORM.ref_sup8: return 8;
    case DW_FORM.data16: return 16;
    case DW_FORM.strp: case DW_FORM.line_strp: case DW_FORM.sec_offset: case DW_FORM.strp_sup:
    case DW_FORM.GNU_ref_alt: case DW_FORM.GNU_strp_alt: return u.offsetSize;
    case DW_FORM.ref_addr: return u.version <= 2 ? u.addrSize : u.offsetSize;
    case DW_FORM.flag_present: case DW_FORM.implicit_const: return 0;
    default: return -1;
  }
}

function skipAttrs(r: ByteReader, ab: Abbrev, u: Unit): void {
  if (ab.fixedSize === -2) {
    let total = 0;
    for (let k = 1; k < ab.specs.length; k += 2) {
      const s = fixedFormSize(ab.specs[k], u);
      if (s < 0) { total = -1; break; }
      total += s;
    }
    ab.fixedSize = total;
  }
  if (ab.fixedSize >= 0) { r.skip(ab.fixedSize); return; }
  for (let k = 1; k < ab.specs.length; k += 2) skipForm(r, ab.specs[k], u, 0);
}

function skipForm(r: ByteReader, form: number, u: Unit, depth: number): void {
  const s = fixedFormSize(form, u);
  if (s >= 0) { r.skip(s); return; }
  switch (form) {
    case DW_FORM.string: {
      // Skipping need not decode the string; find its NUL within the unit.
      const nul = r.data.indexOf(0, r.pos);
      if (nul < 0 || nul >= r.end) throw new DwarfError('string runs past the end of the unit', u.section, r.pos);
      r.pos = nul + 1;
      return;
    }
    case DW_FORM.block1: r.skip(r.u8()); return;
    case DW_FORM.block2: r.skip(r.u16()); return;
    case DW_FORM.block4: r.skip(r.u32()); return;
    case DW_FORM.block: case DW_FORM.exprloc: r.skip(r.uleb()); return;
    case DW_FORM.sdata: r.sleb(); return;
    case DW_FORM.udata: case DW_FORM.ref_udata: case DW_FORM.strx: case DW_FORM.addrx:
    case DW_FORM.loclistx: case DW_FORM.rnglistx: case DW_FORM.GNU_addr_index: case DW_FORM.GNU_str_index:
      r.ulebBig(); return;
    case DW_FORM.indirect: {
      const at = r.pos;
      if (depth > 4) throw new DwarfError('DW_FORM_indirect nested too deeply', u.section, at);
      skipForm(r, r.uleb(), u, depth + 1); return;
    }
    default: throw new DwarfError(`unknown attribute form 0x${form.toString(16)}`, u.section, r.pos);
  }
}

/** Reads a form without resolving strings/addresses through other sections. */
function readFormRaw(r: ByteReader, form: number, u: Unit, implicit: number | undefined, depth = 0): AttrValue {
  switch (form) {
    case DW_FORM.addr: return r.addr(u.addrSize);
    case DW_FORM.data1: case DW_FORM.ref1: case DW_FORM.strx1: case DW_FORM.addrx1: return r.u8();
    case DW_FORM.flag: return r.u8() !== 0;
    case DW_FORM.data2: case DW_FORM.ref2: case DW_FORM.strx2: case DW_FORM.addrx2: return r.u16();
    case DW_FORM.strx3: case DW_FORM.addrx3: { const lo = r.u16(); return lo | (r.u8() << 16); }
    case DW_FORM.data4: case DW_FORM.ref4: case DW_FORM.strx4: case DW_FORM.addrx4: case DW_FORM.ref_sup4: return r.u32();
    case DW_FORM.data8: case DW_FORM.ref8: case DW_FORM.ref_sup8: { const v = r.u64(); return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v; }
    case DW_FORM.ref_sig8: return r.u64();
    case DW_FORM.data16: return r.bytes(16);
    case DW_FORM.strp: case DW_FORM.line_strp: case DW_FORM.sec_offset: case DW_FORM.strp_sup:
    case DW_FORM.GNU_ref_alt: case DW_FORM.GNU_strp_alt: return r.offsetSized(u.offsetSize);
    case DW_FORM.ref_addr: return u.version <= 2 ? r.addr(u.addrSize) : r.offsetSized(u.offsetSize);
    case DW_FORM.flag_present: return true;
    case DW_FORM.implicit_const: return implicit ?? 0;
    case DW_FORM.string: return r.cstr();
    case DW_FORM.block1: return r.bytes(r.u8());
    case DW_FORM.block2: return r.bytes(r.u16());
    case DW_FORM.block4: return r.bytes(r.u32());
    case DW_FORM.block: case DW_FORM.exprloc: return r.bytes(r.uleb());
    case DW_FORM.sdata: return r.sleb();
    case DW_FORM.udata: case DW_FORM.ref_udata: case DW_FORM.strx: case DW_FORM.addrx:
    case DW_FORM.loclistx: case DW_FORM.rnglistx: case DW_FORM.GNU_addr_index: case DW_FORM.GNU_str_index: {
      const v = r.ulebBig();
      return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    }
    case DW_FORM.indirect: {
      const at = r.pos;
      if (depth > 4) throw new DwarfError('DW_FORM_indirect nested too deeply', u.section, at);
      return readFormRaw(r, r.uleb(), u, implicit, depth + 1);
    }
    default: throw new DwarfError(`unknown attribute form 0x${form.toString(16)}`, u.section, r.pos);
  }
}

/** Reads and resolves one attribute value; DW_FORM_indirect reports the actual form. */
function readForm(r: ByteReader, form: number, u: Unit, implicit: number | undefined): { form: number; value: AttrValue } {
  let f = form;
  for (let depth = 0; f === DW_FORM.indirect; depth++) {
    if (depth > 4) throw new DwarfError('DW_FORM_indirect nested too deeply', u.section, r.pos);
    f = r.uleb();
  }
  const raw = readFormRaw(r, f, u, implicit);
  switch (f) {
    case DW_FORM.ref1: case DW_FORM.ref2: case DW_FORM.ref4: case DW_FORM.ref8: case DW_FORM.ref_udata:
      return { form: f, value: u.offset + Number(raw) };
    case DW_FORM.strp: return { form: f, value: u.info.str(Number(raw), 'str') };
    case DW_FORM.line_strp: return { form: f, value: u.info.str(Number(raw), 'line_str') };
    default:
      if (isStrx(f)) return { form: f, value: u.info.readStrx(u, Number(raw)) };
      if (isAddrx(f)) return { form: f, value: u.info.readAddrx(u, Number(raw)) };
      return { form: f, value: raw };
  }
}

/** A view of one DIE; cheap to create, holds no parsed data. */
export class Die {
  constructor(readonly unit: Unit, readonly index: number) {}
  get offset(): number { return this.unit.offsetOf(this.index); }
  get tag(): number { return this.unit.abbrevOf(this.index).tag; }
  get hasChildren(): boolean { return this.unit.abbrevOf(this.index).hasChildren; }
  attrs(): Attr[] { return this.unit.attrsOf(this.index); }
  attr(at: number): Attr | undefined { return this.unit.attrOf(this.index, at); }
  has(at: number): boolean {
    const s = this.unit.abbrevOf(this.index).specs;
    for (let k = 0; k < s.length; k += 2) if (s[k] === at) return true;
    return false;
  }
  /** Attribute value as a number (constants, addresses, offsets); undefined when absent or not numeric. */
  num(at: number): number | undefined {
    const a = this.attr(at);
    if (!a) return undefined;
    const v = a.value;
    return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? (v ? 1 : 0) : undefined;
  }
  str(at: number): string | undefined { const v = this.attr(at)?.value; return typeof v === 'string' ? v : undefined; }
  flag(at: number): boolean { const v = this.attr(at)?.value; return v === true || (typeof v === 'number' && v !== 0); }
  /** Follows a reference attribute (within .debug_info, or ref_sig8 to a type unit). */
  ref(at: number): Die | undefined {
    const a = this.attr(at);
    if (!a) return undefined;
    if (a.form === DW_FORM.ref_sig8) return this.unit.info.typeUnitDie(a.value as bigint);
    if (!isRefForm(a.form)) return undefined;
    const off = a.value as number;
    if (a.form === DW_FORM.ref_addr) return this.unit.info.dieAt(off, '.debug_info');
    return off >= this.unit.offset && off < this.unit.end ? this.unit.dieAt(off) : undefined;
  }
  parent(): Die | undefined { const p = this.unit.parentOf(this.index); return p < 0 ? undefined : new Die(this.unit, p); }
  *children(): Generator<Die> {
    if (!this.hasChildren) return;
    const n = this.unit.dieCount();
    let c = this.index + 1;
    if (c >= n || this.unit.parentOf(c) !== this.index) return;
    while (c >= 0) { yield new Die(this.unit, c); c = this.unit.siblingOf(c); }
  }
  /** Name, following abstract_origin/specification (bounded chain). */
  name(): string | undefined {
    let d: Die | undefined = this;
    for (let i = 0; d && i < 8; i++) {
      const n = d.str(DW_AT.name);
      if (n !== undefined) return n;
      d = d.ref(DW_AT.abstract_origin) ?? d.ref(DW_AT.specification);
    }
    return undefined;
  }
  /** The DIE itself then its abstract origin / specification chain (bounded), for inherited attributes. */
  origins(): Die[] {
    const out: Die[] = [];
    let d: Die | undefined = this;
    while (d && out.length < 8) {
      if (out.some((o) => o.offset === d!.offset && o.unit === d!.unit)) break;
      out.push(d);
      d = d.ref(DW_AT.abstract_origin) ?? d.ref(DW_AT.specification);
    }
    return out;
  }
  /** First value of `at` along origins(). */
  inherited(at: number): Die | undefined {
    for (const o of this.origins()) if (o.has(at)) return o;
    return undefined;
  }
}

/** The units of .debug_info (and .debug_types), parsed lazily. */
export class DwarfInfo {
  private _units?: Unit[];
  private abbrevCache = new Map<number, AbbrevTable>();
  private strCache = new Map<number, string>();
  private sigIndex?: Map<bigint, Unit>;
  private decoder = new TextDecoder('utf-8');

  constructor(readonly sections: DwarfSections) {}

  units(): Unit[] {
    if (this._units) return this._units;
    const out: Unit[] = [];
    if (this.sections.info) this.readUnits(this.sections.info, '.debug_info', out);
    if (this.sections.types) this.readUnits(this.sections.types, '.debug_types', out);
    this._units = out;
    return out;
  }

  /** The compile/partial units of .debug_info (not type units). */
  compileUnits(): Unit[] {
    return this.units().filter((u) => u.section === '.debug_info' && u.unitType !== DW_UT.type && u.unitType !== DW_UT.split_type);
  }

  private readUnits(data: Uint8Array, section: '.debug_info' | '.debug_types', out: Unit[]): void {
    let pos = 0;
    // Each unit advances pos by its length (>= its header), so this ends with the section.
    while (pos < data.length) {
      const r = new ByteReader(data, section, pos);
      let len = r.u32(), offsetSize: 4 | 8 = 4;
      if (len === 0xffffffff) { len = r.u64n(); offsetSize = 8; } else if (len >= 0xfffffff0) {
        throw new DwarfError(`reserved unit length 0x${len.toString(16)}`, section, pos);
      }
      const end = r.pos + len;
      if (end > data.length) throw new DwarfError(`unit length 0x${len.toString(16)} runs past the section end (0x${data.length.toString(16)})`, section, pos);
      const hr = new ByteReader(data, section, r.pos, end);
      const version = hr.u16();
      if (version < 2 || version > 5) throw new DwarfError(`unsupported DWARF version ${version}`, section, pos + (offsetSize === 8 ? 12 : 4));
      let unitType: number = section === '.debug_types' ? DW_UT.type : DW_UT.compile;
      let abbrevOff: number, addrSize: number;
      let sig: bigint | undefined, typeOff: number | undefined;
      if (version >= 5) {
        unitType = hr.u8();
        addrSize = hr.u8();
        abbrevOff = hr.offsetSized(offsetSize);
        if (unitType === DW_UT.skeleton || unitType === DW_UT.split_compile) hr.u64();
        else if (unitType === DW_UT.type || unitType === DW_UT.split_type) { sig = hr.u64(); typeOff = pos + hr.offsetSized(offsetSize); }
        else if (unitType !== DW_UT.compile && unitType !== DW_UT.partial) {
          throw new DwarfError(`unknown unit type ${unitType}`, section, pos);
        }
      } else {
        abbrevOff = hr.offsetSized(offsetSize);
        addrSize = hr.u8();
        if (section === '.debug_types') { sig = hr.u64(); typeOff = pos + hr.offsetSized(offsetSize); }
      }
      if (addrSize !== 2 && addrSize !== 4 && addrSize !== 8) throw new DwarfError(`unsupported address size ${addrSize}`, section, pos);
      out.push(new Unit(this, section, data, pos, end, version, unitType, addrSize, offsetSize,
        this.abbrevTable(abbrevOff, section, pos), hr.pos, sig, typeOff));
      pos = end;
    }
  }

  private abbrevTable(off: number, section: string, unitOff: number): AbbrevTable {
    let t = this.abbrevCache.get(off);
    if (!t) {
      if (!this.sections.abbrev) throw new DwarfError('.debug_abbrev is missing', section, unitOff);
      t = parseAbbrevTable(this.sections.abbrev, off);
      this.abbrevCache.set(off, t);
    }
    return t;
  }

  /** The unit containing a section offset. */
  unitAt(offset: number, section: '.debug_info' | '.debug_types' = '.debug_info'): Unit | undefined {
    const us = this.units();
    let lo = 0, hi = us.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1, u = us[mid];
      if (u.section !== section) { if (section === '.debug_info') hi = mid - 1; else lo = mid + 1; continue; }
      if (offset < u.offset) hi = mid - 1; else if (offset >= u.end) lo = mid + 1; else return u;
    }
    return undefined;
  }

  dieAt(offset: number, section: '.debug_info' | '.debug_types' = '.debug_info'): Die | undefined {
    return this.unitAt(offset, section)?.dieAt(offset);
  }

  typeUnitDie(sig: bigint): Die | undefined {
    if (!this.sigIndex) {
      this.sigIndex = new Map();
      for (const u of this.units()) if (u.typeSignature !== undefined) this.sigIndex.set(u.typeSignature, u);
    }
    const u = this.sigIndex.get(sig);
    return u && u.typeOffset !== undefined ? u.dieAt(u.typeOffset) : undefined;
  }

  str(offset: number, which: 'str' | 'line_str'): string {
    const cacheKey = which === 'str' ? offset : -1 - offset;
    const c = this.strCache.get(cacheKey);
    if (c !== undefined) return c;
    const data = this.sections[which];
    const name = which === 'str' ? '.debug_str' : '.debug_line_str';
    if (!data) throw new DwarfError(`string offset 0x${offset.toString(16)} used but ${name} is missing`, name, offset);
    if (offset >= data.length) throw new DwarfError(`string offset 0x${offset.toString(16)} is past the section end`, name, offset);
    let e = offset;
    while (e < data.length && data[e] !== 0) e++;
    if (e >= data.length) throw new DwarfError('unterminated string', name, offset);
    const s = this.decoder.decode(data.subarray(offset, e));
    this.strCache.set(cacheKey, s);
    return s;
  }

  readStrx(u: Unit, index: number): string {
    const data = this.sections.str_offsets;
    if (!data) throw new DwarfError(`string index ${index} used but .debug_str_offsets is missing`, u.section, u.offset);
    const r = new ByteReader(data, '.debug_str_offsets', u.strOffsetsBase + index * u.offsetSize);
    return this.str(r.offsetSized(u.offsetSize), 'str');
  }

  readAddrx(u: Unit, index: number): number {
    const data = this.sections.addr;
    if (!data) throw new DwarfError(`address index ${index} used but .debug_addr is missing`, u.section, u.offset);
    const r = new ByteReader(data, '.debug_addr', u.addrBase + index * u.addrSize);
    return r.addr(u.addrSize);
  }
}
