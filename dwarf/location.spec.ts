// The DW_OP machine on hand-assembled expressions (DWARF 5 section 2.5/2.6 examples and
// edge cases): every result is computed from the operands, and malformed input must end in a
// DwarfError rather than a hang or a TypeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DwarfError } from './reader';
import { decodeExpr, evaluate, formatExpr, readLocation, readLocationPartial, type EvalContext, type Location } from './location';

const uleb = (n: number): number[] => { const o: number[] = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; };
const sleb = (n: number): number[] => {
  const o: number[] = [];
  for (;;) { const b = n & 0x7f; n >>= 7; if ((n === 0 && !(b & 0x40)) || (n === -1 && (b & 0x40))) { o.push(b); return o; } o.push(b | 0x80); }
};
const E = (...b: number[]) => Uint8Array.from(b);
const regs: Record<number, bigint> = { 0: 0x11n, 1: 0x22n, 7: 0x20001000n, 13: 0x20000ff0n };
const memory = new Map<number, number>();
for (let i = 0; i < 64; i++) memory.set(0x20000ff0 + i, (i * 7 + 3) & 0xff);
const ctx: EvalContext = {
  addrSize: 4,
  readReg: (r) => regs[r],
  readMem: (a, n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) { const v = memory.get(Number(a) + i); if (v === undefined) return undefined; out[i] = v; }
    return out;
  },
  frameBase: () => 0x20000ff8n,
  cfa: () => 0x20001000n,
};
const memAt = (a: number, n: number) => { let v = 0n; for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(memory.get(a + i)!); return v; };
const mem = (addr: bigint): Location => ({ kind: 'memory', addr });

test('constants, literals and arithmetic wrap at the address size', () => {
  assert.deepEqual(evaluate(E(0x35, 0x36, 0x22), ctx), mem(11n)); // lit5 lit6 plus
  assert.deepEqual(evaluate(E(0x30, 0x31, 0x1c), ctx), mem(0xffffffffn)); // 0 - 1 wraps
  assert.deepEqual(evaluate(E(0x11, ...sleb(-7), 0x32, 0x1b), ctx), mem(BigInt.asUintN(32, -3n))); // -7 / 2 signed truncates
  assert.deepEqual(evaluate(E(0x11, ...sleb(-8), 0x31, 0x26), ctx), mem(BigInt.asUintN(32, -4n))); // shra
  assert.deepEqual(evaluate(E(0x11, ...sleb(-8), 0x31, 0x25), ctx), mem(0x7ffffffcn)); // shr
  assert.deepEqual(evaluate(E(0x0c, 0x78, 0x56, 0x34, 0x12, 0x23, ...uleb(0x300)), ctx), mem(0x12345978n)); // const4u plus_uconst
  assert.deepEqual(evaluate(E(0x3a, 0x33, 0x1d), ctx), mem(1n)); // 10 mod 3
  assert.deepEqual(evaluate(E(0x11, ...sleb(-5), 0x19), ctx), mem(5n)); // abs
  assert.deepEqual(evaluate(E(0x30, 0x20), ctx), mem(0xffffffffn)); // not
  assert.deepEqual(evaluate(E(0x3c, 0x35, 0x1a, 0x33, 0x21, 0x36, 0x27), ctx), mem(BigInt((12 & 5 | 3) ^ 6))); // and or xor
  assert.deepEqual(evaluate(E(0x11, ...sleb(-1), 0x30, 0x2d), ctx), mem(1n)); // -1 < 0 signed
  assert.deepEqual(evaluate(E(0x33, 0x33, 0x29, 0x33, 0x34, 0x2e, 0x22), ctx), mem(2n)); // eq + ne
});

test('stack operations: dup, drop, over, pick, swap, rot', () => {
  assert.deepEqual(evaluate(E(0x31, 0x32, 0x14, 0x22, 0x22), ctx), mem(4n)); // 1 2 over(1) → 1+2+1
  assert.deepEqual(evaluate(E(0x31, 0x32, 0x33, 0x15, 2), ctx), mem(1n)); // pick 2
  assert.deepEqual(evaluate(E(0x31, 0x32, 0x16, 0x1c), ctx), mem(1n)); // 1 2 swap → 2-1
  // rot: (1 2 3) → (3 1 2); top is 2, then 1, then 3.
  assert.deepEqual(evaluate(E(0x31, 0x32, 0x33, 0x17, 0x13, 0x13), ctx), mem(3n));
  assert.deepEqual(evaluate(E(0x35, 0x12, 0x1e), ctx), mem(25n)); // dup mul
});

