// Specs for the GIC v1 model: reset values read back from QEMU 7.2 sabrelite (-smp 4),
// SPI/PPI/SGI delivery, priority masking and preemption, Group 0 FIQ and the
// restricted non-secure view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArmGic } from './arm-gic';
import { testContext, RecordingIrq } from './test-context';
import { ATTR_SECURE, type MmioDevice } from '../bus';

const S = ATTR_SECURE;
const NS = 0;

function make(cpus = 4) {
  const ctx = testContext({ 'arm,num-irqs': 160, 'arm,num-cpus': cpus }, 'gic@a01000');
  const gic = new ArmGic(ctx);
  const irq: RecordingIrq[] = [];
  const fiq: RecordingIrq[] = [];
  for (let c = 0; c < cpus; c++) {
    irq.push(new RecordingIrq(ctx.clock));
    fiq.push(new RecordingIrq(ctx.clock));
    gic.connectCpu(c, irq[c], fiq[c]);
  }
  const dist = (c: number): MmioDevice => gic.mmioFor(c, 0)!;
  const cpu = (c: number): MmioDevice => gic.mmioFor(c, 1)!;
  return { ctx, gic, irq, fiq, dist, cpu };
}

test('reset values match QEMU 7.2 sabrelite with 4 CPUs', () => {
  const { dist, cpu } = make();
  assert.equal(dist(0).read(0x004, 4, S), 0x464); // ITLines 4, CPUNumber 3, SecurityExtn
  assert.equal(dist(0).read(0x008, 4, S), 0x43b);
  assert.equal(dist(0).read(0x100, 4, S), 0xffff); // SGIs always enabled
  assert.equal(dist(0).read(0x800, 4, S), 0x01010101);
  assert.equal(dist(2).read(0x800, 4, S), 0x04040404);
  assert.equal(dist(0).read(0xc00, 4, S), 0xaaaaaaaa);
  assert.equal(dist(0).read(0xc04, 4, S), 0);
  assert.deepEqual([0xfd0, 0xfe0, 0xfe4, 0xfe8, 0xff0, 0xff4, 0xff8, 0xffc].map((o) => dist(0).read(o, 4, S)), [4, 0x90, 0xb3, 0x1b, 0x0d, 0xf0, 0x05, 0xb1]);
  assert.equal(cpu(0).read(0x0c, 4, S), 1023);
  assert.equal(cpu(0).read(0x18, 4, S), 1023);
  assert.equal(cpu(0).read(0xfc, 4, S), 0x1043b);
});

/** Enable distributor and CPU interface for both groups, open the priority mask. */
function open(g: ReturnType<typeof make>, c = 0) {
  g.dist(c).write(0x000, 4, 3, S);
  g.cpu(c).write(0x00, 4, 3, S);
  g.cpu(c).write(0x04, 4, 0xff, S);
}

test('an SPI reaches the CPU its ITARGETSR names; IAR activates, EOIR ends', () => {
  const g = make();
  open(g, 0); open(g, 1);
  const spi = 32 + 55; // GPT on i.MX6
  const line = g.gic.interruptInput([0, 55, 4], 0)!;
  g.dist(0).write(0x400 + spi, 1, 0xa0, S);
  g.dist(0).write(0x800 + spi, 1, 0x02, S); // CPU1
  g.dist(0).write(0x100 + (spi >> 5) * 4, 4, 1 << (spi & 31), S);
  line.set(true);
  assert.equal(g.irq[0].level, false);
  assert.equal(g.irq[1].level, true);
  assert.equal(g.cpu(1).read(0x18, 4, S), spi);
  assert.equal(g.cpu(1).read(0x0c, 4, S), spi);
  assert.equal(g.irq[1].level, false); // active: not signalled again
  assert.equal(g.cpu(1).read(0x14, 4, S), 0xa0); // running priority
  assert.equal(g.cpu(1).read(0x0c, 4, S), 1023);
  g.cpu(1).write(0x10, 4, spi, S);
  // Level still high after EOI: pending again.
  assert.equal(g.irq[1].level, true);
  line.set(false);
  assert.equal(g.irq[1].level, false);
  assert.equal(g.cpu(1).read(0x14, 4, S), 0xff);
});

