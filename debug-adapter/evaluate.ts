// The C-like expression language of watch, hover and the REPL: a tokenizer, a recursive-descent
// parser to a small AST, and an evaluator over typed values (DWARF types or the built-in C
// scalars). Work is bounded: expression length, nesting depth and bytes read per value.
import { formatValue } from '../dwarf/values';
import { rustShape } from './rust-shapes';
import { DW_ATE, typeName, type DwarfType } from '../dwarf/types';

/** A value's type: a DWARF type, or a synthetic C scalar/pointer for literals and registers. */
export type Ty =
  | { k: 'int'; size: number; signed: boolean; name: string; dw?: DwarfType }
  | { k: 'float'; size: 4 | 8; name: string; dw?: DwarfType }
  | { k: 'ptr'; to: Ty; name: string; dw?: DwarfType }
  | { k: 'array'; elem: Ty; count: number | undefined; name: string; dw?: DwarfType }
  | { k: 'struct'; size: number; name: string; dw: DwarfType }
  | { k: 'func'; name: string; dw?: DwarfType }
  | { k: 'void'; name: string };

/** Where a value lives, so it can be assigned and have its address taken. */
export type LValue = { kind: 'memory'; addr: number } | { kind: 'register'; name: string };

export interface Val {
  ty: Ty;
  /** The value's bytes (little-endian), when read; aggregates in memory may carry only `lv`. */
  bytes?: Uint8Array;
  lv?: LValue;
  /** A bitfield inside `lv`'s storage unit. */
  bits?: { offset: number; size: number };
}

/** What the evaluator needs from the stopped target and the debug info. */
export interface EvalEnv {
  /** A variable in scope (locals first, then the CU's statics, then globals). */
  lookup(name: string): Val | undefined;
  /** `$r0`, `$sp`, `$xpsr`, `$control`... (name without `$`), unsigned 32-bit. */
  register(name: string): number | undefined;
  readMem(addr: number, size: number): Uint8Array | undefined;
  /** A named type (typedef, base type, `struct x`, `union x`, `enum x`). */
  typeByName?(name: string): DwarfType | undefined;
}

export class EvalError extends Error {
  constructor(message: string) { super(message); this.name = 'EvalError'; }
}

const MAX_EXPR = 4096;
const MAX_DEPTH = 64;
/** Largest value read for one evaluation (arrays and structs are shown, not copied whole). */
export const MAX_VALUE_BYTES = 1 << 16;
const CHAIN = 64;

export const T_INT: Ty = { k: 'int', size: 4, signed: true, name: 'int' };
export const T_UINT: Ty = { k: 'int', size: 4, signed: false, name: 'unsigned int' };
export const T_LONGLONG: Ty = { k: 'int', size: 8, signed: true, name: 'long long' };
export const T_ULONGLONG: Ty = { k: 'int', size: 8, signed: false, name: 'unsigned long long' };
export const T_CHAR: Ty = { k: 'int', size: 1, signed: true, name: 'char' };
export const T_FLOAT: Ty = { k: 'float', size: 4, name: 'float' };
export const T_DOUBLE: Ty = { k: 'float', size: 8, name: 'double' };
export const T_VOID: Ty = { k: 'void', name: 'void' };

const BUILTIN_TYPES = new Map<string, Ty>([
  ['int', T_INT], ['signed', T_INT], ['signed int', T_INT], ['unsigned', T_UINT], ['unsigned int', T_UINT],
  ['char', T_CHAR], ['signed char', T_CHAR], ['unsigned char', { k: 'int', size: 1, signed: false, name: 'unsigned char' }],
  ['short', { k: 'int', size: 2, signed: true, name: 'short' }], ['unsigned short', { k: 'int', size: 2, signed: false, name: 'unsigned short' }],
  ['long', { k: 'int', size: 4, signed: true, name: 'long' }], ['unsigned long', { k: 'int', size: 4, signed: false, name: 'unsigned long' }],
  ['long long', T_LONGLONG], ['unsigned long long', T_ULONGLONG],
  ['float', T_FLOAT], ['double', T_DOUBLE], ['void', T_VOID], ['_Bool', { k: 'int', size: 1, signed: false, name: '_Bool' }],
  ['int8_t', { k: 'int', size: 1, signed: true, name: 'int8_t' }], ['uint8_t', { k: 'int', size: 1, signed: false, name: 'uint8_t' }],
  ['int16_t', { k: 'int', size: 2, signed: true, name: 'int16_t' }], ['uint16_t', { k: 'int', size: 2, signed: false, name: 'uint16_t' }],
  ['int32_t', { k: 'int', size: 4, signed: true, name: 'int32_t' }], ['uint32_t', { k: 'int', size: 4, signed: false, name: 'uint32_t' }],
  ['int64_t', T_LONGLONG], ['uint64_t', T_ULONGLONG],
]);

export function pointerTo(t: Ty): Ty { return { k: 'ptr', to: t, name: `${t.name} *`.replace('* *', '**') }; }

