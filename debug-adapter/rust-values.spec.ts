// DebugClient checks of how Rust values look in the Variables view, on the trustzone-m-rust
// sample (rustc 1.63 DWARF 4): a fieldless enum shows its variant, an enum with data shows
// `Add(3, 4)` and expands to the variant's fields, a slice shows its elements and expands to
// them, and a &str shows its text. The expected values are the ones ns.rs assigns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { adapterServer } from './test-adapter';

const ws = resolve(__dirname, '..', 'sample-workspaces', 'trustzone-m-rust');
const nsRs = resolve(ws, 'src', 'bin', 'ns.rs');
const { client } = adapterServer();

/** The 1-based line of ns.rs holding `text`. */
function lineOf(text: string): number {
  const i = readFileSync(nsRs, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `ns.rs has no line with ${text}`);
  return i + 1;
}
const MAIN_LINE = lineOf('failures += run(&mut uart, &add, color, bytes, name);');
const RUN_LINE = lineOf('let shade = match color {');

async function launchWithBreakpoints(dc: DebugClient, lines: number[]): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    dc.waitForEvent('initialized').then(async () => {
      const r = await dc.setBreakpointsRequest({ source: { path: nsRs }, breakpoints: lines.map((line) => ({ line })) });
      assert.deepEqual(r.body.breakpoints.map((b) => [b.verified, b.line]), lines.map((l) => [true, l]));
      await dc.configurationDoneRequest();
    }),
    dc.launch({
      board: 'mps2-an521',
      images: [{ program: resolve(ws, 'prebuilt', 'secure.elf'), world: 'secure' }, { program: resolve(ws, 'prebuilt', 'ns.elf'), world: 'non-secure' }],
      stopAtEntry: false,
    }),
  ]);
  return stopped;
}

async function continueToStop(dc: DebugClient, threadId: number): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await dc.continueRequest({ threadId });
  return stopped;
}

