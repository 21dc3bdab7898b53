// Tests for the qualified-address parser: core and world qualifiers, offsets, and the
// error messages a user sees for a bad core, world or number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQualifiedAddress, formatQualifiedAddress } from './qualified-address';
import { TargetError } from './target';

const an521 = [{ id: 0, name: 'CPU0' }, { id: 1, name: 'CPU1' }];
const imx = [{ id: 0, name: 'CPU0', aliases: ['a9'] }, { id: 1, name: 'CPU1', aliases: ['m4'] }];

test('plain, world-only, core-only and core+world addresses', () => {
  assert.deepEqual(parseQualifiedAddress('0x10000400', an521), { core: undefined, world: undefined, address: 0x10000400 });
  assert.deepEqual(parseQualifiedAddress('s:0x10000400', an521), { core: undefined, world: 'secure', address: 0x10000400 });
  assert.deepEqual(parseQualifiedAddress('ns:0x00200000', an521), { core: undefined, world: 'non-secure', address: 0x200000 });
  assert.deepEqual(parseQualifiedAddress('cpu1:ns:0xFFFFFFFF', an521), { core: 1, world: 'non-secure', address: 0xffffffff });
  assert.deepEqual(parseQualifiedAddress('m4:0x1fff8000', imx), { core: 1, world: undefined, address: 0x1fff8000 });
  assert.deepEqual(parseQualifiedAddress('A9:NS:0x80000000', imx), { core: 0, world: 'non-secure', address: 0x80000000 });
  assert.deepEqual(parseQualifiedAddress('1:4096', an521), { core: 1, world: undefined, address: 4096 });
  assert.equal(parseQualifiedAddress('s:0x100+0x10', an521).address, 0x110);
});

test('errors name the bad part', () => {
  const bad = (t: string, re: RegExp) => assert.throws(() => parseQualifiedAddress(t, an521), (e: unknown) => e instanceof TargetError && re.test(e.message));
  bad('m7:0x0', /no core 'm7' \(cores: CPU0, CPU1/);
  bad('cpu0:x:0x0', /'x' is not a world/);
  bad('cpu9:0x0', /no core 'cpu9'/);
  bad('0xZZ', /'0xZZ' is not an address/);
  bad('0x100000000', /beyond 32 bits/);
  bad('a:b:c:0', /too many ':'/);
  bad(':0x0', /empty qualifier/);
  bad('x'.repeat(300), /too long/);
});

test('format round-trips through parse', () => {
  for (const t of ['cpu1:ns:0x00200000', 's:0x10000000', '0x00000000', 'cpu0:0xe000ed28']) {
    const a = parseQualifiedAddress(t, an521);
    assert.equal(formatQualifiedAddress(a, an521), t);
  }
});