/** The evaluator's view of a DWARF type (typedefs and qualifiers stripped, name kept). */
export function fromDwarf(t: DwarfType | undefined, depth = 0): Ty {
  if (t === undefined) return T_VOID;
  const name = typeName(t);
  const s = t.strip();
  if (depth > CHAIN) return { k: 'void', name };
  switch (s.kind) {
    case 'base': {
      const size = s.size ?? 4;
      if (s.encoding === DW_ATE.float) return { k: 'float', size: size === 8 ? 8 : 4, name, dw: t };
      const signed = s.encoding === DW_ATE.signed || s.encoding === DW_ATE.signed_char;
      return { k: 'int', size, signed, name, dw: t };
    }
    case 'enum': {
      const base = s.target?.strip();
      const signed = base === undefined || base.encoding === DW_ATE.signed;
      return { k: 'int', size: s.size ?? 4, signed, name, dw: t };
    }
    case 'pointer': case 'reference': case 'rvalue-reference':
      return { k: 'ptr', to: fromDwarf(s.target, depth + 1), name, dw: t };
    case 'array': {
      const dims = s.dims();
      const el = fromDwarf(s.target, depth + 1);
      // int a[2][3]: an array of 2 of (array of 3 int); the inner arrays have no DIE of their own.
      let elem: Ty = el;
      for (let i = dims.length - 1; i >= 1; i--) elem = { k: 'array', elem, count: dims[i].count, name: `${el.name} [${dims.slice(i).map((d) => d.count ?? '').join('][')}]` };
      return { k: 'array', elem, count: dims[0]?.count, name, dw: t };
    }
    case 'struct': case 'class': case 'union': return { k: 'struct', size: s.size ?? 0, name, dw: t };
    case 'function': return { k: 'func', name, dw: t };
    default: return { k: 'void', name };
  }
}

export function sizeOf(t: Ty): number {
  switch (t.k) {
    case 'int': case 'float': return t.size;
    case 'ptr': return 4;
    case 'array': return t.dw?.size ?? (t.count ?? 0) * sizeOf(t.elem);
    case 'struct': return t.size;
    default: return 1;
  }
}

// ------------------------------------------------------------------ tokens

type Tok = { t: 'num'; v: bigint | number; float: boolean; unsigned: boolean; text: string; pos: number; field?: boolean }
  | { t: 'id'; v: string; pos: number }
  | { t: 'reg'; v: string; pos: number }
  | { t: 'char'; v: number; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'end'; pos: number };

const OPS = ['->', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '%', '<', '>', '!', '~', '&', '|', '^', '(', ')', '[', ']', '.', '?', ':', ',', '=', '@'];

export function tokenize(src: string): Tok[] {
  if (src.length > MAX_EXPR) throw new EvalError(`expression is too long (${src.length} characters, limit ${MAX_EXPR})`);
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    const start = i;
    const last = out[out.length - 1];
    // Rust tuple fields: `x.0`, `x.0.1`. A '.' right after a name, ')' or ']' is member access,
    // and the digits after such a '.' are a field number, not a float.
    if (c === '.' && /[0-9]/.test(src[i + 1] ?? '') && last !== undefined && (last.t === 'id' || (last.t === 'op' && (last.v === ')' || last.v === ']')) || (last.t === 'num' && last.field === true))) {
      out.push({ t: 'op', v: '.', pos: start });
      i++;
      const m = /^[0-9]+/.exec(src.slice(i))!;
      out.push({ t: 'num', v: BigInt(m[0]), float: false, unsigned: false, text: m[0], pos: i, field: true });
      i += m[0].length;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)([uUlLfF]*)/.exec(src.slice(i))!;
      const body = m[1];
      const suffix = m[2].toLowerCase();
      i += m[0].length;
      if (/[0-9a-zA-Z_]/.test(src[i] ?? '')) throw new EvalError(`bad number '${src.slice(start, i + 1)}' at column ${start + 1}`);
      const isHex = /^0[xX]/.test(body) || /^0[bB]/.test(body);
      const isFloat = !isHex && (/[.eE]/.test(body) || suffix.includes('f'));
      if (isFloat) out.push({ t: 'num', v: Number(body), float: true, unsigned: false, text: m[0], pos: start });
      else {
        const v = /^0[0-7]+$/.test(body) ? BigInt(`0o${body.slice(1)}`) : BigInt(body);
        out.push({ t: 'num', v, float: false, unsigned: suffix.includes('u') || (isHex && v > 0x7fffffffn && v <= 0xffffffffn), text: m[0], pos: start });
      }
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    if (c === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(src.slice(i));
      if (!m) throw new EvalError(`'$' must be followed by a register name at column ${start + 1}`);
      out.push({ t: 'reg', v: m[1].toLowerCase(), pos: start });
      i += m[0].length;
      continue;
    }
    if (c === "'") {
      const m = /^'(\\(?:[nrt0\\'"abfv]|x[0-9a-fA-F]{1,2}|[0-7]{1,3})|[^\\'])'/.exec(src.slice(i));
      if (!m) throw new EvalError(`bad character literal at column ${start + 1}`);
      out.push({ t: 'char', v: charCode(m[1]), pos: start });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op === undefined) throw new EvalError(`unexpected '${c}' at column ${start + 1}`);
    out.push({ t: 'op', v: op, pos: start });
    i += op.length;
  }
  out.push({ t: 'end', pos: src.length });
  return out;
}

