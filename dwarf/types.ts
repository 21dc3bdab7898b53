// The type model over type DIEs: base, pointer/reference, cv-qualifiers, typedef, struct/class/
// union (members, bitfields), enum, arrays with several subranges, subroutine types and Rust
// variant parts. Types are created on first use, cached per DIE, and resolve targets lazily so
// self-referential structs cost nothing until followed.
import { DwarfError } from './reader';
import { DW_AT, DW_FORM, DW_TAG, type Die, type Unit } from './info';
import { evaluate } from './location';

export type TypeKind =
  | 'base' | 'pointer' | 'reference' | 'rvalue-reference' | 'const' | 'volatile' | 'restrict' | 'atomic'
  | 'typedef' | 'struct' | 'class' | 'union' | 'enum' | 'array' | 'function' | 'unspecified' | 'ptr-to-member';

/** DW_ATE base type encodings (DWARF 5 section 7.8). */
export const DW_ATE = {
  address: 1, boolean: 2, complex_float: 3, float: 4, signed: 5, signed_char: 6, unsigned: 7, unsigned_char: 8,
  UTF: 0x10, ASCII: 0x12, UCS: 0x11,
} as const;

export type SourceLanguage = 'c' | 'c++' | 'rust' | 'other';
export function languageOf(u: Unit): SourceLanguage {
  const l = u.root()?.num(DW_AT.language);
  switch (l) {
    case 0x01: case 0x02: case 0x0c: case 0x1d: case 0x2c: return 'c';
    case 0x04: case 0x1a: case 0x21: case 0x2b: return 'c++';
    case 0x1c: return 'rust';
    default: return 'other';
  }
}

export interface Member {
  name?: string;
  type?: DwarfType;
  /** Byte offset of the member's storage in the aggregate. */
  byteOffset: number;
  /** Bit offset from the aggregate start (little-endian numbering) and width, for bitfields. */
  bitOffset?: number;
  bitSize?: number;
  artificial: boolean;
  die: Die;
}
export interface Enumerator { name: string; value: bigint }
export interface Dimension { lower: number; count?: number }
/** A Rust enum layout: the discriminant member and one variant per value (DWARF 5 section 5.7.10). */
export interface VariantPart { discr?: Member; variants: { discrValue?: bigint; isDefault: boolean; members: Member[] }[] }

const MAX_CHAIN = 64;

export class DwarfType {
  private _members?: Member[];
  private _target?: DwarfType | null;
  constructor(readonly table: TypeTable, readonly die: Die, readonly kind: TypeKind) {}

  get name(): string | undefined { return this.die.str(DW_AT.name); }
  get offset(): number { return this.die.offset; }
  get encoding(): number | undefined { return this.die.num(DW_AT.encoding); }
  get language(): SourceLanguage { return this.table.language(this.die.unit); }

  /** The referenced type: pointee, qualified/typedef'd type, array element, enum base, return type. */
  get target(): DwarfType | undefined {
    if (this._target === undefined) this._target = this.table.fromRef(this.die, DW_AT.type) ?? null;
    return this._target ?? undefined;
  }

  /** Size in bytes, following typedefs/qualifiers; undefined when the DWARF does not say. */
  get size(): number | undefined { return this.sizeAt(0); }

  private sizeAt(depth: number): number | undefined {
    // Malformed DWARF can make an array its own element; depth bounds that recursion.
    if (depth > MAX_CHAIN) return undefined;
    let t: DwarfType | undefined = this;
    for (let i = 0; t && i < MAX_CHAIN; i++) {
      const s = t.die.num(DW_AT.byte_size);
      if (s !== undefined) return s;
      switch (t.kind) {
        case 'pointer': case 'reference': case 'rvalue-reference': return t.die.unit.addrSize;
        case 'array': {
          const el = t.target?.sizeAt(depth + 1);
          if (el === undefined) return undefined;
          let n = 1;
          for (const d of t.dims()) { if (d.count === undefined) return 0; n *= d.count; }
          return n * el;
        }
        case 'const': case 'volatile': case 'restrict': case 'atomic': case 'typedef': case 'enum': t = t.target; continue;
        default: return undefined;
      }
    }
    return undefined;
  }

  /** Strips typedefs and cv-qualifiers. */
  strip(): DwarfType {
    let t: DwarfType = this;
    for (let i = 0; i < MAX_CHAIN; i++) {
      if (t.kind !== 'typedef' && t.kind !== 'const' && t.kind !== 'volatile' && t.kind !== 'restrict' && t.kind !== 'atomic') return t;
      const n = t.target;
      if (!n) return t;
      t = n;
    }
    return t;
  }

