// Specs for the i.MX GPIO port: output loopback through PSR, edge and level interrupt
// configuration, IMR/ISR and the split low/high interrupt outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImxGpio } from './imx-gpio';
import { testContext } from './test-context';

function make() {
  const ctx = testContext({}, 'gpio@209c000');
  const g = new ImxGpio(ctx);
  g.reset();
  return { ctx, g, lo: ctx.irqs[0], hi: ctx.irqs[1] };
}

test('reset values are 0 as on QEMU 7.2', () => {
  const { g } = make();
  assert.deepEqual([0, 4, 8, 0xc, 0x10, 0x14, 0x18, 0x1c].map((o) => g.read(o, 4, 0)), [0, 0, 0, 0, 0, 0, 0, 0]);
});

test('DR reads the latch for outputs and the pins for inputs; PSR shows only input levels (QEMU 7.2)', () => {
  const { g } = make();
  g.write(0x00, 4, 0xffffffff, 0);
  assert.equal(g.read(0x00, 4, 0), 0); // all pins inputs, all low
  g.write(0x04, 4, 0x0000000f, 0);
  g.write(0x00, 4, 0x000000a5, 0);
  assert.equal(g.read(0x00, 4, 0), 0x5);
  g.setInput(4, true);
  g.setInput(0, true); // an output: its latch wins in DR
  assert.equal(g.read(0x00, 4, 0), 0x15);
  assert.equal(g.read(0x08, 4, 0), 0x11);
});

test('rising edge on pin 3 latches ISR; IMR routes it to the low output; ISR is w1c', () => {
  const { g, lo, hi } = make();
  g.write(0x0c, 4, 2 << 6, 0); // ICR1 pin 3 rising
  g.write(0x14, 4, 1 << 3, 0);
  g.setInput(3, true);
  assert.equal(g.read(0x18, 4, 0), 1 << 3);
  assert.equal(lo.level, true);
  assert.equal(hi.level, false);
  g.write(0x18, 4, 1 << 3, 0);
  assert.equal(lo.level, false);
  g.setInput(3, false); // falling: not configured
  assert.equal(g.read(0x18, 4, 0), 0);
});

test('EDGE_SEL catches both edges on a high pin and drives the high output', () => {
  const { g, hi } = make();
  g.write(0x1c, 4, 1 << 20, 0);
  g.write(0x14, 4, 1 << 20, 0);
  g.setInput(20, true);
  assert.equal(hi.level, true);
  g.write(0x18, 4, 1 << 20, 0);
  g.setInput(20, false);
  assert.equal(hi.level, true);
});
