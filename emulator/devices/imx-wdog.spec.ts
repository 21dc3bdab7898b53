// Specs for the i.MX watchdog as QEMU 7.2 models it: reset values (16-bit registers read
// as words too), the service sequence, the WT/2 s time-out and the pre-timeout interrupt,
// and the immediate system resets (SRS and WDA cleared, or WDE with WT = 0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImxWdog } from './imx-wdog';
import { testContext } from './test-context';

function make() {
  const ctx = testContext({}, 'watchdog@20bc000');
  const w = new ImxWdog(ctx);
  w.reset();
  return { ctx, w, irq: ctx.irqs[0], half: ctx.clock.hz / 2 };
}

test('reset values and word reads match QEMU 7.2', () => {
  const { w } = make();
  assert.deepEqual([0, 2, 4, 6, 8].map((o) => w.read(o, 4, 0)), [0x30, 0, 0x00040000, 0x00010004, 1]);
  assert.equal(w.read(6, 2, 0), 4);
});

test('enabled with WT=2, the watchdog resets the system after 1 s unless serviced with 0x5555, 0xAAAA', () => {
  const { ctx, w, half } = make();
  w.write(0, 2, (2 << 8) | 0x30 | 4, 0);
  ctx.advance(half * 2 - 1);
  assert.equal(ctx.resets, 0);
  w.write(2, 2, 0x5555, 0);
  w.write(2, 2, 0xaaaa, 0); // reload: 1 s from now
  assert.equal(w.read(2, 2, 0), 0xaaaa); // WSR reads back the last write, as on QEMU
  ctx.advance(half * 3);
  assert.equal(ctx.resets, 0);
  w.write(2, 2, 0xaaaa, 0); // not preceded by 0x5555: no reload
  ctx.advance(half * 4);
  assert.equal(ctx.resets, 1);
  assert.equal(w.read(4, 2, 0), 2); // WRSR.TOUT (until the board reset clears it)
  w.reset();
  assert.equal(w.read(4, 2, 0), 0);
});

test('the pre-timeout interrupt fires WICT half-seconds early and is cleared by writing WTIS', () => {
  const { ctx, w, irq, half } = make();
  w.write(6, 2, (1 << 15) | 2, 0); // WIE, 1 s before
  w.write(0, 2, (4 << 8) | 0x30 | 4, 0); // 2 s
  ctx.advance(half * 2 - 1);
  assert.equal(irq.level, false);
  ctx.advance(half * 2);
  assert.equal(irq.level, true);
  w.write(6, 2, (1 << 15) | (1 << 14) | 2, 0);
  assert.equal(irq.level, false);
});

test('clearing SRS and WDA together, or enabling with WT = 0, resets at once; SRS alone only marks SFTW', () => {
  const { ctx, w } = make();
  w.write(0, 2, 0x20, 0); // SRS = 0, WDA = 1
  assert.equal(ctx.resets, 0);
  assert.equal(w.read(4, 2, 0), 1);
  assert.equal(w.read(0, 2, 0), 0x30); // SRS reads back 1
  w.write(0, 2, 0x00, 0);
  assert.equal(ctx.resets, 1);
  w.write(0, 2, 0x34, 0); // WDE with WT = 0
  assert.equal(ctx.resets, 2);
});

test('WICR is write-once except for the WTIS flag', () => {
  const { w } = make();
  w.write(6, 2, 0x8010, 0);
  w.write(6, 2, 0x0000, 0);
  assert.equal(w.read(6, 2, 0), 0x8010);
});
