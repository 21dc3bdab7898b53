// DWARF location expressions: decoding DW_OP streams for display and the stack machine that
// evaluates them to a location (DWARF 5 sections 2.5 and 2.6). Registers, memory, the CFA and
// entry values come from injected callbacks, so the machine knows nothing of the target.
import { ByteReader, DwarfError } from './reader';

export type ExprArg = number | bigint | Uint8Array | ExprOp[];
export interface ExprOp { readonly offset: number; readonly code: number; readonly name: string; readonly args: ExprArg[] }

const NAMES: Record<number, string> = {
  0x03: 'addr', 0x06: 'deref', 0x08: 'const1u', 0x09: 'const1s', 0x0a: 'const2u', 0x0b: 'const2s', 0x0c: 'const4u',
  0x0d: 'const4s', 0x0e: 'const8u', 0x0f: 'const8s', 0x10: 'constu', 0x11: 'consts', 0x12: 'dup', 0x13: 'drop',
  0x14: 'over', 0x15: 'pick', 0x16: 'swap', 0x17: 'rot', 0x18: 'xderef', 0x19: 'abs', 0x1a: 'and', 0x1b: 'div',
  0x1c: 'minus', 0x1d: 'mod', 0x1e: 'mul', 0x1f: 'neg', 0x20: 'not', 0x21: 'or', 0x22: 'plus', 0x23: 'plus_uconst',
  0x24: 'shl', 0x25: 'shr', 0x26: 'shra', 0x27: 'xor', 0x28: 'bra', 0x29: 'eq', 0x2a: 'ge', 0x2b: 'gt', 0x2c: 'le',
  0x2d: 'lt', 0x2e: 'ne', 0x2f: 'skip', 0x90: 'regx', 0x91: 'fbreg', 0x92: 'bregx', 0x93: 'piece', 0x94: 'deref_size',
  0x95: 'xderef_size', 0x96: 'nop', 0x97: 'push_object_address', 0x98: 'call2', 0x99: 'call4', 0x9a: 'call_ref',
  0x9b: 'form_tls_address', 0x9c: 'call_frame_cfa', 0x9d: 'bit_piece', 0x9e: 'implicit_value', 0x9f: 'stack_value',
  0xa0: 'implicit_pointer', 0xa1: 'addrx', 0xa2: 'constx', 0xa3: 'entry_value', 0xa4: 'const_type',
  0xa5: 'regval_type', 0xa6: 'deref_type', 0xa7: 'xderef_type', 0xa8: 'convert', 0xa9: 'reinterpret',
  0xe0: 'GNU_push_tls_address', 0xf0: 'GNU_uninit', 0xf2: 'GNU_implicit_pointer', 0xf3: 'GNU_entry_value',
  0xf4: 'GNU_const_type', 0xf5: 'GNU_regval_type', 0xf6: 'GNU_deref_type', 0xf7: 'GNU_convert',
  0xf9: 'GNU_reinterpret', 0xfa: 'GNU_parameter_ref', 0xfb: 'GNU_addr_index', 0xfc: 'GNU_const_index',
  0xfd: 'GNU_variable_value',
};
for (let i = 0; i < 32; i++) { NAMES[0x30 + i] = `lit${i}`; NAMES[0x50 + i] = `reg${i}`; NAMES[0x70 + i] = `breg${i}`; }

export function opName(code: number): string { return `DW_OP_${NAMES[code] ?? `0x${code.toString(16)}`}`; }

/** Sizes the decoder needs: the unit's address size and offset size (for call_ref/implicit_pointer). */
export interface ExprFormat { addrSize: number; offsetSize: 4 | 8 }

// Nested expressions (entry_value) are decoded recursively; this bounds the nesting.
const MAX_NESTING = 8;

