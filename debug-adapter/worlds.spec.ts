// DebugClient scenarios of issue #6 on sample-workspaces/trustzone-m-hello (C, -O0): stepping
// into a secure service through its SG veneer and out again, next over a call that crosses
// worlds, step into a non-secure callback through BLXNS and back through FNC_RETURN, a stack
// trace that spans both worlds, breakpoints bound to one world, qualified function breakpoints
// and the order of world switches the world-switch filter reports. Lines come from the sources,
// addresses from the ELF symbol tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DebugInfo } from '../dwarf';
import { adapterServer } from './test-adapter';

const ws = resolve(__dirname, '..', 'sample-workspaces', 'trustzone-m-hello');
const nsC = resolve(ws, 'src', 'ns.c');
const secureC = resolve(ws, 'src', 'secure.c');
const sElf = resolve(ws, 'prebuilt', 'secure.elf');
const nsElf = resolve(ws, 'prebuilt', 'ns.elf');

function lineOf(file: string, text: string): number {
  const i = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `'${text}' not in ${file}`);
  return i + 1;
}
function symbol(file: string, name: string): number {
  const s = DebugInfo.open(readFileSync(file), file).elf.symbols().find((x) => x.name === name);
  assert.ok(s, `no symbol ${name} in ${file}`);
  return s.value & ~1;
}
const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

const ADD_CALL = lineOf(nsC, 'int32_t sum = secure_add(3, 4);');
const ADD_NEXT = lineOf(nsC, 'uart_puts("ns: secure_add(3, 4) = ");');
const APPLY_CALL = lineOf(nsC, 'int32_t applied = secure_apply(ns_square, 5);');
const ADD_BODY = lineOf(secureC, 'int32_t sum = a + b;');
const CALLBACK_CALL = lineOf(secureC, 'int32_t answer = call(doubled);');
const SQUARE_BODY = lineOf(nsC, 'int32_t square = v * v;');

const { client } = adapterServer();

const images = [{ program: sElf, world: 'secure' }, { program: nsElf, world: 'non-secure' }];

/** Launch both images with source breakpoints set before configurationDone; resolves with the first stop. */
async function launch(dc: DebugClient, bps: Array<{ file: string; line: number }>, more: (dc: DebugClient) => Promise<unknown> = async () => undefined, stopAtEntry: string | false = false, imgs: typeof images = images): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    dc.waitForEvent('initialized').then(async () => {
      const byFile = new Map<string, number[]>();
      for (const b of bps) byFile.set(b.file, [...(byFile.get(b.file) ?? []), b.line]);
      for (const [file, lines] of byFile) await dc.setBreakpointsRequest({ source: { path: file }, breakpoints: lines.map((line) => ({ line })) });
      await more(dc);
      await dc.configurationDoneRequest();
    }),
    dc.launch({ board: 'mps2-an521', images: imgs, stopAtEntry } as DebugProtocol.LaunchRequestArguments),
  ]);
  return stopped;
}

async function act(dc: DebugClient, what: 'in' | 'out' | 'next' | 'continue', threadId: number, granularity?: 'instruction'): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  const args = { threadId, ...(granularity ? { granularity } : {}) };
  if (what === 'in') await dc.stepInRequest(args);
  else if (what === 'out') await dc.stepOutRequest(args);
  else if (what === 'next') await dc.nextRequest(args);
  else await dc.continueRequest(args);
  return stopped;
}

async function frames(dc: DebugClient, threadId: number): Promise<DebugProtocol.StackFrame[]> {
  return (await dc.stackTraceRequest({ threadId })).body.stackFrames;
}

async function threadName(dc: DebugClient, threadId: number): Promise<string> {
  return (await dc.threadsRequest()).body.threads.find((t) => t.id === threadId)!.name;
}

async function variable(dc: DebugClient, frameId: number, name: string): Promise<string | undefined> {
  for (const sc of (await dc.scopesRequest({ frameId })).body.scopes) {
    if (sc.name !== 'Locals' && sc.name !== 'Arguments') continue;
    const v = (await dc.variablesRequest({ variablesReference: sc.variablesReference })).body.variables.find((x) => x.name === name);
    if (v !== undefined) return v.value;
  }
  return undefined;
}

