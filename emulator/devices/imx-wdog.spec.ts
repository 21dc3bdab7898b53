// Specs for the i.MX watchdog: reset values read from QEMU 7.2 sabrelite (16-bit registers
// read as words too), write-once WCR bits, the service sequence, the pre-timeout interrupt,
// and the system resets from a time-out and from clearing WCR.SRS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImxWdog } from './imx-wdog';
import { testContext } from './test-context';

function make() {
  const ctx = testContext({}, 'watchdog@20bc000');
  const w = new ImxWdog(ctx);
  w.reset();
  return { ctx, w, irq: ctx.irqs[0] };
}

test('reset values and word reads match QEMU 7.2', () => {
  const { w } = make();
  assert.deepEqual([0, 2, 4, 6, 8].map((o) => w.read(o, 4, 0)), [0x30, 0, 0x00040000, 0x00010004, 1]);
  assert.equal(w.read(6, 2, 0), 4);
});

test('enabled, the watchdog resets the system after (WT+1)/2 s unless serviced with 0x5555, 0xAAAA', () => {
  const { ctx, w } = make();
  const half = ctx.clock.hz / 2;
  w.write(0, 2, (1 << 8) | 0x30 | 4, 0); // WT=1 (1 s), WDE
  ctx.advance(half * 2 - 1);
  assert.equal(ctx.resets, 0);
  w.write(2, 2, 0x5555, 0);
  w.write(2, 2, 0xaaaa, 0); // reload: 1 s from now
  ctx.advance(half * 3);
  assert.equal(ctx.resets, 0);
  w.write(2, 2, 0xaaaa, 0); // out of sequence: no reload
  ctx.advance(half * 4);
  assert.equal(ctx.resets, 1);
  assert.equal(w.read(4, 2, 0), 2); // WRSR.TOUT
  w.write(0, 2, 0x30, 0);
  assert.equal(w.read(0, 2, 0) & 4, 4); // WDE is write-once
});

test('the pre-timeout interrupt fires WICT half-seconds early and is cleared by writing WTIS', () => {
  const { ctx, w, irq } = make();
  const half = ctx.clock.hz / 2;
  w.write(6, 2, (1 << 15) | 2, 0); // WIE, 1 s before
  w.write(0, 2, (3 << 8) | 0x30 | 4, 0); // 2 s
  ctx.advance(half * 2 - 1);
  assert.equal(irq.level, false);
  ctx.advance(half * 2);
  assert.equal(irq.level, true);
  w.write(6, 2, (1 << 15) | (1 << 14) | 2, 0);
  assert.equal(irq.level, false);
});

test('clearing WCR.SRS requests a software reset (WRSR.SFTW)', () => {
  const { ctx, w } = make();
  w.write(0, 2, 0x20, 0);
  assert.equal(ctx.resets, 1);
  assert.equal(w.read(4, 2, 0), 1);
});

test('WICR is write-once except for the WTIS flag', () => {
  const { w } = make();
  w.write(6, 2, 0x8010, 0);
  w.write(6, 2, 0x0000, 0);
  assert.equal(w.read(6, 2, 0), 0x8010);
});
