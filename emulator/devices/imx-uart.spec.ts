// Specs for the i.MX UART: reset values read from QEMU 7.2 sabrelite, transmit gating on
// UCR2.TXEN, receive through URXD with USR1/USR2/UTS flags, and the interrupt enables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImxUart } from './imx-uart';
import { testContext } from './test-context';

function make() {
  const ctx = testContext({}, 'serial@2020000');
  const u = new ImxUart(ctx);
  u.reset();
  return { ctx, u, irq: ctx.irqs[0] };
}

test('reset values match QEMU 7.2 after the boot-time enable', () => {
  const { u } = make();
  assert.deepEqual([0x80, 0x84, 0x88, 0x8c, 0x90, 0x94, 0x98, 0xac, 0xb4, 0x00].map((o) => u.read(o, 4, 0)),
    [0x1, 0x4, 0x700, 0, 0, 0x6040, 0x4028, 4, 0x60, 0x4000]);
});

test('UTXD sends while TXEN is set; TRDY/TXDC stay set so polling drivers proceed', () => {
  const { ctx, u } = make();
  for (const c of 'hi') u.write(0x40, 4, c.charCodeAt(0), 0);
  assert.equal(String.fromCharCode(...ctx.out), 'hi');
  assert.ok(u.read(0x94, 4, 0) & (1 << 13));
  assert.ok(u.read(0x98, 4, 0) & (1 << 3));
  u.write(0x84, 4, 0x1, 0); // SRST kept high, TXEN cleared
  u.write(0x40, 4, 0x41, 0);
  assert.equal(ctx.out.length, 2);
});

test('writing UCR2 with SRST clear resets the UART; SRST reads back set', () => {
  const { u } = make();
  u.write(0x88, 4, 0x1234, 0);
  u.write(0x84, 4, 0x4, 0);
  assert.equal(u.read(0x84, 4, 0), 0x5);
  assert.equal(u.read(0x88, 4, 0), 0x700);
});

test('input waits for RXEN, then URXD returns it with CHARRDY and clears RRDY/RDR', () => {
  const { u, irq } = make();
  u.input(Uint8Array.of(0x61, 0x62));
  assert.equal(u.read(0xb4, 4, 0) & 0x20, 0x20); // still RXEMPTY: RX not enabled
  u.write(0x80, 4, 1 | (1 << 9), 0); // UARTEN | RRDYEN
  u.write(0x84, 4, 0x7, 0); // SRST RXEN TXEN
  assert.equal(u.read(0xb4, 4, 0) & 0x20, 0);
  assert.ok(u.read(0x94, 4, 0) & (1 << 9));
  assert.equal(irq.level, true);
  assert.equal(u.read(0x00, 4, 0), 0x8061);
  assert.equal(u.read(0x00, 4, 0), 0x8062);
  assert.equal(irq.level, false);
  assert.equal(u.read(0x00, 4, 0), 0x62); // buffer keeps the last character, CHARRDY clear
  assert.equal(u.read(0x98, 4, 0) & 1, 0);
});

test('TXMPTYEN raises the interrupt from USR2.TXFE; TRDYEN from USR1.TRDY', () => {
  const { u, irq } = make();
  u.write(0x80, 4, 1 | (1 << 6), 0);
  assert.equal(irq.level, true);
  u.write(0x80, 4, 1, 0);
  assert.equal(irq.level, false);
  u.write(0x80, 4, 1 | (1 << 13), 0);
  assert.equal(irq.level, true);
});