test('stepIn on a NS line that calls a secure service stops on its first line in secure.c; stepOut returns to the NS caller', async () => {
  const dc = await client();
  try {
    const e = await launch(dc, [{ file: nsC, line: ADD_CALL }]);
    const t = e.body.threadId!;
    assert.equal((await frames(dc, t))[0].line, ADD_CALL);
    const into = await act(dc, 'in', t);
    assert.equal(into.body.reason, 'step');
    const st = await frames(dc, t);
    assert.equal(st[0].source?.path, secureC);
    assert.equal(st[0].line, ADD_BODY, 'the first line of secure_add, past its prologue (never the veneer)');
    assert.equal(st[0].name, 'secure_add [S]');
    assert.equal(st[1].name, 'main [NS]');
    assert.equal(st[1].source?.path, nsC);
    assert.equal(st[1].line, ADD_CALL);
    assert.match(await threadName(dc, t), /^CPU0 \[Secure, Thread\]/);
    assert.equal(await variable(dc, st[0].id, 'a'), '3');
    assert.equal(await variable(dc, st[0].id, 'b'), '4');
    const out = await act(dc, 'out', t);
    assert.equal(out.body.reason, 'step');
    const back = await frames(dc, t);
    assert.equal(back[0].source?.path, nsC);
    assert.equal(back[0].line, ADD_CALL, 'back in the caller, in the middle of its line, like gdb finish');
    assert.match(await threadName(dc, t), /Non-secure/);
    const nxt = await act(dc, 'next', t);
    assert.equal(nxt.body.reason, 'step');
    assert.equal((await frames(dc, t))[0].line, ADD_NEXT);
    assert.equal(await variable(dc, (await frames(dc, t))[0].id, 'sum'), '7');
  } finally { await dc.stop(); }
});

test('next over a call into the secure world completes on the next line of the caller', async () => {
  const dc = await client();
  try {
    const e = await launch(dc, [{ file: nsC, line: ADD_CALL }]);
    const t = e.body.threadId!;
    const nxt = await act(dc, 'next', t);
    assert.equal(nxt.body.reason, 'step');
    const st = await frames(dc, t);
    assert.equal(st[0].source?.path, nsC);
    assert.equal(st[0].line, ADD_NEXT);
  } finally { await dc.stop(); }
});

test('stepIn on the BLXNS call lands in the NS callback in ns.c; the stack spans both worlds; stepOut returns through FNC_RETURN', async () => {
  const dc = await client();
  try {
    const e = await launch(dc, [{ file: secureC, line: CALLBACK_CALL }]);
    const t = e.body.threadId!;
    assert.equal((await frames(dc, t))[0].line, CALLBACK_CALL);
    const into = await act(dc, 'in', t);
    assert.equal(into.body.reason, 'step');
    const st = await frames(dc, t);
    assert.equal(st[0].source?.path, nsC);
    assert.equal(st[0].line, SQUARE_BODY);
    assert.equal(st[0].name, 'ns_square [NS]');
    assert.equal(await variable(dc, st[0].id, 'v'), '10', 'secure_apply doubled 5');
    // ns_square ← (BLXNS helper) ← secure_apply ← main, through FNC_RETURN on the secure stack.
    const named = st.filter((f) => f.source !== undefined).map((f) => `${f.name} ${f.source!.path === nsC ? 'ns.c' : f.source!.path === secureC ? 'secure.c' : f.source!.name}:${f.line}`);
    assert.deepEqual(named.slice(0, 3), [`ns_square [NS] ns.c:${SQUARE_BODY}`, `secure_apply [S] secure.c:${CALLBACK_CALL}`, `main [NS] ns.c:${APPLY_CALL}`]);
    const helper = st.find((f) => f.name.startsWith('__gnu_cmse_nonsecure_call'));
    assert.ok(helper, 'the BLXNS helper frame is shown between the worlds');
    assert.equal(helper.source, undefined, 'a trampoline has no source a user could open');
    assert.equal(helper.presentationHint, 'subtle');
    // The secure frame's locals are read from the secure stack while the core runs non-secure.
    const applyFrame = st.find((f) => f.name === 'secure_apply [S]')!;
    assert.equal(await variable(dc, applyFrame.id, 'doubled'), '10');
    const out = await act(dc, 'out', t);
    assert.equal(out.body.reason, 'step');
    const back = await frames(dc, t);
    assert.equal(back[0].source?.path, secureC, 'stepOut skips the BLXNS helper and returns to secure_apply');
    assert.equal(back[0].line, CALLBACK_CALL);
    assert.match(await threadName(dc, t), /Secure/);
    const nxt = await act(dc, 'next', t);
    assert.equal((await frames(dc, t))[0].line, CALLBACK_CALL + 1);
    assert.equal(nxt.body.reason, 'step');
    assert.equal(await variable(dc, (await frames(dc, t))[0].id, 'answer'), '100');
  } finally { await dc.stop(); }
});

