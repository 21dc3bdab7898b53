// Specs for the SSE-200 MHU: doorbell set/clear per CPU, its two interrupt lines, the
// trace event for each new doorbell bit, IDs from QEMU 7.2 and word-only access.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BusError } from '../bus';
import type { TraceEvent } from '../trace';
import { ArmSseMhu } from './armsse-mhu';
import { testContext } from './test-context';

function make(tracing = true) {
  const events: TraceEvent[] = [];
  const ctx = Object.assign(testContext({ reg: [0x40003000, 0x1000] }, 'mhu@40003000'), { tracing, trace: (e: TraceEvent) => events.push(e) });
  const m = new ArmSseMhu(ctx);
  m.reset();
  return { ctx, m, events };
}

test('CPU1INTR_SET raises CPU1\'s line only; CLR lowers it when no bit is left', () => {
  const { ctx, m } = make();
  m.write(0x14, 4, 0x3, 0);
  assert.equal(m.read(0x10, 4, 0), 3);
  assert.equal(ctx.irqs[1].level, true);
  assert.equal(ctx.irqs[0].level, false);
  m.write(0x18, 4, 0x1, 0);
  assert.equal(ctx.irqs[1].level, true);
  m.write(0x18, 4, 0x2, 0);
  assert.equal(ctx.irqs[1].level, false);
  m.write(0x04, 4, 0xff, 0);
  assert.equal(m.read(0x00, 4, 0), 0xf, 'four doorbell bits');
  assert.equal(ctx.irqs[0].level, true);
});

test('each newly set bit emits one doorbell trace event; bits already set do not', () => {
  const { ctx, m, events } = make();
  ctx.clock.now = 1234;
  m.write(0x14, 4, 0x5, 0);
  m.write(0x14, 4, 0x5, 0);
  assert.deepEqual(events, [
    { kind: 'doorbell', device: 'mhu@40003000', from: 0, to: 1, channel: 0, value: 5, cycle: 1234 },
    { kind: 'doorbell', device: 'mhu@40003000', from: 0, to: 1, channel: 2, value: 5, cycle: 1234 },
  ]);
  const quiet = make(false);
  quiet.m.write(0x04, 4, 1, 0);
  assert.equal(quiet.events.length, 0);
});

test('IDs match QEMU 7.2; narrow accesses are bus errors at the right address', () => {
  const { m } = make();
  assert.deepEqual([0xfd0, 0xfe0, 0xfe4, 0xfe8, 0xff0, 0xffc].map((o) => m.read(o, 4, 0)), [0x04, 0x56, 0xb8, 0x0b, 0x0d, 0xb1]);
  assert.throws(() => m.read(0x10, 1, 0), (e: unknown) => e instanceof BusError && e.address === 0x40003010);
  assert.throws(() => m.write(0x14, 2, 1, 0), (e: unknown) => e instanceof BusError && e.write);
  assert.equal(m.read(0x10, 4, 0), 0);
});
