// DebugClient tests of the TrustZone-M views on the mps2-an521 samples and trustzone-m-hello:
// the banked Registers (VTOR_NS, MSP_NS, CONTROL_NS... against the NS vector table and what the
// firmware prints), the Security scope (SAU table and attribution against the firmware's own TT
// read-back; SFSR/SFAR/pc at each SecureFault against the handler's printout, including faults
// chosen by a variable set from the debugger), and thread names that follow the world.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ElfFile } from '../dwarf';
import { adapterServer } from './test-adapter';
import { EmulatorTarget } from './emulator-target';
import { VariableStore } from './variables';
import type { Target } from './target';

const prebuilt = resolve(__dirname, '..', 'sample-workspaces', 'mps2-an521', 'prebuilt');
const elf = (n: string) => join(prebuilt, `${n}.elf`);
const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

const { client } = adapterServer();

function symbol(file: string, name: string): number {
  const s = ElfFile.parse(readFileSync(file), file).symbols().find((x) => x.name === name);
  assert.ok(s, `${file}: no symbol ${name}`);
  return s.value >>> 0;
}

/** Word `index` of the image's vector table, read from the ELF file itself. */
function vectorWord(file: string, table: string, index: number): number {
  const e = ElfFile.parse(readFileSync(file), file);
  const at = symbol(file, table) + 4 * index;
  const sec = e.sections.find((s) => s.name !== '' && at >= s.addr && at + 4 <= s.addr + s.size && s.type !== 8);
  assert.ok(sec, `${file}: no section holds ${hex(at)}`);
  return readFileSync(file).readUInt32LE(sec.offset + at - sec.addr);
}

/** Everything the guest wrote to the console UART so far, as the adapter forwarded it. */
function collectOutput(dc: DebugClient): () => string {
  let text = '';
  dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stdout') text += e.body.output; });
  return () => text;
}

async function launchPair(dc: DebugClient, sample: string, opts: { filters?: string[]; instructionBps?: string[]; stopAtEntry?: false } = {}): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    dc.waitForEvent('initialized').then(async () => {
      if (opts.instructionBps) await dc.customRequest('setInstructionBreakpoints', { breakpoints: opts.instructionBps.map((instructionReference) => ({ instructionReference })) });
      await dc.setExceptionBreakpointsRequest({ filters: opts.filters ?? [] });
      await dc.configurationDoneRequest();
    }),
    dc.launch({
      board: 'mps2-an521',
      images: [{ program: elf(`${sample}-s`), world: 'secure' }, { program: elf(`${sample}-ns`), world: 'non-secure' }],
      ...(opts.stopAtEntry === false ? { stopAtEntry: false } : {}),
    }),
  ]);
  return stopped;
}

async function continueToStop(dc: DebugClient, threadId: number): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await dc.continueRequest({ threadId });
  return stopped;
}

async function continueToEnd(dc: DebugClient, threadId: number): Promise<void> {
  const done = dc.waitForEvent('terminated');
  await dc.continueRequest({ threadId });
  await done;
}

async function threadName(dc: DebugClient, threadId: number): Promise<string> {
  const t = (await dc.threadsRequest()).body.threads.find((x) => x.id === threadId);
  assert.ok(t, `no thread ${threadId}`);
  return t.name;
}

