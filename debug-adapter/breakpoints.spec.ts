// DebugClient tests of the breakpoint kinds beyond plain ones: conditions, hit counts,
// logpoints, data breakpoints (watchpoints) and exception filters (faults, TrustZone world
// switches), on the prebuilt mps2-an386 and mps2-an521 samples. Expected values come from
// the sample sources (irq.c, faults.c, boot-s.c) and the ELF symbol table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Server } from 'node:net';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DebugInfo } from '../dwarf';
import { serve } from './main';

const an386 = resolve(__dirname, '..', 'sample-workspaces', 'mps2-an386');
const an521 = resolve(__dirname, '..', 'sample-workspaces', 'mps2-an521');
const elf = (n: string) => join(an386, 'prebuilt', `${n}.elf`);
const irqC = join(an386, 'src', 'irq.c');

/** 1-based line of the first source line containing `text`. */
function lineOf(file: string, text: string): number {
  const i = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `'${text}' not in ${file}`);
  return i + 1;
}
const TICK_LINE = lineOf(irqC, 'systick_count++;');
const LOG_LOOP_LINE = lineOf(irqC, 'uart_puts("  ");');

function symbol(file: string, name: string): number {
  const s = DebugInfo.open(readFileSync(file), file).elf.symbols().find((x) => x.name === name);
  assert.ok(s, `no symbol ${name} in ${file}`);
  return s.value;
}

let server: Server;
let port = 0;
before(async () => { ({ server, port } = await serve(0)); });
after(() => { server.close(); });

interface Session { dc: DebugClient; output: string[] }

async function client(): Promise<Session> {
  const dc = new DebugClient('node', 'unused', 'tandem');
  dc.defaultTimeout = 10_000;
  await dc.start(port);
  const output: string[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
  await dc.initializeRequest({ adapterID: 'tandem', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  return { dc, output };
}

/** Launch with `setup` run between initialized and configurationDone; resolves with the first stop. */
async function launch(s: Session, args: Record<string, unknown>, setup: (dc: DebugClient) => Promise<unknown> = async () => undefined): Promise<DebugProtocol.StoppedEvent> {
  const stopped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    s.dc.waitForEvent('initialized').then(async () => { await setup(s.dc); await s.dc.configurationDoneRequest(); }),
    s.dc.launch({ board: 'mps2-an386', ...args }),
  ]);
  return stopped;
}

async function cont(dc: DebugClient, threadId: number): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await dc.continueRequest({ threadId });
  return stopped;
}

async function topFrame(dc: DebugClient, threadId: number): Promise<DebugProtocol.StackFrame> {
  return (await dc.stackTraceRequest({ threadId, levels: 1 })).body.stackFrames[0];
}

async function local(dc: DebugClient, frameId: number, name: string): Promise<string | undefined> {
  const scopes = await dc.scopesRequest({ frameId });
  const locals = scopes.body.scopes.find((x) => x.name === 'Locals');
  assert.ok(locals);
  const vars = await dc.variablesRequest({ variablesReference: locals.variablesReference });
  return vars.body.variables.find((v) => v.name === name)?.value;
}

async function word(dc: DebugClient, address: number): Promise<number> {
  const r = await dc.customRequest('readMemory', { memoryReference: `0x${address.toString(16)}`, count: 4 }) as DebugProtocol.ReadMemoryResponse;
  return Buffer.from(r.body!.data!, 'base64').readUInt32LE(0);
}

const setBps = (dc: DebugClient, bps: DebugProtocol.SourceBreakpoint[]) => dc.setBreakpointsRequest({ source: { path: irqC }, breakpoints: bps });

test('a condition on a loop local stops exactly on the iteration where it first holds', async () => {
  const s = await client();
  try {
    let reply: DebugProtocol.SetBreakpointsResponse | undefined;
    const e = await launch(s, { program: elf('irq'), stopAtEntry: false }, async (dc) => { reply = await setBps(dc, [{ line: LOG_LOOP_LINE, condition: 'i == 3' }]); });
    assert.equal(reply?.body.breakpoints[0].verified, true);
    assert.equal(e.body.reason, 'breakpoint');
    assert.deepEqual(e.body.hitBreakpointIds, [reply!.body.breakpoints[0].id]);
    const f = await topFrame(s.dc, e.body.threadId!);
    assert.equal(f.line, LOG_LOOP_LINE);
    assert.equal(await local(s.dc, f.id, 'i'), '3');
    // Iterations 0, 1 and 2 ran to completion and printed their event lines; the 4th did not start.
    const lines = s.output.join('').split('\n').filter((l) => /active irqs = /.test(l));
    assert.equal(lines.length, 3, s.output.join(''));
  } finally { await s.dc.stop(); }
});

