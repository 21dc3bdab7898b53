// Specs for the sabrelite board: the machine QEMU 7.2 builds for `-machine sabrelite -smp 4`
// (four Cortex-A9s with 1-3 held, memory map, banked MPCore registers per core), the SRC
// starting core 1, device interrupts reaching the GIC, and a hand-assembled A32 program.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Machine } from '../machine';
import { ATTR_SECURE, ATTR_PRIV } from '../bus';

const S = ATTR_SECURE | ATTR_PRIV;

function board() {
  const out: string[] = [];
  const warnings: string[] = [];
  const m = Machine.fromBoard('sabrelite', {
    onOutput: (stream, b) => out.push(`${stream}:${Buffer.from(b).toString('latin1')}`),
    onWarning: (w) => warnings.push(w),
  });
  return { m, out, warnings };
}

test('four Cortex-A9 cores; 1-3 held at reset; no warnings building the board', () => {
  const { m, warnings } = board();
  assert.equal(m.a9Cores.length, 4);
  assert.equal(m.cores.length, 0);
  assert.deepEqual(m.a9Cores.map((c) => c.cpu.held), [false, true, true, true]);
  assert.deepEqual(warnings, []);
  assert.equal(m.consoleDevice, 'serial@2020000');
});

test('memory map: 128 MiB DDR at 0x10000000, OCRAM aliased at 0x940000, ROM at 0', () => {
  const { m } = board();
  const bus = m.a9Cores[0].bus;
  assert.ok(bus.isMemory(0x10000000) && bus.isMemory(0x17fff000) && !bus.isMemory(0x18000000));
  bus.write32(0x00900010, 0x12345678, S);
  assert.equal(bus.read32(0x00940010, S), 0x12345678);
  assert.equal(m.a9Cores[2].bus.read32(0x00900010, S), 0x12345678); // one memory, every core
  bus.write32(0x00000000, 0xffffffff, S); // ROM ignores writes
  assert.equal(bus.read32(0x00000000, S), 0);
});

test('MPCore registers are banked: each core reads its own GIC target byte; SCU reports 4 CPUs', () => {
  const { m } = board();
  assert.deepEqual(m.a9Cores.map((c) => c.bus.read32(0x00a01800, S)), [0x01010101, 0x02020202, 0x04040404, 0x08080808]);
  assert.equal(m.a9Cores[0].bus.read32(0x00a00004, S), 0xf3);
  assert.equal(m.a9Cores[0].bus.read32(0x00a01004, S), 0x464);
  assert.equal(m.a9Cores[1].bus.read32(0x00a0010c, S), 1023);
});

test('the SRC starts core 1 at GPR3 with GPR4 in r0', () => {
  const { m } = board();
  const bus = m.a9Cores[0].bus;
  bus.write32(0x020d8028, 0x10001000, S);
  bus.write32(0x020d802c, 0xabcd, S);
  bus.write32(0x020d8000, bus.read32(0x020d8000, S) | (1 << 22), S);
  const c1 = m.a9Cores[1].cpu;
  assert.equal(c1.held, false);
  assert.equal(c1.pc >>> 0, 0x10001000);
  assert.equal(c1.r[0], 0xabcd);
  assert.equal(m.a9Cores[2].cpu.held, true);
});

test('the GPT compare interrupt reaches GIC SPI 55 (ID 87) as pending', () => {
  const { m } = board();
  const bus = m.a9Cores[0].bus;
  bus.write32(0x02098010, 10, S); // OCR1
  bus.write32(0x0209800c, 1, S); // OF1IE
  bus.write32(0x02098000, (1 << 6) | 3, S); // ipg, ENMOD, EN
  m.clock.now += 1_000_000;
  m.clock.fireDue();
  assert.equal(bus.read32(0x00a01200 + 4 * (87 >> 5), S) & (1 << (87 & 31)), 1 << (87 & 31));
});

test('an A32 program prints on UART1 and exits through SVC 0x123456 semihosting', () => {
  const { m, out } = board();
  const prog = [
    0xe59f1010, // ldr r1, [pc, #16]   @ UART1 UTXD
    0xe3a00041, // mov r0, #'A'
    0xe5810000, // str r0, [r1]
    0xe3a00018, // mov r0, #0x18       @ SYS_EXIT
    0xe59f1004, // ldr r1, [pc, #4]
    0xef123456, // svc 0x123456
    0x02020040,
    0x00020026, // ADP_Stopped_ApplicationExit
  ];
  const bus = m.a9Cores[0].bus;
  prog.forEach((w, i) => bus.write32(0x10000000 + 4 * i, w, S));
  m.a9Cores[0].cpu.pc = 0x10000000;
  assert.equal(m.run(1000), 'exit');
  assert.equal(m.exitCode, 0);
  assert.deepEqual(out, ['stdout:A']);
});

test('unmapped addresses read 0 and ignore writes, as QEMU sabrelite does, with one warning per block', () => {
  const { m, warnings } = board();
  const bus = m.a9Cores[0].bus;
  assert.equal(bus.read32(0x020e0000, S), 0); // IOMUXC: not modelled, not mapped in QEMU either
  bus.write32(0x020e0004, 0x1234, S);
  assert.equal(bus.read32(0x30000000, S), 0);
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.match(warnings[0], /read from unmapped address 0x020e0000/);
});

test('a GIC property the model rejects is reported at its node in the board file', async () => {
  const { mkdtempSync, writeFileSync, readFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { resolveBoardFile } = await import('../machine');
  const dir = mkdtempSync(join(tmpdir(), 'tandem-board-'));
  try {
    const text = readFileSync(resolveBoardFile('sabrelite'), 'utf8').replace('arm,num-irqs = <160>;', 'arm,num-irqs = <33>;');
    const file = join(dir, 'bad.dts');
    writeFileSync(file, text);
    assert.throws(() => Machine.fromBoard(file), (e: Error) => /bad\.dts:\d+:\d+: \/interrupt-controller@a01000: .*num-irqs = <33>/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
