// Specs for the i.MX6 SRC: reset values from QEMU 7.2 sabrelite, and SCR core enable
// bits starting cores at GPR3/5/7 with GPR4/6/8 as the argument, through CpuControl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImxSrc } from './imx-src';
import { testContext } from './test-context';
import type { CpuControl, DeviceContext } from './device';

function make(count = 4) {
  const log: string[] = [];
  const cpus: CpuControl = {
    count,
    setHeld: (i, h) => log.push(`held ${i} ${h}`),
    setInitialVtor: () => {},
    resetCore: (i) => log.push(`reset ${i}`),
    powerOn: (i, e, r0) => log.push(`on ${i} 0x${e.toString(16)} 0x${r0.toString(16)}`),
  };
  const ctx: DeviceContext = { ...testContext({}, 'src@20d8000'), cpus };
  const src = new ImxSrc(ctx);
  src.reset();
  return { src, log, ctx };
}

test('reset values match QEMU 7.2', () => {
  const { src } = make();
  assert.deepEqual([0, 4, 8, 0x14, 0x18, 0x1c, 0x20, 0x44].map((o) => src.read(o, 4, 0)), [0x521, 0, 1, 0, 0x1f, 0, 0, 0]);
});

test('setting CORE1_ENABLE starts core 1 at GPR3 with GPR4 in r0; clearing it holds the core', () => {
  const { src, log } = make();
  src.write(0x28, 4, 0x10000100, 0); // GPR3
  src.write(0x2c, 4, 0xcafe, 0); // GPR4
  src.write(0, 4, 0x521 | (1 << 22), 0);
  assert.deepEqual(log, ['on 1 0x10000100 0xcafe']);
  assert.equal(src.read(0, 4, 0), 0x521 | (1 << 22));
  src.write(0, 4, 0x521 | (1 << 22), 0); // no change: nothing happens
  assert.equal(log.length, 1);
  src.write(0, 4, 0x521, 0);
  assert.deepEqual(log.slice(1), ['held 1 true']);
});

test('cores 2 and 3 use GPR5 and GPR7; reset bits self-clear', () => {
  const { src, log } = make();
  src.write(0x30, 4, 0x2000, 0); // GPR5
  src.write(0x38, 4, 0x3000, 0); // GPR7
  src.write(0, 4, (1 << 23) | (1 << 24), 0);
  assert.deepEqual(log, ['on 3 0x3000 0x0', 'on 2 0x2000 0x0']);
  src.write(0, 4, (1 << 23) | (1 << 24) | (1 << 15), 0); // CORE2_RST
  assert.equal(log[2], 'reset 2');
  assert.equal(src.read(0, 4, 0) & (1 << 15), 0);
});

test('enabling a core the board does not have warns instead of failing', () => {
  const { src, log, ctx } = make(2);
  src.write(0, 4, 1 << 24, 0);
  assert.deepEqual(log, []);
  assert.match((ctx as unknown as { warnings: string[] }).warnings[0], /core 3/);
});

test('SCR keeps the bits QEMU keeps; the other registers store what is written, as on QEMU 7.2', () => {
  const { src } = make();
  src.write(0, 4, 0x003e1fff, 0);
  assert.equal(src.read(0, 4, 0), 0x003e0ff7); // GPU (3), IPU2 (12) and core resets self-clear
  for (const off of [0x04, 0x08, 0x14, 0x18]) {
    src.write(off, 4, 0xffffffff, 0);
    assert.equal(src.read(off, 4, 0), 0xffffffff, `offset 0x${off.toString(16)}`);
  }
});
