// Specs for the CMSDK APB timer: register reset values, lazy VALUE, expiry timing in cycles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CmsdkApbTimer } from './cmsdk-apb-timer';
import { testContext } from './test-context';

function make(props = {}) {
  const ctx = testContext(props, 'timer@40000000');
  const t = new CmsdkApbTimer(ctx);
  t.reset();
  return { ctx, t, irq: ctx.irqs[0] };
}

test('reset values and IDs match QEMU 7.2 (read back with gdb)', () => {
  const { t } = make();
  for (const off of [0, 4, 8, 0xc]) assert.equal(t.read(off, 4, 0), 0);
  assert.deepEqual([0xfd0, 0xfe0, 0xfe4, 0xfe8, 0xff0, 0xffc].map((o) => t.read(o, 4, 0)), [0x04, 0x22, 0xb8, 0x1b, 0x0d, 0xb1]);
  t.write(0, 4, 0xff, 0);
  assert.equal(t.read(0, 4, 0), 0xf); // CTRL keeps 4 bits
});

test('VALUE counts down lazily, IRQ at 1->0, period RELOAD+1', () => {
  const { ctx, t, irq } = make();
  t.write(8, 4, 100, 0); // RELOAD (also loads VALUE)
  assert.equal(t.read(4, 4, 0), 100);
  t.write(0, 4, 0b1001, 0); // EN | IRQEN
  ctx.advance(40);
  assert.equal(t.read(4, 4, 0), 60);
  ctx.advance(99);
  assert.equal(irq.level, false);
  ctx.advance(100);
  assert.equal(t.read(4, 4, 0), 0);
  assert.equal(irq.level, true);
  assert.equal(t.read(0xc, 4, 0), 1);
  ctx.advance(101);
  assert.equal(t.read(4, 4, 0), 100); // held 0 for one tick, then reloaded
  t.write(0xc, 4, 1, 0);
  assert.equal(irq.level, false);
  ctx.advance(201);
  assert.deepEqual(irq.rises, [100, 201]);
});

test('no interrupt latched when IRQEN is clear at expiry; stop freezes VALUE', () => {
  const { ctx, t, irq } = make();
  t.write(8, 4, 10, 0);
  t.write(0, 4, 1, 0);
  ctx.advance(15);
  assert.equal(t.read(0xc, 4, 0), 0);
  assert.equal(irq.level, false);
  assert.equal(t.read(4, 4, 0), 6); // 10 at 0, 0 at 10, 10 at 11, 6 at 15
  t.write(0, 4, 0, 0);
  ctx.advance(1000);
  assert.equal(t.read(4, 4, 0), 6);
});

test('RELOAD=0 with VALUE set fires once and stops at 0', () => {
  const { ctx, t, irq } = make();
  t.write(4, 4, 5, 0);
  t.write(0, 4, 0b1001, 0);
  ctx.advance(5);
  assert.deepEqual(irq.rises, [5]);
  ctx.advance(500);
  assert.equal(t.read(4, 4, 0), 0);
  assert.deepEqual(irq.rises, [5]);
  assert.equal(ctx.clock.nextDeadline(), Infinity);
});

test('clock-frequency slower than the core scales ticks to cycles', () => {
  const { ctx, t, irq } = make({ 'clock-frequency': 12_500_000 });
  t.write(8, 4, 10, 0);
  t.write(0, 4, 0b1001, 0);
  ctx.advance(8);
  assert.equal(t.read(4, 4, 0), 6);
  ctx.advance(20);
  assert.deepEqual(irq.rises, [20]);
});

test('unmodelled offsets read 0 and warn once', () => {
  const { ctx, t } = make();
  assert.equal(t.read(0x40, 4, 0), 0);
  assert.equal(t.read(0x40, 4, 0), 0);
  t.write(0x44, 4, 1, 0);
  assert.equal(ctx.warnings.length, 2);
});
