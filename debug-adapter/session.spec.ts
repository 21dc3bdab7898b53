// DebugClient tests of the DAP session against the real adapter (served in-process on a
// random 127.0.0.1 port) on the prebuilt mps2-an386 samples. Expected lines come from gdb
// (`gdb-multiarch -batch -ex 'break X'`) run on the same ELF, or from the line table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Server } from 'node:net';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { serve } from './main';

const ws = resolve(__dirname, '..', 'sample-workspaces', 'mps2-an386');
const elf = (n: string) => join(ws, 'prebuilt', `${n}.elf`);
const irqC = join(ws, 'src', 'irq.c');

let server: Server;
let port = 0;
before(async () => { ({ server, port } = await serve(0)); });
after(() => { server.close(); });

async function client(): Promise<DebugClient> {
  const dc = new DebugClient('node', 'unused', 'tandem');
  dc.defaultTimeout = 10_000;
  await dc.start(port);
  await dc.initializeRequest({ adapterID: 'tandem', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  return dc;
}

/** The line gdb's `break <fn>` picks in an ELF. */
function gdbBreakLine(file: string, fn: string): number {
  const out = execFileSync('gdb-multiarch', ['-nx', '-batch', '-ex', `break ${fn}`, file], { encoding: 'utf8' });
  const m = /line (\d+)\./.exec(out);
  assert.ok(m, `gdb gave no line for ${fn}: ${out}`);
  return Number(m[1]);
}

/** Launch, optionally set source breakpoints, configurationDone; resolves with the first stop. */
async function launch(dc: DebugClient, args: Record<string, unknown>, bps?: { path: string; lines: number[] }): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    dc.waitForEvent('initialized').then(async () => {
      if (bps) await dc.setBreakpointsRequest({ source: { path: bps.path }, breakpoints: bps.lines.map((line) => ({ line })) });
      await dc.configurationDoneRequest();
    }),
    dc.launch({ board: 'mps2-an386', ...args }),
  ]);
  return stopped;
}

async function top(dc: DebugClient, threadId: number) {
  const st = await dc.stackTraceRequest({ threadId });
  return st.body.stackFrames;
}

test('launch stops at main where gdb breaks, and threads name the core and mode', async () => {
  const dc = await client();
  try {
    const e = await launch(dc, { program: elf('hello') });
    assert.equal(e.body.reason, 'entry');
    const frames = await top(dc, e.body.threadId!);
    assert.equal(frames[0].name, 'main');
    assert.equal(frames[0].line, gdbBreakLine(elf('hello'), 'main'));
    assert.match(frames[0].source?.path ?? '', /hello\.c$/);
    const th = await dc.threadsRequest();
    assert.deepEqual(th.body.threads.map((t) => t.name), ['CPU0 [Thread]']);
  } finally { await dc.stop(); }
});

test('a breakpoint in SysTick_Handler hits; the stack shows the exception frame, then main', async () => {
  const dc = await client();
  try {
    const line = gdbBreakLine(elf('irq'), 'SysTick_Handler');
    const first = await launch(dc, { program: elf('irq'), stopAtEntry: false }, { path: irqC, lines: [line] });
    assert.equal(first.body.reason, 'breakpoint');
    const frames = await top(dc, first.body.threadId!);
    assert.equal(frames[0].name, 'SysTick_Handler');
    assert.equal(frames[0].line, line);
    assert.equal(frames[1].name, '<signal handler: SysTick>');
    assert.equal(frames[1].presentationHint, 'label');
    // The interrupted code: wait_for (inlined into main at -O2) and main itself.
    const names = frames.slice(2).map((f) => f.name);
    assert.ok(names.includes('main'), `no main in ${names.join(' / ')}`);
    assert.ok(frames.slice(2).every((f) => f.instructionPointerReference !== undefined));
    const th = await dc.threadsRequest();
    assert.equal(th.body.threads[0].name, 'CPU0 [Handler: SysTick]');
  } finally { await dc.stop(); }
});

test('bad launch configurations answer readable errors', async () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ board: 'no-such-board', program: elf('hello') }, /unknown board 'no-such-board'/],
    [{ program: join(ws, 'prebuilt', 'missing.elf') }, /ELF file not found: .*missing\.elf/],
    [{ program: resolve(ws, '..', 'mps2-an521', 'prebuilt', 'boot-s.elf') }, /boot-s\.elf.*does not fit/],
    [{ program: elf('hello'), stopAtEntry: 42 }, /stopAtEntry/],
    [{ images: [{ program: elf('hello'), core: 7 }] }, /images\[0\]\.core: no core '7'/],
  ];
  for (const [args, re] of cases) {
    const dc = await client();
    try {
      await assert.rejects(dc.launch({ board: 'mps2-an386', ...args }), (e: Error) => { assert.match(e.message, re); return true; });
    } finally { await dc.stop(); }
  }
});
