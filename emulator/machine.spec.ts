// The board builder's multi-core contracts: held cores and their release, per-core
// NVICs and interrupts-extended, device aliases, the shared monotonic clock, SEV
// broadcast, deadlock detection and determinism — on a two-Cortex-M4 test board.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine, parseBoardFile, QUANTUM } from './machine';
import { assemble } from './cores/armv7m/test-asm';

const dir = mkdtempSync(join(tmpdir(), 'tandem-machine-'));

function board(cpu1: string, extra = ''): string {
  const f = join(dir, `b${Math.random().toString(36).slice(2)}.dts`);
  writeFileSync(f, `/dts-v1/;
/ {
  #address-cells = <1>; #size-cells = <1>;
  cpus { #address-cells = <1>; #size-cells = <0>;
    cpu0: cpu@0 { compatible = "arm,cortex-m4f"; reg = <0>; };
    cpu1: cpu@1 { compatible = "arm,cortex-m4f"; reg = <1>; ${cpu1} };
  };
  nvic0: interrupt-controller@0 { compatible = "arm,v7m-nvic"; interrupt-controller; #interrupt-cells = <1>; tandem,cpu = <&cpu0>; };
  nvic1: interrupt-controller@1 { compatible = "arm,v7m-nvic"; interrupt-controller; #interrupt-cells = <1>; tandem,cpu = <&cpu1>; };
  code: memory@0 { compatible = "tandem,ram"; reg = <0x0 0x10000>; };
  sram: memory@20000000 { compatible = "tandem,ram"; reg = <0x20000000 0x10000>; };
  ${extra}
};
`);
  return f;
}

/**
 * Both cores boot from the same vector table; each keeps a counter at 0x20001000 + 4*n
 * where n = 0 for the core whose SP is 0x20008000 (cpu0) ... both get the same SP, so
 * the firmware tells them apart by a per-core word the test writes into r0 instead.
 */
function load(m: Machine, body: string): void {
  const code = assemble(`.word 0x20008000\n.word 0x41\n.rept 14\n.word 0x81\n.endr\n.rept 16\n.word 0x81\n.endr\n.balign 64\n${body}\n.balign 128\nb .\n`);
  m.cores[0].bus.loadBytes(0, code);
}

test('a held core does not run until released; then both share the clock in turns', () => {
  const m = new Machine(parseBoardFile(board('tandem,held-at-reset;')), 'test');
  load(m, 'loop: adds r1, r1, #1\nb loop');
  m.reset();
  assert.equal(m.cores[1].cpu.held, true);
  assert.equal(m.run(10 * QUANTUM), 'limit');
  assert.equal(m.cores[0].cpu.instret, 10 * QUANTUM);
  assert.equal(m.cores[1].cpu.instret, 0);
  const events: string[] = [];
  m.trace.subscribe((e) => events.push(e.kind));
  (m as unknown as { cpuControl(): { setHeld(i: number, h: boolean): void } }).cpuControl().setHeld(1, false);
  assert.deepEqual(events, ['reset-release']);
  assert.equal(m.cores[1].cpu.pc, 0x40, 'released core starts from its reset vector');
  const t0 = m.clock.now;
  assert.equal(m.run(20 * QUANTUM), 'limit');
  assert.equal(m.cores[0].cpu.instret, 20 * QUANTUM);
  assert.equal(m.cores[1].cpu.instret, 10 * QUANTUM, 'the two cores took equal turns');
  assert.equal(m.clock.now - t0, 20 * QUANTUM, 'the clock counts every instruction, monotonically');
});

test('interrupts-extended routes one device to a chosen core; aliases map the same model twice', () => {
  const f = board('', `timer@40000000 { compatible = "arm,cmsdk-apb-timer"; reg = <0x40000000 0x1000>; tandem,aliases = <0x50000000>;
    interrupts-extended = <&nvic1 8>; clock-frequency = <25000000>; };`);
  const m = new Machine(parseBoardFile(f), 'test');
  load(m, 'b .');
  m.reset();
  const bus = m.cores[0].bus;
  bus.write32(0x40000008, 50);            // RELOAD through the first base
  assert.equal(bus.read32(0x50000008), 50, 'the alias reaches the same registers');
  bus.write32(0x40000004, 50);            // VALUE
  bus.write32(0x50000000, 1 | 8);         // CTRL: enable + IRQ enable, through the alias
  m.run(500);
  const nv = (i: number) => (m.cores[i].system as unknown as { nvic: { pending: Uint8Array } }).nvic.pending;
  assert.equal(nv(1)[16 + 8], 1, 'pending on cpu1');
  assert.equal(nv(0)[16 + 8], 0, 'not on cpu0');
});

test('SEV on one core wakes WFE on the other', () => {
  const m = new Machine(parseBoardFile(board('')), 'test');
  // cpu0 (r0 = 0) sleeps in WFE (SEV+WFE first leaves its event register clear);
  // cpu1 (r0 = 1) signals once and parks.
  load(m, 'cbz r0, sleeper\nsev\nb .\nsleeper: sev\nwfe\nwfe\nadds r2, r2, #1\nb .');
  m.reset();
  m.cores[1].cpu.r[0] = 1;
  m.run(QUANTUM / 2);
  assert.equal(m.cores[0].cpu.sleeping, true, 'cpu0 waits in WFE');
  m.run(4 * QUANTUM);
  assert.equal(m.cores[0].cpu.r[2], 1, 'the SEV from cpu1 woke cpu0');
});

test('all cores asleep with nothing to wake them is a deadlock, not a hang', () => {
  const m = new Machine(parseBoardFile(board('')), 'test');
  load(m, 'cpsid i\nwfi\nb .');
  m.reset();
  assert.equal(m.run(1e9), 'deadlock');
});

test('two-core runs are deterministic', () => {
  const run = () => {
    const m = new Machine(parseBoardFile(board('')), 'test');
    load(m, 'ldr r3, =0x20000100\nloop: ldr r1, [r3]\nadds r1, r1, #3\nstr r1, [r3]\nb loop');
    m.reset();
    m.run(12345);
    return [m.cores[0].cpu.r[1], m.cores[1].cpu.r[1], m.cores[0].bus.read32(0x20000100), m.clock.now];
  };
  assert.deepEqual(run(), run());
});
