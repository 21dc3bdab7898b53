// Trace events on the sabrelite Cortex-A9 samples: the SMC entries into the monitor and the
// monitor's exception returns into each world, decoded aborts, core 1's release by the
// SRC, and that a machine nobody listens to gives its cores no trace sink.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Machine } from '../emulator/machine';
import type { TraceEvent } from '../emulator/trace';

const dir = join(__dirname, '..', 'sample-workspaces', 'sabrelite', 'prebuilt');

function run(name: string, listen = true): { events: TraceEvent[]; exit: number | null; m: Machine } {
  const m = Machine.fromBoard('sabrelite', { onOutput: () => {} });
  m.loadElf(readFileSync(join(dir, `${name}.elf`)), `${name}.elf`);
  m.reset();
  const events: TraceEvent[] = [];
  if (listen) m.trace.subscribe((e) => events.push(e));
  assert.equal(m.run(50_000_000), 'exit');
  return { events, exit: m.exitCode, m };
}

const switches = (ev: TraceEvent[]) => ev.flatMap((e) => (e.kind === 'world-switch' ? [`${e.how}:${e.from}->${e.to}`] : []));

test('secure sample: SMC into the monitor, exception return to NS, SMC from NS, return to secure', () => {
  const { events, exit } = run('secure');
  assert.equal(exit, 0);
  const sw = switches(events);
  assert.ok(sw.includes('exception-return:secure->non-secure'), sw.join(' '));
  assert.ok(sw.includes('smc:non-secure->secure'), sw.join(' '));
  assert.ok(sw.includes('exception-return:secure->secure'), sw.join(' '));
  const intoNs = sw.indexOf('exception-return:secure->non-secure');
  const fromNs = sw.indexOf('smc:non-secure->secure');
  assert.ok(intoNs >= 0 && fromNs > intoNs, 'NS is entered before it calls back');
});

test('mmu sample: each abort is a fault event with a decoded FSR', () => {
  const faults = run('mmu').events.filter((e) => e.kind === 'fault');
  assert.equal(faults.length, 4, JSON.stringify(faults));
  const causes = faults.map((f) => (f.kind === 'fault' ? f.cause : ''));
  assert.ok(causes.some((c) => /translation/i.test(c)), causes.join(' | '));
  assert.ok(causes.filter((c) => /permission/i.test(c)).length >= 3, causes.join(' | '));
});

test('smp sample: core 1 is released once by the SRC, at its GPR3 entry', () => {
  const { events, exit } = run('smp');
  assert.equal(exit, 0, 'the sample exits 1 when its LDREX/STREX spinlock lost an update');
  const entry = readFileSync(join(dir, 'smp.elf')).readUInt32LE(24); // e_entry: _start, which smp.c puts in GPR3
  const rel = events.filter((e) => e.kind === 'reset-release');
  assert.equal(rel.length, 1);
  assert.ok(rel[0].kind === 'reset-release' && rel[0].core === 1 && rel[0].pc === entry, JSON.stringify(rel));
});

test('without a listener the cores carry no trace sink', () => {
  const { m, exit } = run('secure', false);
  assert.equal(exit, 0);
  assert.ok(m.a9Cores.every((c) => c.cpu.trace === null));
});
