// Specs for the i.MX GPT and EPIT timers: reset values from QEMU 7.2 sabrelite, counting
// in virtual time, compare interrupts, restart versus free-run, and interrupt enables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImxGpt } from './imx-gpt';
import { ImxEpit } from './imx-epit';
import { testContext } from './test-context';

// One timer tick per core cycle keeps the arithmetic readable.
const HZ = { 'fsl,ipg-hz': 25_000_000 };

function gpt() {
  const ctx = testContext(HZ, 'gpt@2098000');
  const t = new ImxGpt(ctx);
  t.reset();
  return { ctx, t, irq: ctx.irqs[0] };
}

test('GPT reset values match QEMU 7.2', () => {
  const { t } = gpt();
  assert.deepEqual([0, 4, 8, 0xc, 0x10, 0x14, 0x18, 0x1c, 0x20, 0x24].map((o) => t.read(o, 4, 0)),
    [0, 0, 0, 0, 0xffffffff, 0xffffffff, 0xffffffff, 0, 0, 0]);
});

test('GPT restart mode: compare 1 every OCR1+1 ticks, counter wraps to 0', () => {
  const { ctx, t, irq } = gpt();
  t.write(0x10, 4, 99, 0); // OCR1
  t.write(0x0c, 4, 1, 0); // OF1IE
  t.write(0x00, 4, (1 << 6) | 2 | 1, 0); // ipg clock, ENMOD, EN
  ctx.advance(50);
  assert.equal(t.read(0x24, 4, 0), 50);
  ctx.advance(98);
  assert.equal(irq.level, false);
  ctx.advance(99);
  assert.equal(irq.level, true);
  assert.equal(t.read(0x08, 4, 0), 1);
  ctx.advance(100);
  assert.equal(t.read(0x24, 4, 0), 0);
  t.write(0x08, 4, 1, 0);
  assert.equal(irq.level, false);
  ctx.advance(199);
  assert.deepEqual(irq.rises, [99, 199]);
});

test('GPT free-run mode keeps counting past OCR; disabled sources latch nothing', () => {
  const { ctx, t, irq } = gpt();
  t.write(0x14, 4, 10, 0); // OCR2, not enabled in IR
  t.write(0x00, 4, (1 << 9) | (1 << 6) | 3, 0);
  ctx.advance(20);
  assert.equal(t.read(0x24, 4, 0), 20);
  assert.equal(t.read(0x08, 4, 0), 0);
  t.write(0x10, 4, 30, 0);
  t.write(0x0c, 4, 1, 0);
  ctx.advance(30);
  assert.equal(irq.level, true);
  ctx.advance(40);
  assert.equal(t.read(0x24, 4, 0), 40);
});

test('GPT prescaler divides the clock; disabling freezes the count', () => {
  const { ctx, t } = gpt();
  t.write(0x04, 4, 4, 0); // /5
  t.write(0x00, 4, (1 << 6) | 3, 0);
  ctx.advance(100);
  assert.equal(t.read(0x24, 4, 0), 20);
  t.write(0x00, 4, 1 << 6, 0);
  ctx.advance(1000);
  assert.equal(t.read(0x24, 4, 0), 20);
});

function epit() {
  const ctx = testContext(HZ, 'epit@20d0000');
  const t = new ImxEpit(ctx);
  t.reset();
  return { ctx, t, irq: ctx.irqs[0] };
}

test('EPIT reset values match QEMU 7.2', () => {
  const { t } = epit();
  assert.deepEqual([0, 4, 8, 0xc, 0x10].map((o) => t.read(o, 4, 0)), [0, 0, 0xffffffff, 0, 0xffffffff]);
});

test('EPIT set-and-forget: counts down from LR, compare at CMPR each period', () => {
  const { ctx, t, irq } = epit();
  t.write(0x00, 4, (1 << 24) | 8 | 4 | 2, 0); // ipg, RLD, OCIEN, ENMOD (not yet enabled)
  t.write(0x08, 4, 99, 0); // LR (RLD: loads the counter)
  t.write(0x0c, 4, 0, 0);
  t.write(0x00, 4, (1 << 24) | 8 | 4 | 2 | 1, 0);
  ctx.advance(40);
  assert.equal(t.read(0x10, 4, 0), 59);
  ctx.advance(99);
  assert.equal(irq.level, true);
  assert.equal(t.read(0x04, 4, 0), 1);
  t.write(0x04, 4, 1, 0);
  assert.equal(irq.level, false);
  ctx.advance(100);
  assert.equal(t.read(0x10, 4, 0), 99);
  ctx.advance(199);
  assert.deepEqual(irq.rises, [99, 199]);
});

test('GPT free-run rollover raises ROV after 2^32 ticks and the count wraps to 0', () => {
  const { ctx, t, irq } = gpt();
  t.write(0x0c, 4, 1 << 5, 0); // ROVIE
  t.write(0x00, 4, (1 << 9) | (1 << 6) | 3, 0);
  ctx.advance(2 ** 32 - 1);
  assert.equal(t.read(0x24, 4, 0), 0xffffffff);
  assert.equal(irq.level, false);
  ctx.advance(2 ** 32);
  assert.equal(irq.level, true);
  assert.equal(t.read(0x08, 4, 0), 1 << 5);
  assert.equal(t.read(0x24, 4, 0), 0);
});

test('EPIT free-running (RLD=0) counts down from 0xffffffff and compares every 2^32 ticks', () => {
  const { ctx, t, irq } = epit();
  t.write(0x0c, 4, 0xffffff00, 0); // CMPR
  t.write(0x00, 4, (1 << 24) | 4 | 2 | 1, 0); // ipg, OCIEN, ENMOD, EN (free-running)
  ctx.advance(0xfe);
  assert.equal(irq.level, false);
  assert.equal(t.read(0x10, 4, 0), 0xffffff01);
  ctx.advance(0xff);
  assert.equal(irq.level, true);
  t.write(0x04, 4, 1, 0);
  ctx.advance(0xff + 2 ** 32);
  assert.deepEqual(irq.rises, [0xff, 0xff + 2 ** 32]);
});
