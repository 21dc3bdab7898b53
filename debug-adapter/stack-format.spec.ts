// DebugClient tests of stackTrace paging (startFrame/levels, totalFrames) and stackFrameFormat
// on cortex-m4-basics' recursive factorial(6), stopped by a conditional breakpoint at n == 1
// (six factorial frames above main), plus the restart request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Server } from 'node:net';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { serve } from './main';

const ws = resolve(__dirname, '..', 'sample-workspaces', 'cortex-m4-basics');
const program = join(ws, 'prebuilt', 'basics.elf');
const mainC = join(ws, 'src', 'main.c');
/** The `if (n <= 1)` line of factorial, found in the source rather than hard-coded. */
const ifLine = readFileSync(mainC, 'utf8').split('\n').findIndex((l) => /if \(n <= 1\)/.test(l)) + 1;

let server: Server;
let port = 0;
before(async () => { ({ server, port } = await serve(0)); });
after(() => { server.close(); });

async function deepStop(dc: DebugClient): Promise<number> {
  dc.defaultTimeout = 10_000;
  await dc.start(port);
  await dc.initializeRequest({ adapterID: 'tandem', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    dc.waitForEvent('initialized').then(async () => {
      const r = await dc.setBreakpointsRequest({ source: { path: mainC }, breakpoints: [{ line: ifLine, condition: 'n == 1' }] });
      assert.ok(r.body.breakpoints[0].verified, `breakpoint at main.c:${ifLine} not verified`);
      await dc.configurationDoneRequest();
    }),
    dc.launch({ board: 'mps2-an386', program, stopAtEntry: false }),
  ]);
  return (await stopped).body.threadId!;
}

test('stackTrace pages through factorial(6) and formats names as asked', { timeout: 30_000 }, async () => {
  assert.ok(ifLine > 0, 'factorial\'s `if (n <= 1)` not found in main.c');
  const dc = new DebugClient('node', 'unused', 'tandem');
  try {
    const thread = await deepStop(dc);
    const all = (await dc.stackTraceRequest({ threadId: thread })).body;
    const names = all.stackFrames.map((f) => f.name);
    const facts = names.filter((n) => n === 'factorial').length;
    assert.equal(facts, 6, `expected factorial 6 deep: ${names}`);
    assert.equal(all.totalFrames, all.stackFrames.length);
    // Pages of 2 reassemble the whole stack; every page reports the same total.
    const paged: DebugProtocol.StackFrame[] = [];
    for (let start = 0; start < all.totalFrames! && start < 64; start += 2) {
      const p = (await dc.stackTraceRequest({ threadId: thread, startFrame: start, levels: 2 })).body;
      assert.equal(p.totalFrames, all.totalFrames);
      assert.ok(p.stackFrames.length <= 2);
      paged.push(...p.stackFrames);
    }
    assert.deepEqual(paged.map((f) => [f.name, f.line, f.instructionPointerReference]), all.stackFrames.map((f) => [f.name, f.line, f.instructionPointerReference]));
    const past = (await dc.stackTraceRequest({ threadId: thread, startFrame: all.totalFrames! + 5, levels: 3 })).body;
    assert.equal(past.stackFrames.length, 0);

    // Formatted: each factorial frame shows its own n (1 innermost, 6 outermost).
    const fmt = (await dc.stackTraceRequest({ threadId: thread, format: { parameters: true, line: true, module: true } })).body.stackFrames;
    const ns = fmt.filter((f, i) => names[i] === 'factorial').map((f) => f.name);
    assert.deepEqual(ns, [1, 2, 3, 4, 5, 6].map((n, i) => `basics.elf!factorial(n = ${n}) Line ${all.stackFrames[i].line}`));
    assert.equal(fmt[0].line, ifLine);
    const typed = (await dc.stackTraceRequest({ threadId: thread, levels: 1, format: { parameters: true, parameterTypes: true, parameterValues: true } })).body.stackFrames;
    assert.equal(typed[0].name, 'factorial(uint32_t 1)');
    const plain = (await dc.stackTraceRequest({ threadId: thread, levels: 1 })).body.stackFrames;
    assert.equal(plain[0].name, 'factorial');
  } finally { await dc.stop(); }
});

test('restart resets the machine, reloads the image and keeps breakpoints', { timeout: 30_000 }, async () => {
  const dc = new DebugClient('node', 'unused', 'tandem');
  try {
    const thread = await deepStop(dc);
    const depth = async () => (await dc.stackTraceRequest({ threadId: thread })).body.stackFrames.filter((f) => f.name === 'factorial').length;
    assert.equal(await depth(), 6);
    // factorial runs once per boot: reaching n == 1 again needs a real reset.
    for (let round = 0; round < 2; round++) {
      const again = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await dc.customRequest('restart', {});
      const e = await again;
      assert.equal(e.body.reason, 'breakpoint', `restart ${round}: stopped for ${e.body.reason}`);
      assert.equal(await depth(), 6, `restart ${round}: not back in factorial(1)`);
      const st = (await dc.stackTraceRequest({ threadId: thread, levels: 1, format: { parameters: true } })).body.stackFrames;
      assert.equal(st[0].name, 'factorial(n = 1)');
    }
  } finally { await dc.stop(); }
});