test('conditions use the full C evaluator (arrays, casts); a failing condition stops and says why', async () => {
  // The expected event order in irq.c: T1, T0_IN, HIGH_IN, HIGH_OUT, T0_OUT, LOW_IN (= 5) at index 5.
  for (const [condition, wantI, err] of [['log_ev[i] == 5 && (unsigned char)i < 200', '5', undefined], ['nosuch > 1', '0', /condition 'nosuch > 1' failed/]] as const) {
    const s = await client();
    try {
      const e = await launch(s, { program: elf('irq'), stopAtEntry: false }, (dc) => setBps(dc, [{ line: LOG_LOOP_LINE, condition }]));
      assert.equal(e.body.reason, 'breakpoint');
      const f = await topFrame(s.dc, e.body.threadId!);
      assert.equal(await local(s.dc, f.id, 'i'), wantI, condition);
      if (err) assert.match(e.body.text ?? '', err);
      else assert.equal(e.body.text, undefined);
    } finally { await s.dc.stop(); }
  }
});

test('conditions on globals and hit counts (== N, % N) count only the hits that pass', async () => {
  const count = symbol(elf('irq'), 'systick_count');
  // systick_count is read before the increment: on the Nth hit it holds N - 1.
  const cases: Array<[DebugProtocol.SourceBreakpoint, number[]]> = [
    [{ line: TICK_LINE, condition: 'systick_count == 2' }, [2]],
    [{ line: TICK_LINE, hitCondition: '== 4' }, [3]],
    [{ line: TICK_LINE, hitCondition: '% 2' }, [1, 3]],
    [{ line: TICK_LINE, condition: 'systick_count > 0', hitCondition: '>= 3' }, [3, 4]],
  ];
  for (const [bp, want] of cases) {
    const s = await client();
    try {
      let e = await launch(s, { program: elf('irq'), stopAtEntry: false }, (dc) => setBps(dc, [bp]));
      const seen: number[] = [];
      for (const _ of want) {
        assert.equal(e.body.reason, 'breakpoint', JSON.stringify(bp));
        seen.push(await word(s.dc, count));
        if (seen.length < want.length) e = await cont(s.dc, e.body.threadId!);
      }
      assert.deepEqual(seen, want, JSON.stringify(bp));
    } finally { await s.dc.stop(); }
  }
});

test('a logpoint prints its interpolated message at every hit and never stops', async () => {
  const s = await client();
  try {
    let ids: number[] = [];
    const e = await launch(s, { program: elf('irq'), stopAtEntry: false }, async (dc) => {
      const r = await setBps(dc, [{ line: TICK_LINE, logMessage: 'tick {systick_count} r0+1={$r0 - $r0 + 1} {{x}}' }, { line: LOG_LOOP_LINE }]);
      ids = r.body.breakpoints.map((b) => b.id!);
    });
    assert.equal(e.body.reason, 'breakpoint');
    assert.deepEqual(e.body.hitBreakpointIds, [ids[1]], 'the first stop is the plain breakpoint after the SysTick phase');
    const ticks = s.output.join('').split('\n').filter((l) => l.startsWith('tick '));
    // wait_for(&systick_count, 5): five ticks before main turns SysTick off.
    assert.ok(ticks.length >= 5, s.output.join(''));
    assert.deepEqual(ticks.slice(0, 5), [0, 1, 2, 3, 4].map((n) => `tick ${n} r0+1=1 {x}`));
  } finally { await s.dc.stop(); }
});

