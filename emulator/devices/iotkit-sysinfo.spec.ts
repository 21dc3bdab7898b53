// Specs for the SSE-200 SYSINFO and CPU_IDENTITY blocks against values read from
// qemu-system-arm 7.2 mps2-an521 (SYS_VERSION 0x22041743, SYS_CONFIG 0x223004f4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { armSseCpuId, iotKitSysInfo } from './iotkit-sysinfo';
import { testContext } from './test-context';

test('SYSINFO reads SYS_VERSION, SYS_CONFIG and the IDs; writes change nothing', () => {
  const ctx = testContext({}, 'sysinfo@40020000');
  const s = iotKitSysInfo(ctx);
  assert.deepEqual([0, 4, 8, 0xfc0].map((o) => s.read(o, 4, 0)), [0x22041743, 0x223004f4, 0, 0]);
  assert.deepEqual([0xfd0, 0xfe0, 0xfe4, 0xfe8, 0xff0, 0xffc].map((o) => s.read(o, 4, 0)), [0x04, 0x58, 0xb8, 0x0b, 0x0d, 0xb1]);
  s.write(0, 4, 0, 0);
  assert.equal(s.read(0, 4, 0), 0x22041743);
  assert.equal(s.read(2, 2, 0), 0x2204);
  assert.equal(ctx.warnings.length, 1);
});

test('CPU_IDENTITY reports the arm,cpuid of its node', () => {
  assert.equal(armSseCpuId(testContext({ 'arm,cpuid': 1 }, 'cpuid@4001f000')).read(0, 4, 0), 1);
  assert.equal(armSseCpuId(testContext({}, 'cpuid@4001f000')).read(0xfe0, 4, 0), 0x58);
});
