// Regression tests for three debug-adapter bugs: data breakpoint conditions and hit counts
// applied on each watch hit, watching a struct member from the Variables view, and setVariable
// on a register of an outer frame. Samples are the prebuilt mps2-an386 ELFs; expected values
// come from their sources and symbol tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DebugInfo } from '../dwarf';
import { adapterServer } from './test-adapter';

const an386 = resolve(__dirname, '..', 'sample-workspaces', 'mps2-an386');
const elf = (n: string) => join(an386, 'prebuilt', `${n}.elf`);

function symbol(file: string, name: string): number {
  const s = DebugInfo.open(readFileSync(file), file).elf.symbols().find((x) => x.name === name);
  assert.ok(s, `no symbol ${name} in ${file}`);
  return s.value;
}

const { client } = adapterServer();

async function launch(dc: DebugClient, program: string): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
    dc.launch({ board: 'mps2-an386', program }),
  ]);
  return stopped;
}

/** Continues and resolves with the next stop, or 'ended' when the guest exits first. */
async function cont(dc: DebugClient, threadId: number): Promise<DebugProtocol.StoppedEvent | 'ended'> {
  const stopped = dc.waitForEvent('stopped', 10_000) as Promise<DebugProtocol.StoppedEvent>;
  const ended = dc.waitForEvent('terminated', 10_000).then(() => 'ended' as const);
  await dc.continueRequest({ threadId });
  return Promise.race([stopped, ended]);
}

async function word(dc: DebugClient, address: number): Promise<number> {
  const r = await dc.customRequest('readMemory', { memoryReference: `0x${address.toString(16)}`, count: 4 }) as DebugProtocol.ReadMemoryResponse;
  return Buffer.from(r.body!.data!, 'base64').readUInt32LE(0);
}

/** The values of systick_count at each watch stop until the guest ends (at most 8 stops). */
async function watchStops(opts: { condition?: string; hitCondition?: string }): Promise<number[]> {
  const dc = await client();
  try {
    const e0 = await launch(dc, elf('irq'));
    const info = await dc.customRequest('dataBreakpointInfo', { name: 'systick_count' }) as DebugProtocol.DataBreakpointInfoResponse;
    assert.ok(info.body.dataId, info.body.description);
    const set = await dc.customRequest('setDataBreakpoints', { breakpoints: [{ dataId: info.body.dataId, accessType: 'write', ...opts }] }) as DebugProtocol.SetDataBreakpointsResponse;
    assert.equal(set.body.breakpoints[0].verified, true, set.body.breakpoints[0].message ?? '');
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      const e = await cont(dc, e0.body.threadId!);
      if (e === 'ended' || e.body.reason !== 'data breakpoint') break;
      seen.push(await word(dc, symbol(elf('irq'), 'systick_count')));
    }
    return seen;
  } finally { await dc.stop(); }
}

test('a write watchpoint with a condition stops only when the condition holds on the new value', { timeout: 60_000 }, async () => {
  assert.deepEqual(await watchStops({ condition: 'systick_count == 3' }), [3]);
});

test('a write watchpoint with hit count % 2 stops only on even hits', { timeout: 60_000 }, async () => {
  assert.deepEqual(await watchStops({ hitCondition: '% 2' }), [2, 4]);
});

test('a data breakpoint on a struct member watches the member\'s address and size', { timeout: 60_000 }, async () => {
  const file = elf('faults');
  const rec = symbol(file, 'rec');
  const dc = await client();
  try {
    const e0 = await launch(dc, file);
    const frame = (await dc.stackTraceRequest({ threadId: e0.body.threadId!, levels: 1 })).body.stackFrames[0];
    const r = await dc.evaluateRequest({ expression: 'rec', frameId: frame.id, context: 'watch' });
    assert.ok(r.body.variablesReference > 0, 'rec expands to its members');
    const members = (await dc.variablesRequest({ variablesReference: r.body.variablesReference })).body.variables;
    assert.deepEqual(members.map((m) => m.name), ['count', 'ipsr', 'cfsr', 'hfsr', 'pc']);
    const info = await dc.customRequest('dataBreakpointInfo', { variablesReference: r.body.variablesReference, name: 'ipsr' }) as DebugProtocol.DataBreakpointInfoResponse;
    assert.ok(info.body.dataId, info.body.description);
    // struct fault_record { uint32_t count; uint32_t ipsr; ... }: ipsr is 4 bytes at rec + 4.
    assert.match(info.body.description, new RegExp(`\\(4 byte\\(s\\) at 0x${(rec + 4).toString(16).padStart(8, '0')}\\)`));
    const set = await dc.customRequest('setDataBreakpoints', { breakpoints: [{ dataId: info.body.dataId, accessType: 'write' }] }) as DebugProtocol.SetDataBreakpointsResponse;
    assert.equal(set.body.breakpoints[0].verified, true, set.body.breakpoints[0].message ?? '');
    const e = await cont(dc, e0.body.threadId!);
    assert.ok(e !== 'ended', 'the guest ended without writing rec.ipsr');
    assert.equal(e.body.reason, 'data breakpoint');
    assert.match(e.body.description ?? '', new RegExp(`at 0x${(rec + 4).toString(16).padStart(8, '0')}\\)`));
    // The first fault's handler wrote its exception number (a fault: 3..6) into rec.ipsr; count was written before, unwatched.
    const ipsr = await word(dc, rec + 4);
    assert.ok(ipsr >= 3 && ipsr <= 6, `rec.ipsr = ${ipsr}`);
    assert.equal(await word(dc, rec), 1);
  } finally { await dc.stop(); }
});

