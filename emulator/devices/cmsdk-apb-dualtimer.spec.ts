// Specs for the CMSDK APB dual timer: reset state, periodic/one-shot/free-running timing, prescale, ITCR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CmsdkApbDualTimer } from './cmsdk-apb-dualtimer';
import { testContext } from './test-context';

const LOAD = 0, VALUE = 4, CTRL = 8, INTCLR = 0xc, RIS = 0x10, MIS = 0x14, BGLOAD = 0x18;
const EN = 0x80, PERIODIC = 0x40, INTEN = 0x20, SIZE32 = 2, ONESHOT = 1;

function make() {
  const ctx = testContext({}, 'timer@40002000');
  const d = new CmsdkApbDualTimer(ctx);
  return { ctx, d, c: ctx.irqs[0], t1: ctx.irqs[1], t2: ctx.irqs[2] };
}

test('reset values match QEMU 7.2 (read back with gdb)', () => {
  const { d } = make();
  assert.deepEqual([0, 4, 8, 0xc, 0x10, 0x14, 0x18].map((o) => d.read(o, 4, 0)), [0, 0xffffffff, 0x20, 0, 0, 0, 0]);
  assert.deepEqual([0x20, 0x24, 0x28].map((o) => d.read(o, 4, 0)), [0, 0xffffffff, 0x20]);
  assert.equal(d.read(0xfe0, 4, 0), 0x23);
  assert.equal(d.read(0x5, 1, 0), 0); // unaligned sub-word offsets hit no register in QEMU
});

test('periodic 32-bit: IRQ every LOAD+1 ticks on the combined line; MIS needs INTEN', () => {
  const { ctx, d, c, t1 } = make();
  d.write(LOAD, 4, 100, 0);
  d.write(CTRL, 4, EN | PERIODIC | INTEN | SIZE32, 0);
  ctx.advance(30);
  assert.equal(d.read(VALUE, 4, 0), 70);
  ctx.advance(100);
  assert.equal(c.level, true);
  assert.equal(t1.level, true);
  assert.equal(d.read(MIS, 4, 0), 1);
  d.write(INTCLR, 4, 0, 0);
  assert.equal(c.level, false);
  ctx.advance(201);
  assert.deepEqual(c.rises, [100, 201]);
  d.write(CTRL, 4, EN | PERIODIC | SIZE32, 0); // INTEN off: RIS still latches, MIS does not
  ctx.advance(302);
  assert.equal(d.read(RIS, 4, 0), 1);
  assert.equal(d.read(MIS, 4, 0), 0);
  assert.equal(c.level, false);
});

test('BGLOAD changes the next period without touching the current count', () => {
  const { ctx, d, c } = make();
  d.write(LOAD, 4, 10, 0);
  d.write(CTRL, 4, EN | PERIODIC | INTEN | SIZE32, 0);
  ctx.advance(4);
  d.write(BGLOAD, 4, 50, 0);
  assert.equal(d.read(VALUE, 4, 0), 6);
  ctx.advance(10);
  d.write(INTCLR, 4, 0, 0);
  ctx.advance(61);
  assert.deepEqual(c.rises, [10, 61]);
});

test('one-shot stops at 0; prescale 16 divides the clock', () => {
  const { ctx, d, c } = make();
  d.write(LOAD, 4, 10, 0);
  d.write(CTRL, 4, EN | INTEN | SIZE32 | ONESHOT | PERIODIC | (1 << 2), 0);
  ctx.advance(159);
  assert.equal(c.level, false);
  ctx.advance(160);
  assert.equal(c.level, true);
  ctx.advance(10_000);
  assert.equal(d.read(VALUE, 4, 0), 0);
  assert.deepEqual(c.rises, [160]);
  assert.equal(ctx.clock.nextDeadline(), Infinity);
});

test('free-running 16-bit wraps at 0xffff and keeps VALUE upper half', () => {
  const { ctx, d, c } = make();
  d.write(CTRL, 4, EN | INTEN, 0); // free-running, 16-bit, from reset count 0xffff
  ctx.advance(0x10);
  assert.equal(d.read(VALUE, 4, 0), 0xffffffef);
  ctx.advance(0xffff);
  assert.equal(c.level, true);
  ctx.advance(0x10000);
  assert.equal(d.read(VALUE, 4, 0), 0xffffffff);
});

test('integration test mode drives outputs from ITOP', () => {
  const { d, c, t2 } = make();
  d.write(0xf00, 4, 1, 0);
  d.write(0xf04, 4, 2, 0);
  assert.equal(t2.level, true);
  assert.equal(c.level, true);
  d.write(0xf00, 4, 0, 0);
  assert.equal(c.level, false);
});