test('next at the last line of the NS callback returns through FNC_RETURN to the secure caller', async () => {
  const dc = await client();
  try {
    const ret = lineOf(nsC, 'return square;');
    const e = await launch(dc, [{ file: nsC, line: ret }]);
    const t = e.body.threadId!;
    let guard = 0;
    let st = await frames(dc, t);
    while (st[0].source?.path === nsC && guard++ < 5) { await act(dc, 'next', t); st = await frames(dc, t); }
    assert.equal(st[0].source?.path, secureC);
    assert.equal(st[0].name, 'secure_apply [S]');
    assert.ok(st[0].line >= CALLBACK_CALL && st[0].line <= CALLBACK_CALL + 1, `stopped at secure.c:${st[0].line}`);
  } finally { await dc.stop(); }
});

test('instruction stepping shows the SG and the world it enters', async () => {
  const dc = await client();
  try {
    const e = await launch(dc, [{ file: nsC, line: ADD_CALL }]);
    const t = e.body.threadId!;
    const veneer = symbol(sElf, 'secure_add');
    let seen: DebugProtocol.StoppedEvent | undefined;
    for (let i = 0; i < 40 && seen === undefined; i++) {
      const s = await act(dc, 'in', t, 'instruction');
      if (/via SG/.test(s.body.description ?? '')) seen = s;
    }
    assert.ok(seen, 'a step reported the SG');
    assert.equal(seen.body.description, `Step: NS→S via SG at ${hex(veneer)} (secure_add)`);
    assert.match(await threadName(dc, t), /Secure/);
  } finally { await dc.stop(); }
});

/** The address of the first halfword in function `fn` of `file` that `match` accepts (an instruction to stop at). */
function insnIn(file: string, fn: string, match: (hw: number) => boolean): number {
  const bytes = readFileSync(file);
  const info = DebugInfo.open(bytes, file);
  const [f] = info.functionAddresses(fn);
  assert.ok(f, `no function ${fn} in ${file}`);
  const sec = info.elf.sections.find((x) => x.type === 1 && f.lo >= x.addr && f.hi <= x.addr + x.size);
  assert.ok(sec, `no PROGBITS section holds ${fn}`);
  const code = bytes.subarray(sec.offset + f.lo - sec.addr, sec.offset + f.hi - sec.addr);
  for (let o = 0; o + 1 < code.length; o += 2) if (match(code[o] | (code[o + 1] << 8))) return f.lo + o;
  assert.fail(`no such instruction in ${fn}`);
}

