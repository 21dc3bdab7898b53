// Specs for the CMSDK APB UART: TX gating on TXEN, interrupt lines, overrun, RX pacing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTR_DEBUG } from '../bus';
import { CmsdkApbUart } from './cmsdk-apb-uart';
import { testContext } from './test-context';

const DATA = 0, STATE = 4, CTRL = 8, INT = 0xc, BAUD = 0x10;

function make() {
  const ctx = testContext({ 'clock-frequency': 25_000_000 }, 'serial@40004000');
  const u = new CmsdkApbUart(ctx);
  u.reset();
  return { ctx, u, rx: ctx.irqs[0], tx: ctx.irqs[1], ovr: ctx.irqs[2], all: ctx.irqs[3] };
}

test('IDs as QEMU reads them, including the byte-offset quirk', () => {
  const { u } = make();
  assert.equal(u.read(0xfe0, 4, 0), 0x21);
  assert.equal(u.read(0xfe1, 1, 0), 0x21);
  assert.equal(u.read(0xffc, 4, 0), 0xb1);
});

test('TX with TXEN sends at once, raises TX interrupt when enabled', () => {
  const { ctx, u, tx, all } = make();
  u.write(BAUD, 4, 16, 0);
  u.write(CTRL, 4, 0b101, 0); // TXEN | TXIE
  u.write(DATA, 4, 0x43, 0);
  assert.deepEqual(ctx.out, [0x43]);
  assert.equal(u.read(STATE, 4, 0), 0);
  assert.equal(u.read(INT, 4, 0), 1);
  assert.equal(tx.level, true);
  assert.equal(all.level, true);
  u.write(INT, 4, 1, 0);
  assert.equal(tx.level, false);
  assert.equal(u.read(INT, 4, 0), 0);
});

test('byte written with TXEN=0 stays pending forever, second write overruns (as QEMU 7.2)', () => {
  const { ctx, u, ovr } = make();
  u.write(DATA, 4, 0x41, 0);
  assert.equal(u.read(STATE, 4, 0), 1);
  u.write(BAUD, 4, 16, 0);
  u.write(CTRL, 4, 1, 0);
  assert.equal(u.read(STATE, 4, 0), 1);
  u.write(DATA, 4, 0x42, 0);
  assert.equal(u.read(STATE, 4, 0), 5);
  assert.deepEqual(ctx.out, []);
  assert.equal(ovr.level, false); // TXOIE off
  u.write(CTRL, 4, 0x11, 0); // TXEN | TXOIE: INTSTATUS.TXO mirrors STATE.TXOVR
  assert.equal(u.read(INT, 4, 0), 4);
  assert.equal(ovr.level, true);
  u.write(INT, 4, 4, 0);
  assert.equal(u.read(STATE, 4, 0), 1);
  assert.equal(ovr.level, false);
  assert.ok(ctx.warnings.some((w) => w.includes('TXEN=0')));
});

test('RX: bytes wait for RXEN, one per frame after each DATA read; debug reads have no effect', () => {
  const { ctx, u, rx } = make();
  u.input(Uint8Array.of(1, 2));
  assert.equal(u.read(STATE, 4, 0), 0); // RX disabled: nothing delivered
  u.write(BAUD, 4, 100, 0);
  u.write(CTRL, 4, 0b1010, 0); // RXEN | RXIE
  assert.equal(u.read(STATE, 4, 0), 2);
  assert.equal(rx.level, true);
  assert.equal(u.read(DATA, 4, ATTR_DEBUG), 1);
  assert.equal(u.read(STATE, 4, 0), 2);
  ctx.advance(10);
  assert.equal(u.read(DATA, 4, 0), 1);
  assert.equal(u.read(STATE, 4, 0), 0);
  ctx.advance(10 + 10 * 100 - 1);
  assert.equal(u.read(STATE, 4, 0), 0);
  ctx.advance(10 + 10 * 100);
  assert.equal(u.read(STATE, 4, 0), 2);
  assert.equal(u.read(DATA, 4, 0), 2);
  assert.equal(ctx.clock.nextDeadline(), Infinity);
});

test('STATE overrun bits are W1C, TXFULL/RXFULL read-only; unknown offsets warn once', () => {
  const { ctx, u } = make();
  u.write(DATA, 4, 1, 0);
  u.write(DATA, 4, 2, 0);
  u.write(STATE, 4, 0xf, 0);
  assert.equal(u.read(STATE, 4, 0), 1);
  assert.equal(u.read(0x20, 4, 0), 0);
  assert.equal(u.read(0x20, 4, 0), 0);
  assert.equal(ctx.warnings.filter((w) => w.includes('0x20')).length, 1);
});