  members(): Member[] {
    if (this._members) return this._members;
    const out: Member[] = [];
    if (this.kind === 'struct' || this.kind === 'class' || this.kind === 'union') {
      for (const c of this.die.children()) {
        if (c.tag === DW_TAG.member && !c.flag(0x3c /* declaration: static member */)) out.push(this.table.member(c));
        else if (c.tag === 0x1c /* inheritance */) out.push({ ...this.table.member(c), name: undefined });
      }
    }
    this._members = out;
    return out;
  }

  enumerators(): Enumerator[] {
    const out: Enumerator[] = [];
    for (const c of this.die.children()) {
      if (c.tag !== DW_TAG.enumerator) continue;
      const a = c.attr(DW_AT.const_value);
      out.push({ name: c.str(DW_AT.name) ?? '?', value: a ? constToBig(a.value, a.form) : 0n });
    }
    return out;
  }

  dims(): Dimension[] {
    const out: Dimension[] = [];
    for (const c of this.die.children()) {
      if (c.tag !== DW_TAG.subrange_type && c.tag !== DW_TAG.enumeration_type) continue;
      const lower = constNum(c, DW_AT.lower_bound) ?? 0;
      const count = constNum(c, DW_AT.count);
      const upper = constNum(c, DW_AT.upper_bound);
      // An upper bound of -1 (all ones) is how GCC spells a flexible or zero-length array.
      out.push({ lower, count: count ?? (upper !== undefined && upper >= lower - 1 ? upper - lower + 1 : undefined) });
    }
    return out;
  }

  /** Subroutine type parameters; `varargs` when DW_TAG_unspecified_parameters is present. */
  params(): { types: (DwarfType | undefined)[]; varargs: boolean } {
    const types: (DwarfType | undefined)[] = [];
    let varargs = false;
    for (const c of this.die.children()) {
      if (c.tag === DW_TAG.formal_parameter) types.push(this.table.fromRef(c, DW_AT.type));
      else if (c.tag === DW_TAG.unspecified_parameters) varargs = true;
    }
    return { types, varargs };
  }

  variantPart(): VariantPart | undefined {
    for (const c of this.die.children()) {
      if (c.tag !== DW_TAG.variant_part) continue;
      const dref = c.ref(DW_AT.discr);
      const part: VariantPart = { discr: dref ? this.table.member(dref) : undefined, variants: [] };
      for (const v of c.children()) {
        if (v.tag === DW_TAG.member && !dref) part.discr = this.table.member(v);
        if (v.tag !== DW_TAG.variant) continue;
        const dv = v.attr(DW_AT.discr_value);
        const members: Member[] = [];
        for (const m of v.children()) if (m.tag === DW_TAG.member) members.push(this.table.member(m));
        part.variants.push({ discrValue: dv ? constToBig(dv.value, dv.form) : undefined, isDefault: !dv, members });
      }
      return part;
    }
    return undefined;
  }

  /** The type as written in C (or Rust/C++ when the unit says so), e.g. `int (*)(char, ...)`. */
  toString(): string { return typeName(this); }
}

function constNum(d: Die, at: number): number | undefined {
  const a = d.attr(at);
  if (!a) return undefined;
  if (a.form === DW_FORM.sdata || a.form === DW_FORM.implicit_const) return Number(a.value);
  if (typeof a.value === 'number') return a.value;
  if (typeof a.value === 'bigint') return Number(BigInt.asIntN(64, a.value));
  return undefined;
}

/** A DW_AT_const_value as a bigint: sdata is signed, dataN forms are raw bit patterns. */
export function constToBig(v: unknown, form: number): bigint {
  if (typeof v === 'number') return BigInt(v);
  if (typeof v === 'bigint') return form === DW_FORM.data8 ? BigInt.asIntN(64, v) : v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (v instanceof Uint8Array) {
    let r = 0n;
    for (let i = Math.min(v.length, 16) - 1; i >= 0; i--) r = (r << 8n) | BigInt(v[i]);
    return r;
  }
  return 0n;
}

const KIND_BY_TAG = new Map<number, TypeKind>([
  [DW_TAG.base_type, 'base'], [DW_TAG.pointer_type, 'pointer'], [DW_TAG.reference_type, 'reference'],
  [DW_TAG.rvalue_reference_type, 'rvalue-reference'], [DW_TAG.const_type, 'const'], [DW_TAG.volatile_type, 'volatile'],
  [DW_TAG.restrict_type, 'restrict'], [DW_TAG.atomic_type, 'atomic'], [DW_TAG.typedef, 'typedef'],
  [DW_TAG.structure_type, 'struct'], [DW_TAG.class_type, 'class'], [DW_TAG.union_type, 'union'],
  [DW_TAG.enumeration_type, 'enum'], [DW_TAG.array_type, 'array'], [DW_TAG.subroutine_type, 'function'],
  [DW_TAG.subprogram, 'function'], [DW_TAG.unspecified_type, 'unspecified'], [DW_TAG.ptr_to_member_type, 'ptr-to-member'],
  [DW_TAG.string_type, 'array'],
]);