test('instruction stepping shows BLXNS into the callback, its return through FNC_RETURN, and BXNS to the NS caller', async () => {
  const dc = await client();
  try {
    const e = await launch(dc, [{ file: secureC, line: CALLBACK_CALL }]);
    const t = e.body.threadId!;
    const stepUntilSwitch = async (limit: number) => {
      for (let i = 0; i < limit; i++) {
        const s = await act(dc, 'in', t, 'instruction');
        if (/via /.test(s.body.description ?? '')) return s.body.description!;
      }
      return 'no switch';
    };
    assert.match(await stepUntilSwitch(40), /^Step: S→NS via BLXNS at 0x1[0-9a-f]{7} \(__gnu_cmse_nonsecure_call\)$/);
    // ns_square returns with POP {r7, pc} to FNC_RETURN; secure_apply with BXNS lr.
    const pop = insnIn(nsElf, 'ns_square', (hw) => (hw & 0xff00) === 0xbd00);
    const bxns = insnIn(sElf, 'secure_apply', (hw) => hw === 0x4774);
    await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: `ns:${hex(pop)}` }, { instructionReference: `s:${hex(bxns)}` }] });
    assert.equal((await act(dc, 'continue', t)).body.reason, 'breakpoint');
    assert.equal(await stepUntilSwitch(1), `Step: NS→S via POP at ${hex(pop)} (ns_square)`);
    assert.equal((await act(dc, 'continue', t)).body.reason, 'breakpoint');
    assert.equal(await stepUntilSwitch(1), `Step: S→NS via BXNS at ${hex(bxns)} (secure_apply)`);
  } finally { await dc.stop(); }
});

test('the world-switch filter reports the transitions of secure_apply in order', async () => {
  const dc = await client();
  try {
    const e = await launch(dc, [{ file: nsC, line: APPLY_CALL }, { file: nsC, line: APPLY_CALL + 1 }]);
    const t = e.body.threadId!;
    await dc.setExceptionBreakpointsRequest({ filters: ['world-switch'] });
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      const s = await act(dc, 'continue', t);
      if (s.body.reason === 'breakpoint') break;
      assert.equal(s.body.reason, 'world switch');
      seen.push(s.body.description ?? '');
    }
    const applyVeneer = symbol(sElf, 'secure_apply');
    assert.equal(seen.length, 4, seen.join('\n'));
    assert.equal(seen[0], `NS→S via SG at ${hex(applyVeneer)} (secure_apply)`);
    assert.match(seen[1], /^S→NS via BLXNS at 0x1[0-9a-f]{7} \(__gnu_cmse_nonsecure_call\)$/);
    assert.match(seen[2], /^NS→S via FNC_RETURN at 0x002[0-9a-f]{5} \(ns_square\)$/);
    assert.match(seen[3], /^S→NS via BXNS at 0x1[0-9a-f]{7} \(secure_apply\)$/);
  } finally { await dc.stop(); }
});

test('breakpoints are bound to a world: s: at a NS address never fires, ns: does; s:secure_add stops in secure.c', async () => {
  const dc = await client();
  try {
    const sq = symbol(nsElf, 'ns_square');
    const fb = (names: string[]) => dc.setFunctionBreakpointsRequest({ breakpoints: names.map((name) => ({ name })) });
    let fbResult: DebugProtocol.SetFunctionBreakpointsResponse | undefined;
    let ibResult: DebugProtocol.SetInstructionBreakpointsResponse | undefined;
    const e = await launch(dc, [], async (d) => {
      ibResult = await d.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: `s:${hex(sq)}` }] }) as DebugProtocol.SetInstructionBreakpointsResponse;
      fbResult = await fb(['s:secure_add', 'ns:secure_add', 'q:secure_add']);
    });
    assert.equal(ibResult!.body.breakpoints[0].verified, true);
    assert.equal(fbResult!.body.breakpoints[0].verified, true, 's:secure_add');
    // ns:secure_add is the veneer's address as the NS image knows it (its import library):
    // the core reaches it still non-secure, before the SG.
    assert.equal(fbResult!.body.breakpoints[1].verified, true, 'ns:secure_add');
    assert.equal(fbResult!.body.breakpoints[1].instructionReference, hex(symbol(sElf, 'secure_add')));
    assert.match(fbResult!.body.breakpoints[2].message ?? '', /'q' is not a world/);
    // The s: instruction breakpoint at ns_square never fires; the veneer stops first (NS), then secure_add (S).
    assert.equal(e.body.reason, 'breakpoint');
    assert.equal((await frames(dc, e.body.threadId!))[0].instructionPointerReference, hex(symbol(sElf, 'secure_add')));
    assert.match(await threadName(dc, e.body.threadId!), /Non-secure/);
    const e2 = await act(dc, 'continue', e.body.threadId!);
    assert.equal(e2.body.reason, 'breakpoint');
    const st = await frames(dc, e.body.threadId!);
    assert.equal(st[0].source?.path, secureC);
    assert.equal(st[0].line, ADD_BODY);
    assert.match(await threadName(dc, e.body.threadId!), /Secure/);
    await fb([]);
    const exited = dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
    // DebugClient applies no event timeouts against a --server adapter: count stops instead.
    let stops = 0;
    dc.on('stopped', () => { stops++; });
    await dc.continueRequest({ threadId: e.body.threadId! });
    assert.equal((await exited).body.exitCode, 0, 'ran to the end: ns_square ran in the NS world only');
    assert.equal(stops, 0, 'the s: breakpoint at the NS function never stopped the run');
  } finally { await dc.stop(); }
  const dc2 = await client();
  try {
    const sq = symbol(nsElf, 'ns_square');
    const e = await launch(dc2, [], (d) => d.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: `ns:${hex(sq)}` }] }));
    assert.equal(e.body.reason, 'breakpoint');
    assert.equal((await frames(dc2, e.body.threadId!))[0].instructionPointerReference, hex(sq));
  } finally { await dc2.stop(); }
});