/** Decodes an expression into operations; throws DwarfError (section `.debug_info`/`expr`) on truncation. */
export function decodeExpr(bytes: Uint8Array, fmt: ExprFormat, section = 'expression', depth = 0): ExprOp[] {
  const r = new ByteReader(bytes, section);
  const out: ExprOp[] = [];
  while (!r.atEnd()) {
    const offset = r.pos;
    const code = r.u8();
    const name = NAMES[code];
    if (name === undefined) throw new DwarfError(`unknown location operation 0x${code.toString(16)}`, section, offset);
    out.push({ offset, code, name: `DW_OP_${name}`, args: readArgs(r, code, fmt, section, depth) });
  }
  return out;
}

function readArgs(r: ByteReader, code: number, fmt: ExprFormat, section: string, depth: number): ExprArg[] {
  if (code >= 0x70 && code <= 0x8f) return [r.sleb()];
  switch (code) {
    case 0x03: return [addrArg(r, fmt.addrSize)];
    case 0x08: case 0x15: case 0x94: case 0x95: return [r.u8()];
    case 0x09: return [r.i8()];
    case 0x0a: case 0x98: return [r.u16()];
    case 0x0b: case 0x28: case 0x2f: return [r.i16()];
    case 0x0c: case 0x99: case 0xfa: return [r.u32()];
    case 0x0d: return [r.i32()];
    case 0x0e: return [r.u64()];
    case 0x0f: return [r.i64()];
    case 0x10: case 0x23: case 0x90: case 0x93: case 0xa1: case 0xa2: case 0xa8: case 0xa9: case 0xf7: case 0xf9:
    case 0xfb: case 0xfc: return [ulebArg(r)];
    case 0x11: case 0x91: return [r.sleb()];
    case 0x92: return [r.uleb(), r.sleb()];
    case 0x9d: case 0xa5: case 0xf5: return [r.uleb(), r.uleb()];
    case 0x9a: case 0xfd: return [r.offsetSized(fmt.offsetSize)];
    case 0x9e: return [r.bytes(r.uleb())];
    case 0xa0: case 0xf2: return [r.offsetSized(fmt.offsetSize), r.sleb()];
    case 0xa3: case 0xf3: {
      const len = r.uleb();
      const at = r.pos;
      if (depth >= MAX_NESTING) throw new DwarfError('entry_value nested too deeply', section, at);
      const inner = r.bytes(len);
      return [decodeExpr(inner, fmt, section, depth + 1).map((o) => ({ ...o, offset: o.offset + at }))];
    }
    case 0xa4: case 0xf4: { const t = r.uleb(); return [t, r.bytes(r.u8())]; }
    case 0xa6: case 0xa7: case 0xf6: return [r.u8(), r.uleb()];
    default: return [];
  }
}

