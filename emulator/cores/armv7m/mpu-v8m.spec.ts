// ARMv8-M MPU decisions (DDI0553 B3.6): base/limit matching, AP and XN, overlapping regions,
// PRIVDEFENA, Device memory never executable, the RBAR_An aliases, banked S/NS MPUs, TT info.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACC_FETCH, ACC_READ, ACC_WRITE } from './cpu';
import { MpuV8m } from './mpu-v8m';
import { makeKit, makeV8Kit, nsRead, sRead, sWrite } from './system-test-kit';

const CTRL = 0xd94, RNR = 0xd98, RBAR = 0xd9c, RLAR = 0xda0, RBAR_A1 = 0xda4, RLAR_A1 = 0xda8, MAIR0 = 0xdc0;

function region(m: MpuV8m, n: number, base: number, limit: number, ap: number, xn: boolean, attr = 0): void {
  m.write(RNR, n);
  m.write(RBAR, (base & ~0x1f) | (ap << 1) | (xn ? 1 : 0));
  m.write(RLAR, (limit & ~0x1f) | (attr << 1) | 1);
}

test('base/limit regions: inclusive 32-byte granules, AP and XN, background map only with PRIVDEFENA', () => {
  const m = new MpuV8m(8, () => {});
  m.write(MAIR0, 0x00000044); // Attr0 Normal non-cacheable, Attr1 Device-nGnRnE (0x00)
  region(m, 0, 0x20000000, 0x200003e0, 0b01, false); // RW any, executable
  region(m, 1, 0x20001000, 0x20001fe0, 0b11, true); // RO any, XN
  region(m, 2, 0x40000000, 0x400000e0, 0b00, false, 1); // priv RW, Device
  m.write(CTRL, 1);
  assert.equal(m.allows(0x200003ff, 1, ACC_WRITE, false, false), true, 'the limit granule is inside');
  assert.equal(m.allows(0x20000400, 1, ACC_READ, true, false), false, 'just past the limit: no region, no PRIVDEFENA');
  assert.equal(m.allows(0x20000000, 2, ACC_FETCH, false, false), true);
  assert.equal(m.allows(0x20001000, 4, ACC_READ, false, false), true);
  assert.equal(m.allows(0x20001000, 4, ACC_WRITE, true, false), false, 'read-only for everyone');
  assert.equal(m.allows(0x20001000, 2, ACC_FETCH, true, false), false, 'XN');
  assert.equal(m.allows(0x40000010, 4, ACC_WRITE, true, false), true);
  assert.equal(m.allows(0x40000010, 4, ACC_READ, false, false), false, 'privileged only');
  assert.equal(m.allows(0x40000010, 2, ACC_FETCH, true, false), false, 'Device memory is never executable');
  assert.equal(m.allows(0x200003fe, 4, ACC_READ, false, false), false, 'an access straddling the limit checks both ends');
  m.write(CTRL, 1 | 4);
  assert.equal(m.allows(0x20000400, 1, ACC_READ, true, false), true, 'PRIVDEFENA: privileged background');
  assert.equal(m.allows(0x20000400, 1, ACC_READ, false, false), false, 'never for unprivileged');
  assert.equal(m.allows(0x20000400, 1, ACC_READ, false, true), true, 'HFNMIENA=0: negative priority bypasses the MPU');
  m.write(CTRL, 1 | 2);
  assert.equal(m.allows(0x20000400, 1, ACC_READ, false, true), false, 'HFNMIENA=1: the MPU applies to NMI/HardFault too');
  assert.equal(m.allows(0xe000ed00, 4, ACC_READ, false, false), true, 'the PPB always uses the default map');
});

test('overlapping regions fault instead of letting the higher number win', () => {
  const m = new MpuV8m(8, () => {});
  m.write(MAIR0, 0x44);
  region(m, 0, 0x20000000, 0x20000fe0, 0b01, false);
  region(m, 5, 0x20000800, 0x200008e0, 0b01, false);
  m.write(CTRL, 1);
  assert.equal(m.allows(0x20000100, 4, ACC_READ, true, false), true);
  assert.equal(m.allows(0x20000800, 4, ACC_READ, true, false), false);
  assert.deepEqual(m.regionFor(0x20000100, true), { region: 0, valid: true, r: true, rw: true, nr: true, nrw: true });
  assert.equal(m.regionFor(0x20000800, true).valid, false, 'MRVALID is 0 when several regions match');
});

test('RBAR_An/RLAR_An address RNR[7:2]:n; RNR and regions beyond DREGION are ignored', () => {
  const m = new MpuV8m(8, () => {});
  m.write(RNR, 5);
  m.write(RBAR_A1, 0x10000003);
  m.write(RLAR_A1, 0x10000fe1);
  m.write(RNR, 4 + 1);
  m.write(RNR, 5);
  assert.equal(m.read(RBAR_A1), 0x10000003, 'A1 with RNR=5 is region 5');
  m.write(RNR, 4);
  assert.equal(m.read(RBAR), 0, 'region 4 untouched');
  m.write(RNR, 5);
  assert.equal(m.read(RBAR), 0x10000003);
  assert.equal(m.read(RLAR), 0x10000fe1);
  m.write(RNR, 9);
  m.write(RBAR, 0x1234);
  assert.equal(m.read(RBAR), 0);
  assert.throws(() => new MpuV8m(17, () => {}), /0\.\.16/);
});

test('the M33 has a Secure and a Non-secure MPU; the NS one is reached through the alias; TT info per state', () => {
  const k = makeV8Kit({ mpuRegions: 8 });
  const { sys } = k;
  assert.equal(sRead(k, 0xe000ed90), 8 << 8, 'MPU_TYPE.DREGION');
  sWrite(k, 0xe002e000 + RNR, 3);
  sWrite(k, 0xe002e000 + RBAR, 0x00200000 | (0b11 << 1));
  sWrite(k, 0xe002e000 + RLAR, 0x00203fe0 | 1);
  sWrite(k, 0xe002e000 + CTRL, 1);
  assert.equal(nsRead(k, 0xe000e000 + CTRL), 1);
  assert.equal(sRead(k, 0xe000e000 + CTRL), 0, 'the Secure MPU stays off');
  assert.equal(k.cpu.mpuActive, true);
  const ns = sys.mpuRegionFor(0x00200010, false, false);
  assert.deepEqual([ns.region, ns.valid, ns.r, ns.rw], [3, true, true, false]);
  const s = sys.mpuRegionFor(0x00200010, true, false);
  assert.equal(s.valid, false, 'the Secure MPU is disabled');
  // The M4 keeps the ARMv7-M MPU (RASR at 0xDA0).
  const m4 = makeKit();
  m4.bus.write32(0xe000eda0, 0x0300002b, 1);
  assert.equal(m4.bus.read32(0xe000eda0, 1), 0x0300002b);
});
