// Specs for the i.MX6 CCM and analog register files: reset values read back from QEMU 7.2
// sabrelite, read-only registers, and the analog block's SET/CLR/TOG aliases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImxCcm } from './imx-ccm';
import { ImxAnalog } from './imx-analog';
import { testContext } from './test-context';

test('CCM reset values match QEMU 7.2 (CCR, CBCDR, CSCMR1, CCGR0)', () => {
  const c = new ImxCcm(testContext({}, 'ccm@20c4000'));
  assert.equal(c.read(0x00, 4, 0), 0x040116ff);
  assert.equal(c.read(0x14, 4, 0), 0x00018d40);
  assert.equal(c.read(0x1c, 4, 0), 0x00f00000);
  assert.equal(c.read(0x68, 4, 0), 0xffffffff);
  assert.equal(c.read(0x70, 4, 0), 0xfc3fffff);
});

test('CCM stores every write, as QEMU 7.2 does (CSR and CDHIPR too); byte writes merge', () => {
  const c = new ImxCcm(testContext({}, 'ccm@20c4000'));
  c.write(0x68, 4, 0x0000c003, 0);
  assert.equal(c.read(0x68, 4, 0), 0xc003);
  c.write(0x69, 1, 0x12, 0);
  assert.equal(c.read(0x68, 4, 0), 0x1203);
  c.write(0x08, 4, 0xffffffff, 0);
  assert.equal(c.read(0x08, 4, 0), 0xffffffff);
});

test('analog reset values match QEMU 7.2, aliases read the base register', () => {
  const a = new ImxAnalog(testContext({}, 'anatop@20c8000'));
  assert.equal(a.read(0x000, 4, 0), 0x80013042); // PLL_ARM, locked
  assert.equal(a.read(0x008, 4, 0), 0x80013042);
  assert.equal(a.read(0x0f0, 4, 0), 0x1311100c); // PFD_480
  assert.equal(a.read(0x260, 4, 0), 0x00630000); // DIGPROG: i.MX6Q TO1.0
  assert.equal(a.read(0x114, 4, 0), 0); // REG_1P1 has no aliases
});

test('analog SET/CLR/TOG act on the base register; plain registers store writes', () => {
  const a = new ImxAnalog(testContext({}, 'anatop@20c8000'));
  a.write(0x154, 4, 0x1, 0); // MISC0_SET
  assert.equal(a.read(0x150, 4, 0), 0x04000081);
  a.write(0x158, 4, 0x04000000, 0); // MISC0_CLR
  assert.equal(a.read(0x150, 4, 0), 0x81);
  a.write(0x15c, 4, 0x3, 0); // MISC0_TOG
  assert.equal(a.read(0x150, 4, 0), 0x82);
  a.write(0x110, 4, 0x1234, 0); // REG_1P1: no aliases
  assert.equal(a.read(0x110, 4, 0), 0x1234);
  a.write(0x048, 4, 0x55, 0); // PLL_SYS_SS+8: a plain word in QEMU, not a CLR alias
  assert.equal(a.read(0x048, 4, 0), 0x55);
});

test('PLL_VIDEO aliases as QEMU 7.2 lays them out: SET +4, CLR +8, TOG at +0x10', () => {
  const a = new ImxAnalog(testContext({}, 'anatop@20c8000'));
  a.write(0x0a8, 4, 0x0000000c, 0);
  assert.equal(a.read(0x0a0, 4, 0), 0x80011000);
  assert.equal(a.read(0x0ac, 4, 0), 0); // a plain word
  a.write(0x0b0, 4, 0xff, 0); // toggles the word behind +4, which only +0x10 reaches
  assert.equal(a.read(0x0b0, 4, 0), 0xff);
  assert.equal(a.read(0x0a0, 4, 0), 0x80011000);
});
