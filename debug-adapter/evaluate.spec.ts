// Unit tests of the expression language (tokenizer, parser, evaluator) over a fake target with
// synthetic C types: C arithmetic conversions, pointers into a byte array, registers, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Evaluator, EvalError, parse, intVal, pointerTo, T_INT, T_UINT, type EvalEnv, type Ty, type Val } from './evaluate';

const MEM_BASE = 0x20000000;
function env(): EvalEnv & { mem: Uint8Array } {
  const mem = new Uint8Array(128);
  // int arr[4] = { 10, -20, 30, 0x7fffffff } at MEM_BASE
  new DataView(mem.buffer).setInt32(0, 10, true);
  new DataView(mem.buffer).setInt32(4, -20, true);
  new DataView(mem.buffer).setInt32(8, 30, true);
  new DataView(mem.buffer).setInt32(12, 0x7fffffff, true);
  mem.set([0x68, 0x69, 0x0a, 0x22], 16); // "hi\n\""
  mem.fill(0x7a, 20, 32); // 12 × 'z'
  mem.set([0, 0xff], 32);
  const arr: Ty = { k: 'array', elem: T_INT, count: 4, name: 'int [4]' };
  const vars = new Map<string, Val>([
    ['arr', { ty: arr, lv: { kind: 'memory', addr: MEM_BASE } }],
    ['p', intVal(BigInt(MEM_BASE + 4), pointerTo(T_INT))],
    ['u', intVal(0xfffffff0n, T_UINT)],
    ['c', intVal(65n, { k: 'int', size: 1, signed: true, name: 'char' })],
  ]);
  return {
    mem,
    lookup: (n) => vars.get(n),
    register: (n) => ({ r0: 7, sp: 0x20001000, xpsr: 0x61000000 } as Record<string, number>)[n],
    readMem: (a, n) => (a >= MEM_BASE && a + n <= MEM_BASE + mem.length ? mem.slice(a - MEM_BASE, a - MEM_BASE + n) : undefined),
  };
}

const show = (src: string) => { const e = new Evaluator(env()); return e.format(e.evaluate(src)); };
const num = (src: string) => { const e = new Evaluator(env()); return e.toBig(e.evaluate(src)); };

test('precedence and associativity follow C', () => {
  assert.equal(num('1 + 2 * 3'), 7n);
  assert.equal(num('(1 + 2) * 3'), 9n);
  assert.equal(num('10 - 4 - 3'), 3n);
  assert.equal(num('1 << 4 | 1'), 17n);
  assert.equal(num('3 > 2 && 2 > 1'), 1n);
  assert.equal(num('0 || 0'), 0n);
  assert.equal(num('1 ? 5 : 6'), 5n);
  assert.equal(num('~0'), -1n);
  assert.equal(num('-7 / 2'), -3n);
  assert.equal(num('-7 % 2'), -1n);
  assert.equal(num("'A' + 1"), 66n);
  assert.equal(num("'\\n'"), 10n);
  assert.equal(num('0x10 + 010 + 0b11'), 16n + 8n + 3n);
});

test('unsigned arithmetic wraps at 32 bits and compares unsigned', () => {
  assert.equal(num('u + 0x20'), 0x10n);
  assert.equal(num('u > 1'), 1n);
  assert.equal(num('(int)u'), -16n);
  assert.equal(num('(unsigned char)0x1ff'), 0xffn);
  assert.equal(num('(short)0x18000'), -0x8000n);
  assert.equal(num('2147483647 + 1'), -2147483648n); // int wraps as on the target
  assert.equal(num('2147483648 + 1'), 2147483649n); // a literal too big for int is long long
});

test('floats: literals, mixed arithmetic and casts', () => {
  assert.equal(show('1.5 * 2'), '3');
  assert.equal(show('(float)1 / 4'), '0.25');
  assert.equal(num('(int)3.9'), 3n);
  assert.equal(num('2.5 > 2'), 1n);
});

test('arrays, pointers, indexing and address-of read guest memory', () => {
  assert.equal(num('arr[1]'), -20n);
  assert.equal(num('arr[3]'), 0x7fffffffn);
  assert.equal(num('*p'), -20n);
  assert.equal(num('p[1]'), 30n);
  assert.equal(num('*(p + 2)'), 0x7fffffffn);
  assert.equal(num('&arr[2]'), BigInt(MEM_BASE + 8));
  assert.equal(num('&arr[3] - &arr[1]'), 2n);
  assert.equal(num('*(int *)0x20000008'), 30n);
  assert.equal(num('sizeof(arr)'), 16n);
  assert.equal(num('sizeof(long long)'), 8n);
});

test("gdb's artificial arrays: first@count", () => {
  assert.equal(show('arr[1]@3'), '{-20, 30, 2147483647}');
  assert.equal(num('sizeof(arr[0]@4)'), 16n);
  assert.equal(num('(arr[0]@4)[2]'), 30n);
  assert.throws(() => show('1@3'), /needs a value in memory/);
  assert.equal(show('*(char *)0x20000010@4'), '"hi\\n\\""');
  assert.equal(show('*(unsigned char *)0x20000014@14'), "'z' <repeats 12 times>, \"\\000\\377\"");
  assert.equal(show('*(int *)0x20000028@12'), '{0 <repeats 12 times>}');
  assert.throws(() => show('arr[0]@0'), /count must be/);
});

test('registers by $name', () => {
  assert.equal(num('$r0 * 2'), 14n);
  assert.equal(num('$xpsr >> 28'), 6n);
  assert.equal(num('$sp'), 0x20001000n);
});

test('errors are readable and name the problem', () => {
  const bad: [string, RegExp][] = [
    ['nosuch + 1', /no symbol 'nosuch'/],
    ['$r99', /no register '\$r99'/],
    ['1 +', /ends too early/],
    ['(1 + 2', /expected '\)'/],
    ['1 / 0', /division by zero/],
    ['*(int *)0x10', /cannot read 4 bytes at 0x00000010/],
    ['u.x', /needs a struct/],
    ['1 # 2', /unexpected '#' at column 3/],
    ['', /empty expression/],
    ['(struct nosuch *)0', /no type named 'struct nosuch'/],
    ['&$r0', /register/],
    ['12abc', /bad number/],
  ];
  for (const [src, re] of bad) {
    assert.throws(() => show(src), (e: unknown) => e instanceof EvalError && re.test(e.message), src);
  }
});

test('deep nesting and very long input are refused, not a stack overflow or a hang', () => {
  assert.throws(() => parse('('.repeat(5000) + '1' + ')'.repeat(5000)), EvalError);
  assert.throws(() => parse('-'.repeat(3000) + '1'), EvalError);
  assert.throws(() => parse('1+'.repeat(3000) + '1'), EvalError);
});

test('casts parse only where the name is a type', () => {
  assert.deepEqual(parse('(unsigned long)x'), { n: 'cast', type: { name: 'unsigned long', ptr: 0 }, e: { n: 'id', name: 'x' } });
  assert.deepEqual(parse('(x)-1'), { n: 'binary', op: '-', l: { n: 'id', name: 'x' }, r: { n: 'num', v: 1n, float: false, unsigned: false } });
  assert.deepEqual(parse('(struct point **)p').n, 'cast');
});
