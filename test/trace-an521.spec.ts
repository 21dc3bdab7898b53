// Trace events on real TrustZone-M firmware: the world switches of a secure boot and of
// NSC service calls, the SecureFault of a non-secure access, CPU1's release and the MHU
// doorbells — and that a machine nobody listens to produces none of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Machine } from '../emulator/machine';
import type { TraceEvent } from '../emulator/trace';

const dir = join(__dirname, '..', 'sample-workspaces', 'mps2-an521', 'prebuilt');

function run(name: string, listen = true): { events: TraceEvent[]; exit: number | null } {
  const m = Machine.fromBoard('mps2-an521', { onOutput: () => {} });
  m.loadElf(readFileSync(join(dir, `${name}-s.elf`)), `${name}-s.elf`);
  m.loadElf(readFileSync(join(dir, `${name}-ns.elf`)), `${name}-ns.elf`);
  m.reset();
  const events: TraceEvent[] = [];
  if (listen) m.trace.subscribe((e) => events.push(e));
  else assert.equal(m.cores[0].cpu.trace, null, 'no listener: the core has no trace sink at all');
  assert.equal(m.run(50_000_000), 'exit');
  return { events, exit: m.exitCode };
}

const switches = (ev: TraceEvent[]) => ev.flatMap((e) => (e.kind === 'world-switch' ? [`${e.how}:${e.from}->${e.to}`] : []));

test('secure boot: BLXNS into the non-secure world, FNC_RETURN back', () => {
  const { events, exit } = run('boot');
  assert.equal(exit, 0);
  const sw = switches(events);
  assert.equal(sw[0], 'blxns:secure->non-secure');
  assert.ok(sw.includes('fnc-return:non-secure->secure'), sw.join(' '));
  const blxns = events.find((e) => e.kind === 'world-switch' && e.how === 'blxns');
  assert.ok(blxns && blxns.kind === 'world-switch' && (blxns.toPc >>> 0) >= 0x00200000 && (blxns.toPc >>> 0) < 0x00400000, 'lands in NS code');
});

test('NSC services: each call is an SG entry and a BXNS return, in pairs', () => {
  const sw = switches(run('services').events);
  const sg = sw.filter((s) => s === 'sg:non-secure->secure').length;
  const bxns = sw.filter((s) => s === 'bxns:secure->non-secure').length;
  assert.ok(sg >= 3, `three services called, saw ${sg} SG entries`);
  assert.equal(sg, bxns, 'every SG entry returns through BXNS');
});

test('a non-secure read of secure RAM is a SecureFault event with its cause', () => {
  const faults = run('securefault').events.filter((e) => e.kind === 'fault');
  assert.ok(faults.some((f) => f.kind === 'fault' && f.name === 'SecureFault' && /AUVIOL/.test(f.cause)), JSON.stringify(faults));
  assert.ok(faults.some((f) => f.kind === 'fault' && f.name === 'SecureFault' && /INVEP/.test(f.cause)), 'the branch into secure code without SG');
});

test('dual core: CPU1 released once, doorbells both ways', () => {
  const ev = run('mhu').events;
  const rel = ev.filter((e) => e.kind === 'reset-release');
  assert.equal(rel.length, 1);
  assert.equal(rel[0].kind === 'reset-release' && rel[0].core, 1);
  const bells = ev.filter((e) => e.kind === 'doorbell');
  assert.ok(bells.some((b) => b.kind === 'doorbell' && b.from === 1 && b.to === 0), 'CPU1 rings CPU0');
  assert.ok(bells.some((b) => b.kind === 'doorbell' && b.from === 0 && b.to === 1), 'CPU0 rings CPU1');
});

test('without a listener the same run emits nothing and behaves the same', () => {
  assert.equal(run('services', false).exit, 0);
});
