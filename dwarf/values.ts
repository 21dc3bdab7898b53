// Formats a value (bytes + DwarfType) the way a C or Rust programmer reads it: enum names,
// bitfields, char arrays as strings, pointers with symbol names, Rust enums, slices and &str.
// Memory (for strings and slices) and symbols come from injected callbacks.
import { DW_ATE, type DwarfType, type Member, type VariantPart } from './types';

export interface FormatOptions {
  readMem?(addr: bigint, size: number): Uint8Array | undefined;
  /** Symbol name for an address (e.g. `main+4`), for pointers. */
  symbolize?(addr: bigint): string | undefined;
  /** Array elements shown before `...` (default 200). */
  maxElements?: number;
  /** Nesting shown before `{...}` (default 8). */
  maxDepth?: number;
  /** Bytes read for a char * string before `...` (default 200). */
  maxString?: number;
  /** One bit per value bit, 1 = known (from readLocationPartial); unknown parts print `<optimized out>`. */
  valid?: Uint8Array;
}

/** Little-endian unsigned integer from bytes[offset, offset+size). */
export function readUint(b: Uint8Array, offset: number, size: number): bigint {
  let v = 0n;
  for (let i = Math.min(size, b.length - offset) - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[offset + i]);
  return v;
}

/** `size` bits starting `bitOffset` bits into bytes (bit 0 = LSB of byte 0). */
export function readBits(b: Uint8Array, bitOffset: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) {
    const p = bitOffset + i;
    const byte = p >> 3;
    v = (v << 1n) | BigInt(byte < b.length ? (b[byte] >> (p & 7)) & 1 : 0);
  }
  return v;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

function escapeChar(c: number, quote: string): string {
  switch (c) {
    case 0: return '\\000';
    case 7: return '\\a'; case 8: return '\\b'; case 9: return '\\t'; case 10: return '\\n';
    case 11: return '\\v'; case 12: return '\\f'; case 13: return '\\r'; case 0x5c: return '\\\\';
  }
  if (String.fromCharCode(c) === quote) return `\\${quote}`;
  if (c < 0x20 || c >= 0x7f) return `\\${c.toString(8).padStart(3, '0')}`;
  return String.fromCharCode(c);
}

const isCharType = (t: DwarfType | undefined) => {
  const s = t?.strip();
  return !!s && s.kind === 'base' && s.size === 1 && (s.encoding === DW_ATE.signed_char || s.encoding === DW_ATE.unsigned_char || (s.encoding === DW_ATE.UTF && s.language !== 'rust'));
};

export function formatValue(type: DwarfType | undefined, bytes: Uint8Array, opts: FormatOptions = {}): string {
  return new Formatter(opts, bytes).value(type, bytes, 0, 0);
}

/**
 * The variant a Rust enum value holds (DWARF 5 §5.7.10 variant parts): the one whose
 * discriminant value matches, else the default one; a single variant without a discriminant
 * is a struct-like enum. `b` holds the enum's bytes from `off`.
 */
export function rustVariant(vp: VariantPart, b: Uint8Array, off: number): VariantPart['variants'][number] | undefined {
  let chosen = vp.variants.find((v) => v.isDefault);
  if (vp.discr) {
    const d = readUint(b, off + vp.discr.byteOffset, vp.discr.type?.size ?? 4);
    chosen = vp.variants.find((v) => v.discrValue === d) ?? chosen;
  } else if (vp.variants.length === 1) chosen = vp.variants[0];
  return chosen;
}

class Formatter {
  private readonly maxEl: number;
  private readonly maxDepth: number;
  private readonly maxStr: number;
  /** The bytes `valid` describes; buffers read from memory later are always fully known. */
  constructor(private readonly o: FormatOptions, private readonly root: Uint8Array) {
    this.maxEl = o.maxElements ?? 200;
    this.maxDepth = o.maxDepth ?? 8;
    this.maxStr = o.maxString ?? 200;
  }

  /** True when every bit of [bitOff, bitOff+bits) is known. */
  private known(bitOff: number, bits: number): boolean {
    const v = this.o.valid;
    if (!v) return true;
    for (let i = bitOff; i < bitOff + bits; i++) if (!((v[i >> 3] >> (i & 7)) & 1)) return false;
    return true;
  }