test('branches: bra and skip implement a bounded loop', () => {
  // sum = 0; n = 4; do { sum += n; n -= 1 } while (n != 0)  → 10
  const prog: number[] = [0x30, 0x34]; // sum=0, n=4      stack: sum n
  const loopStart = prog.length;
  prog.push(0x12, 0x17, 0x22, 0x16, 0x31, 0x1c, 0x12); // dup rot plus swap lit1 minus dup → sum' n' n'
  const braAt = prog.length;
  const rel = loopStart - (braAt + 3);
  prog.push(0x28, rel & 0xff, (rel >> 8) & 0xff, 0x13); // bra loop; drop n
  assert.deepEqual(evaluate(Uint8Array.from(prog), ctx), mem(10n));
  // skip over a lit: lit1 skip +1 lit2 → 1
  assert.deepEqual(evaluate(E(0x31, 0x2f, 1, 0, 0x32), ctx), mem(1n));
  // A jump to exactly the end finishes the expression.
  assert.deepEqual(evaluate(E(0x37, 0x2f, 1, 0, 0x32), ctx), mem(7n));
});

test('registers, memory and frame: reg, regx, breg, bregx, fbreg, deref, deref_size, call_frame_cfa', () => {
  assert.deepEqual(evaluate(E(0x51), ctx), { kind: 'register', reg: 1 });
  assert.deepEqual(evaluate(E(0x90, ...uleb(300)), ctx), { kind: 'register', reg: 300 });
  assert.deepEqual(evaluate(E(0x77, ...sleb(-16)), ctx), mem(0x20000ff0n));
  assert.deepEqual(evaluate(E(0x92, ...uleb(13), ...sleb(8)), ctx), mem(0x20000ff8n));
  assert.deepEqual(evaluate(E(0x91, ...sleb(-4)), ctx), mem(0x20000ff4n));
  assert.deepEqual(evaluate(E(0x9c, 0x23, 4), ctx), mem(0x20001004n));
  assert.deepEqual(evaluate(E(0x7d, 0, 0x06), ctx), mem(memAt(0x20000ff0, 4)));
  assert.deepEqual(evaluate(E(0x7d, 2, 0x94, 2), ctx), mem(memAt(0x20000ff2, 2)));
  // fbreg -4 → 0x20000ff4, the fifth byte of the memory pattern.
  const b = readLocation(evaluate(E(0x91, ...sleb(-4)), ctx), 4, ctx);
  assert.deepEqual(b, Uint8Array.from([4, 5, 6, 7].map((i) => (i * 7 + 3) & 0xff)));
  // A 64-bit value in a register continues in the next register (r0:r1).
  assert.deepEqual(readLocation({ kind: 'register', reg: 0 }, 8, ctx), E(0x11, 0, 0, 0, 0x22, 0, 0, 0));
});

test('missing target state is reported, not thrown', () => {
  const l = evaluate(E(0x75, 0), ctx); // breg5: r5 unknown
  assert.equal(l.kind, 'unavailable');
  assert.match((l as { reason: string }).reason, /register 5/);
  assert.equal(evaluate(E(0x9c), { addrSize: 4 }).kind, 'unavailable');
  assert.deepEqual(readLocation(evaluate(E(0x03, 0, 0, 0, 0x10), ctx), 4, ctx), { error: 'cannot read 4 bytes at 0x10000000' });
});

