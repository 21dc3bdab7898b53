// Specs for the MPS2 SCC: an386 IDs, SYS_CFG oscillator access, DLL and CFGCTRL masking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mps2Scc } from './mps2-scc';
import { testContext } from './test-context';

function make() {
  const ctx = testContext({ 'arm,scc-id': 0x41043860, 'arm,scc-aid': 0x00200008, 'arm,scc-cfg4': 2 }, 'scc@4002f000');
  return { ctx, s: new Mps2Scc(ctx) };
}

test('reset values match qemu-system-arm 7.2 mps2-an386', () => {
  const { s } = make();
  assert.equal(s.read(0x10, 4, 0), 2);
  assert.equal(s.read(0xa8, 4, 0), 0x00100000);
  assert.equal(s.read(0x100, 4, 0), 0xffff0001);
  assert.equal(s.read(0xff8, 4, 0), 0x00200008);
  assert.equal(s.read(0xffc, 4, 0), 0x41043860);
});

test('SYS_CFG reads the three oscillators; a missing device sets ERROR', () => {
  const { s } = make();
  const got: number[] = [];
  for (let d = 0; d < 3; d++) {
    s.write(0xa8, 4, 0x80100000 | d, 0);
    got.push(s.read(0xa0, 4, 0));
    assert.equal(s.read(0xac, 4, 0), 1);
  }
  assert.deepEqual(got, [50_000_000, 24_576_000, 25_000_000]);
  s.write(0xa8, 4, 0x80100003, 0);
  assert.equal(s.read(0xac, 4, 0), 3);
  assert.equal(s.read(0xa8, 4, 0), 0x00100003);
  s.write(0xa4, 4, 1234, 0);
  s.write(0xa8, 4, 0xc0100001, 0); // write OSCCLK1
  s.write(0xa8, 4, 0x80100001, 0);
  assert.equal(s.read(0xa0, 4, 0), 1234);
});

test('DLL: only the lock-mask byte is writable', () => {
  const { s } = make();
  s.write(0x100, 4, 0x12345678, 0);
  assert.equal(s.read(0x100, 4, 0), 0x12ff0001);
});