test('setVariable on registers of an outer frame writes the saved slot or the live register', { timeout: 60_000 }, async () => {
  const ws = resolve(__dirname, '..', 'sample-workspaces', 'cortex-m4-basics');
  const mainC = join(ws, 'src', 'main.c');
  const ifLine = readFileSync(mainC, 'utf8').split('\n').findIndex((l) => /if \(n <= 1\)/.test(l)) + 1;
  assert.ok(ifLine > 0);
  const dc = await client();
  try {
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await Promise.all([
      dc.waitForEvent('initialized').then(async () => {
        await dc.setBreakpointsRequest({ source: { path: mainC }, breakpoints: [{ line: ifLine, condition: 'n == 1' }] });
        await dc.configurationDoneRequest();
      }),
      dc.launch({ board: 'mps2-an386', program: join(ws, 'prebuilt', 'basics.elf'), stopAtEntry: false }),
    ]);
    const threadId = (await stopped).body.threadId!;
    const frames = (await dc.stackTraceRequest({ threadId, levels: 3 })).body.stackFrames;
    assert.deepEqual(frames.slice(0, 2).map((f) => f.name.replace(/\(.*$/, '')), ['factorial', 'factorial']);
    const regsOf = async (frameId: number) => {
      const sc = (await dc.scopesRequest({ frameId })).body.scopes.find((x) => x.name === 'Registers');
      assert.ok(sc);
      return { ref: sc.variablesReference, vars: (await dc.variablesRequest({ variablesReference: sc.variablesReference })).body.variables };
    };
    const r1 = await regsOf(frames[1].id);
    const val = (vs: DebugProtocol.Variable[], n: string) => Number(vs.find((v) => v.name === n)?.value);
    // factorial pushes {r7, lr}: frame 1's r7 is in frame 0's save slot; r4 is never saved, so it is live.
    const r7 = val(r1.vars, 'r7');
    const newR7 = r7 + 0x40, newR4 = 0x1234abcd;
    assert.notEqual(val((await regsOf(frames[0].id)).vars, 'r7'), newR7);
    const w7 = await dc.setVariableRequest({ variablesReference: r1.ref, name: 'r7', value: `0x${newR7.toString(16)}` });
    assert.equal(Number(w7.body.value), newR7);
    await dc.setVariableRequest({ variablesReference: r1.ref, name: 'r4', value: `${newR4}` });
    // sp of frame 1 is the CFA, computed: a readable error, not a crash.
    await assert.rejects(dc.setVariableRequest({ variablesReference: r1.ref, name: 'sp', value: '0' }), /sp of frame 1 was computed by the unwinder/);
    // Frame 0's own r7 is untouched; the step out pops the saved slot into r7.
    const again = (await dc.stackTraceRequest({ threadId, levels: 2 })).body.stackFrames;
    assert.equal(val((await regsOf(again[1].id)).vars, 'r7'), newR7, 'frame 1 shows the written r7');
    const out = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await dc.stepOutRequest({ threadId });
    await out;
    const top = (await dc.stackTraceRequest({ threadId, levels: 1 })).body.stackFrames[0];
    const now = (await regsOf(top.id)).vars;
    assert.equal(val(now, 'r7'), newR7);
    assert.equal(val(now, 'r4'), newR4);
  } finally { await dc.stop(); }
});