function charCode(s: string): number {
  if (s[0] !== '\\') return s.charCodeAt(0);
  const e = s.slice(1);
  const simple: Record<string, number> = { n: 10, r: 13, t: 9, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11 };
  if (e in simple && e.length === 1) return simple[e];
  if (e[0] === 'x') return parseInt(e.slice(1), 16);
  return parseInt(e, 8) & 0xff;
}

// ------------------------------------------------------------------ AST

export type TypeSpec = { name: string; ptr: number };
export type Node =
  | { n: 'num'; v: bigint | number; float: boolean; unsigned: boolean }
  | { n: 'char'; v: number }
  | { n: 'id'; name: string }
  | { n: 'reg'; name: string }
  | { n: 'unary'; op: string; e: Node }
  | { n: 'binary'; op: string; l: Node; r: Node }
  | { n: 'cond'; c: Node; a: Node; b: Node }
  | { n: 'index'; e: Node; i: Node }
  | { n: 'member'; e: Node; name: string; arrow: boolean }
  | { n: 'cast'; type: TypeSpec; e: Node }
  | { n: 'sizeof'; e?: Node; type?: TypeSpec }
  | { n: 'assign'; l: Node; r: Node };

const BINARY: [string[], number][] = [
  [['||'], 1], [['&&'], 2], [['|'], 3], [['^'], 4], [['&'], 5], [['==', '!='], 6],
  [['<', '>', '<=', '>='], 7], [['<<', '>>'], 8], [['+', '-'], 9], [['*', '/', '%'], 10],
  // gdb's artificial array `first@count`: binds tighter than the arithmetic around it.
  [['@'], 11],
];
const PREC = new Map<string, number>(BINARY.flatMap(([ops, p]) => ops.map((o) => [o, p] as [string, number])));
const TYPE_WORDS = new Set(['struct', 'union', 'enum', 'unsigned', 'signed', 'const', 'volatile', 'int', 'char', 'short', 'long', 'float', 'double', 'void', '_Bool']);

/** Parses an expression; `isType` says whether an identifier names a type (for casts). */
export function parse(src: string, isType: (name: string) => boolean = (n) => BUILTIN_TYPES.has(n)): Node {
  const toks = tokenize(src);
  let p = 0;
  let depth = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => { const t = toks[p]; return t.t === 'op' && t.v === v; };
  const expect = (v: string) => {
    if (!isOp(v)) throw new EvalError(`expected '${v}' at column ${peek().pos + 1}${peek().t === 'end' ? ' (end of expression)' : ''}`);
    p++;
  };
  const enter = () => { if (++depth > MAX_DEPTH) throw new EvalError(`expression nests too deeply (limit ${MAX_DEPTH})`); };

  const startsType = (): boolean => {
    const t = toks[p];
    return t.t === 'id' && (TYPE_WORDS.has(t.v) || isType(t.v));
  };
  const typeSpec = (): TypeSpec => {
    const words: string[] = [];
    const word = () => { const t = peek(); return t.t === 'id' ? t.v : undefined; };
    for (let guard = 0; guard < 8 && (word() === 'const' || word() === 'volatile'); guard++) p++;
    const w0 = word();
    if (w0 === 'struct' || w0 === 'union' || w0 === 'enum') {
      p++;
      const n = word();
      if (n === undefined) throw new EvalError(`expected a name after '${w0}' at column ${peek().pos + 1}`);
      p++;
      words.push(w0, n);
    } else if (w0 !== undefined && !TYPE_WORDS.has(w0)) {
      p++;
      words.push(w0);
    } else {
      // Keyword types: 'unsigned long long', 'signed char', 'const int'.
      for (let guard = 0; guard < 8; guard++) {
        const w = word();
        if (w === undefined || !TYPE_WORDS.has(w) || w === 'struct' || w === 'union' || w === 'enum') break;
        p++;
        if (w !== 'const' && w !== 'volatile') words.push(w);
      }
    }
    for (let guard = 0; guard < 8 && (word() === 'const' || word() === 'volatile'); guard++) p++;
    if (words.length === 0) throw new EvalError(`expected a type name at column ${peek().pos + 1}`);
    let ptr = 0;
    while (isOp('*') && ptr < 8) { p++; ptr++; }
    return { name: words.join(' '), ptr };
  };

  const expr = (): Node => {
    enter();
    const l = cond();
    if (isOp('=')) { p++; const r = expr(); depth--; return { n: 'assign', l, r }; }
    depth--;
    return l;
  };
  const cond = (): Node => {
    const c = binary(1);
    if (!isOp('?')) return c;
    p++;
    enter();
    const a = expr(); expect(':'); const b = cond();
    depth--;
    return { n: 'cond', c, a, b };
  };
  const binary = (min: number): Node => {
    let l = unary();
    for (let guard = 0; guard < MAX_EXPR; guard++) {
      const t = peek();
      const prec = t.t === 'op' ? PREC.get(t.v) : undefined;
      if (prec === undefined || prec < min) break;
      p++;
      enter();
      const r = binary(prec + 1);
      depth--;
      l = { n: 'binary', op: (t as { v: string }).v, l, r };
    }
    return l;
  };
  const unary = (): Node => {
    enter();
    try {
      const t = peek();
      if (t.t === 'op' && ['-', '+', '!', '~', '*', '&'].includes(t.v)) { p++; return { n: 'unary', op: t.v, e: unary() }; }
      if (t.t === 'id' && t.v === 'sizeof') {
        p++;
        if (isOp('(')) {
          const save = p;
          p++;
          if (startsType()) { const type = typeSpec(); expect(')'); return { n: 'sizeof', type }; }
          p = save;
        }
        return { n: 'sizeof', e: unary() };
      }
      if (isOp('(')) {
        const save = p;
        p++;
        if (startsType()) { const type = typeSpec(); expect(')'); return { n: 'cast', type, e: unary() }; }
        p = save;
      }
      return postfix();
    } finally { depth--; }
  };
  const postfix = (): Node => {
    let e = primary();
    for (let guard = 0; guard < MAX_EXPR; guard++) {
      if (isOp('[')) { p++; const i = expr(); expect(']'); e = { n: 'index', e, i }; continue; }
      if (isOp('.') || isOp('->')) {
        const arrow = isOp('->');
        p++;
        const t = peek();
        const field = t.t === 'num' && t.field === true ? String(t.v) : undefined;
        if (t.t !== 'id' && field === undefined) throw new EvalError(`expected a member name after '${arrow ? '->' : '.'}' at column ${t.pos + 1}`);
        p++;
        e = { n: 'member', e, name: field ?? (t as { v: string }).v, arrow };
        continue;
      }
      break;
    }
    return e;
  };
  const primary = (): Node => {
    const t = peek();
    switch (t.t) {
      case 'num': p++; return { n: 'num', v: t.v, float: t.float, unsigned: t.unsigned };
      case 'char': p++; return { n: 'char', v: t.v };
      case 'id': p++; return { n: 'id', name: t.v };
      case 'reg': p++; return { n: 'reg', name: t.v };
      case 'op':
        if (t.v === '(') { p++; const e = expr(); expect(')'); return e; }
        throw new EvalError(`unexpected '${t.v}' at column ${t.pos + 1}`);
      case 'end': throw new EvalError(toks.length === 1 ? 'empty expression' : 'the expression ends too early');
    }
  };

  const root = expr();
  const rest = peek();
  if (rest.t !== 'end') throw new EvalError(`unexpected ${rest.t === 'op' || rest.t === 'id' ? `'${rest.v}'` : 'text'} at column ${rest.pos + 1}`);
  return root;
}