function addrArg(r: ByteReader, size: number): number | bigint {
  if (size === 8) { const v = r.u64(); return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v; }
  return r.addr(size);
}
function ulebArg(r: ByteReader): number | bigint {
  const v = r.ulebBig();
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Formats ops as `DW_OP_fbreg -20; DW_OP_deref`; addresses in hex when `hexAddr`. */
export function formatExpr(ops: readonly ExprOp[], hexAddr = true): string {
  return ops.map((o) => [o.name, ...o.args.map((a) => {
    if (Array.isArray(a)) return `[${formatExpr(a, hexAddr)}]`;
    if (a instanceof Uint8Array) return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('') || '-';
    if (hexAddr && (o.code === 0x03 || o.code === 0xa1)) return `0x${a.toString(16)}`;
    return String(a);
  })].join(' ')).join('; ');
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Where a value lives after evaluation (DWARF 5 section 2.6.1). */
export type Location =
  | { kind: 'memory'; addr: bigint }
  | { kind: 'register'; reg: number }
  | { kind: 'value'; value: bigint }
  | { kind: 'implicit'; bytes: Uint8Array }
  | { kind: 'implicit-pointer'; die: number; offset: number }
  | { kind: 'pieces'; pieces: Piece[] }
  | { kind: 'optimized-out'; reason: string }
  | { kind: 'unavailable'; reason: string };
/** One piece of a composite location; an empty piece (no location) is `optimized-out`. */
export interface Piece { sizeBits: number; offsetBits: number; loc: Location }

export interface EvalContext {
  addrSize: number;
  offsetSize?: 4 | 8;
  /** A DWARF register's value (ARM: r0-r15 = 0-15, s0-s31 = 64-95, d0-d31 = 256-287). */
  readReg?(reg: number): bigint | undefined;
  readMem?(addr: bigint, size: number): Uint8Array | undefined;
  /** The value of the enclosing function's DW_AT_frame_base. */
  frameBase?(): bigint | undefined;
  /** The canonical frame address from call frame information. */
  cfa?(): bigint | undefined;
  addrx?(index: number): number;
  /** Recovers the value an expression had on entry to the function, if the caller knows it. */
  entryValue?(ops: readonly ExprOp[]): bigint | undefined;
  objectAddress?: bigint;
  tlsAddress?(offset: bigint): bigint | undefined;
}

class Stop extends Error { constructor(readonly loc: Location) { super(loc.kind); } }
const unavailable = (reason: string): never => { throw new Stop({ kind: 'unavailable', reason }); };
const optimizedOut = (reason: string): never => { throw new Stop({ kind: 'optimized-out', reason }); };

// Branches can loop; this bounds the operations one evaluation executes.
const MAX_STEPS = 100000;
const MAX_STACK = 1024;

/** Evaluates an expression to a location; never throws for missing target state (it reports it). */
export function evaluate(bytes: Uint8Array, ctx: EvalContext, initialStack: bigint[] = []): Location {
  const ops = decodeExpr(bytes, { addrSize: ctx.addrSize, offsetSize: ctx.offsetSize ?? 4 });
  return evaluateOps(ops, ctx, initialStack, bytes.length);
}

/** Evaluates decoded ops; `exprEnd` is the expression's byte length (a valid branch target). */
export function evaluateOps(ops: readonly ExprOp[], ctx: EvalContext, initialStack: bigint[] = [], exprEnd = -1): Location {
  try {
    return run(ops, ctx, initialStack, exprEnd);
  } catch (e) {
    if (e instanceof Stop) return e.loc;
    throw e;
  }
}

function run(ops: readonly ExprOp[], ctx: EvalContext, initial: bigint[], exprEnd: number): Location {
  const bits = BigInt(ctx.addrSize * 8);
  const mask = (1n << bits) - 1n;
  const signed = (v: bigint) => BigInt.asIntN(Number(bits), v);
  const stack: bigint[] = initial.map((v) => v & mask);
  const pieces: Piece[] = [];
  let pending: Location | undefined;
  const byOffset = new Map<number, number>();
  ops.forEach((o, i) => byOffset.set(o.offset, i));
  const pop = (o: ExprOp): bigint => {
    if (stack.length === 0) throw new DwarfError(`${o.name} on an empty stack`, 'expression', o.offset);
    return stack.pop()!;
  };
  const push = (o: ExprOp, v: bigint) => {
    if (stack.length >= MAX_STACK) throw new DwarfError('expression stack overflow', 'expression', o.offset);
    stack.push(v & mask);
  };
  const reg = (n: number): bigint => {
    const v = ctx.readReg?.(n);
    return v === undefined ? unavailable(`register ${n} is not available`) : v;
  };
  const mem = (addr: bigint, size: number): bigint => {
    const b = ctx.readMem?.(addr & mask, size);
    if (!b || b.length < size) return unavailable(`cannot read ${size} bytes at 0x${(addr & mask).toString(16)}`);
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    return v;
  };
  const num = (a: ExprArg): bigint => (typeof a === 'number' ? BigInt(a) : typeof a === 'bigint' ? a : 0n);

  let pc = 0, steps = 0;
  while (pc < ops.length) {
    if (++steps > MAX_STEPS) throw new DwarfError('expression did not finish within the step limit', 'expression', ops[pc].offset);
    const o = ops[pc++];
    const c = o.code;
    if (pending && c !== 0x93 && c !== 0x9d) {
      throw new DwarfError(`${o.name} follows a location that must end the expression or a piece`, 'expression', o.offset);
    }
    if (c >= 0x30 && c <= 0x4f) { push(o, BigInt(c - 0x30)); continue; }
    if (c >= 0x50 && c <= 0x6f) { pending = { kind: 'register', reg: c - 0x50 }; continue; }
    if (c >= 0x70 && c <= 0x8f) { push(o, reg(c - 0x70) + num(o.args[0])); continue; }
    switch (c) {
      case 0x03: case 0x08: case 0x09: case 0x0a: case 0x0b: case 0x0c: case 0x0d: case 0x0e: case 0x0f:
      case 0x10: case 0x11: push(o, num(o.args[0])); break;
      case 0xa1: case 0xa2: case 0xfb: case 0xfc: {
        if (!ctx.addrx) throw new DwarfError(`${o.name} needs .debug_addr`, 'expression', o.offset);
        push(o, BigInt(ctx.addrx(Number(o.args[0])))); break;
      }
      case 0x06: push(o, mem(pop(o), ctx.addrSize)); break;
      case 0x94: {
        const n = Number(o.args[0]);
        if (n < 1 || n > ctx.addrSize) throw new DwarfError(`DW_OP_deref_size ${n} exceeds the address size`, 'expression', o.offset);
        push(o, mem(pop(o), n)); break;
      }
      case 0x18: case 0x95: case 0xa7: {
        // The second entry is an address-space identifier; this target has one space.
        const addr = pop(o); pop(o);
        push(o, mem(addr, c === 0x18 ? ctx.addrSize : Math.min(Math.max(Number(o.args[0]), 1), 8))); break;
      }
      case 0xa6: case 0xf6: push(o, mem(pop(o), Math.min(Math.max(Number(o.args[0]), 1), 8))); break;
      case 0x12: { const v = pop(o); push(o, v); push(o, v); break; }
      case 0x13: pop(o); break;
      case 0x14: {
        if (stack.length < 2) throw new DwarfError('DW_OP_over needs two stack entries', 'expression', o.offset);
        push(o, stack[stack.length - 2]); break;
      }
      case 0x15: {
        const i = Number(o.args[0]);
        if (i >= stack.length) throw new DwarfError(`DW_OP_pick ${i} beyond the stack depth ${stack.length}`, 'expression', o.offset);
        push(o, stack[stack.length - 1 - i]); break;
      }
      case 0x16: { const a = pop(o), b = pop(o); push(o, a); push(o, b); break; }
      case 0x17: { const a = pop(o), b = pop(o), d = pop(o); push(o, a); push(o, d); push(o, b); break; }
      case 0x19: { const v = signed(pop(o)); push(o, v < 0n ? -v : v); break; }
      case 0x1f: push(o, -signed(pop(o))); break;
      case 0x20: push(o, ~pop(o)); break;
      case 0x23: push(o, pop(o) + num(o.args[0])); break;
      case 0x1a: case 0x1b: case 0x1c: case 0x1d: case 0x1e: case 0x21: case 0x22: case 0x24: case 0x25:
      case 0x26: case 0x27: case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x2d: case 0x2e: {
        const b = pop(o), a = pop(o);
        push(o, binary(c, a, b, signed, bits, o));
        break;
      }
      case 0x28: { if (pop(o) !== 0n) pc = jump(o, byOffset, ops, exprEnd); break; }
      case 0x2f: pc = jump(o, byOffset, ops, exprEnd); break;
      case 0x90: pending = { kind: 'register', reg: Number(o.args[0]) }; break;
      case 0x91: {
        const fb = ctx.frameBase?.();
        if (fb === undefined) unavailable('the frame base is not available');
        push(o, fb! + num(o.args[0])); break;
      }
      case 0x92: push(o, reg(Number(o.args[0])) + num(o.args[1])); break;
      case 0x96: break;
      case 0x97: {
        if (ctx.objectAddress === undefined) unavailable('no object address for DW_OP_push_object_address');
        push(o, ctx.objectAddress!); break;
      }
      case 0x9c: {
        const cfa = ctx.cfa?.();
        if (cfa === undefined) unavailable('the CFA is not available (no call frame information)');
        push(o, cfa!); break;
      }
      case 0x9b: case 0xe0: {
        const v = ctx.tlsAddress?.(pop(o));
        if (v === undefined) unavailable('thread-local storage is not supported on this target');
        push(o, v!); break;
      }
      case 0x9e: pending = { kind: 'implicit', bytes: o.args[0] as Uint8Array }; break;
      case 0x9f: pending = { kind: 'value', value: pop(o) }; break;
      case 0xa0: case 0xf2: pending = { kind: 'implicit-pointer', die: Number(o.args[0]), offset: Number(o.args[1]) }; break;
      case 0xa3: case 0xf3: {
        const inner = o.args[0] as ExprOp[];
        const v = ctx.entryValue?.(inner);
        if (v === undefined) optimizedOut(`entry value of ${formatExpr(inner)} is not recoverable`);
        push(o, v!); break;
      }
      case 0xa4: case 0xf4: {
        const b = o.args[1] as Uint8Array;
        let v = 0n;
        for (let i = Math.min(b.length, 8) - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
        push(o, v); break;
      }
      case 0xa5: case 0xf5: push(o, reg(Number(o.args[0]))); break;
      case 0xa8: case 0xa9: case 0xf7: case 0xf9: break;
      case 0xf0: break;
      case 0x93: case 0x9d: {
        const sizeBits = c === 0x93 ? Number(o.args[0]) * 8 : Number(o.args[0]);
        const offsetBits = c === 0x93 ? 0 : Number(o.args[1]);
        let loc: Location;
        if (pending) loc = pending;
        else if (stack.length) loc = { kind: 'memory', addr: stack.pop()! };
        else loc = { kind: 'optimized-out', reason: 'piece has no location' };
        pieces.push({ sizeBits, offsetBits, loc });
        pending = undefined;
        stack.length = 0;
        break;
      }
      case 0x98: case 0x99: case 0x9a: case 0xfa: case 0xfd:
        unavailable(`${o.name} is not supported`); break;
      default: throw new DwarfError(`unknown location operation 0x${c.toString(16)}`, 'expression', o.offset);
    }
  }
  if (pieces.length) {
    if (pending || stack.length) throw new DwarfError('location after the last piece', 'expression', ops[ops.length - 1].offset);
    return { kind: 'pieces', pieces };
  }
  if (pending) return pending;
  if (stack.length === 0) return { kind: 'optimized-out', reason: 'empty location expression' };
  return { kind: 'memory', addr: stack[stack.length - 1] };
}

function jump(o: ExprOp, byOffset: Map<number, number>, ops: readonly ExprOp[], exprEnd: number): number {
  // The target is relative to the end of this 3-byte instruction (section 2.5.1.5); a jump to
  // exactly the end of the expression finishes it.
  const target = o.offset + 3 + Number(o.args[0]);
  const i = byOffset.get(target);
  if (i !== undefined) return i;
  if (target === exprEnd) return ops.length;
  throw new DwarfError(`${o.name} target ${target} is not the start of an operation`, 'expression', o.offset);
}

function binary(c: number, a: bigint, b: bigint, signed: (v: bigint) => bigint, bits: bigint, o: ExprOp): bigint {
  switch (c) {
    case 0x1a: return a & b;
    case 0x1b: {
      if (b === 0n) throw new DwarfError('DW_OP_div by zero', 'expression', o.offset);
      return signed(a) / signed(b);
    }
    case 0x1c: return a - b;
    case 0x1d: {
      if (b === 0n) throw new DwarfError('DW_OP_mod by zero', 'expression', o.offset);
      return a % b;
    }
    case 0x1e: return a * b;
    case 0x21: return a | b;
    case 0x22: return a + b;
    case 0x24: return b >= bits ? 0n : a << b;
    case 0x25: return b >= bits ? 0n : a >> b;
    case 0x26: return b >= bits ? (signed(a) < 0n ? -1n : 0n) : signed(a) >> b;
    case 0x27: return a ^ b;
    case 0x29: return a === b ? 1n : 0n;
    case 0x2a: return signed(a) >= signed(b) ? 1n : 0n;
    case 0x2b: return signed(a) > signed(b) ? 1n : 0n;
    case 0x2c: return signed(a) <= signed(b) ? 1n : 0n;
    case 0x2d: return signed(a) < signed(b) ? 1n : 0n;
    default: return a !== b ? 1n : 0n;
  }
}

/** Reads `size` bytes of a value at a location; registers give their low bytes (little endian). */
export function readLocation(loc: Location, size: number, ctx: EvalContext): Uint8Array | { error: string } {
  switch (loc.kind) {
    case 'memory': {
      const b = ctx.readMem?.(loc.addr, size);
      return b && b.length >= size ? b.subarray(0, size) : { error: `cannot read ${size} bytes at 0x${loc.addr.toString(16)}` };
    }
    case 'register': {
      // A value wider than one register continues in the next ones (r0:r1 for a 64-bit value).
      const out = new Uint8Array(size);
      const regSize = loc.reg >= 256 ? 8 : loc.reg >= 64 && loc.reg < 96 ? 4 : ctx.addrSize;
      for (let done = 0, r = loc.reg; done < size; r++) {
        const v = ctx.readReg?.(r);
        if (v === undefined) return { error: `register ${r} is not available` };
        for (let i = 0; i < regSize && done < size; i++, done++) out[done] = Number((v >> BigInt(8 * i)) & 0xffn);
      }
      return out;
    }
    case 'value': {
      const out = new Uint8Array(size);
      for (let i = 0; i < size; i++) out[i] = Number((loc.value >> BigInt(8 * Math.min(i, 15))) & 0xffn);
      return out;
    }
    case 'implicit': {
      const out = new Uint8Array(size);
      out.set(loc.bytes.subarray(0, size));
      return out;
    }
    case 'pieces': {
      const r = readLocationPartial(loc, size, ctx);
      if ('error' in r) return r;
      if (r.valid) {
        const bad = firstInvalidBit(r.valid, size * 8);
        if (bad >= 0) return { error: `part of the value (from bit ${bad}) is optimized out` };
      }
      return r.bytes;
    }
    case 'implicit-pointer': return { error: 'value is an implicit pointer to an optimized-out object' };
    case 'optimized-out': return { error: 'optimized out' };
    case 'unavailable': return { error: loc.reason };
  }
}

/**
 * Like readLocation, but a composite whose pieces are partly optimized out or unreadable still
 * yields bytes, with `valid` holding one bit per value bit (1 = known). `valid` is omitted when
 * every bit is known.
 */
export function readLocationPartial(loc: Location, size: number, ctx: EvalContext): { bytes: Uint8Array; valid?: Uint8Array } | { error: string } {
  if (loc.kind !== 'pieces') {
    const b = readLocation(loc, size, ctx);
    return b instanceof Uint8Array ? { bytes: b } : b;
  }
  const out = new Uint8Array(size);
  const valid = new Uint8Array(size);
  let bitPos = 0, known = 0;
  for (const p of loc.pieces) {
    const need = Math.max(1, Math.ceil((p.offsetBits + p.sizeBits) / 8));
    const src = p.loc.kind === 'optimized-out' || p.loc.kind === 'pieces' ? undefined : readLocation(p.loc, need, ctx);
    const ok = src instanceof Uint8Array;
    for (let i = 0; i < p.sizeBits && bitPos < size * 8; i++, bitPos++) {
      if (!ok) continue;
      const sb = p.offsetBits + i;
      out[bitPos >> 3] |= ((src[sb >> 3] >> (sb & 7)) & 1) << (bitPos & 7);
      valid[bitPos >> 3] |= 1 << (bitPos & 7);
      known++;
    }
  }
  if (known === 0) return { error: 'optimized out' };
  return firstInvalidBit(valid, size * 8) < 0 ? { bytes: out } : { bytes: out, valid };
}

function firstInvalidBit(valid: Uint8Array, bits: number): number {
  for (let i = 0; i < bits; i++) if (!((valid[i >> 3] >> (i & 7)) & 1)) return i;
  return -1;
}