async function scope(dc: DebugClient, threadId: number, name: string): Promise<DebugProtocol.Variable[] | undefined> {
  const frame = (await dc.stackTraceRequest({ threadId })).body.stackFrames[0];
  const s = (await dc.scopesRequest({ frameId: frame.id })).body.scopes.find((x) => x.name === name);
  return s === undefined ? undefined : (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
}

async function children(dc: DebugClient, v: DebugProtocol.Variable | undefined): Promise<Map<string, string>> {
  assert.ok(v && v.variablesReference > 0, `${v?.name ?? 'variable'} does not expand`);
  return new Map((await dc.variablesRequest({ variablesReference: v.variablesReference })).body.variables.map((x) => [x.name, x.value]));
}

/** The banked registers (the Registers scope's Banked (S/NS) group) by name, as numbers. */
async function banked(dc: DebugClient, threadId: number): Promise<Map<string, number>> {
  const regs = await scope(dc, threadId, 'Registers');
  const group = await children(dc, regs?.find((v) => v.name === 'Banked (S/NS)'));
  return new Map([...group].map(([k, v]) => [k, Number(v)]));
}

test('boot: VTOR_NS, MSP_NS and CONTROL_NS as the NS image sets them, thread name Secure → Non-secure', async () => {
  const s = elf('boot-s'), ns = elf('boot-ns');
  const nsReset = symbol(ns, 'ns_reset');
  const dc = await client();
  const output = collectOutput(dc);
  try {
    const first = await launchPair(dc, 'boot', { instructionBps: [`ns:${hex(nsReset)}`] });
    const tid = first.body.threadId!;
    assert.equal(await threadName(dc, tid), 'CPU0 [Secure, Thread]');
    let bk = await banked(dc, tid);
    // Reset loaded VTOR_S from INITSVTOR0, where the secure vector table is linked.
    assert.equal(hex(bk.get('vtor_s')!), hex(symbol(s, 'vector_table')));
    // MSP_S came from word 0 of that table; main's prologue has pushed a little since.
    const top = vectorWord(s, 'vector_table', 0), mspS = bk.get('msp_s')!;
    assert.ok(mspS <= top && top - mspS < 256, `MSP_S ${hex(mspS)} just below ${hex(top)}`);

    const e = await continueToStop(dc, tid);
    assert.equal(e.body.reason, 'breakpoint');
    assert.equal(await threadName(dc, tid), 'CPU0 [Non-secure, Thread]');
    bk = await banked(dc, tid);
    // tz_boot_ns: VTOR_NS = the NS vector table, MSP_NS = its word 0; BLXNS left MSP_NS untouched.
    assert.equal(hex(bk.get('vtor_ns')!), hex(symbol(ns, 'ns_vector_table')));
    assert.equal(hex(bk.get('msp_ns')!), hex(vectorWord(ns, 'ns_vector_table', 0)));
    assert.equal(hex(nsReset), hex(vectorWord(ns, 'ns_vector_table', 1) & ~1));
    // The secure bank is still there, and the current copies alias the NS bank now.
    assert.equal(hex(bk.get('vtor_s')!), hex(symbol(s, 'vector_table')));
    const regs = await scope(dc, tid, 'Registers');
    assert.equal(regs?.find((v) => v.name === 'sp')?.value, hex(bk.get('msp_ns')!));
    const group = (await scope(dc, tid, 'Registers'))!.find((v) => v.name === 'Banked (S/NS)')!;
    const rows = (await dc.variablesRequest({ variablesReference: group.variablesReference })).body.variables;
    const control = { ns: rows.find((r) => r.name === 'control_ns'), s: rows.find((r) => r.name === 'control_s') };
    const nsFields = await children(dc, control.ns);
    assert.deepEqual([...nsFields.keys()], ['nPRIV', 'SPSEL', 'FPCA'], 'CONTROL_NS has no SFPA');
    assert.deepEqual([...(await children(dc, control.s)).keys()], ['nPRIV', 'SPSEL', 'FPCA', 'SFPA']);
    const controlNs = bk.get('control_ns')!;

    await continueToEnd(dc, tid);
    const out = output();
    // What the NS side reads through its own VTOR and MRS CONTROL.
    assert.match(out, /ns: VTOR = (0x[0-9a-f]{8})/);
    assert.equal(/ns: VTOR = (0x[0-9a-f]{8})/.exec(out)![1], hex(bk.get('vtor_ns')!));
    assert.equal(/ns: CONTROL = (0x[0-9a-f]{8})/.exec(out)?.[1], hex(controlNs));
  } finally { await dc.stop(); }
});

/** TT_RESP as the boot sample prints it: `TT <what> <addr> = <resp>`; SREGION/IREGION and S. */
function ttLines(out: string): Map<string, { addr: number; s: boolean; sregion?: number; iregion?: number }> {
  const m = new Map<string, { addr: number; s: boolean; sregion?: number; iregion?: number }>();
  for (const [, what, a, r] of out.matchAll(/TT ([a-z0-9 ]+?)\s+(0x[0-9a-f]{8}) = (0x[0-9a-f]{8})/g)) {
    const resp = Number(r);
    m.set(what, {
      addr: Number(a), s: (resp & (1 << 22)) !== 0,
      ...((resp & (1 << 17)) !== 0 ? { sregion: (resp >>> 8) & 0xff } : {}),
      ...((resp & (1 << 23)) !== 0 ? { iregion: resp >>> 24 } : {}),
    });
  }
  return m;
}

test('boot: the Security scope lists the SAU regions tz_setup programs and attributes pc as TT does', async () => {
  const s = elf('boot-s'), ns = elf('boot-ns');
  const nsReset = symbol(ns, 'ns_reset');
  const dc = await client();
  const output = collectOutput(dc);
  try {
    const first = await launchPair(dc, 'boot', { instructionBps: [`ns:${hex(nsReset)}`] });
    const tid = first.body.threadId!;
    // Before tz_setup: the SAU is off and (ALLNS = 0) everything is Secure.
    let sec = await scope(dc, tid, 'Security');
    assert.ok(sec, 'a Security scope on the M33');
    let byName = new Map(sec.map((v) => [v.name, v.value]));
    assert.match(byName.get('SAU_CTRL')!, /^0x00000000 \(disabled: everything Secure\)/);
    assert.match(byName.get('pc')!, /^0x1[0-9a-f]{7} S\b/);

    await continueToStop(dc, tid);
    sec = (await scope(dc, tid, 'Security'))!;
    byName = new Map(sec.map((v) => [v.name, v.value]));
    assert.match(byName.get('SAU_CTRL')!, /^0x00000001 /);
    assert.equal(byName.get('SAU_TYPE'), '0x00000008 (SREGION = 8)');
    const regions = await children(dc, sec.find((v) => v.name === 'SAU regions'));
    const nscStart = symbol(s, '__nsc_start'), nscEnd = symbol(s, '__nsc_end');
    // tz.c: region 0 the NS code, 1 the veneers (NSC), 2 the NS RAM, 3 the NS peripherals.
    assert.deepEqual([...regions], [
      ['[0]', '0x00200000-0x003fffff NS'],
      ['[1]', `${hex(nscStart)}-${hex(nscEnd - 1)} NSC`],
      ['[2]', '0x28200000-0x283fffff NS'],
      ['[3]', '0x40000000-0x4fffffff NS'],
      ['[4]', 'disabled'], ['[5]', 'disabled'], ['[6]', 'disabled'], ['[7]', 'disabled'],
    ]);
    const pcRow = byName.get('pc')!;
    assert.ok(pcRow.startsWith(`${hex(nsReset)} `), pcRow);
    const spRow = byName.get('sp')!;
    await continueToEnd(dc, tid);

    // The firmware's own TT of an address in the same SAU and IDAU regions as pc and sp.
    const tt = ttLines(output());
    assert.equal(tt.size, 5, output());
    const expect = (t: { s: boolean; sregion?: number; iregion?: number }, nsc = false) => {
      const where = [...(t.sregion !== undefined ? [`SAU region ${t.sregion}`] : []), ...(t.iregion !== undefined ? [`IDAU region ${t.iregion}`] : [])];
      return `${nsc ? 'NSC' : t.s ? 'S' : 'NS'}${where.length ? ` (${where.join(', ')})` : ''}`;
    };
    assert.equal(pcRow, `${hex(nsReset)} ${expect(tt.get('ns code')!)}`);
    // MSP_NS starts at the top of the NS RAM region: one past its last byte, outside SAU region 2.
    const sp = Number(spRow.split(' ')[0]);
    if (sp <= 0x283fffff) assert.equal(spRow, `${hex(sp)} ${expect(tt.get('ns ram')!)}`);
    else assert.match(spRow, /^0x28400000 S \(IDAU region \d+\)$/);
  } finally { await dc.stop(); }
});

test('securefault: the Security scope shows SFSR and SFAR at each SecureFault as the handler prints them', async () => {
  const dc = await client();
  const output = collectOutput(dc);
  try {
    let e = await launchPair(dc, 'securefault', { filters: ['securefault'], stopAtEntry: false });
    const tid = e.body.threadId!;
    const seen: { sfsr: string; sfar: string; bits: string[]; pc: string; thread: string }[] = [];
    for (let i = 0; i < 2; i++) {
      assert.equal(e.body.reason, 'exception', `stop ${i}: ${e.body.description ?? ''}`);
      const sec = await scope(dc, tid, 'Security');
      assert.ok(sec);
      const row = (n: string) => sec.find((v) => v.name === n)!;
      const bits = [...(await children(dc, row('SFSR'))).keys()];
      seen.push({ sfsr: row('SFSR').value, sfar: row('SFAR').value, bits, pc: row('pc').value, thread: await threadName(dc, tid) });
      if (i === 0) e = await continueToStop(dc, tid);
    }
    await continueToEnd(dc, tid);
    // Both faults are raised by non-secure code: a load in NS code, then a fetch of secure
    // code that is not an SG entry, where the pc already is.
    for (const s of seen) assert.equal(s.thread, 'CPU0 [Non-secure, Thread]');
    assert.match(seen[0].pc, /^0x002[0-9a-f]{5} NS \(SAU region 0, IDAU region 0\)$/);
    assert.match(seen[1].pc, /^0x1[0-9a-f]{7} S \(IDAU region 1\)$/);
    // The stop's pc is the instruction the handler finds in the stacked frame.
    const stacked = [...output().matchAll(/stacked pc = (0x[0-9a-f]{8})/g)].map((m) => m[1]);
    assert.deepEqual(seen.map((x) => x.pc.split(' ')[0]), stacked);
    assert.deepEqual(seen[0].bits, ['AUVIOL', 'SFARVALID']);
    assert.deepEqual(seen[1].bits, ['INVEP']);
    // securefault_report prints SFSR and SFAR as the handler reads them, one line per fault.
    const printed = [...output().matchAll(/SecureFault, SFSR = (0x[0-9a-f]{8}), SFAR = (0x[0-9a-f]{8})/g)];
    assert.equal(printed.length, 2, output());
    for (let i = 0; i < 2; i++) {
      assert.equal(seen[i].sfsr.split(' ')[0], printed[i][1], `fault ${i} SFSR`);
      assert.equal(seen[i].sfar.split(' ')[0], printed[i][2], `fault ${i} SFAR`);
    }
    assert.equal(seen[0].sfsr, `${printed[0][1]} (AUVIOL SFARVALID)`);
    assert.equal(seen[1].sfsr, `${printed[1][1]} (INVEP)`);
    assert.match(seen[1].sfar, /\(not valid \(SFARVALID clear\)\)$/);
  } finally { await dc.stop(); }
});

// ---------------------------------------------------------------- trustzone-m-hello

const hello = resolve(__dirname, '..', 'sample-workspaces', 'trustzone-m-hello');
const helloImages = [{ program: join(hello, 'prebuilt', 'secure.elf'), world: 'secure' }, { program: join(hello, 'prebuilt', 'ns.elf'), world: 'non-secure' }];

/** The 1-based line of src/<file> that contains `text`. */
function lineOf(file: string, text: string): number {
  const i = readFileSync(join(hello, 'src', file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${file}: no line with ${text}`);
  return i + 1;
}

test('trustzone-m-hello: every banked register secure_main prints equals the Registers scope', async () => {
  const dc = await client();
  const output = collectOutput(dc);
  try {
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await Promise.all([
      dc.waitForEvent('initialized').then(async () => {
        // The line after the read-back is printed: nothing has moved since.
        await dc.setBreakpointsRequest({ source: { path: join(hello, 'src', 'secure.c') }, breakpoints: [{ line: lineOf('secure.c', 'entering the non-secure world') }] });
        await dc.configurationDoneRequest();
      }),
      dc.launch({ board: 'mps2-an521', images: helloImages, stopAtEntry: false }),
    ]);
    const e = await stopped;
    assert.equal(e.body.reason, 'breakpoint');
    const tid = e.body.threadId!;
    assert.equal(await threadName(dc, tid), 'CPU0 [Secure, Thread]');
    const printed = new Map([...output().matchAll(/secure: (\w+) = (0x[0-9a-f]{8})/g)].map((m) => [m[1].toLowerCase(), m[2]]));
    assert.deepEqual([...printed.keys()], ['msp_s', 'msplim_s', 'msp_ns', 'psp_ns', 'msplim_ns', 'psplim_ns', 'vtor_ns']);
    const bk = await banked(dc, tid);
    for (const [name, value] of printed) assert.equal(hex(bk.get(name)!), value, name);
    // MSP_NS is word 0 of the NS vector table, VTOR_NS the table itself.
    const ns = helloImages[1].program;
    assert.equal(printed.get('msp_ns'), hex(vectorWord(ns, 'ns_vector_table', 0)));
    assert.equal(printed.get('vtor_ns'), hex(symbol(ns, 'ns_vector_table')));
  } finally { await dc.stop(); }
});

for (const choice of [1, 2]) {
  test(`trustzone-m-hello: demo_choice = ${choice} set from the debugger gives the SecureFault the handler reports`, async () => {
    const ns = helloImages[1].program;
    const nsMain = symbol(ns, 'main');
    const dc = await client();
    const output = collectOutput(dc);
    try {
      const first = await launchHello(dc, nsMain);
      const tid = first.body.threadId!;
      assert.equal(await threadName(dc, tid), 'CPU0 [Non-secure, Thread]');
      const frame = (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames[0];
      await dc.evaluateRequest({ expression: `demo_choice = ${choice}`, frameId: frame.id, context: 'repl' });
      const e = await continueToStop(dc, tid);
      assert.equal(e.body.reason, 'exception', e.body.description ?? '');
      const sec = (await scope(dc, tid, 'Security'))!;
      const row = (n: string) => sec.find((v) => v.name === n)!.value;
      const faultPc = row('pc'), sfsr = row('SFSR'), sfar = row('SFAR');
      const dis = (await dc.customRequest('disassemble', { memoryReference: `s:${faultPc.split(' ')[0]}`, instructionOffset: -1, instructionCount: 2 })).body.instructions as DebugProtocol.DisassembledInstruction[];
      await continueToEnd(dc, tid);
      const out = output();
      const m = /SecureFault, SFSR = (0x[0-9a-f]{8}), SFAR = (0x[0-9a-f]{8})\n.*stacked pc = (0x[0-9a-f]{8})/.exec(out);
      assert.ok(m, out);
      assert.equal(sfsr, `${m[1]} (${choice === 1 ? 'AUVIOL SFARVALID' : 'INVEP'})`);
      assert.equal(sfar.split(' ')[0], m[2]);
      assert.equal(faultPc.split(' ')[0], m[3]);
      if (choice === 1) {
        assert.match(faultPc, / NS \(SAU region 0, IDAU region 0\)$/);
        // SFAR names the secure RAM word the NS load touched, and why it faulted.
        assert.match(sfar, /^0x38000000 S \(IDAU region \d+\)$/);
      } else {
        // Past the SG of secure_add's veneer: NSC memory, SAU region 1 (the veneers).
        assert.match(faultPc, / NSC \(SAU region 1, IDAU region 1\)$/);
        assert.equal(dis[0].symbol, 'secure_add (SG veneer) [NSC]');
        assert.match(dis[0].instruction, /^sg\t/);
      }
    } finally { await dc.stop(); }
  });
}

async function launchHello(dc: DebugClient, nsMain: number): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    dc.waitForEvent('initialized').then(async () => {
      await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: `ns:${hex(nsMain)}` }] });
      await dc.setExceptionBreakpointsRequest({ filters: ['securefault'] });
      await dc.configurationDoneRequest();
    }),
    dc.launch({ board: 'mps2-an521', images: helloImages, stopAtEntry: false }),
  ]);
  return stopped;
}

// ---------------------------------------------------------------- where the scope is offered

test('no Security scope on the Cortex-M4 (mps2-an386), nor through a target without readSecurity', async () => {
  const dc = await client();
  try {
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await Promise.all([
      dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
      dc.launch({ board: 'mps2-an386', program: resolve(__dirname, '..', 'sample-workspaces', 'mps2-an386', 'prebuilt', 'hello.elf') }),
    ]);
    const tid = (await stopped).body.threadId!;
    const frame = (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames[0];
    const names = (await dc.scopesRequest({ frameId: frame.id })).body.scopes.map((s) => s.name);
    assert.ok(names.includes('Registers') && !names.includes('Security'), names.join());
    const bk = (await scope(dc, tid, 'Registers'))!.map((v) => v.name);
    assert.ok(!bk.includes('Banked (S/NS)'), bk.join());
  } finally { await dc.stop(); }

  // The same M33 state behind a Target that lacks the optional method (a GDB remote, later).
  const t = new EmulatorTarget('mps2-an521');
  try {
    const info = (await t.cores())[0];
    assert.equal(info.hasSecurity, true);
    const bare: Target = Object.assign(Object.create(t) as EmulatorTarget, { readSecurity: undefined });
    const store = (target: Target) => new VariableStore({
      target: () => target,
      frame: async () => ({ name: 'reset', pc: info.pc, regs: new Map([[15, info.pc]]), lookupPc: info.pc, inlineDepth: 0 }),
      cache: () => { throw new Error('not used'); },
      coreInfo: () => info,
      images: () => [],
      changed: () => undefined,
      faulted: () => false,
    });
    assert.deepEqual((await store(t).scopes(0, 0)).map((s) => s.name), ['Registers', 'Security']);
    assert.deepEqual((await store(bare).scopes(0, 0)).map((s) => s.name), ['Registers']);
  } finally { await t.dispose(); }
});