test('a write watchpoint on a global stops after the store with the new value', async () => {
  const s = await client();
  try {
    const e0 = await launch(s, { program: elf('irq') });
    assert.equal(e0.body.reason, 'entry');
    const info = await s.dc.customRequest('dataBreakpointInfo', { name: 'systick_count' }) as DebugProtocol.DataBreakpointInfoResponse;
    assert.ok(info.body.dataId, info.body.description);
    assert.match(info.body.description, new RegExp(`systick_count \\(4 byte\\(s\\) at 0x${symbol(elf('irq'), 'systick_count').toString(16).padStart(8, '0')}\\)`));
    const set = await s.dc.customRequest('setDataBreakpoints', { breakpoints: [{ dataId: info.body.dataId, accessType: 'write' }] }) as DebugProtocol.SetDataBreakpointsResponse;
    assert.equal(set.body.breakpoints[0].verified, true);
    for (const n of [1, 2]) {
      const e = await cont(s.dc, e0.body.threadId!);
      assert.equal(e.body.reason, 'data breakpoint');
      assert.deepEqual(e.body.hitBreakpointIds, [set.body.breakpoints[0].id]);
      assert.match(e.body.description ?? '', new RegExp(`^systick_count: write 0x0000000${n} `));
      const f = await topFrame(s.dc, e.body.threadId!);
      assert.equal(f.name, 'SysTick_Handler');
      // The store has completed (the DWT stops after the access): the line is the increment's or the closing brace's.
      assert.ok(f.line === TICK_LINE || f.line === TICK_LINE + 1, `stopped at line ${f.line}`);
      assert.equal(await word(s.dc, symbol(elf('irq'), 'systick_count')), n);
    }
  } finally { await s.dc.stop(); }
});

test('data breakpoints that cannot be set say why; bad conditions leave breakpoints unverified', async () => {
  const s = await client();
  try {
    const e = await launch(s, { program: elf('irq'), stopAtEntry: false }, (dc) => setBps(dc, [{ line: LOG_LOOP_LINE }]));
    const f = await topFrame(s.dc, e.body.threadId!);
    const noGlobal = await s.dc.customRequest('dataBreakpointInfo', { name: 'no_such_thing' }) as DebugProtocol.DataBreakpointInfoResponse;
    assert.equal(noGlobal.body.dataId, null);
    assert.match(noGlobal.body.description, /no global 'no_such_thing' in irq\.elf/);
    // `i` lives in a register at -O2.
    const scopes = await s.dc.scopesRequest({ frameId: f.id });
    const ref = scopes.body.scopes.find((x) => x.name === 'Locals')!.variablesReference;
    const inReg = await s.dc.customRequest('dataBreakpointInfo', { variablesReference: ref, name: 'i' }) as DebugProtocol.DataBreakpointInfoResponse;
    assert.equal(inReg.body.dataId, null);
    assert.match(inReg.body.description, /'i' is in register r\d+ here/);
    const addr = await s.dc.customRequest('dataBreakpointInfo', { name: '0x20000000', asAddress: true, bytes: 8 }) as DebugProtocol.DataBreakpointInfoResponse;
    assert.match(addr.body.dataId ?? '', /\|536870912\|8\|/);
    const bad = await s.dc.customRequest('setDataBreakpoints', { breakpoints: [{ dataId: 'garbage' }] }) as DebugProtocol.SetDataBreakpointsResponse;
    assert.equal(bad.body.breakpoints[0].verified, false);
    assert.match(bad.body.breakpoints[0].message ?? '', /malformed/);
    const r = await setBps(s.dc, [{ line: TICK_LINE, condition: 'i ==' }, { line: TICK_LINE, hitCondition: 'sometimes' }]);
    assert.deepEqual(r.body.breakpoints.map((b) => b.verified), [false, false]);
    assert.match(r.body.breakpoints[0].message ?? '', /condition 'i ==': the expression ends too early/);
    assert.match(r.body.breakpoints[1].message ?? '', /hit count 'sometimes' is not understood/);
    const fb = await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'main', condition: '(' }] });
    assert.equal(fb.body.breakpoints[0].verified, false);
  } finally { await s.dc.stop(); }
});