  value(type: DwarfType | undefined, b: Uint8Array, off: number, depth: number): string {
    if (!type) return `<void>`;
    const t = type.strip();
    const size = t.size ?? 0;
    if (off + size > b.length && t.kind !== 'array') return '<unavailable>';
    const scalar = t.kind !== 'struct' && t.kind !== 'class' && t.kind !== 'union' && t.kind !== 'array';
    if (scalar && this.o.valid && b === this.root && !this.known(off * 8, size * 8)) return '<optimized out>';
    switch (t.kind) {
      case 'base': return this.base(t, b, off, size);
      case 'enum': return this.enumValue(t, b, off, size);
      case 'pointer': case 'reference': case 'rvalue-reference': {
        const p = this.pointer(t, b, off);
        // Like gdb, a top-level pointer shows its declared type, except char pointers (strings).
        return depth === 0 && t.kind === 'pointer' && !isCharType(t.target) ? `(${type.toString()}) ${p}` : p;
      }
      case 'struct': case 'class': case 'union': return this.aggregate(t, b, off, depth);
      case 'array': return this.array(t, b, off, depth);
      case 'function': return `{${t.toString()}}`;
      case 'ptr-to-member': return hex(readUint(b, off, size || 4));
      default: return `<${t.kind}>`;
    }
  }

  private base(t: DwarfType, b: Uint8Array, off: number, size: number): string {
    if (size === 0) return t.name === '()' ? '()' : '{}';
    const raw = readUint(b, off, size);
    const signedV = BigInt.asIntN(size * 8, raw);
    switch (t.encoding) {
      case DW_ATE.boolean: return raw === 0n ? 'false' : raw === 1n ? 'true' : `${raw}`;
      case DW_ATE.float: {
        const dv = new DataView(b.buffer, b.byteOffset + off, size);
        if (size === 4) return fmtFloat(dv.getFloat32(0, true), 9);
        if (size === 8) return fmtFloat(dv.getFloat64(0, true), 17);
        return `<float${size * 8}>`;
      }
      case DW_ATE.signed_char: case DW_ATE.unsigned_char: {
        const n = t.encoding === DW_ATE.signed_char ? signedV : raw;
        return `${n} '${escapeChar(Number(raw & 0xffn), "'")}'`;
      }
      case DW_ATE.UTF: {
        if (t.language === 'rust' || size === 4) {
          const cp = Number(raw);
          return cp <= 0x10ffff ? `'${cp < 0x20 || cp === 0x27 || cp === 0x5c ? escapeChar(cp, "'") : String.fromCodePoint(cp)}'` : `${raw}`;
        }
        return `${raw}`;
      }
      case DW_ATE.signed: return `${signedV}`;
      case DW_ATE.address: return hex(raw);
      default: return `${raw}`;
    }
  }

  private enumValue(t: DwarfType, b: Uint8Array, off: number, size: number): string {
    const raw = readUint(b, off, size);
    const underlying = t.target?.strip();
    const signedEnum = underlying ? underlying.encoding === DW_ATE.signed || underlying.encoding === DW_ATE.signed_char : t.enumerators().some((e) => e.value < 0n);
    const v = signedEnum ? BigInt.asIntN(size * 8, raw) : raw;
    const es = t.enumerators();
    const match = es.find((e) => e.value === v || BigInt.asUintN(size * 8, e.value) === raw);
    if (match) return match.name;
    // A combination of single-bit enumerators is shown as flags, as gdb does.
    let rest = raw;
    const parts: string[] = [];
    for (const e of es) {
      const ev = BigInt.asUintN(size * 8, e.value);
      if (ev !== 0n && (ev & (ev - 1n)) === 0n && (rest & ev) === ev) { parts.push(e.name); rest &= ~ev; }
    }
    if (parts.length && rest === 0n) return `(${parts.join(' | ')})`;
    if (parts.length) return `(${parts.join(' | ')} | unknown: ${hex(rest)})`;
    return `${v}`;
  }

