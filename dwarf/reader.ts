// Bounds-checked little-endian cursor over one section's bytes, plus the typed error every
// ELF/DWARF parser in dwarf/ throws. Positions are offsets into the section, so an error
// can always say "<section>+0x<offset>" and a user can find the bad byte with a hex dump.

/** A malformed-input error located at a byte offset of a named section. */
export class DwarfError extends Error {
  constructor(message: string, readonly section: string, readonly offset: number) {
    super(`${section}+0x${offset.toString(16)}: ${message}`);
    this.name = 'DwarfError';
  }
}

const TWO32 = 0x1_0000_0000;
// LEB128 values in DWARF are at most 64 bits (DWARF 5 §7.6); padding bytes may follow, so
// allow some slack but stop well before a hostile run of 0x80 bytes costs quadratic BigInt work.
const LEB_MAX_BYTES = 32;

let utf8: TextDecoder | undefined;
/** Decodes bytes[start, end) as UTF-8, with a fast path for the ASCII names that dominate DWARF. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 64) {
    let s = '';
    let i = start;
    for (; i < end; i++) {
      const b = bytes[i];
      if (b >= 0x80) break;
      s += String.fromCharCode(b);
    }
    if (i === end) return s;
  }
  utf8 ??= new TextDecoder('utf-8');
  return utf8.decode(bytes.subarray(start, end));
}

/** Reads the NUL-terminated string at `offset` of a string section (.strtab, .debug_str ...). */
export function readCString(bytes: Uint8Array, offset: number, section: string): string {
  if (!(offset >= 0 && offset < bytes.length)) {
    throw new DwarfError(`string offset 0x${offset.toString(16)} is outside the section (size 0x${bytes.length.toString(16)})`, section, offset);
  }
  const nul = bytes.indexOf(0, offset);
  if (nul < 0) throw new DwarfError('string is not NUL-terminated before the end of the section', section, offset);
  return decodeUtf8(bytes, offset, nul);
}

export class ByteReader {
  /** Offset of the next byte to read, counted from the start of `bytes`. */
  pos: number;
  readonly start: number;
  readonly end: number;

  /** The whole section; reads stay inside [start, end). */
  readonly data: Uint8Array;

