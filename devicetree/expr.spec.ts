// Integer expressions in cell lists: C precedence and associativity, unsigned 64-bit
// arithmetic truncated to the cell size, and dtc's rules for shifts and negative values.
// (devicetree/dtc-diff.spec.ts also checks random expressions against dtc itself.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getProp, parseDts, type DtValue } from './index.js';

function cells(expr: string, bits = 32): bigint {
  const t = parseDts(`/ { p = /bits/ ${bits} <(${expr})>; };`, 'x.dts');
  const v = getProp(t.root, 'p')!.values[0] as Extract<DtValue, { kind: 'cells' }>;
  return bits === 64 ? v.wide![0] : BigInt(v.cells[0] as number);
}

const cases: Array<[string, bigint]> = [
  ['1 + 2 * 3', 7n],
  ['(1 + 2) * 3', 9n],
  ['10 - 4 - 3', 3n],                 // left-associative
  ['100 / 10 / 5', 2n],
  ['17 % 5', 2n],
  ['1 << 4 + 1', 32n],                // + binds tighter than <<
  ['0x80 >> 3', 16n],
  ['6 & 3', 2n],
  ['6 | 3', 7n],
  ['6 ^ 3', 5n],
  ['1 | 2 ^ 3 & 4', 1n | (2n ^ (3n & 4n))],
  ['~0', 0xffffffffn],
  ['!0', 1n],
  ['!5', 0n],
  ['-1', 0xffffffffn],                // sign-extended negative fits
  ['- - 3', 3n],
  ['2 < 3', 1n], ['3 < 2', 0n], ['2 > 3', 0n], ['3 >= 3', 1n], ['2 <= 1', 0n],
  ['2 == 2', 1n], ['2 != 2', 0n],
  ['1 && 2', 1n], ['1 && 0', 0n], ['0 || 3', 1n], ['0 || 0', 0n],
  ['1 == 1 && 2 < 1', 0n],
  ['1 ? 10 : 20', 10n],
  ['0 ? 10 : 20', 20n],
  ['0 ? 1 : 0 ? 2 : 3', 3n],           // ?: is right-associative
  ['1 < 2 ? 5 + 1 : 7', 6n],
  ["'A' + 1", 66n],
  ['-1 < 1', 0n],                      // comparisons are unsigned 64-bit, as in dtc
  ['0x1000 * 0x1000 * 0x10 / 0x100', 0x100000n],  // 2^32 intermediate does not truncate
  ['(1 << 63) >> 63', 1n],
  ['1 << 64', 0n],                     // dtc defines over-wide shifts as 0
  ['0xffffffff + 1 - 1', 0xffffffffn],
  ['010 + 0x10 + 10', 34n],
];

for (const [expr, want] of cases) {
  test(`(${expr}) = ${want}`, () => assert.equal(cells(expr), want));
}

test('64-bit cells keep full precision', () => {
  assert.equal(cells('(1 << 63) | 1', 64), 0x8000000000000001n);
  assert.equal(cells('-1', 64), 0xffffffffffffffffn);
  assert.equal(cells('0xffffffffffffffff + 2', 64), 1n, 'wraps modulo 2^64');
});

test('truncation to 8 and 16 bits accepts sign-extended values only', () => {
  assert.equal(cells('-2', 8), 0xfen);
  assert.equal(cells('0xffff', 16), 0xffffn);
  assert.throws(() => cells('0x1ff', 8), /does not fit in a 8-bit cell/);
  assert.throws(() => cells('-0x10000 - 1', 16), /does not fit in a 16-bit cell/);
});

test('deeply nested expressions give an error, not a stack overflow', () => {
  const deep = '('.repeat(5000) + '1' + ')'.repeat(5000);
  assert.throws(() => parseDts(`/ { p = <${deep}>; };`, 'x.dts'), /nested more than 200 deep/);
  const unary = '-'.repeat(5000) + '1';
  assert.throws(() => parseDts(`/ { p = <(${unary})>; };`, 'x.dts'), /nested more than 200 deep/);
});
