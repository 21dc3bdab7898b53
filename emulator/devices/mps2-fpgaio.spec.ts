// Specs for the MPS2 FPGAIO block: LEDs, 1 Hz/100 Hz counters and the prescaled COUNTER from virtual time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mps2FpgaIo } from './mps2-fpgaio';
import { testContext } from './test-context';

function make() {
  const ctx = testContext({ 'clock-frequency': 25_000_000 }, 'fpgaio@40028000');
  return { ctx, f: new Mps2FpgaIo(ctx) };
}

test('LED0 keeps 2 bits, MISC reads as written, BUTTON reads 0 (QEMU 7.2 an386)', () => {
  const { f } = make();
  f.write(0, 4, 0xff, 0);
  assert.equal(f.read(0, 4, 0), 3);
  f.write(0x4c, 4, 0xffffffff, 0);
  assert.equal(f.read(0x4c, 4, 0), 0xffffffff);
  assert.equal(f.read(8, 4, 0), 0);
});

test('CLK1HZ and CLK100HZ follow virtual time and can be written', () => {
  const { ctx, f } = make();
  ctx.advance(25_000_000 * 3 - 1);
  assert.equal(f.read(0x10, 4, 0), 2);
  assert.equal(f.read(0x14, 4, 0), 299);
  ctx.advance(25_000_000 * 3);
  assert.equal(f.read(0x10, 4, 0), 3);
  f.write(0x10, 4, 100, 0);
  ctx.advance(25_000_000 * 5);
  assert.equal(f.read(0x10, 4, 0), 102);
});

test('PSCNTR reloads from PRESCALE one tick after 0 and COUNTER counts reloads', () => {
  const { ctx, f } = make();
  f.write(0x1c, 4, 5, 0); // PRESCALE
  f.write(0x20, 4, 7, 0); // PSCNTR
  ctx.advance(7);
  assert.equal(f.read(0x20, 4, 0), 0);
  assert.equal(f.read(0x18, 4, 0), 0);
  ctx.advance(8);
  assert.equal(f.read(0x20, 4, 0), 5);
  assert.equal(f.read(0x18, 4, 0), 1);
  ctx.advance(14); // same as one read at 14 without the intermediate ones
  assert.equal(f.read(0x20, 4, 0), 5);
  assert.equal(f.read(0x18, 4, 0), 2);
});

test('PRESCALE=0 increments COUNTER every tick', () => {
  const { ctx, f } = make();
  ctx.advance(1000);
  assert.equal(f.read(0x18, 4, 0), 1000);
});