  constructor(bytes: Uint8Array, readonly section: string, start = 0, end = bytes.length) {
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= bytes.length && start <= end)) {
      throw new DwarfError(`window [0x${start.toString(16)}, 0x${end.toString(16)}) is outside the section (size 0x${bytes.length.toString(16)})`, section, Math.max(0, start | 0));
    }
    this.data = bytes;
    this.start = start;
    this.end = end;
    this.pos = start;
  }

  /** Throws a DwarfError located at `at` (default: the current position). */
  fail(message: string, at = this.pos): never {
    throw new DwarfError(message, this.section, at);
  }

  private need(n: number): number {
    const p = this.pos;
    if (p + n > this.end) {
      this.fail(`need ${n} byte${n === 1 ? '' : 's'} but only ${Math.max(0, this.end - p)} remain before 0x${this.end.toString(16)}`);
    }
    this.pos = p + n;
    return p;
  }

  atEnd(): boolean { return this.pos >= this.end; }
  remaining(): number { return Math.max(0, this.end - this.pos); }

  // Plain byte arithmetic rather than a DataView: readers are created per unit, attribute list
  // and expression, and a DataView per reader showed up as the top cost when profiling.
  u8(): number { return this.data[this.need(1)]; }
  i8(): number { return (this.data[this.need(1)] << 24) >> 24; }
  u16(): number { const p = this.need(2), b = this.data; return b[p] | (b[p + 1] << 8); }
  i16(): number { return (this.u16() << 16) >> 16; }
  u32(): number { return this.i32() >>> 0; }
  i32(): number { const p = this.need(4), b = this.data; return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24); }
  u64(): bigint { const lo = this.u32(); return (BigInt(this.u32()) << 32n) | BigInt(lo); }
  i64(): bigint { return BigInt.asIntN(64, this.u64()); }

  /** A u64 that must fit a JS number exactly (addresses, offsets, sizes). */
  u64n(): number {
    const p = this.pos;
    if (p + 8 > this.end) this.need(8);
    const lo = this.u32();
    const hi = this.u32();
    if (hi >= 0x20_0000) { this.pos = p; this.fail(`64-bit value 0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')} does not fit in 53 bits`, p); }
    return hi * TWO32 + lo;
  }

  /** Unsigned LEB128 (DWARF 5 §7.6) as a number; throws if it needs more than 53 bits. */
  uleb(): number {
    const b = this.data;
    let p = this.pos;
    // Fast path: up to 4 bytes (28 bits) in int32 arithmetic.
    if (p + 4 <= this.end) {
      let v = b[p] & 0x7f;
      if (b[p] < 0x80) { this.pos = p + 1; return v; }
      v |= (b[p + 1] & 0x7f) << 7;
      if (b[p + 1] < 0x80) { this.pos = p + 2; return v; }
      v |= (b[p + 2] & 0x7f) << 14;
      if (b[p + 2] < 0x80) { this.pos = p + 3; return v; }
      v |= (b[p + 3] & 0x7f) << 21;
      if (b[p + 3] < 0x80) { this.pos = p + 4; return v; }
    }
    const start = p;
    const big = this.ulebBig();
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`ULEB128 value 0x${big.toString(16)} does not fit in 53 bits`, start);
    return Number(big);
  }

  /** Signed LEB128 as a number; throws if outside the safe-integer range. */
  sleb(): number {
    const b = this.data;
    const p = this.pos;
    if (p + 4 <= this.end) {
      let v = 0;
      let shift = 0;
      for (let i = 0; i < 4; i++) {
        const x = b[p + i];
        v |= (x & 0x7f) << shift;
        shift += 7;
        if (x < 0x80) {
          this.pos = p + i + 1;
          return (v << (32 - shift)) >> (32 - shift);
        }
      }
    }
    const big = this.slebBig();
    if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
      this.fail(`SLEB128 value ${big} does not fit in 53 bits`, p);
    }
    return Number(big);
  }

  ulebBig(): bigint {
    const start = this.pos;
    let v = 0n;
    let shift = 0n;
    for (let i = 0; ; i++) {
      if (i >= LEB_MAX_BYTES) this.fail(`LEB128 longer than ${LEB_MAX_BYTES} bytes`, start);
      const x = this.u8();
      v |= BigInt(x & 0x7f) << shift;
      shift += 7n;
      if (x < 0x80) return v;
    }
  }

  slebBig(): bigint {
    const start = this.pos;
    let v = 0n;
    let shift = 0n;
    for (let i = 0; ; i++) {
      if (i >= LEB_MAX_BYTES) this.fail(`LEB128 longer than ${LEB_MAX_BYTES} bytes`, start);
      const x = this.u8();
      v |= BigInt(x & 0x7f) << shift;
      shift += 7n;
      if (x < 0x80) return (x & 0x40) ? v - (1n << shift) : v;
    }
  }

  /** NUL-terminated UTF-8 string; the NUL is consumed. */
  cstr(): string {
    const p = this.pos;
    const nul = this.data.indexOf(0, p);
    if (nul < 0 || nul >= this.end) this.fail('string is not NUL-terminated before the end of its data', p);
    this.pos = nul + 1;
    return decodeUtf8(this.data, p, nul);
  }

  /** A view (not a copy) of the next n bytes. */
  bytes(n: number): Uint8Array {
    if (!(Number.isInteger(n) && n >= 0)) this.fail(`bad length ${n}`);
    const p = this.need(n);
    return this.data.subarray(p, p + n);
  }

  skip(n: number): void {
    if (!(Number.isInteger(n) && n >= 0)) this.fail(`bad skip length ${n}`);
    this.need(n);
  }

  /** A section offset of the unit's offset size (DWARF 5 §7.4: 4 bytes in 32-bit DWARF, 8 in 64-bit). */
  offsetSized(offsetSize: 4 | 8): number {
    return offsetSize === 4 ? this.u32() : this.u64n();
  }

  /** A target address of `size` bytes (1, 2, 4 or 8). */
  addr(size: number): number {
    switch (size) {
      case 4: return this.u32();
      case 8: return this.u64n();
      case 2: return this.u16();
      case 1: return this.u8();
      default: return this.fail(`unsupported address size ${size}`);
    }
  }

  /** A reader over [start, start + length) of the same bytes; must lie inside this reader's window. */
  sub(start: number, length: number): ByteReader {
    if (!(Number.isInteger(start) && Number.isInteger(length) && start >= this.start && length >= 0 && start + length <= this.end)) {
      this.fail(`range [0x${start.toString(16)}, +0x${length.toString(16)}) runs past 0x${this.end.toString(16)}`, Math.max(0, Math.min(start, this.end)));
    }
    return new ByteReader(this.data, this.section, start, start + length);
  }
}
