// MPU (ARM ARM B3.5): region matching with sub-regions and priority by region number,
// AP and XN decisions, PRIVDEFENA, HFNMIENA, the PPB, and the MemManage faults the
// system raises for data accesses, fetches and exception stacking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACC_FETCH, ACC_READ, ACC_WRITE, CFSR_DACCVIOL, CFSR_IACCVIOL, CFSR_MMARVALID, CFSR_MSTKERR, EXC_HARDFAULT, EXC_MEMMANAGE } from './cpu';
import { Mpu } from './mpu';
import { makeKit, scsRead, scsWrite, STACK_TOP } from './system-test-kit';

const CTRL = 0xd94, RNR = 0xd98, RBAR = 0xd9c, RASR = 0xda0;
/** RASR value: SIZE field is log2(size) - 1. */
function rasr(log2size: number, ap: number, opts: { xn?: boolean; srd?: number } = {}): number {
  return ((opts.xn ? 1 << 28 : 0) | (ap << 24) | ((opts.srd ?? 0) << 8) | ((log2size - 1) << 1) | 1) >>> 0;
}
function region(m: Mpu, n: number, base: number, value: number): void {
  m.write(RBAR, base | 0x10 | n);
  m.write(RASR, value);
}

test('register interface: TYPE, RBAR VALID/REGION updates RNR, aliases, reserved bits', () => {
  let enabled = false;
  const m = new Mpu((on) => { enabled = on; });
  assert.equal(m.read(0xd90), 0x800);
  m.write(RBAR, 0x20000000 | 0x10 | 5);
  assert.equal(m.read(RNR), 5);
  assert.equal(m.read(RBAR) >>> 0, 0x20000005);
  m.write(0xdac, 0x30000000 | 0x10 | 2); // RBAR_A2
  assert.equal(m.read(RNR), 2);
  m.write(0xdb0, 0xffffffff); // RASR_A2
  assert.equal(m.read(RASR) >>> 0, 0x173fff3f);
  m.write(RNR, 5);
  assert.equal(m.read(0xda8) >>> 0, 0, 'RASR_A1 reads region 5');
  m.write(CTRL, 7);
  assert.equal(enabled, true);
  assert.equal(m.read(CTRL), 7);
});

test('matching: highest region wins, sub-regions disable parts, background only for privileged with PRIVDEFENA', () => {
  const m = new Mpu(() => {});
  region(m, 0, 0x20000000, rasr(16, 0b011)); // 64 KiB full access
  region(m, 1, 0x20004000, rasr(12, 0b110)); // 4 KiB read-only
  region(m, 2, 0x20008000, rasr(12, 0b001, { srd: 0b00000010 })); // priv RW, sub-region 1 disabled
  m.write(CTRL, 1);
  assert.equal(m.allows(0x20000010, 4, ACC_WRITE, false, false), true);
  assert.equal(m.allows(0x20004010, 4, ACC_WRITE, false, false), false, 'region 1 overrides region 0');
  assert.equal(m.allows(0x20004010, 4, ACC_READ, false, false), true);
  assert.equal(m.allows(0x20008000, 4, ACC_WRITE, true, false), true);
  assert.equal(m.allows(0x20008000, 4, ACC_READ, false, false), false, 'AP 001: no unprivileged access');
  assert.equal(m.allows(0x20008200, 4, ACC_READ, false, false), true, 'sub-region 1 disabled: falls to region 0');
  assert.equal(m.allows(0x20003ffe, 4, ACC_WRITE, false, false), false, 'access straddling into a read-only region');
  assert.equal(m.allows(0x60000000, 4, ACC_READ, true, false), false, 'no region, no PRIVDEFENA');
  m.write(CTRL, 5);
  assert.equal(m.allows(0x60000000, 4, ACC_READ, true, false), true, 'PRIVDEFENA: privileged background');
  assert.equal(m.allows(0x60000000, 4, ACC_READ, false, false), false);
  assert.equal(m.allows(0x40000000, 2, ACC_FETCH, true, false), false, 'default map: peripherals are XN');
});

