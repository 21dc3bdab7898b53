// Specs for the SSE-200 system control block: reset values read from qemu-system-arm 7.2
// mps2-an521 with gdb (RESET_SYNDROME 1, INITSVTOR0/1 0x10000000, CPUWAIT 2), CPU release
// through CPUWAIT, INITSVTOR forwarding and SWRESET.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IotKitSysCtl } from './iotkit-sysctl';
import { testContext } from './test-context';
import type { CpuControl } from './sse-common';

function make() {
  const log: string[] = [];
  const cpus: CpuControl = {
    count: 2,
    setHeld: (i, h) => log.push(`held${i}=${h}`),
    setInitialVtor: (i, a) => log.push(`vtor${i}=0x${a.toString(16)}`),
    resetCore: (i) => log.push(`reset${i}`),
  };
  const ctx = Object.assign(testContext({}, 'sysctl@50021000'), { cpus });
  const s = new IotKitSysCtl(ctx);
  return { ctx, s, log };
}

test('reset values and IDs match QEMU 7.2; reset holds CPU1 and sets both initial VTORs', () => {
  const { s, log } = make();
  assert.deepEqual([0x100, 0x104, 0x10c, 0x110, 0x114, 0x118, 0x11c, 0x000, 0x200].map((o) => s.read(o, 4, 0)), [1, 0, 0, 0x10000000, 0x10000000, 2, 0, 0, 0x7f]);
  assert.deepEqual([0xfd0, 0xfe0, 0xfe4, 0xfe8, 0xff0, 0xffc].map((o) => s.read(o, 4, 0)), [0x04, 0x54, 0xb8, 0x0b, 0x0d, 0xb1]);
  assert.deepEqual(log, ['vtor0=0x10000000', 'held0=false', 'vtor1=0x10000000', 'held1=true']);
});

test('clearing CPUWAIT bit 1 resets and releases CPU1 once; setting it again stops nothing', () => {
  const { s, log } = make();
  log.length = 0;
  s.write(0x114, 4, 0x10080000, 0); // INITSVTOR1
  s.write(0x118, 4, 0, 0);
  assert.deepEqual(log, ['vtor1=0x10080000', 'reset1', 'held1=false']);
  assert.equal(s.isWaiting(1), false);
  log.length = 0;
  s.write(0x118, 4, 2, 0);
  s.write(0x118, 4, 2, 0);
  assert.deepEqual(log, []);
  assert.equal(s.read(0x118, 4, 0), 2);
  s.write(0x118, 4, 0, 0);
  assert.deepEqual(log, ['reset1', 'held1=false']);
});

test('SWRESET.SWRESETREQ (bit 9) requests a system reset; other bits do not', () => {
  const { ctx, s } = make();
  s.write(0x108, 4, 1 << 8, 0);
  assert.equal(ctx.resets, 0);
  s.write(0x108, 4, 1 << 9, 0);
  assert.equal(ctx.resets, 1);
});

test('plain registers read back; SECDBG set/clear; narrow writes are zero-padded to the word', () => {
  const { s } = make();
  s.write(0x10c, 4, 0xcafef00d, 0);
  assert.equal(s.read(0x10c, 4, 0), 0xcafef00d);
  assert.equal(s.read(0x10e, 2, 0), 0xcafe);
  s.write(0x10d, 1, 0x12, 0);
  assert.equal(s.read(0x10c, 4, 0), 0x1200, 'byte write replaces the whole word');
  s.write(0x004, 4, 0x5, 0);
  s.write(0x008, 4, 0x1, 0);
  assert.equal(s.read(0x000, 4, 0), 0x4);
  s.reset();
  assert.equal(s.read(0x10c, 4, 0), 0);
});

test('without multi-core support in the context, CPUWAIT only warns', () => {
  const ctx = testContext({}, 'sysctl@50021000');
  const s = new IotKitSysCtl(ctx);
  s.write(0x118, 4, 0, 0);
  assert.equal(s.read(0x118, 4, 0), 0);
  assert.match(ctx.warnings.join('\n'), /CPUWAIT releases CPU1/);
});