test('the priority mask and running priority gate delivery; a higher priority preempts', () => {
  const g = make(1);
  open(g);
  const a = g.gic.line(40, 0), b = g.gic.line(41, 0);
  g.dist(0).write(0x100 + 4, 4, (1 << 8) | (1 << 9), S);
  g.dist(0).write(0x828, 2, 0x0101, S);
  g.dist(0).write(0x428, 2, 0x40 | (0x20 << 8), S); // 40: 0x40, 41: 0x20
  g.cpu(0).write(0x04, 4, 0x40, S); // mask 0x40: priority 0x40 is not below it
  a.set(true);
  assert.equal(g.irq[0].level, false);
  g.cpu(0).write(0x04, 4, 0xf0, S);
  assert.equal(g.irq[0].level, true);
  assert.equal(g.cpu(0).read(0x0c, 4, S), 40);
  b.set(true); // 0x20 < running 0x40: preempts
  assert.equal(g.irq[0].level, true);
  assert.equal(g.cpu(0).read(0x0c, 4, S), 41);
  assert.equal(g.cpu(0).read(0x14, 4, S), 0x20);
  b.set(false);
  g.cpu(0).write(0x10, 4, 41, S);
  assert.equal(g.cpu(0).read(0x14, 4, S), 0x40); // back to the preempted one
  a.set(false);
  g.cpu(0).write(0x10, 4, 40, S);
  assert.equal(g.cpu(0).read(0x14, 4, S), 0xff);
});

test('SGIs: target list, all-but-self and self filters; IAR reports the source CPU', () => {
  const g = make();
  for (let c = 0; c < 4; c++) open(g, c);
  g.dist(2).write(0xf00, 4, (0 << 24) | (0b1010 << 16) | 5, S); // from CPU2 to CPU1 and CPU3
  assert.deepEqual(g.irq.map((l) => l.level), [false, true, false, true]);
  assert.equal(g.cpu(1).read(0x0c, 4, S), 5 | (2 << 10));
  g.cpu(1).write(0x10, 4, 5, S);
  g.dist(0).write(0xf00, 4, (1 << 24) | 3, S); // all but self
  assert.deepEqual(g.irq.map((l) => l.level), [false, true, true, true]);
  g.dist(0).write(0xf00, 4, (2 << 24) | 3, S); // self
  assert.equal(g.irq[0].level, true);
  assert.equal(g.cpu(0).read(0x0c, 4, S), 3);
  // Two sources of one SGI are acknowledged one at a time.
  g.dist(1).write(0xf00, 4, (0b1000 << 16) | 3, S);
  assert.equal(g.cpu(3).read(0x0c, 4, S), 3 | (0 << 10));
  g.cpu(3).write(0x10, 4, 3, S);
  assert.equal(g.cpu(3).read(0x0c, 4, S), 3 | (1 << 10));
});

test('PPIs are per CPU', () => {
  const g = make(2);
  open(g, 0); open(g, 1);
  const ppi1 = g.gic.interruptInput([1, 13, 0x304], 1)!; // ID 29 on CPU1 (private timer)
  g.dist(1).write(0x100, 4, 1 << 29, S);
  g.dist(0).write(0x100, 4, 1 << 29, S);
  ppi1.set(true);
  assert.equal(g.irq[0].level, false);
  assert.equal(g.irq[1].level, true);
  assert.equal(g.dist(1).read(0x200, 4, S) >>> 29 & 1, 1);
  assert.equal(g.dist(0).read(0x200, 4, S) >>> 29 & 1, 0);
});