test('XN, the PPB, and HFNMIENA', () => {
  const m = new Mpu(() => {});
  region(m, 3, 0x00000000, rasr(32, 0b011, { xn: true })); // whole map, execute-never
  m.write(CTRL, 1);
  assert.equal(m.allows(0x1000, 2, ACC_FETCH, true, false), false);
  assert.equal(m.allows(0x1000, 4, ACC_READ, true, false), true);
  region(m, 3, 0x00000000, rasr(32, 0b000));
  assert.equal(m.allows(0xe000ed00, 4, ACC_READ, true, false), true, 'the PPB always uses the default map');
  assert.equal(m.allows(0x1000, 4, ACC_READ, true, true), true, 'priority < 0 bypasses the MPU without HFNMIENA');
  m.write(CTRL, 3);
  assert.equal(m.allows(0x1000, 4, ACC_READ, true, true), false, 'HFNMIENA keeps it on');
});

test('data access violation records DACCVIOL and MMFAR; fetch violation IACCVIOL without MMFAR', () => {
  const k = makeKit();
  const { cpu, sys } = k;
  scsWrite(k, 0xe000ed24, 1 << 16); // MEMFAULTENA
  scsWrite(k, 0xe000e000 + RBAR, 0x20000000 | 0x10 | 0);
  scsWrite(k, 0xe000e000 + RASR, rasr(16, 0b110)); // SRAM read-only for everyone
  scsWrite(k, 0xe000e000 + CTRL, 5);
  assert.equal(cpu.mpuActive, true);
  cpu.curPc = 0x400;
  assert.equal(sys.mpuCheck(cpu, 0x20000100, 4, ACC_WRITE, true), false);
  assert.equal(scsRead(k, 0xe000ed28), CFSR_DACCVIOL | CFSR_MMARVALID);
  assert.equal(scsRead(k, 0xe000ed34) >>> 0, 0x20000100);
  assert.equal(sys.nvic.pending[EXC_MEMMANAGE], 1);
  scsWrite(k, 0xe000ed28, 0xff);
  cpu.pc = 0x20000000;
  assert.equal(sys.mpuCheck(cpu, 0x20000000, 2, ACC_FETCH, true), true, 'AP 110 allows instruction reads');
  scsWrite(k, 0xe000e000 + RASR, rasr(16, 0b110, { xn: true }));
  assert.equal(sys.mpuCheck(cpu, 0x20000000, 2, ACC_FETCH, true), false);
  assert.equal(scsRead(k, 0xe000ed28), CFSR_IACCVIOL);
  assert.equal(cpu.pc, 0x20000000, 'the faulting fetch address is the return address');
  scsWrite(k, 0xe000e000 + CTRL, 0);
  assert.equal(cpu.mpuActive, false);
});

test('stacking through the MPU: a read-only stack gives MSTKERR and MemManage by late arrival', () => {
  const k = makeKit();
  const { cpu } = k;
  scsWrite(k, 0xe000ed24, 1 << 16);
  scsWrite(k, 0xe000e000 + RBAR, (STACK_TOP - 0x1000) | 0x10 | 1);
  scsWrite(k, 0xe000e000 + RASR, rasr(12, 0b110)); // the top 4 KiB of the stack: read-only
  scsWrite(k, 0xe000e000 + CTRL, 5); // PRIVDEFENA for everything else
  scsWrite(k, 0xe000e100, 1);
  k.bus.write8(0xe000e400, 0x80, 1);
  k.sys.irqLine(0).pulse();
  cpu.run(0);
  assert.equal(cpu.ipsr, EXC_MEMMANAGE);
  assert.equal(scsRead(k, 0xe000ed28), CFSR_MSTKERR, 'no MMARVALID for stacking errors');
  assert.equal(k.sys.nvic.pending[16], 1, 'the IRQ stays pending');
  // With MemManage disabled the same error escalates to HardFault.
  const k2 = makeKit();
  scsWrite(k2, 0xe000e000 + RBAR, (STACK_TOP - 0x1000) | 0x10 | 1);
  scsWrite(k2, 0xe000e000 + RASR, rasr(12, 0b110));
  scsWrite(k2, 0xe000e000 + CTRL, 5);
  scsWrite(k2, 0xe000e100, 1);
  k2.sys.irqLine(0).pulse();
  k2.cpu.run(0);
  assert.equal(k2.cpu.ipsr, EXC_HARDFAULT);
});