type Vars = Map<string, DebugProtocol.Variable>;
async function children(dc: DebugClient, v: DebugProtocol.Variable | undefined): Promise<Vars> {
  assert.ok(v, 'no such variable');
  if (v.variablesReference === 0) return new Map();
  return new Map((await dc.variablesRequest({ variablesReference: v.variablesReference })).body.variables.map((c) => [c.name, c]));
}
async function scope(dc: DebugClient, frameId: number, name: string): Promise<Vars> {
  const s = (await dc.scopesRequest({ frameId })).body.scopes.find((x) => x.name === name);
  assert.ok(s, `no ${name} scope`);
  return new Map((await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables.map((c) => [c.name, c]));
}
const values = (m: Vars) => [...m.values()].map((v) => [v.name, v.value]);

async function frameAt(dc: DebugClient, e: DebugProtocol.StoppedEvent, fn: string, line: number): Promise<number> {
  const f = (await dc.stackTraceRequest({ threadId: e.body.threadId! })).body.stackFrames[0];
  assert.match(f.name, new RegExp(`(^|::)${fn}( \\[NS\\])?$`), JSON.stringify(f));
  assert.equal(f.line, line);
  assert.equal(f.source?.path, nsRs);
  return f.id;
}

test('Rust locals in the NS main: enums, a slice, a &str and an array of enums', async () => {
  const dc = await client();
  try {
    const e = await launchWithBreakpoints(dc, [MAIN_LINE]);
    const frameId = await frameAt(dc, e, 'main', MAIN_LINE);
    const locals = await scope(dc, frameId, 'Locals');

    const color = locals.get('color');
    assert.equal(color?.value, 'Green');
    assert.equal(color?.type, 'ns::Color');
    assert.equal(color?.variablesReference, 0, 'a fieldless enum value has nothing to expand');
    assert.equal(locals.get('palette')?.value, '[Red, Green, Blue]');

    const add = locals.get('add');
    assert.equal(add?.value, 'Add(3, 4)');
    assert.equal(add?.type, 'ns::Cmd');
    assert.deepEqual(values(await children(dc, add)), [['0', '3'], ['1', '4']]);
    const log = locals.get('log');
    assert.equal(log?.value, 'Log("from the non-secure world")');
    assert.deepEqual(values(await children(dc, log)), [['0', '"from the non-secure world"']]);
    assert.equal(locals.get('nop')?.value, 'Nop');
    assert.equal(locals.get('nop')?.variablesReference, 0, 'Cmd::Nop has no fields');

    const bytes = locals.get('bytes');
    assert.equal(bytes?.type, '&[u8]');
    assert.equal(bytes?.value, '&[1, 2, 3, 4, 5]');
    const elems = await children(dc, bytes);
    assert.deepEqual(values(elems), [['[0]', '1'], ['[1]', '2'], ['[2]', '3'], ['[3]', '4'], ['[4]', '5']]);
    // An element's evaluateName evaluates to the same element (Watch, Copy as Expression).
    const third = elems.get('[2]')!;
    assert.ok(third.evaluateName, 'slice elements have an evaluateName');
    assert.equal(third.evaluateName, 'bytes[2]');
    assert.equal((await dc.evaluateRequest({ expression: third.evaluateName, frameId, context: 'watch' })).body.result, '3');
    // Rust syntax in Watch: tuple-variant fields and slice indexing, in arithmetic too.
    const ev = async (expression: string) => (await dc.evaluateRequest({ expression, frameId, context: 'watch' })).body.result;
    assert.equal(await ev('add.0'), '3');
    assert.equal(await ev('add.1 * 10 + bytes[4]'), '45');
    assert.equal(await ev('log.0'), '"from the non-secure world"');
    assert.equal(await ev('(add).1'), '4');
    await assert.rejects(dc.evaluateRequest({ expression: 'bytes[5]', frameId, context: 'watch' }), /index 5 is out of range for &\[u8\] of length 5/);
    await assert.rejects(dc.evaluateRequest({ expression: 'nop.0', frameId, context: 'watch' }), /has no member '0'/);

    const name = locals.get('name');
    assert.equal(name?.type, '&str');
    assert.equal(name?.value, '"tandem"');
    const words = await children(dc, locals.get('words'));
    assert.deepEqual(values(words).map(([, v]) => v), ['"alpha"', '"beta"', '"gamma"']);
  } finally { await dc.stop(); }
});

test('Rust arguments of run(): a &Cmd per call, the slice and &str passed in, a sub-slice and ""', async () => {
  const dc = await client();
  try {
    let e = await launchWithBreakpoints(dc, [RUN_LINE]);
    const seen: string[] = [];
    for (let call = 0; call < 3; call++) {
      if (call > 0) e = await continueToStop(dc, e.body.threadId!);
      const frameId = await frameAt(dc, e, 'run', RUN_LINE);
      const args = await scope(dc, frameId, 'Arguments');
      const cmd = await children(dc, args.get('cmd'));
      const target = cmd.get('*cmd');
      assert.ok(target, 'a &Cmd argument expands to the enum it points at');
      seen.push(`${target.value} ${args.get('color')?.value} ${args.get('data')?.value} ${args.get('label')?.value}`);
      if (call === 0) assert.deepEqual(values(await children(dc, target)), [['0', '3'], ['1', '4']]);
      if (call === 2) {
        assert.equal(target.variablesReference, 0, 'Cmd::Nop has no fields');
        assert.deepEqual(values(await children(dc, args.get('data'))), [['[0]', '2'], ['[1]', '3']]);
      }
      assert.equal((await scope(dc, frameId, 'Locals')).get('sum')?.value, ['15', '15', '5'][call]);
    }
    assert.deepEqual(seen, [
      'Add(3, 4) Green &[1, 2, 3, 4, 5] "tandem"',
      'Log("from the non-secure world") Green &[1, 2, 3, 4, 5] "tandem"',
      'Nop Blue &[2, 3] ""',
    ]);
  } finally { await dc.stop(); }
});