// ------------------------------------------------------------------ evaluation

function bytesOf(v: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return out;
}

function floatBytes(v: number, size: 4 | 8): Uint8Array {
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  if (size === 4) dv.setFloat32(0, v, true); else dv.setFloat64(0, v, true);
  return b;
}

export function intVal(v: bigint, ty: Ty = T_INT): Val {
  return { ty, bytes: bytesOf(v, sizeOf(ty)) };
}

export class Evaluator {
  constructor(private readonly env: EvalEnv) {}

  /** Parses and evaluates `src`. */
  evaluate(src: string): Val {
    const ast = parse(src, (n) => BUILTIN_TYPES.has(n) || (this.env.lookup(n) === undefined && this.env.typeByName?.(n) !== undefined));
    return this.eval(ast);
  }

  resolveType(spec: TypeSpec): Ty {
    // 'unsigned long int' and 'long int' name the same types as without 'int'.
    let t: Ty | undefined = BUILTIN_TYPES.get(spec.name) ?? BUILTIN_TYPES.get(spec.name.replace(/ int$/, ''));
    if (t === undefined) {
      const dw = this.env.typeByName?.(spec.name);
      if (dw === undefined) throw new EvalError(`no type named '${spec.name}'`);
      t = fromDwarf(dw);
    }
    for (let i = 0; i < spec.ptr; i++) t = pointerTo(t);
    return t;
  }

  /** The bytes of a value (read from memory when it only has an address). */
  load(v: Val): Uint8Array {
    if (v.bytes !== undefined) return v.bytes;
    if (v.lv?.kind === 'memory') {
      const size = sizeOf(v.ty);
      if (size > MAX_VALUE_BYTES) throw new EvalError(`value of type ${v.ty.name} is too large to read (${size} bytes)`);
      const b = this.env.readMem(v.lv.addr, size);
      if (b === undefined) throw new EvalError(`cannot read ${size} bytes at 0x${v.lv.addr.toString(16).padStart(8, '0')}`);
      v.bytes = b;
      return b;
    }
    throw new EvalError('value has no contents');
  }

