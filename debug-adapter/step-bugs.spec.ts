// Two stepping/pausing races, driven through DebugClient: a pause that lands while a
// breakpoint condition is being evaluated must stop the target (not be swallowed by the
// rule's "run on"), and `next` over a call must stop at a user breakpoint on the callee's
// first instruction (gdb does), not step off it on the way to the return address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DebugInfo } from '../dwarf';
import { adapterServer } from './test-adapter';
import { EmulatorTarget } from './emulator-target';

const basics = resolve(__dirname, '..', 'sample-workspaces', 'cortex-m4-basics');
const basicsElf = join(basics, 'prebuilt', 'basics.elf');
const mainC = join(basics, 'src', 'main.c');

const { client } = adapterServer();

/** DebugClient has no typed helper for setInstructionBreakpoints. */
async function setInstructionBps(dc: DebugClient, breakpoints: DebugProtocol.InstructionBreakpoint[]): Promise<DebugProtocol.Breakpoint[]> {
  const r = await dc.customRequest('setInstructionBreakpoints', { breakpoints }) as DebugProtocol.SetInstructionBreakpointsResponse;
  return r.body.breakpoints;
}

async function launch(dc: DebugClient, args: Record<string, unknown>, setup: () => Promise<unknown>): Promise<void> {
  await Promise.all([
    dc.waitForEvent('initialized').then(async () => { await setup(); await dc.configurationDoneRequest(); }),
    dc.launch({ board: 'mps2-an386', ...args }),
  ]);
}

/**
 * The next stopped event, or a rejection naming `what` after `ms`. DebugClient applies no
 * timeouts of its own when connected to a server port, so the race is ours.
 */