test('the UsageFault filter stops at the unaligned LDR with the decoded cause, not at the earlier HardFault', async () => {
  const s = await client();
  try {
    let filters: DebugProtocol.SetExceptionBreakpointsResponse | undefined;
    const e = await launch(s, { program: elf('faults'), stopAtEntry: false }, async (dc) => {
      filters = await dc.setExceptionBreakpointsRequest({ filters: ['usagefault', 'bogus'] });
    });
    assert.deepEqual(filters?.body?.breakpoints?.map((b) => b.verified), [true, false]);
    assert.equal(e.body.reason, 'exception');
    assert.match(e.body.description ?? '', /^UsageFault \(UNALIGNED\)/);
    assert.match(e.body.text ?? '', /UsageFault/);
    const f = await topFrame(s.dc, e.body.threadId!);
    assert.equal(f.name, 'load_word');
    // The divide-by-zero HardFault before it ran its handler without stopping.
    assert.match(s.output.join(''), /sdiv by zero, DIV_0_TRP: faults=1 exception=3/);
  } finally { await s.dc.stop(); }
});

test('the HardFault filter stops at the SDIV whose UsageFault escalated', async () => {
  const s = await client();
  try {
    const e = await launch(s, { program: elf('faults'), stopAtEntry: false }, (dc) => dc.setExceptionBreakpointsRequest({ filters: ['hardfault'] }));
    assert.equal(e.body.reason, 'exception');
    assert.match(e.body.description ?? '', /HardFault/);
    assert.equal((await topFrame(s.dc, e.body.threadId!)).name, 'divide');
  } finally { await s.dc.stop(); }
});

test('mps2-an521: the world-switch filter stops on the BLXNS into the non-secure image', async () => {
  const s = await client();
  try {
    const sElf = join(an521, 'prebuilt', 'boot-s.elf'), nsElf = join(an521, 'prebuilt', 'boot-ns.elf');
    const e = await launch(s, {
      board: 'mps2-an521', stopAtEntry: false,
      images: [{ program: sElf, world: 'secure' }, { program: nsElf, world: 'non-secure' }],
    }, (dc) => dc.setExceptionBreakpointsRequest({ filters: ['world-switch'] }));
    assert.equal(e.body.reason, 'world switch');
    assert.match(e.body.description ?? '', /^S→NS via BLXNS at 0x1[0-9a-f]{7} \(__gnu_cmse_nonsecure_call\)$/);
    const f = await topFrame(s.dc, e.body.threadId!);
    assert.equal(f.instructionPointerReference, `0x${symbol(nsElf, 'ns_reset').toString(16).padStart(8, '0')}`);
    const th = await s.dc.threadsRequest();
    assert.match(th.body.threads.find((t) => t.id === e.body.threadId)!.name, /Non-secure/);
    // The next switch goes the other way: NS code calls a secure service through its veneer.
    const back = await cont(s.dc, e.body.threadId!);
    assert.equal(back.body.reason, 'world switch');
    assert.equal(back.body.description, `NS→S via SG at 0x${symbol(sElf, 's_sau_ctrl').toString(16).padStart(8, '0')} (s_sau_ctrl)`);
  } finally { await s.dc.stop(); }
});

test('mps2-an521: the reset-release filter stops when CPU1 leaves reset, on its own thread', async () => {
  const s = await client();
  try {
    const sElf = join(an521, 'prebuilt', 'mhu-s.elf'), nsElf = join(an521, 'prebuilt', 'mhu-ns.elf');
    const e = await launch(s, {
      board: 'mps2-an521', stopAtEntry: false,
      images: [{ program: sElf, world: 'secure' }, { program: nsElf, world: 'non-secure' }],
    }, (dc) => dc.setExceptionBreakpointsRequest({ filters: ['reset-release'] }));
    assert.equal(e.body.reason, 'reset released');
    assert.match(e.body.description ?? '', /released from reset/);
    const th = await s.dc.threadsRequest();
    assert.equal(th.body.threads.length, 2);
    assert.equal(e.body.threadId, th.body.threads[1].id, 'the stop is on the second core');
    const f = await topFrame(s.dc, e.body.threadId!);
    assert.equal(f.instructionPointerReference, `0x${symbol(sElf, 'cpu1_reset').toString(16).padStart(8, '0')}`);
  } finally { await s.dc.stop(); }
});