/** Caches DwarfType objects by DIE; one per DebugInfo. */
export class TypeTable {
  private cache = new Map<number, DwarfType>();
  private langs = new Map<Unit, SourceLanguage>();

  language(u: Unit): SourceLanguage {
    let l = this.langs.get(u);
    if (!l) { l = languageOf(u); this.langs.set(u, l); }
    return l;
  }

  /** The type described by a DIE; throws DwarfError when the DIE is not a type. */
  get(d: Die): DwarfType {
    const key = d.unit.section === '.debug_info' ? d.offset : -1 - d.offset;
    let t = this.cache.get(key);
    if (t) return t;
    const kind = KIND_BY_TAG.get(d.tag);
    if (!kind) throw new DwarfError(`DIE with tag 0x${d.tag.toString(16)} is not a type`, d.unit.section, d.offset);
    // A declaration stands for a definition elsewhere: a type unit (DW_AT_signature) or
    // another compile unit with the same name (an opaque `struct foo;` in this one).
    const def = kind === 'struct' || kind === 'class' || kind === 'union' || kind === 'enum' ? this.definitionOf(d) : undefined;
    t = def ?? new DwarfType(this, d, kind);
    this.cache.set(key, t);
    return t;
  }

  private definitions?: Map<string, Die>;

  private definitionOf(d: Die): DwarfType | undefined {
    // GCC's type-unit stubs carry DW_AT_signature without DW_AT_declaration.
    const sig = d.has(DW_AT.signature) ? d.ref(DW_AT.signature) : undefined;
    if (sig && sig.tag === d.tag && !sig.flag(DW_AT.declaration)) return this.get(sig);
    if (!d.flag(DW_AT.declaration)) return undefined;
    const name = d.str(DW_AT.name);
    if (name === undefined) return undefined;
    if (!this.definitions) {
      this.definitions = new Map();
      for (const u of d.unit.info.units()) {
        const n = u.dieCount();
        for (let i = 0; i < n; i++) {
          const tag = u.abbrevOf(i).tag;
          if (tag !== DW_TAG.structure_type && tag !== DW_TAG.class_type && tag !== DW_TAG.union_type && tag !== DW_TAG.enumeration_type) continue;
          const c = u.dieByIndex(i);
          if (c.flag(DW_AT.declaration)) continue;
          const cn = c.str(DW_AT.name);
          if (cn === undefined) continue;
          const k = `${tag}:${qualified(c, cn)}`;
          if (!this.definitions.has(k)) this.definitions.set(k, c);
        }
      }
    }
    const def = this.definitions.get(`${d.tag}:${qualified(d, name)}`);
    return def ? this.get(def) : undefined;
  }

  /** Follows a type reference attribute; undefined for `void` (no DW_AT_type) or a non-type target. */
  fromRef(d: Die, at: number): DwarfType | undefined {
    // Declarations defer to the DIE that completes them (DW_AT_specification / abstract origin).
    for (const o of d.origins()) {
      if (!o.has(at)) continue;
      const t = o.ref(at);
      if (!t) throw new DwarfError(`${at === DW_AT.type ? 'DW_AT_type' : `attribute 0x${at.toString(16)}`} does not point at a DIE`, d.unit.section, o.offset);
      return KIND_BY_TAG.has(t.tag) ? this.get(t) : undefined;
    }
    return undefined;
  }

  member(c: Die): Member {
    const type = this.fromRef(c, DW_AT.type);
    let byteOffset = 0;
    const loc = c.attr(DW_AT.data_member_location);
    if (loc) {
      if (loc.value instanceof Uint8Array) {
        // DWARF 2 style: an expression run with the struct's address (0) pushed.
        const l = evaluate(loc.value, { addrSize: c.unit.addrSize }, [0n]);
        byteOffset = l.kind === 'memory' ? Number(l.addr) : 0;
      } else byteOffset = Number(loc.value);
    }
    const m: Member = { name: c.str(DW_AT.name), type, byteOffset, artificial: c.flag(DW_AT.artificial), die: c };
    const bitSize = c.num(DW_AT.bit_size);
    if (bitSize !== undefined) {
      m.bitSize = bitSize;
      const dbo = c.num(DW_AT.data_bit_offset);
      if (dbo !== undefined) m.bitOffset = dbo;
      else {
        // DWARF 2/3 DW_AT_bit_offset counts from the most significant bit of the storage unit;
        // on a little-endian target that is storage*8 - bit_offset - bit_size from the low bit.
        const storage = c.num(DW_AT.byte_size) ?? type?.size ?? 4;
        const bo = c.num(DW_AT.bit_offset) ?? 0;
        m.bitOffset = byteOffset * 8 + storage * 8 - bo - bitSize;
      }
      m.byteOffset = Math.floor(m.bitOffset / 8);
    }
    return m;
  }
}

