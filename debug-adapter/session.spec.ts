// DebugClient tests of the DAP session against the real adapter (served in-process on a
// random 127.0.0.1 port) on the prebuilt mps2-an386 samples. Expected lines come from gdb
// (`gdb-multiarch -batch -ex 'break X'`) run on the same ELF, or from the line table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { adapterServer } from './test-adapter';

const ws = resolve(__dirname, '..', 'sample-workspaces', 'mps2-an386');
const elf = (n: string) => join(ws, 'prebuilt', `${n}.elf`);
const irqC = join(ws, 'src', 'irq.c');

const { client } = adapterServer();

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

/** Sends a step request and resolves with the stop it ends in. */
async function step(dc: DebugClient, kind: 'next' | 'stepIn' | 'stepOut', threadId: number, granularity?: 'instruction') {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  const args = { threadId, ...(granularity ? { granularity } : {}) };
  if (kind === 'next') await dc.nextRequest(args);
  else if (kind === 'stepIn') await dc.stepInRequest(args);
  else await dc.stepOutRequest(args);
  const e = await stopped;
  return { e, frames: await top(dc, threadId) };
}

/** Lines that start an is_stmt row in `file`'s part of the decoded line table, by address. */
function stmtLines(elfPath: string, file: string): Map<number, number> {
  const out = execFileSync('arm-none-eabi-objdump', ['--dwarf=decodedline', elfPath], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const m = new Map<number, number>();
  for (const l of out.split('\n')) {
    const f = /^(\S+)\s+(\d+)\s+(0x[0-9a-f]+)(?:\s+\d+)?\s+x\s*$/.exec(l);
    if (f && f[1] === file && !m.has(parseInt(f[3], 16))) m.set(parseInt(f[3], 16), Number(f[2]));
  }
  return m;
}

test('next, stepIn and stepOut land where gdb would in hello.c', async () => {
  const dc = await client();
  try {
    const e = await launch(dc, { program: elf('hello') });
    const tid = e.body.threadId!;
    const stmts = stmtLines(elf('hello'), 'hello.c');
    // next over printf (line 8) lands on the next statement row: uart_init() on line 9.
    let r = await step(dc, 'next', tid);
    assert.equal(r.e.body.reason, 'step');
    const pc9 = parseInt(r.frames[0].instructionPointerReference!, 16);
    assert.equal(r.frames[0].line, stmts.get(pc9), `pc ${pc9.toString(16)} is not a statement start`);
    assert.equal(r.frames[0].line, 9);
    // stepIn enters uart_init past its prologue, at the line gdb's `break uart_init` picks.
    r = await step(dc, 'stepIn', tid);
    assert.equal(r.frames[0].name, 'uart_init');
    assert.equal(r.frames[0].line, gdbBreakLine(elf('hello'), 'uart_init'));
    assert.equal(r.frames[1].name, 'main');
    // stepOut returns to main just after the call: the start of line 10 (gdb's `finish`).
    r = await step(dc, 'stepOut', tid);
    assert.equal(r.frames[0].name, 'main');
    assert.equal(r.frames[0].line, 10);
    // An instruction step moves by one instruction: the next address the disassembler lists.
    const pc = r.frames[0].instructionPointerReference!;
    const dis = await dc.customRequest('disassemble', { memoryReference: pc, instructionOffset: 0, instructionCount: 2 });
    const insns = dis.body.instructions as DebugProtocol.DisassembledInstruction[];
    assert.equal(parseInt(insns[0].address, 16), parseInt(pc, 16));
    assert.match(insns[0].instruction, /^ldr r0, \[pc/);
    r = await step(dc, 'next', tid, 'instruction');
    assert.equal(parseInt(r.frames[0].instructionPointerReference!, 16), parseInt(insns[1].address, 16));
  } finally { await dc.stop(); }
});

test('locals of main in irq.elf read through the unwound frame', async () => {
  const dc = await client();
  try {
    const first = await launch(dc, { program: elf('irq'), stopAtEntry: false }, { path: irqC, lines: [gdbBreakLine(elf('irq'), 'SysTick_Handler')] });
    const frames = await top(dc, first.body.threadId!);
    const wait = frames.find((f) => f.name === 'wait_for')!;
    const scopes = await dc.scopesRequest({ frameId: wait.id });
    assert.deepEqual(scopes.body.scopes.map((s) => s.name), ['Arguments', 'Locals', 'Statics', 'Registers']);
    const vars = [];
    for (const s of scopes.body.scopes.slice(0, 2)) vars.push(...(await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables);
    const byName = new Map(vars.map((v) => [v.name, v.value]));
    // wait_for(&systick_count, 5), the first call in main (irq.c:116).
    assert.equal(byName.get('target'), '5');
    assert.match(byName.get('counter') ?? '', /<systick_count>/);
    // main's own local: wait_for is inlined into main, and (as in gdb) shows only its own scope.
    assert.equal(byName.get('failures'), undefined);
    const main = frames.find((f) => f.name === 'main')!;
    const mainLocals = (await dc.scopesRequest({ frameId: main.id })).body.scopes.find((s) => s.name === 'Locals')!;
    const mainVars = (await dc.variablesRequest({ variablesReference: mainLocals.variablesReference })).body.variables;
    assert.equal(mainVars.find((v) => v.name === 'failures')?.value, '0');
    assert.equal(mainVars.find((v) => v.name === 'target'), undefined);
    const regs = (await dc.variablesRequest({ variablesReference: scopes.body.scopes[3].variablesReference })).body.variables;
    assert.equal(regs.find((v) => v.name === 'pc')?.value, `0x${parseInt(wait.instructionPointerReference!, 16).toString(16).padStart(8, '0')}`);
    // memory at the counter's address reads as the count the handler is about to bump.
    const addr = /0x[0-9a-f]+/.exec(byName.get('counter')!)![0];
    const mem = await dc.customRequest('readMemory', { memoryReference: addr, count: 4 });
    const bytes = Buffer.from(mem.body.data, 'base64');
    assert.equal(bytes.length, 4);
    assert.ok(bytes.readUInt32LE(0) < 5, `systick_count ${bytes.readUInt32LE(0)} before the 5th tick`);
  } finally { await dc.stop(); }
});

/** A 3-instruction guest that never stops: vector table and `1: adds r0, #1; b 1b`. */
function spinElf(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-spin-'));
  const s = join(dir, 'spin.s'), out = join(dir, 'spin.elf');
  writeFileSync(s, '.syntax unified\n.thumb\n.section .vectors,"a"\n.word 0x20001000\n.word reset\n.text\n.thumb_func\nreset:\nadds r0, #1\nb reset\n');
  execFileSync('arm-none-eabi-gcc', ['-mcpu=cortex-m4', '-mthumb', '-nostdlib', '-g', '-Wl,-Ttext=0x400', '-Wl,--section-start=.vectors=0', '-o', out, s]);
  assert.ok(existsSync(out));
  return out;
}

test('pause while the guest runs stops within 50 ms', async () => {
  const dc = await client();
  try {
    await Promise.all([dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()), dc.launch({ board: 'mps2-an386', program: spinElf(), stopAtEntry: false })]);
    await new Promise((r) => setTimeout(r, 100));
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    const t0 = process.hrtime.bigint();
    await dc.pauseRequest({ threadId: 1 });
    const e = await stopped;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.equal(e.body.reason, 'pause');
    assert.ok(ms < 50, `pause took ${ms.toFixed(1)} ms`);
    const frames = await top(dc, 1);
    assert.equal(frames[0].name, 'reset');
  } finally { await dc.stop(); }
});

// npm test builds dist/ first; run `npm run build` before running this spec alone.
test('the built adapter (dist/debug-adapter.js) speaks DAP over stdio', async () => {
  assert.ok(existsSync(resolve(__dirname, '..', 'dist', 'debug-adapter.js')), 'dist/debug-adapter.js is missing: run npm run build');
  const dc = new DebugClient('node', resolve(__dirname, '..', 'dist', 'debug-adapter.js'), 'tandem');
  dc.defaultTimeout = 10_000;
  await dc.start();
  try {
    await dc.initializeRequest({ adapterID: 'tandem', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const e = await launch(dc, { program: elf('hello') });
    const frames = await top(dc, e.body.threadId!);
    assert.equal(frames[0].name, 'main');
  } finally { await dc.stop(); }
});

test('function and instruction breakpoints hit; a line without code moves or stays unverified with a reason', async () => {
  const dc = await client();
  try {
    const e = await launch(dc, { program: elf('irq') });
    const fb = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'IRQ9_Handler' }, { name: 'no_such_fn' }] });
    assert.equal(fb.body.breakpoints[0].verified, true);
    assert.equal(fb.body.breakpoints[0].line, gdbBreakLine(elf('irq'), 'IRQ9_Handler'));
    assert.equal(fb.body.breakpoints[1].verified, false);
    assert.match(fb.body.breakpoints[1].message ?? '', /no function 'no_such_fn' in irq\.elf/);
    // fpmath.c is not part of irq.elf: unverified, with the reason.
    const nb = await dc.setBreakpointsRequest({ source: { path: join(ws, 'src', 'fpmath.c') }, breakpoints: [{ line: 10 }] });
    assert.equal(nb.body.breakpoints[0].verified, false);
    assert.match(nb.body.breakpoints[0].message ?? '', /no code at fpmath\.c:10 .*irq\.elf/);
    // Line 43 (blank, before SysTick_Handler) moves to the handler's first line with code.
    const sb = await dc.setBreakpointsRequest({ source: { path: irqC }, breakpoints: [{ line: 43 }] });
    assert.equal(sb.body.breakpoints[0].verified, true);
    assert.equal(sb.body.breakpoints[0].line, gdbBreakLine(elf('irq'), 'irq.c:43'));
    await dc.setBreakpointsRequest({ source: { path: irqC }, breakpoints: [] });
    let stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await dc.continueRequest({ threadId: e.body.threadId! });
    let s = await stopped;
    assert.equal(s.body.reason, 'breakpoint');
    assert.deepEqual(s.body.hitBreakpointIds, [fb.body.breakpoints[0].id]);
    assert.equal((await top(dc, 1))[0].name, 'IRQ9_Handler');
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    // An instruction breakpoint on IRQ31_Handler's entry, from the symbol table via objdump.
    const sym = execFileSync('arm-none-eabi-nm', [elf('irq')], { encoding: 'utf8' }).split('\n').find((l) => / IRQ31_Handler$/.test(l))!;
    const addr = parseInt(sym.split(' ')[0], 16) & ~1;
    const ib = await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: `0x${addr.toString(16)}` }] });
    assert.equal(ib.body.breakpoints[0].verified, true);
    stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await dc.continueRequest({ threadId: 1 });
    s = await stopped;
    const f = (await top(dc, 1))[0];
    assert.equal(parseInt(f.instructionPointerReference!, 16), addr);
    assert.equal(f.name, 'IRQ31_Handler');
  } finally { await dc.stop(); }
});
