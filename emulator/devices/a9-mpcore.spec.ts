// Specs for the Cortex-A9 MPCore private peripherals: SCU registers as QEMU 7.2 reads them,
// the banked private timer and watchdog, the global timer's shared counter with banked
// comparators, and the PL310 register model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { A9Scu } from './a9-scu';
import { A9PrivateTimer } from './a9-private-timer';
import { A9GlobalTimer } from './a9-global-timer';
import { Pl310 } from './pl310';
import { testContext, RecordingIrq } from './test-context';
import type { CpuControl, DeviceContext, IrqLine } from './device';

function ctxWithCpus(n: number, props: Record<string, number> = {}) {
  const base = testContext(props, 'mpcore@a00000');
  const lines: RecordingIrq[][] = [];
  const cpus: CpuControl = { count: n, setHeld() {}, setInitialVtor() {}, resetCore() {} };
  const ctx: DeviceContext = {
    ...base, cpus,
    cpuIrq(index: number, core: number): IrqLine { while (lines.length <= core) lines.push([]); return (lines[core][index] ??= new RecordingIrq(base.clock)); },
  };
  return { ctx, lines, advance: base.advance };
}

test('SCU: configuration 0xF3 with 4 CPUs, control keeps bit 0, power status per byte', () => {
  const { ctx } = ctxWithCpus(4);
  const s = new A9Scu(ctx);
  s.reset();
  assert.equal(s.read(0x04, 4, 0), 0xf3);
  s.write(0x00, 4, 0xff, 0);
  assert.equal(s.read(0x00, 4, 0), 1);
  s.write(0x09, 1, 3, 0);
  assert.equal(s.read(0x08, 4, 0), 0x300);
  const s2 = new A9Scu(ctxWithCpus(2).ctx);
  assert.equal(s2.read(0x04, 4, 0), 0x31);
});

test('private timer: banked per CPU, auto-reload period Load+1, PPI on its own CPU', () => {
  const { ctx, lines, advance } = ctxWithCpus(2, { 'clock-frequency': 25_000_000 });
  const t = new A9PrivateTimer(ctx);
  t.reset();
  const cpu1 = t.mmioFor(1, 0)!;
  const cpu0 = t.mmioFor(0, 0)!;
  cpu1.write(0x00, 4, 49, 0);
  cpu1.write(0x08, 4, 0b111, 0); // enable, auto-reload, IRQ
  assert.equal(cpu0.read(0x00, 4, 0), 0);
  advance(10);
  assert.equal(cpu1.read(0x04, 4, 0), 39);
  advance(49);
  assert.equal(lines[1][0].level, true);
  assert.equal(lines[0][0].level, false);
  assert.equal(cpu1.read(0x0c, 4, 0), 1);
  cpu1.write(0x0c, 4, 1, 0);
  assert.equal(lines[1][0].level, false);
  advance(99);
  assert.deepEqual(lines[1][0].rises, [49, 99]);
});

test('private timer: one-shot stops at 0; prescaler divides; watchdog counts on its own PPI', () => {
  const { ctx, lines, advance } = ctxWithCpus(1, { 'clock-frequency': 25_000_000 });
  const t = new A9PrivateTimer(ctx);
  t.reset();
  const v = t.mmioFor(0, 0)!;
  v.write(0x00, 4, 10, 0);
  v.write(0x08, 4, (1 << 8) | 0b101, 0); // prescaler 1 (/2), IRQ, enable, no reload
  advance(10);
  assert.equal(v.read(0x04, 4, 0), 5);
  advance(40);
  assert.equal(v.read(0x04, 4, 0), 0);
  assert.equal(lines[0][0].rises.length, 1);
  v.write(0x20, 4, 5, 0);
  v.write(0x28, 4, 0b101, 0);
  advance(55);
  assert.equal(lines[0][1].level, true);
});

test('global timer: shared counter counts only when enabled; banked comparators fire per CPU', () => {
  const { ctx, lines, advance } = ctxWithCpus(2, { 'clock-frequency': 25_000_000 });
  const g = new A9GlobalTimer(ctx);
  g.reset();
  const c0 = g.mmioFor(0, 0)!, c1 = g.mmioFor(1, 0)!;
  advance(100);
  assert.equal(c0.read(0x00, 4, 0), 0);
  c1.write(0x10, 4, 300, 0);
  c1.write(0x08, 4, 0b111, 0); // enable, comp, irq (CPU1's bank)
  assert.equal(c0.read(0x08, 4, 0), 1); // CPU0 sees the shared enable only
  advance(250);
  assert.equal(c0.read(0x00, 4, 0), 150);
  advance(400);
  assert.equal(lines[1][0].level, true);
  assert.equal(lines[0][0].level, false);
  assert.equal(c1.read(0x0c, 4, 0), 1);
  c1.write(0x00, 4, 5, 0); // ignored while enabled
  assert.equal(c1.read(0x00, 4, 0), 300);
});

test('global timer auto-increment re-arms the comparator', () => {
  const { ctx, lines, advance } = ctxWithCpus(1, { 'clock-frequency': 25_000_000 });
  const g = new A9GlobalTimer(ctx);
  g.reset();
  const c = g.mmioFor(0, 0)!;
  c.write(0x10, 4, 100, 0);
  c.write(0x18, 4, 100, 0);
  c.write(0x08, 4, 0b1111, 0);
  advance(100);
  c.write(0x0c, 4, 1, 0);
  advance(200);
  assert.deepEqual(lines[0][0].rises, [100, 200]);
  assert.equal(c.read(0x10, 4, 0), 300);
});

test('PL310: r3p2 cache ID, stored control, maintenance completes at once', () => {
  const p = new Pl310(testContext({}, 'l2-cache@a02000'));
  p.reset();
  assert.equal(p.read(0x000, 4, 0), 0x410000c8);
  assert.equal(p.read(0x104, 4, 0), 0x02050000);
  p.write(0x104, 4, 0x02070000, 0);
  p.write(0x100, 4, 1, 0);
  assert.equal(p.read(0x100, 4, 0), 1);
  p.write(0x104, 4, 0, 0); // ignored while enabled
  assert.equal(p.read(0x104, 4, 0), 0x02070000);
  p.write(0x77c, 4, 0xffff, 0); // invalidate by way
  assert.equal(p.read(0x77c, 4, 0), 0);
  p.write(0x730, 4, 0, 0);
  assert.equal(p.read(0x730, 4, 0), 0);
});