// ---------------------------------------------------------------------------------------------
// Names

const isPtrLike = (t: DwarfType) => t.kind === 'pointer' || t.kind === 'reference' || t.kind === 'rvalue-reference';

/** Type name in source syntax (gdb style: `char *`, `int [4][3]`, `int (*)(int)`). */
export function typeName(t: DwarfType | undefined, depth = 0): string {
  return decl(t, '', depth).trim();
}

function leafName(t: DwarfType): string {
  const n = t.name;
  const lang = t.language;
  const tagged = lang === 'c' && (t.kind === 'struct' || t.kind === 'union' || t.kind === 'enum' || t.kind === 'class');
  if (n === undefined) {
    if (t.kind === 'struct' || t.kind === 'class' || t.kind === 'union' || t.kind === 'enum') return `${t.kind === 'class' ? 'class' : t.kind} {...}`;
    return t.kind === 'unspecified' ? 'void' : `<${t.kind}>`;
  }
  if (tagged) return `${t.kind} ${n}`;
  return lang === 'rust' || lang === 'c++' ? qualified(t.die, n) : n;
}

/** Prefixes the enclosing namespaces/types (`t::Shape`), as Rust and C++ name things. */
function qualified(d: Die, name: string): string {
  const parts = [name];
  let p = d.parent();
  for (let i = 0; p && i < MAX_CHAIN; i++, p = p.parent()) {
    if (p.tag === DW_TAG.compile_unit || p.tag === DW_TAG.partial_unit || p.tag === DW_TAG.type_unit) break;
    const pn = p.str(DW_AT.name);
    if (pn === undefined || !(p.tag === DW_TAG.namespace || p.tag === DW_TAG.structure_type || p.tag === DW_TAG.class_type || p.tag === DW_TAG.union_type || p.tag === DW_TAG.enumeration_type)) break;
    parts.unshift(pn);
  }
  return parts.join('::');
}

function decl(t: DwarfType | undefined, suffix: string, depth: number): string {
  const join = (base: string, s: string) => (s ? `${base} ${s}` : base);
  if (!t) return join('void', suffix);
  if (depth > MAX_CHAIN) return join('...', suffix);
  // Rust names pointers, slices and tuples in full on the DIE; arrays read `[T; N]`.
  if (t.language === 'rust') {
    if (t.kind === 'array') return join(`${t.dims().map(() => '[').join('')}${typeName(t.target, depth + 1)}${t.dims().map((d) => `; ${d.count ?? 0}]`).join('')}`, suffix);
    if (t.name !== undefined) return join(leafName(t), suffix);
  }
  switch (t.kind) {
    case 'pointer': case 'reference': case 'rvalue-reference': {
      const sym = t.kind === 'pointer' ? '*' : t.kind === 'reference' ? '&' : '&&';
      const inner = t.target?.strip();
      const wrap = inner && (inner.kind === 'array' || inner.kind === 'function');
      return decl(t.target, wrap ? `(${sym}${suffix})` : `${sym}${suffix}`, depth + 1);
    }
    case 'const': case 'volatile': case 'restrict': case 'atomic': {
      const q = t.kind === 'atomic' ? '_Atomic' : t.kind;
      if (t.target && isPtrLike(t.target)) return decl(t.target, ` ${q}${suffix ? ` ${suffix}` : ''}`, depth + 1);
      const inner = decl(t.target, suffix, depth + 1);
      // GCC qualifies both an array and its element type; say it once, as the source did.
      return inner.startsWith(`${q} `) ? inner : `${q} ${inner}`;
    }
    case 'array': {
      const dims = t.dims().map((d) => `[${d.count ?? ''}]`).join('') || '[]';
      return decl(t.target, `${suffix}${dims}`, depth + 1);
    }
    case 'function': {
      const { types, varargs } = t.params();
      const ps = types.map((p) => typeName(p, depth + 1));
      if (varargs) ps.push('...');
      else if (ps.length === 0 && t.language === 'c' && t.die.flag(DW_AT.prototyped)) ps.push('void');
      return decl(t.target, `${suffix}(${ps.join(', ')})`, depth + 1);
    }
    default: return join(leafName(t), suffix);
  }
}