  private pointer(t: DwarfType, b: Uint8Array, off: number): string {
    const size = t.size ?? 4;
    const addr = readUint(b, off, size);
    const target = t.target?.strip();
    let s = hex(addr);
    if (t.kind !== 'pointer') {
      // References show the referent, like gdb's `@0x...: value`.
      const ts = target?.size;
      if (target && ts && this.o.readMem) {
        const m = this.o.readMem(addr, ts);
        if (m) return `@${s}: ${this.value(target, m, 0, this.maxDepth - 1)}`;
      }
      return `@${s}`;
    }
    if (isCharType(t.target)) {
      if (addr !== 0n && this.o.readMem) s += ` ${this.cString(addr)}`;
      return s;
    }
    const sym = addr !== 0n ? this.o.symbolize?.(addr) : undefined;
    if (sym) s += ` <${sym}>`;
    return s;
  }

  private cString(addr: bigint): string {
    const chunk = this.o.readMem?.(addr, this.maxStr);
    let data = chunk;
    if (!data) {
      // Near the end of a region a full chunk may not be readable; fall back to byte reads.
      const bytes: number[] = [];
      for (let i = 0; i < this.maxStr; i++) {
        const one = this.o.readMem?.(addr + BigInt(i), 1);
        if (!one || one.length === 0) break;
        bytes.push(one[0]);
        if (one[0] === 0) break;
      }
      if (bytes.length === 0) return '<error: cannot access memory>';
      data = Uint8Array.from(bytes);
    }
    const nul = data.indexOf(0);
    return quoteString(data.subarray(0, nul < 0 ? data.length : nul), nul < 0);
  }

  private member(m: Member, b: Uint8Array, base: number, depth: number): string {
    if (m.bitSize !== undefined && m.bitOffset !== undefined) {
      if (b === this.root && !this.known(base * 8 + m.bitOffset, m.bitSize)) return '<optimized out>';
      const raw = readBits(b, base * 8 + m.bitOffset, m.bitSize);
      const mt = m.type?.strip();
      if (mt?.kind === 'enum') {
        const tmp = new Uint8Array(mt.size ?? 4);
        for (let i = 0; i < tmp.length; i++) tmp[i] = Number((raw >> BigInt(8 * i)) & 0xffn);
        return this.enumValue(mt, tmp, 0, tmp.length);
      }
      const signedField = mt?.kind === 'base' && (mt.encoding === DW_ATE.signed || mt.encoding === DW_ATE.signed_char);
      if (mt?.kind === 'base' && mt.encoding === DW_ATE.boolean) return raw ? 'true' : 'false';
      return `${signedField ? BigInt.asIntN(m.bitSize, raw) : raw}`;
    }
    return this.value(m.type, b, base + m.byteOffset, depth + 1);
  }

  private aggregate(t: DwarfType, b: Uint8Array, off: number, depth: number): string {
    const rust = t.language === 'rust';
    if (depth >= this.maxDepth) return '{...}';
    const name = t.name ?? '';
    if (rust) {
      const special = this.rustSpecial(t, name, b, off, depth);
      if (special !== undefined) return special;
    }
    const ms = t.members();
    const parts: string[] = [];
    for (const m of ms) {
      const v = this.member(m, b, off, depth);
      if (m.name === undefined) parts.push(v);
      else parts.push(rust ? `${m.name}: ${v}` : `${m.name} = ${v}`);
    }
    if (rust) {
      // Tuple structs name their fields __0, __1...: show them positionally.
      const tuple = ms.length > 0 && ms.every((m) => m.name?.startsWith('__'));
      const body = tuple ? `(${ms.map((m) => this.member(m, b, off, depth)).join(', ')})` : ms.length ? ` {${parts.join(', ')}}` : '';
      // Anonymous tuples are named by their shape, `(i8, bool)`; the value alone says it.
      return `${name.startsWith('(') ? '' : name}${body}`;
    }
    return `{${parts.join(', ')}}`;
  }