  /** An integer or pointer value as a bigint (signed per its type). */
  toBig(v: Val): bigint {
    const t = v.ty;
    if (t.k === 'float') return BigInt(Math.trunc(this.toNum(v)));
    if (t.k === 'array') { if (v.lv?.kind !== 'memory') throw new EvalError('array is not in memory'); return BigInt(v.lv.addr); }
    if (t.k === 'func') { if (v.lv?.kind !== 'memory') throw new EvalError('function has no address'); return BigInt(v.lv.addr); }
    if (t.k !== 'int' && t.k !== 'ptr') throw new EvalError(`${t.name} is not a number`);
    const b = this.load(v);
    let x = 0n;
    for (let i = Math.min(b.length, 8) - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
    const bits = BigInt(8 * Math.min(b.length, 8));
    if (v.bits !== undefined) {
      x = (x >> BigInt(v.bits.offset)) & ((1n << BigInt(v.bits.size)) - 1n);
      return t.k === 'int' && t.signed ? BigInt.asIntN(v.bits.size, x) : x;
    }
    return t.k === 'int' && t.signed ? BigInt.asIntN(Number(bits), x) : x;
  }

  toNum(v: Val): number {
    if (v.ty.k === 'float') {
      const b = this.load(v);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      return v.ty.size === 4 ? dv.getFloat32(0, true) : dv.getFloat64(0, true);
    }
    return Number(this.toBig(v));
  }

  private truthy(v: Val): boolean {
    return v.ty.k === 'float' ? this.toNum(v) !== 0 : this.toBig(v) !== 0n;
  }

  /** Converts a scalar to type `t` (C conversions: truncation, sign extension, int<->float). */
  convert(v: Val, t: Ty): Val {
    if (t.k === 'void') return { ty: t };
    if (t.k === 'float') return { ty: t, bytes: floatBytes(this.toNum(v), t.size) };
    if (t.k === 'int' || t.k === 'ptr') {
      const x = this.toBig(v);
      return { ty: t, bytes: bytesOf(BigInt.asUintN(8 * sizeOf(t), x), sizeOf(t)) };
    }
    throw new EvalError(`cannot convert ${v.ty.name} to ${t.name}`);
  }

  eval(node: Node, depth = 0): Val {
    if (depth > MAX_DEPTH * 2) throw new EvalError('expression nests too deeply');
    const ev = (n: Node) => this.eval(n, depth + 1);
    switch (node.n) {
      case 'num': {
        if (node.float) return { ty: T_DOUBLE, bytes: floatBytes(node.v as number, 8) };
        const v = node.v as bigint;
        const ty = v > 0xffffffffn ? (node.unsigned ? T_ULONGLONG : T_LONGLONG) : node.unsigned ? T_UINT : v > 0x7fffffffn ? T_LONGLONG : T_INT;
        return intVal(v, ty);
      }
      case 'char': return intVal(BigInt(node.v), T_CHAR);
      case 'id': {
        const v = this.env.lookup(node.name);
        if (v === undefined) throw new EvalError(`no symbol '${node.name}' in the current scope`);
        return v;
      }
      case 'reg': {
        const r = this.env.register(node.name);
        if (r === undefined) throw new EvalError(`no register '$${node.name}'`);
        return { ty: node.name === 'sp' || node.name === 'pc' || node.name === 'lr' ? pointerTo(T_VOID) : T_UINT, bytes: bytesOf(BigInt(r >>> 0), 4), lv: { kind: 'register', name: node.name } };
      }
      case 'cast': return this.convert(ev(node.e), this.resolveType(node.type));
      case 'sizeof': return intVal(BigInt(node.type ? sizeOf(this.resolveType(node.type)) : sizeOf(ev(node.e!).ty)), T_UINT);
      case 'unary': return this.unary(node.op, ev(node.e));
      case 'index': return this.index(ev(node.e), ev(node.i));
      case 'member': return this.member(ev(node.e), node.name, node.arrow);
      case 'cond': return this.truthy(ev(node.c)) ? ev(node.a) : ev(node.b);
      case 'assign': throw new EvalError('assignment is not allowed in an expression here; use Set Value');
      case 'binary': {
        if (node.op === '&&') return intVal(this.truthy(ev(node.l)) && this.truthy(ev(node.r)) ? 1n : 0n);
        if (node.op === '||') return intVal(this.truthy(ev(node.l)) || this.truthy(ev(node.r)) ? 1n : 0n);
        if (node.op === '@') return this.artificialArray(ev(node.l), ev(node.r));
        return this.binary(node.op, ev(node.l), ev(node.r));
      }
    }
  }

  /** `first@count` (as in gdb): `count` objects of first's type starting at its address. */
  private artificialArray(first: Val, n: Val): Val {
    if (first.lv?.kind !== 'memory' || first.bits !== undefined) throw new EvalError(`'@' needs a value in memory on its left (like arr[0]@10)`);
    const count = this.toBig(n);
    if (count < 1n || count > 1_000_000n) throw new EvalError(`'@' count must be 1..1000000, not ${count}`);
    const c = Number(count);
    return { ty: { k: 'array', elem: first.ty, count: c, name: `${first.ty.name} [${c}]` }, lv: first.lv };
  }

  deref(p: Val): Val {
    if (p.ty.k === 'array') return { ty: p.ty.elem, lv: { kind: 'memory', addr: Number(this.toBig(p)) } };
    if (p.ty.k !== 'ptr') throw new EvalError(`cannot dereference a value of type ${p.ty.name}`);
    const to = p.ty.to;
    if (to.k === 'void') throw new EvalError(`cannot dereference a void pointer (cast it first)`);
    const addr = Number(BigInt.asUintN(32, this.toBig(p)));
    return { ty: to, lv: { kind: 'memory', addr } };
  }

  private unary(op: string, v: Val): Val {
    switch (op) {
      case '*': { const d = this.deref(v); if (d.ty.k === 'int' || d.ty.k === 'float' || d.ty.k === 'ptr') this.load(d); return d; }
      case '&': {
        if (v.lv?.kind !== 'memory') throw new EvalError(v.lv?.kind === 'register' ? 'cannot take the address of a value in a register' : 'cannot take the address of a value that is not in memory');
        if (v.bits !== undefined) throw new EvalError('cannot take the address of a bitfield');
        return intVal(BigInt(v.lv.addr), pointerTo(v.ty));
      }
      case '!': return intVal(this.truthy(v) ? 0n : 1n);
      case '+': return v.ty.k === 'float' ? v : this.promote(v);
      case '-': {
        if (v.ty.k === 'float') return { ty: v.ty, bytes: floatBytes(-this.toNum(v), v.ty.size) };
        const p = this.promote(v);
        return intVal(BigInt.asUintN(8 * sizeOf(p.ty), -this.toBig(p)), p.ty);
      }
      case '~': { const p = this.promote(v); return intVal(BigInt.asUintN(8 * sizeOf(p.ty), ~this.toBig(p)), p.ty); }
    }
    throw new EvalError(`unknown operator '${op}'`);
  }

  /** C integer promotion: anything narrower than int becomes int. */
  private promote(v: Val): Val {
    if (v.ty.k !== 'int') throw new EvalError(`${v.ty.name} is not an integer`);
    if (v.ty.size < 4 || v.bits !== undefined) return intVal(BigInt.asUintN(32, this.toBig(v)), T_INT);
    return v;
  }

  private index(base: Val, i: Val): Val {
    if (base.ty.k === 'struct') {
      // A Rust slice (`&[T]`, a fat pointer) indexes its elements.
      const el = this.rustChild(base, `[${this.toBig(i)}]`);
      if (el !== undefined) return el;
    }
    if (base.ty.k !== 'array' && base.ty.k !== 'ptr') throw new EvalError(`cannot index a value of type ${base.ty.name}`);
    const elem = base.ty.k === 'array' ? base.ty.elem : base.ty.to;
    if (elem.k === 'void') throw new EvalError('cannot index a void pointer');
    const n = this.toBig(i);
    if (base.ty.k === 'array' && base.lv?.kind !== 'memory') {
      // An array held in registers or computed: index its bytes.
      const b = this.load(base);
      const es = sizeOf(elem);
      const k = Number(n);
      if (k < 0 || (k + 1) * es > b.length) throw new EvalError(`index ${k} is out of range for ${base.ty.name}`);
      return { ty: elem, bytes: b.slice(k * es, (k + 1) * es) };
    }
    const addr = Number(BigInt.asUintN(32, this.toBig(base) + n * BigInt(sizeOf(elem))));
    const out: Val = { ty: elem, lv: { kind: 'memory', addr } };
    if (elem.k === 'int' || elem.k === 'float' || elem.k === 'ptr') this.load(out);
    return out;
  }

  member(base: Val, name: string, arrow: boolean): Val {
    const s = arrow ? this.deref(base) : base;
    // Rust enums with data and slices: their fields and elements as Rust names them (`cmd.0`).
    const shaped = this.rustChild(s, name);
    if (shaped !== undefined) return shaped;
    if (s.ty.k !== 'struct') throw new EvalError(`${arrow ? `'->' needs a pointer to a struct or union, not ${base.ty.name}` : `'.${name}' needs a struct or union, not ${s.ty.name}`}`);
    const dw = s.ty.dw.strip();
    const m = dw.members().find((x) => x.name === name);
    if (m === undefined) {
      const names = dw.members().map((x) => x.name).filter((x) => x !== undefined);
      throw new EvalError(`${s.ty.name} has no member '${name}' (members: ${names.join(', ')})`);
    }
    return memberOf(this, s, m);
  }

  /** The Rust view's child named `name` (an enum variant's field, a slice element), if `v` has one. */
  private rustChild(v: Val, name: string): Val | undefined {
    if (v.ty.k !== 'struct' || v.ty.dw.language !== 'rust') return undefined;
    const shape = rustShape(v, this, '');
    if (shape === undefined) return undefined;
    const el = /^\[(\d+)\]$/.exec(name);
    if (el !== null) {
      const k = Number(el[1]);
      if (k >= shape.count) throw new EvalError(`index ${k} is out of range for ${v.ty.name} of length ${shape.count}`);
      return shape.child(k).get();
    }
    for (let k = 0; k < shape.count && k < 256; k++) { const c = shape.child(k); if (c.name === name) return c.get(); }
    return undefined;
  }

  private binary(op: string, l: Val, r: Val): Val {
    // Pointer arithmetic (C11 6.5.6): pointer +/- integer scales by the pointee size.
    const isPtr = (v: Val) => v.ty.k === 'ptr' || v.ty.k === 'array';
    if ((op === '+' || op === '-') && isPtr(l) && !isPtr(r)) {
      const el = l.ty.k === 'ptr' ? l.ty.to : (l.ty as { elem: Ty }).elem;
      const es = BigInt(el.k === 'void' ? 1 : sizeOf(el));
      const d = this.toBig(r) * es;
      return intVal(BigInt.asUintN(32, this.toBig(l) + (op === '+' ? d : -d)), l.ty.k === 'ptr' ? l.ty : pointerTo(el));
    }
    if (op === '+' && isPtr(r) && !isPtr(l)) return this.binary('+', r, l);
    if (op === '-' && isPtr(l) && isPtr(r)) {
      const el = l.ty.k === 'ptr' ? l.ty.to : (l.ty as { elem: Ty }).elem;
      const es = BigInt(Math.max(1, el.k === 'void' ? 1 : sizeOf(el)));
      return intVal((this.toBig(l) - this.toBig(r)) / es);
    }
    if (l.ty.k === 'float' || r.ty.k === 'float') {
      const a = this.toNum(l), b = this.toNum(r);
      const t = (l.ty.k === 'float' && l.ty.size === 8) || (r.ty.k === 'float' && r.ty.size === 8) ? T_DOUBLE : T_FLOAT;
      const f = (x: number): Val => ({ ty: t, bytes: floatBytes(x, t.k === 'float' ? t.size : 8) });
      switch (op) {
        case '+': return f(a + b);
        case '-': return f(a - b);
        case '*': return f(a * b);
        case '/': return f(a / b);
        case '<': return intVal(a < b ? 1n : 0n);
        case '>': return intVal(a > b ? 1n : 0n);
        case '<=': return intVal(a <= b ? 1n : 0n);
        case '>=': return intVal(a >= b ? 1n : 0n);
        case '==': return intVal(a === b ? 1n : 0n);
        case '!=': return intVal(a !== b ? 1n : 0n);
        default: throw new EvalError(`operator '${op}' needs integer operands`);
      }
    }
    const lp = isPtr(l) ? intVal(this.toBig(l), T_UINT) : this.promote(l);
    const rp = isPtr(r) ? intVal(this.toBig(r), T_UINT) : this.promote(r);
    // The usual arithmetic conversions: the wider type, unsigned when either is unsigned at that width.
    const size = Math.max(sizeOf(lp.ty), sizeOf(rp.ty));
    const lu = lp.ty.k === 'int' && !lp.ty.signed && sizeOf(lp.ty) === size;
    const ru = rp.ty.k === 'int' && !rp.ty.signed && sizeOf(rp.ty) === size;
    const unsigned = lu || ru;
    const t: Ty = size === 8 ? (unsigned ? T_ULONGLONG : T_LONGLONG) : unsigned ? T_UINT : T_INT;
    const bits = 8 * size;
    const norm = (x: bigint) => (unsigned ? BigInt.asUintN(bits, x) : BigInt.asIntN(bits, x));
    const a = norm(this.toBig(lp)), b = norm(this.toBig(rp));
    const res = (x: bigint) => intVal(BigInt.asUintN(bits, x), t);
    switch (op) {
      case '+': return res(a + b);
      case '-': return res(a - b);
      case '*': return res(a * b);
      case '/': if (b === 0n) throw new EvalError('division by zero'); return res(a / b);
      case '%': if (b === 0n) throw new EvalError('division by zero'); return res(a % b);
      case '<<': return res(b < 0n || b >= BigInt(bits) ? 0n : a << b);
      case '>>': return res(b < 0n || b >= BigInt(bits) ? (a < 0n ? -1n : 0n) : a >> b);
      case '&': return res(a & b);
      case '|': return res(a | b);
      case '^': return res(a ^ b);
      case '<': return intVal(a < b ? 1n : 0n);
      case '>': return intVal(a > b ? 1n : 0n);
      case '<=': return intVal(a <= b ? 1n : 0n);
      case '>=': return intVal(a >= b ? 1n : 0n);
      case '==': return intVal(a === b ? 1n : 0n);
      case '!=': return intVal(a !== b ? 1n : 0n);
    }
    throw new EvalError(`unknown operator '${op}'`);
  }

  /**
   * An artificial (`@`) or inner array as gdb prints it: char arrays as a quoted string, others
   * as up to PRINT_ELEMENTS elements with runs of more than REPEATS equal ones folded.
   */
  private formatArtificial(v: Val, t: Extract<Ty, { k: 'array' }>, symbolize?: (addr: bigint) => string | undefined): string {
    const es = sizeOf(t.elem);
    const count = t.count ?? 0;
    const n = Math.min(count, PRINT_ELEMENTS);
    const elem = (i: number): Val => (v.lv?.kind === 'memory'
      ? { ty: t.elem, lv: { kind: 'memory', addr: (v.lv.addr + i * es) >>> 0 } }
      : { ty: t.elem, bytes: (v.bytes ?? new Uint8Array()).slice(i * es, (i + 1) * es) });
    if (t.elem.k === 'int' && es === 1 && isCharTy(t.elem)) {
      let b: Uint8Array;
      try { b = this.load({ ty: { ...t, count: n }, ...(v.lv ? { lv: v.lv } : {}), ...(v.bytes ? { bytes: v.bytes.slice(0, n) } : {}) }); } catch (e) { return `<${e instanceof Error ? e.message : String(e)}>`; }
      return quoteChars(b) + (count > n ? '...' : '');
    }
    const items: string[] = [];
    let prev: string | undefined, reps = 0;
    const flush = () => {
      if (prev === undefined) return;
      if (reps > REPEATS) items.push(`${prev} <repeats ${reps} times>`); else for (let k = 0; k < reps; k++) items.push(prev);
    };
    for (let i = 0; i < n; i++) {
      const s = this.format(elem(i), symbolize);
      if (s === prev) { reps++; continue; }
      flush(); prev = s; reps = 1;
    }
    flush();
    return `{${items.join(', ')}${count > n ? '...' : ''}}`;
  }

  /** A value as the debugger shows it. */
  format(v: Val, symbolize?: (addr: bigint) => string | undefined): string {
    const t = v.ty;
    if (t.k === 'void') return 'void';
    if (t.k === 'func') return v.lv?.kind === 'memory' ? `{${t.name}} 0x${v.lv.addr.toString(16)}` : t.name;
    if (t.k === 'array' && t.dw === undefined) return this.formatArtificial(v, t, symbolize);
    let bytes: Uint8Array;
    try { bytes = this.load(v); } catch (e) { return `<${e instanceof Error ? e.message : String(e)}>`; }
    if (v.bits !== undefined || t.dw === undefined) {
      if (t.k === 'float') return String(this.toNum(v));
      if (t.k === 'ptr') return `0x${this.toBig(v).toString(16).padStart(8, '0')}`;
      if (t.k === 'int') {
        const x = this.toBig(v);
        if (t.name === 'char' || t.name === 'unsigned char') return `${x} ${JSON.stringify(String.fromCharCode(Number(x) & 0xff)).replace(/^"|"$/g, "'")}`;
        return String(x);
      }
      return '{...}';
    }
    return formatValue(t.dw, bytes, {
      readMem: (a, n) => (a > 0xffffffffn ? undefined : this.env.readMem(Number(a), n)),
      ...(symbolize ? { symbolize } : {}),
    });
  }
}

/** char, signed char, unsigned char and their typedefs (uint8_t): gdb prints arrays of them as strings. */
function isCharTy(t: Ty): boolean {
  if (t.k !== 'int' || t.size !== 1) return false;
  if (t.dw === undefined) return /^(signed |unsigned )?char$/.test(t.name);
  const s = t.dw.strip();
  return s.kind === 'base' && (s.encoding === DW_ATE.signed_char || s.encoding === DW_ATE.unsigned_char);
}

/** gdb's `print elements` and `repeats` defaults. */
const PRINT_ELEMENTS = 200;
const REPEATS = 10;

/** gdb's C char escapes (the quote character is escaped too). */
function escapeChar(c: number, quote: string): string {
  const named: Record<number, string> = { 0: '\\000', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\' };
  if (named[c] !== undefined) return named[c];
  if (String.fromCharCode(c) === quote) return `\\${quote}`;
  if (c < 0x20 || c >= 0x7f) return `\\${c.toString(8).padStart(3, '0')}`;
  return String.fromCharCode(c);
}

/** Bytes as a gdb string: quoted runs, a run of more than REPEATS of one char as `'c' <repeats N times>`. */
function quoteChars(b: Uint8Array): string {
  const segs: string[] = [];
  let cur = '';
  for (let i = 0; i < b.length;) {
    let j = i + 1;
    while (j < b.length && b[j] === b[i]) j++;
    if (j - i > REPEATS) {
      if (cur !== '') { segs.push(`"${cur}"`); cur = ''; }
      segs.push(`'${escapeChar(b[i], "'")}' <repeats ${j - i} times>`);
    } else for (let k = i; k < j; k++) cur += escapeChar(b[k], '"');
    i = j;
  }
  if (cur !== '' || segs.length === 0) segs.push(`"${cur}"`);
  return segs.join(', ');
}

/** A struct member as a value: at the struct's address plus the member offset, or a slice of its bytes. */
export function memberOf(ev: Evaluator, s: Val, m: import('../dwarf/types').Member): Val {
  const ty = fromDwarf(m.type);
  const size = m.bitSize !== undefined ? Math.ceil((((m.bitOffset ?? 0) % 8) + m.bitSize) / 8) : sizeOf(ty);
  const byteOff = m.bitSize !== undefined ? Math.floor((m.bitOffset ?? 0) / 8) : m.byteOffset;
  const bits = m.bitSize !== undefined ? { offset: (m.bitOffset ?? 0) % 8, size: m.bitSize } : undefined;
  const bty: Ty = bits !== undefined && ty.k === 'int' ? { ...ty, size: Math.max(1, size) } : ty;
  if (s.lv?.kind === 'memory') {
    const out: Val = { ty: bty, lv: { kind: 'memory', addr: (s.lv.addr + byteOff) >>> 0 }, ...(bits ? { bits } : {}) };
    if (ty.k === 'int' || ty.k === 'float' || ty.k === 'ptr') ev.load(out);
    return out;
  }
  const b = ev.load(s);
  return { ty: bty, bytes: b.slice(byteOff, byteOff + size), ...(bits ? { bits } : {}) };
}

/** Encodes a value typed `t` from an evaluated right-hand side, for assignment. */
export function encodeFor(ev: Evaluator, t: Ty, v: Val): Uint8Array {
  if (t.k !== 'int' && t.k !== 'float' && t.k !== 'ptr') throw new EvalError(`cannot assign to a value of type ${t.name}`);
  return ev.convert(v, t).bytes!;
}
