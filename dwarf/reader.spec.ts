// ByteReader and DwarfError: LEB128 edge cases from DWARF 5 §7.6 (and its Figure C.1/C.2
// examples), fixed-width little-endian reads, and that every overrun is a located DwarfError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteReader, DwarfError, readCString } from './reader';

const r = (bytes: number[], section = '.debug_test') => new ByteReader(new Uint8Array(bytes), section);

// Reference encoders, written independently of the reader, to round-trip random values.
function encU(v: bigint): number[] {
  const out: number[] = [];
  do { let b = Number(v & 0x7fn); v >>= 7n; if (v !== 0n) b |= 0x80; out.push(b); } while (v !== 0n);
  return out;
}
function encS(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn); v >>= 7n;
    if ((v === 0n && !(b & 0x40)) || (v === -1n && (b & 0x40))) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}

test('DWARF 5 Figure C.1/C.2 LEB128 examples decode', () => {
  const u: [number[], number][] = [[[2], 2], [[127], 127], [[0x80, 1], 128], [[0x81, 1], 129], [[0x82, 1], 130], [[0xb9, 0x64], 12857]];
  for (const [b, v] of u) assert.equal(r(b).uleb(), v, `uleb ${b}`);
  const s: [number[], number][] = [[[2], 2], [[0x7e], -2], [[0xff, 0], 127], [[0x81, 0x7f], -127], [[0x80, 1], 128], [[0x80, 0x7f], -128], [[0x81, 1], 129], [[0xff, 0x7e], -129]];
  for (const [b, v] of s) assert.equal(r(b).sleb(), v, `sleb ${b}`);
});

test('LEB128 round-trips random values of every width, with fast and slow paths', () => {
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0);
  for (let i = 0; i < 3000; i++) {
    const bits = BigInt(rnd() % 54);
    const mag = ((BigInt(rnd()) << 32n) | BigInt(rnd())) & ((1n << bits) - 1n);
    const ub = encU(mag);
    const rd = r([...ub, 0xaa]);
    assert.equal(rd.uleb(), Number(mag));
    assert.equal(rd.pos, ub.length, 'uleb consumes exactly its bytes');
    assert.equal(r(ub).ulebBig(), mag);
    const sv = (rnd() & 1) ? -mag : mag;
    const sb = encS(sv);
    const rs = r([...sb, 0x55]);
    assert.equal(rs.sleb(), Number(sv));
    assert.equal(rs.pos, sb.length);
    assert.equal(r(sb).slebBig(), sv);
  }
});

test('LEB128 beyond 53 bits: big variants exact, number variants throw located errors', () => {
  const max64 = (1n << 64n) - 1n;
  assert.equal(r(encU(max64)).ulebBig(), max64);
  assert.equal(r(encS(-(1n << 63n))).slebBig(), -(1n << 63n));
  const rd = r([0, 0, ...encU(1n << 53n)]);
  rd.skip(2);
  assert.throws(() => rd.uleb(), (e: unknown) => e instanceof DwarfError && e.offset === 2 && /53 bits/.test(e.message));
  assert.throws(() => r(encS(-(1n << 60n))).sleb(), DwarfError);
  // Padded encodings (zero high groups) are valid and decode to the small value.
  assert.equal(r([0x85, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]).uleb(), 5);
  assert.equal(r([0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).sleb(), -1);
});

test('hostile LEB128: unterminated and overlong runs end in a DwarfError quickly', () => {
  assert.throws(() => r([0x80, 0x80]).uleb(), (e: unknown) => e instanceof DwarfError && e.section === '.debug_test');
  const long = new Array(100000).fill(0x80);
  assert.throws(() => r(long).uleb(), /LEB128 longer than/);
  assert.throws(() => r(long).sleb(), /LEB128 longer than/);
});

test('fixed-width reads are little-endian and signed where asked', () => {
  const rd = r([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0xff, 0xfe, 0xff, 0xff, 0xff]);
  assert.equal(rd.u16(), 0x0201);
  assert.equal(rd.u32(), 0x06050403);
  assert.equal(rd.u16(), 0x0807);
  assert.equal(rd.i8(), -1);
  assert.equal(rd.i32(), -2);
  const r64 = r([0xf0, 0xde, 0xbc, 0x9a, 0x78, 0x56, 0x34, 0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  assert.equal(r64.u64(), 0x123456789abcdef0n);
  assert.equal(r64.i64(), -1n);
  assert.equal(r([1, 0, 0, 0, 0, 0, 0x1f, 0]).u64n(), 0x1f_0000_0000_0001);
  assert.throws(() => r([0, 0, 0, 0, 0, 0, 0x20, 0]).u64n(), /does not fit in 53 bits/);
  assert.equal(r([0x78, 0x56, 0x34, 0x12]).offsetSized(4), 0x12345678);
  assert.equal(r([0x78, 0x56, 0x34, 0x12, 1, 0, 0, 0]).offsetSized(8), 0x1_12345678);
  assert.equal(r([0x34, 0x12]).addr(2), 0x1234);
  assert.throws(() => r([0, 0, 0]).addr(3), /address size 3/);
});

test('overruns name the section and the offset', () => {
  const rd = r([1, 2, 3], '.debug_info');
  rd.u16();
  try { rd.u32(); assert.fail('no throw'); } catch (e) {
    assert.ok(e instanceof DwarfError);
    assert.equal(e.section, '.debug_info');
    assert.equal(e.offset, 2);
    assert.match(e.message, /^\.debug_info\+0x2: need 4 bytes but only 1 remain/);
  }
  assert.equal(rd.pos, 2, 'a failed read does not move the cursor');
  assert.throws(() => rd.skip(5), DwarfError);
  assert.throws(() => rd.bytes(-1), DwarfError);
  assert.throws(() => rd.bytes(NaN), DwarfError);
});

test('strings, sub-readers and windows', () => {
  const data = [0x61, 0x62, 0, 0xc3, 0xa9, 0, 0x7a];
  const rd = r(data);
  assert.equal(rd.cstr(), 'ab');
  assert.equal(rd.cstr(), 'é');
  assert.throws(() => rd.cstr(), /not NUL-terminated/);
  assert.equal(readCString(new Uint8Array(data), 3, '.debug_str'), 'é');
  assert.throws(() => readCString(new Uint8Array(data), 7, '.debug_str'), /outside the section/);
  const sub = r([0, 1, 2, 3, 4, 5]).sub(2, 3);
  assert.equal(sub.pos, 2);
  assert.equal(sub.remaining(), 3);
  assert.deepEqual([...sub.bytes(3)], [2, 3, 4]);
  assert.ok(sub.atEnd());
  assert.throws(() => sub.u8(), (e: unknown) => e instanceof DwarfError && e.offset === 5);
  assert.throws(() => r([0, 1, 2]).sub(1, 5), DwarfError);
  // A string that runs past the window (but not the buffer) is still rejected.
  const w = new ByteReader(new Uint8Array([0x61, 0x62, 0]), '.x', 0, 2);
  assert.throws(() => w.cstr(), DwarfError);
});