  private rustSpecial(t: DwarfType, name: string, b: Uint8Array, off: number, depth: number): string | undefined {
    const vp = t.variantPart();
    if (vp) {
      const chosen = rustVariant(vp, b, off);
      if (!chosen) return `${name}::<unknown variant>`;
      return chosen.members.map((m) => this.value(m.type, b, off + m.byteOffset, depth)).join(', ') || name;
    }
    const ms = t.members();
    const ptr = ms.find((m) => m.name === 'data_ptr'), len = ms.find((m) => m.name === 'length');
    if (ptr && len && this.o.readMem) {
      const n = Number(readUint(b, off + len.byteOffset, len.type?.size ?? 4));
      const addr = readUint(b, off + ptr.byteOffset, ptr.type?.size ?? 4);
      // An empty slice's data_ptr is dangling (often just past other data): read nothing.
      if (n === 0) return name === '&str' || name === '&mut str' ? '""' : `${name.startsWith('&mut') ? '&mut ' : '&'}[]`;
      if (name === '&str' || name === '&mut str') {
        const m = this.o.readMem(addr, Math.min(n, this.maxStr));
        return m ? quoteString(m, n > this.maxStr) : `<error: cannot access memory at ${hex(addr)}>`;
      }
      const el = ptr.type?.strip().target;
      const es = el?.size;
      if (el && es) {
        const shown = Math.min(n, this.maxEl);
        const m = this.o.readMem(addr, shown * es);
        if (!m) return `<error: cannot access memory at ${hex(addr)}>`;
        const items: string[] = [];
        for (let i = 0; i < shown; i++) items.push(this.value(el, m, i * es, depth + 1));
        return `${name.startsWith('&mut') ? '&mut ' : '&'}[${items.join(', ')}${n > shown ? ', ...' : ''}]`;
      }
    }
    return undefined;
  }


  private array(t: DwarfType, b: Uint8Array, off: number, depth: number): string {
    const dims = t.dims();
    const el = t.target;
    const es = el?.size ?? 0;
    return this.arrayDims(el, es, dims.map((d) => d.count ?? 0), b, off, depth);
  }

  private arrayDims(el: DwarfType | undefined, es: number, counts: number[], b: Uint8Array, off: number, depth: number): string {
    const [n, ...rest] = counts;
    if (n === undefined) return this.value(el, b, off, depth);
    let stride = es;
    for (const c of rest) stride *= c;
    if (rest.length === 0 && isCharType(el) && es === 1) {
      const avail = Math.max(0, Math.min(n, b.length - off));
      const chars = b.subarray(off, off + avail);
      // gdb drops one trailing NUL of a char array, then prints the rest with repeats folded.
      const end = avail === n && avail > 0 && chars[avail - 1] === 0 ? avail - 1 : avail;
      return quoteString(chars.subarray(0, end), avail < n);
    }
    if (depth >= this.maxDepth) return '{...}';
    const items: string[] = [];
    const shown = Math.min(n, this.maxEl);
    let prev: string | undefined, reps = 0;
    const flush = () => {
      if (prev === undefined) return;
      if (reps > REPEAT_THRESHOLD) items.push(`${prev} <repeats ${reps} times>`);
      else for (let k = 0; k < reps; k++) items.push(prev);
    };
    for (let i = 0; i < shown; i++) {
      if (off + i * stride + stride > b.length && stride > 0) { flush(); prev = undefined; items.push('<unavailable>'); break; }
      const v = this.arrayDims(el, es, rest, b, off + i * stride, depth + 1);
      if (v === prev) { reps++; continue; }
      flush();
      prev = v; reps = 1;
    }
    flush();
    if (n > shown) items.push('...');
    return el?.language === 'rust' ? `[${items.join(', ')}]` : `{${items.join(', ')}}`;
  }
}

// gdb's `repeat_count_threshold`: runs longer than this print as `<repeats N times>`.
const REPEAT_THRESHOLD = 10;

/** A byte string in gdb's form: quoted runs, with long runs of one char as `'c' <repeats N times>`. */
function quoteString(b: Uint8Array, truncated: boolean): string {
  const segs: string[] = [];
  let cur = '';
  for (let i = 0; i < b.length;) {
    let j = i + 1;
    while (j < b.length && b[j] === b[i]) j++;
    if (j - i > REPEAT_THRESHOLD) {
      if (cur) { segs.push(`"${cur}"`); cur = ''; }
      segs.push(`'${escapeChar(b[i], "'")}' <repeats ${j - i} times>`);
    } else for (let k = i; k < j; k++) cur += escapeChar(b[k], '"');
    i = j;
  }
  if (cur || segs.length === 0) segs.push(`"${cur}"`);
  return segs.join(', ') + (truncated ? '...' : '');
}

function fmtFloat(v: number, digits: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return String(v);
  return String(Number(v.toPrecision(digits)));
}