function nextStop(dc: DebugClient, what: string, ms: number): Promise<DebugProtocol.StoppedEvent> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no stopped event within ${ms} ms after ${what}`)), ms); });
  const ev = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  return Promise.race([ev, late]).finally(() => clearTimeout(timer));
}

/** A two-instruction loop (r0 counts up) at 0x400, with the vector table at 0. */
function spinElf(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-stepbugs-'));
  const s = join(dir, 'spin.s'), out = join(dir, 'spin.elf');
  writeFileSync(s, '.syntax unified\n.thumb\n.section .vectors,"a"\n.word 0x20001000\n.word reset\n.text\n.thumb_func\nreset:\nadds r0, #1\nb reset\n');
  execFileSync('arm-none-eabi-gcc', ['-mcpu=cortex-m4', '-mthumb', '-nostdlib', '-g', '-Wl,-Ttext=0x400', '-Wl,--section-start=.vectors=0', '-o', out, s]);
  return out;
}

/**
 * Makes the target's register and memory reads take a timer tick, as over a probe or a socket:
 * a condition's evaluation then spans event-loop turns, and a pause can arrive in the middle.
 * (The server runs in this process, so the prototype is the one the session uses.)
 */
function slowReads(): () => void {
  const proto = EmulatorTarget.prototype;
  const saved = { readRegister: proto.readRegister, readRegisters: proto.readRegisters, readMemory: proto.readMemory };
  const tick = () => new Promise((r) => setTimeout(r, 1));
  proto.readRegister = async function (this: EmulatorTarget, ...a) { await tick(); return saved.readRegister.apply(this, a); };
  proto.readRegisters = async function (this: EmulatorTarget, ...a) { await tick(); return saved.readRegisters.apply(this, a); };
  proto.readMemory = async function (this: EmulatorTarget, ...a) { await tick(); return saved.readMemory.apply(this, a); };
  return () => Object.assign(proto, saved);
}

// The 50 ms goal is held by the median; each single pause must still stop (a lost pause is the
// bug) within 250 ms, so a busy CI machine's scheduling jitter does not fail the run.
test('pause while a never-true conditional breakpoint is hit on every iteration stops each time (median under 50 ms)', async () => {
  const dc = await client();
  const restore = slowReads();
  try {
    await launch(dc, { program: spinElf(), stopAtEntry: false }, async () => {
      // r0 would need ~2^31 iterations to reach this: the condition is false at every hit.
      const [b] = await setInstructionBps(dc, [{ instructionReference: '0x400', condition: '$r0 == 0x80000000' }]);
      assert.equal(b.verified, true, b.message ?? '');
    });
    const slow: string[] = [];
    const times: number[] = [];
    for (let i = 0; i < 25; i++) {
      // Let the loop run a little (some hits, some condition evaluations) before pausing.
      await new Promise((r) => setTimeout(r, 2 + (i % 5)));
      const stopped = nextStop(dc, `pause ${i}`, 1000);
      const t0 = process.hrtime.bigint();
      await dc.pauseRequest({ threadId: 1 });
      const e = await stopped;
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      assert.equal(e.body.reason, 'pause', `pause ${i}: ${e.body.description}`);
      times.push(ms);
      if (ms >= 250) slow.push(`pause ${i}: ${ms.toFixed(1)} ms`);
      // The guest really ran between pauses: r0 keeps counting.
      const r0 = Number((await dc.evaluateRequest({ expression: '$r0', context: 'watch' })).body.result);
      assert.ok(r0 > i, `pause ${i}: r0 = ${r0}`);
      await dc.continueRequest({ threadId: 1 });
    }
    assert.deepEqual(slow, []);
    const median = [...times].sort((a, b) => a - b)[times.length >> 1];
    assert.ok(median < 50, `median pause latency ${median.toFixed(1)} ms`);
  } finally { restore(); await dc.stop(); }
});

function lineOf(file: string, text: string): number {
  const i = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `'${text}' not in ${file}`);
  return i + 1;
}

function symbol(file: string, name: string): number {
  const s = DebugInfo.open(readFileSync(file), file).elf.symbols().find((x) => x.name === name);
  assert.ok(s, `no symbol ${name} in ${file}`);
  return (s.value & ~1) >>> 0;
}

/** Stopped at `fact = factorial(6)` in main, with an instruction breakpoint on factorial's first instruction. */
async function atFactorialCall(dc: DebugClient): Promise<{ entry: number; bpId: number }> {
  const callLine = lineOf(mainC, 'uint32_t fact = factorial(6);');
  const entry = symbol(basicsElf, 'factorial');
  let bpId = -1;
  await launch(dc, { program: basicsElf }, async () => {
    await dc.setBreakpointsRequest({ source: { path: mainC }, breakpoints: [{ line: callLine }] });
  });
  // stopAtEntry (main), then the line breakpoint.
  let e = await nextStop(dc, 'launch', 10_000);
  if (e.body.reason === 'entry') {
    const p = nextStop(dc, 'continue to the call line', 10_000);
    await dc.continueRequest({ threadId: 1 });
    e = await p;
  }
  assert.equal(e.body.reason, 'breakpoint', e.body.description ?? '');
  const top = (await dc.stackTraceRequest({ threadId: 1, levels: 1 })).body.stackFrames[0];
  assert.equal(top.line, callLine);
  // Only now: main's own startup must not hit it first.
  const [b] = await setInstructionBps(dc, [{ instructionReference: `0x${entry.toString(16)}` }]);
  assert.equal(b.verified, true, b.message ?? '');
  bpId = b.id!;
  return { entry, bpId };
}

/** The stop is factorial(6)'s entry called from main, not a recursive activation. */
async function assertAtOuterEntry(dc: DebugClient, e: DebugProtocol.StoppedEvent, entry: number, bpId: number): Promise<void> {
  assert.equal(e.body.reason, 'breakpoint', `stopped with '${e.body.reason}' (${e.body.description})`);
  assert.deepEqual(e.body.hitBreakpointIds, [bpId]);
  const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
  assert.equal(Number(frames[0].instructionPointerReference), entry, `pc ${frames[0].instructionPointerReference}`);
  assert.match(frames[1]?.name ?? '', /^main\b/, frames.map((f) => f.name).join(' < '));
  assert.equal(Number((await dc.evaluateRequest({ expression: '$r0', context: 'watch', frameId: frames[0].id })).body.result), 6);
}

test('next over a call stops at an instruction breakpoint on the callee\'s first instruction', async () => {
  const dc = await client();
  try {
    const { entry, bpId } = await atFactorialCall(dc);
    const p = nextStop(dc, 'next', 10_000);
    await dc.nextRequest({ threadId: 1 });
    await assertAtOuterEntry(dc, await p, entry, bpId);
  } finally { await dc.stop(); }
});

test('instruction next over the BL stops at a breakpoint on the callee\'s first instruction', async () => {
  const dc = await client();
  try {
    const { entry, bpId } = await atFactorialCall(dc);
    let e: DebugProtocol.StoppedEvent | undefined;
    // The line is a few instructions (load the argument, BL): bounded.
    for (let i = 0; i < 16; i++) {
      const p = nextStop(dc, `instruction next ${i}`, 10_000);
      await dc.nextRequest({ threadId: 1, granularity: 'instruction' });
      e = await p;
      if (e.body.reason !== 'step') break;
    }
    assert.ok(e !== undefined);
    await assertAtOuterEntry(dc, e, entry, bpId);
  } finally { await dc.stop(); }
});