// The mps2-an521 systick sample: a secure and a non-secure SysTick at once.
const an521 = resolve(__dirname, '..', 'sample-workspaces', 'mps2-an521');
const systickS = resolve(an521, 'src', 'systick-s.c'), systickNs = resolve(an521, 'src', 'systick-ns.c');
const systickImages = [{ program: resolve(an521, 'prebuilt', 'systick-s.elf'), world: 'secure' }, { program: resolve(an521, 'prebuilt', 'systick-ns.elf'), world: 'non-secure' }];

test('a secure SysTick that preempted non-secure code unwinds through the exception frame on the NS stack', async () => {
  const nC = systickNs;
  const dc = await client();
  try {
    const e = await launch(dc, [{ file: systickS, line: lineOf(systickS, 's_ticks_over_ns = s_ticks_over_ns + 1u;') }], undefined, false, systickImages);
    const st = await frames(dc, e.body.threadId!);
    assert.equal(st[0].name, 'systick_count [S]');
    const k = st.findIndex((f) => f.name === '<signal handler: SysTick>');
    assert.ok(k > 0, st.map((f) => f.name).join(' | '));
    const interrupted = st[k + 1];
    assert.equal(interrupted.name, 'main [NS]', 'the NS code the secure SysTick preempted');
    assert.equal(interrupted.source?.path, nC);
    const loopFirst = lineOf(nC, 'while ((ns_ticks < 5u');
    assert.ok(interrupted.line >= loopFirst && interrupted.line <= loopFirst + 3, `interrupted at systick-ns.c:${interrupted.line}`);
    assert.match(await threadName(dc, e.body.threadId!), /^CPU0 \[Secure, Handler: SysTick\]/);
  } finally { await dc.stop(); }
});

test('instruction stepping shows a secure exception taken from NS code and its return to NS', async () => {
  const nC = systickNs;
  const dc = await client();
  try {
    const t = (await launch(dc, [{ file: nC, line: lineOf(nC, 'wakeups++;') }], undefined, false, systickImages)).body.threadId!;
    await dc.setBreakpointsRequest({ source: { path: nC }, breakpoints: [] });
    const seen: string[] = [];
    for (let i = 0; i < 3000 && seen.length < 2; i++) {
      const s = await act(dc, 'in', t, 'instruction');
      const d = s.body.description ?? '';
      if (/via exception/.test(d) && (seen.length > 0 || /NS→S/.test(d))) seen.push(d);
    }
    assert.equal(seen.length, 2, seen.join('\n'));
    assert.match(seen[0], /^Step: NS→S via exception entry at 0x002[0-9a-f]{5} \(main\)$/);
    assert.match(seen[1], /^Step: S→NS via exception return at 0x1[0-9a-f]{7} \(systick_count\)$/);
  } finally { await dc.stop(); }
});