test('Group 0 goes to FIQ when FIQEn; the non-secure view hides it and shifts priorities', () => {
  const g = make(1);
  g.dist(0).write(0x000, 4, 3, S);
  g.cpu(0).write(0x00, 4, 3 | (1 << 3), S); // both groups, FIQEn
  g.cpu(0).write(0x04, 4, 0xff, S);
  g.dist(0).write(0x084, 4, 1 << 1, S); // ID 33 group 1, ID 32 group 0
  assert.equal(g.dist(0).read(0x084, 4, NS), 0); // IGROUPR is RAZ to NS
  g.dist(0).write(0x104, 4, 3, S);
  g.dist(0).write(0x820, 2, 0x0101, S);
  g.dist(0).write(0x420, 1, 0x10, S);
  g.dist(0).write(0x421, 1, 0x90, NS); // NS write of 0x90 stores 0x80 | 0x48
  assert.equal(g.dist(0).read(0x421, 1, S), 0xc8);
  assert.equal(g.dist(0).read(0x421, 1, NS), 0x90);
  g.dist(0).write(0x420, 1, 0x00, NS); // Group 0: ignored
  assert.equal(g.dist(0).read(0x420, 1, S), 0x10);
  assert.equal(g.dist(0).read(0x420, 1, NS), 0);
  g.gic.line(32, 0).set(true);
  assert.equal(g.fiq[0].level, true);
  assert.equal(g.irq[0].level, false);
  assert.equal(g.cpu(0).read(0x0c, 4, NS), 1023); // NS cannot acknowledge Group 0
  assert.equal(g.cpu(0).read(0x0c, 4, S), 32);
  g.gic.line(33, 0).set(true);
  assert.equal(g.irq[0].level, false); // 0xc8 does not preempt running 0x10
  g.cpu(0).write(0x10, 4, 32, NS); // NS EOI of Group 0: ignored
  assert.equal(g.cpu(0).read(0x14, 4, S), 0x10);
  g.gic.line(32, 0).set(false);
  g.cpu(0).write(0x10, 4, 32, S);
  assert.equal(g.irq[0].level, true);
  assert.equal(g.cpu(0).read(0x0c, 4, S), 1022); // secure read of a Group 1 interrupt without AckCtl
  assert.equal(g.cpu(0).read(0x0c, 4, NS), 33);
});

test('a non-secure distributor CTLR write only touches EnableGrp1', () => {
  const g = make(1);
  g.dist(0).write(0, 4, 1, S);
  g.dist(0).write(0, 4, 1, NS);
  assert.equal(g.dist(0).read(0, 4, S), 3);
  assert.equal(g.dist(0).read(0, 4, NS), 1);
  g.dist(0).write(0, 4, 0, NS);
  assert.equal(g.dist(0).read(0, 4, S), 1);
});

test('edge-configured SPI latches a pulse; ICPENDR clears it', () => {
  const g = make(1);
  open(g);
  g.dist(0).write(0xc08, 4, 2, S); // ID 32 edge
  g.dist(0).write(0x104, 4, 1, S);
  g.dist(0).write(0x820, 1, 1, S);
  g.gic.line(32, 0).pulse();
  assert.equal(g.irq[0].level, true);
  g.dist(0).write(0x284, 4, 1, S);
  assert.equal(g.irq[0].level, false);
  assert.equal(g.dist(0).read(0xc08, 4, S), 2);
});

test('register details as QEMU 7.2 reads them back: 5 priority bits, 8-bit targets, read-only active bits, PPI config', () => {
  const g = make();
  g.dist(0).write(0x400, 4, 0xffffffff, S);
  assert.equal(g.dist(0).read(0x400, 4, S), 0xf8f8f8f8);
  g.cpu(0).write(0x04, 4, 0xff, S);
  assert.equal(g.cpu(0).read(0x04, 4, S), 0xf8);
  g.dist(0).write(0x820, 4, 0xffffffff, S);
  assert.equal(g.dist(0).read(0x820, 4, S), 0xffffffff);
  g.dist(0).write(0x304, 4, 0xffffffff, S);
  assert.equal(g.dist(0).read(0x304, 4, S), 0);
  g.dist(0).write(0xc04, 4, 0xffffffff, S);
  assert.equal(g.dist(0).read(0xc04, 4, S), 0xaaaaaaaa);
  g.dist(0).write(0xc00, 4, 0, S);
  assert.equal(g.dist(0).read(0xc00, 4, S), 0xaaaaaaaa); // SGIs stay edge-triggered
  g.dist(0).write(0x208, 4, 1, S); // ID 64 has no target: not made pending (QEMU)
  assert.equal(g.dist(0).read(0x208, 4, S), 0);
});