test('implicit_value, stack_value, entry_value and empty expressions', () => {
  assert.deepEqual(evaluate(E(0x9e, 3, 1, 2, 3), ctx), { kind: 'implicit', bytes: E(1, 2, 3) });
  assert.deepEqual(readLocation(evaluate(E(0x3f, 0x9f), ctx), 4, ctx), E(15, 0, 0, 0));
  const ev = evaluate(E(0xa3, 1, 0x50, 0x9f), ctx);
  assert.equal(ev.kind, 'optimized-out');
  assert.match((ev as { reason: string }).reason, /entry value of DW_OP_reg0/);
  // With a caller that knows the entry value, it is recovered.
  assert.deepEqual(evaluate(E(0xf3, 1, 0x51, 0x9f), { ...ctx, entryValue: (ops) => (ops[0].code === 0x51 ? 0x99n : undefined) }), { kind: 'value', value: 0x99n });
  assert.equal(evaluate(E(), ctx).kind, 'optimized-out');
});

test('pieces and bit pieces assemble a composite; missing pieces leave known bits usable', () => {
  // struct { unsigned a:1, b:3; signed c:5; pad:7; uint8 raw } as GCC -O2 describes a constant.
  const e = E(0x31, 0x9f, 0x9d, 1, 0, 0x35, 0x9f, 0x9d, 3, 0, 0x09, 0xfd, 0x9f, 0x9d, 5, 0, 0x9d, 7, 0, 0x37, 0x9f, 0x93, 1);
  const l = evaluate(e, ctx);
  assert.equal(l.kind, 'pieces');
  const r = readLocationPartial(l, 3, ctx);
  assert.ok(!('error' in r));
  const bits = (x: Uint8Array, o: number, n: number) => { let v = 0; for (let i = 0; i < n; i++) v |= ((x[(o + i) >> 3] >> ((o + i) & 7)) & 1) << i; return v; };
  assert.equal(bits(r.bytes, 0, 1), 1);
  assert.equal(bits(r.bytes, 1, 3), 5);
  assert.equal(bits(r.bytes, 4, 5), 0b11101); // -3 in 5 bits
  assert.equal(r.bytes[2], 7);
  assert.ok(r.valid && bits(r.valid, 9, 7) === 0 && bits(r.valid, 0, 9) === 0x1ff);
  assert.match((readLocation(l, 3, ctx) as { error: string }).error, /bit 9/);
  // Register + memory pieces: low half in r0, high half in memory.
  const split = evaluate(E(0x50, 0x93, 2, 0x7d, 0, 0x93, 2), ctx);
  assert.deepEqual(readLocation(split, 4, ctx), E(0x11, 0, memory.get(0x20000ff0)!, memory.get(0x20000ff1)!));
});

test('decoder formats like readelf/pyelftools and rejects malformed expressions with DwarfError', () => {
  assert.equal(formatExpr(decodeExpr(E(0x91, ...sleb(-20), 0x06), { addrSize: 4, offsetSize: 4 })), 'DW_OP_fbreg -20; DW_OP_deref');
  assert.equal(formatExpr(decodeExpr(E(0x03, 0xf4, 0x8c, 0, 0), { addrSize: 4, offsetSize: 4 })), 'DW_OP_addr 0x8cf4');
  assert.equal(formatExpr(decodeExpr(E(0xa3, 1, 0x50, 0x9f), { addrSize: 4, offsetSize: 4 })), 'DW_OP_entry_value [DW_OP_reg0]; DW_OP_stack_value');
  const bad: [string, Uint8Array][] = [
    ['truncated operand', E(0x0c, 1, 2)],
    ['unknown opcode', E(0x01)],
    ['pop on empty stack', E(0x22)],
    ['branch into an operand', E(0x0c, 0, 0, 0, 0, 0x2f, 0xfa, 0xff)],
    ['infinite loop', E(0x2f, 0xfd, 0xff)],
    ['division by zero', E(0x31, 0x30, 0x1b)],
    ['op after a register location', E(0x50, 0x31)],
    ['deref_size larger than an address', E(0x30, 0x94, 9)],
    ['entry_value nested too deeply', E(...Array(12).fill(0).flatMap((_, i) => [0xa3, 2 * (11 - i) + 1]), 0x9f)],
  ];
  for (const [why, e] of bad) {
    assert.throws(() => evaluate(e, ctx), (err: unknown) => err instanceof DwarfError && /expression\+0x/.test(err.message), why);
  }
});
