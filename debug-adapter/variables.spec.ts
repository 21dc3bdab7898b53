// DebugClient tests of scopes, variables, evaluate, setVariable, writeMemory, exceptionInfo,
// modules, loadedSources and completions on the prebuilt mps2-an386 faults sample. Values are
// checked against gdb-multiarch's `print` on QEMU stopped at the same breakpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { adapterServer } from './test-adapter';

const ws = resolve(__dirname, '..', 'sample-workspaces', 'mps2-an386');
const faultsElf = join(ws, 'prebuilt', 'faults.elf');

const { client } = adapterServer();

/** Launch with function breakpoints and exception filters; resolves with the first stop. */
async function launch(dc: DebugClient, program: string, fns: string[], filters: string[] = []): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    dc.waitForEvent('initialized').then(async () => {
      await dc.setFunctionBreakpointsRequest({ breakpoints: fns.map((name) => ({ name })) });
      await dc.setExceptionBreakpointsRequest({ filters });
      await dc.configurationDoneRequest();
    }),
    dc.launch({ board: 'mps2-an386', program, stopAtEntry: false }),
  ]);
  return stopped;
}

/** `print` results of gdb-multiarch on QEMU mps2-an386 stopped at `break <fn>` (first hit). */
function gdbPrint(elf: string, fn: string, exprs: string[]): string[] {
  const gport = 20000 + Math.floor(Math.random() * 20000);
  const qemu = spawn('qemu-system-arm', ['-M', 'mps2-an386', '-cpu', 'cortex-m4', '-kernel', elf, '-nographic', '-monitor', 'none',
    '-serial', 'null', '-semihosting', '-S', '-gdb', `tcp:127.0.0.1:${gport}`], { stdio: 'ignore' });
  try {
    const args = ['-nx', '-batch', '-ex', 'set confirm off', '-ex', `target remote 127.0.0.1:${gport}`, '-ex', `break ${fn}`, '-ex', 'continue'];
    for (const e of exprs) args.push('-ex', `print ${e}`);
    args.push('-ex', 'kill', elf);
    // gdb may start before QEMU listens: retry the connection a few times.
    for (let attempt = 0; ; attempt++) {
      const out = execFileSync('gdb-multiarch', args, { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
      const vals = [...out.matchAll(/^\$\d+ = (.*)$/gm)].map((m) => m[1]);
      if (vals.length === exprs.length || attempt >= 5) return vals;
      execFileSync('sleep', ['0.2']);
    }
  } finally { qemu.kill(); }
}

async function scopeVars(dc: DebugClient, frameId: number, name: string) {
  const s = (await dc.scopesRequest({ frameId })).body.scopes.find((x) => x.name === name);
  assert.ok(s, `no ${name} scope`);
  return (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
}

const nmAddress = (elf: string, sym: string) => {
  const line = execFileSync('arm-none-eabi-nm', [elf], { encoding: 'utf8' }).split('\n').find((l) => l.endsWith(` ${sym}`));
  assert.ok(line, `no symbol ${sym}`);
  return parseInt(line.split(' ')[0], 16);
};

test('statics, arguments and struct/array expansion match gdb print at report() in faults.elf', async () => {
  const gdb = gdbPrint(faultsElf, 'report', ['rec', 'bytes[1]', 'want_ipsr', 'want_cfsr', 'fn']);
  assert.equal(gdb.length, 5, `gdb printed ${gdb.join(' | ')}`);
  const dc = await client();
  try {
    const e = await launch(dc, faultsElf, ['report']);
    assert.equal(e.body.reason, 'breakpoint');
    const frame = (await dc.stackTraceRequest({ threadId: e.body.threadId! })).body.stackFrames[0];
    assert.equal(frame.name, 'report');
    const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes.map((s) => s.name);
    assert.deepEqual(scopes, ['Arguments', 'Locals', 'Statics', 'Registers']);

    const args = new Map((await scopeVars(dc, frame.id, 'Arguments')).map((v) => [v.name, v.value]));
    assert.equal(args.get('want_ipsr'), gdb[2]);
    assert.equal(args.get('want_cfsr'), gdb[3]);
    assert.equal(args.get('fn'), gdb[4]);

    const statics = await scopeVars(dc, frame.id, 'Statics');
    const rec = statics.find((v) => v.name === 'rec')!;
    assert.ok(rec.variablesReference > 0, 'struct rec expands');
    assert.equal(Number(rec.memoryReference), nmAddress(faultsElf, 'rec'));
    const members = (await dc.variablesRequest({ variablesReference: rec.variablesReference })).body.variables;
    // gdb: {count = 1, ipsr = 3, cfsr = 33554432, ...}
    const gdbMembers = new Map([...gdb[0].matchAll(/(\w+) = (\d+)/g)].map((m) => [m[1], m[2]]));
    assert.ok(gdbMembers.size >= 5);
    assert.deepEqual(new Map(members.map((m) => [m.name, m.value])), gdbMembers);
    const cfsr = members.find((m) => m.name === 'cfsr')!;
    assert.equal(Number(cfsr.memoryReference), nmAddress(faultsElf, 'rec') + 8);
    assert.equal(cfsr.evaluateName, 'rec.cfsr');

    const bytes = statics.find((v) => v.name === 'bytes')!;
    assert.ok(bytes.variablesReference > 0, 'array bytes expands');
    const els = (await dc.variablesRequest({ variablesReference: bytes.variablesReference })).body.variables;
    assert.deepEqual(els.map((x) => x.name), ['[0]', '[1]', '[2]', '[3]', '[4]', '[5]', '[6]', '[7]']);
    assert.equal(els[1].value, gdb[1]);
    assert.equal(Number(els[3].memoryReference), nmAddress(faultsElf, 'bytes') + 3);
  } finally { await dc.stop(); }
});

test('evaluate agrees with gdb on C expressions over locals, statics, casts and registers', async () => {
  const exprs = ['rec.cfsr >> 25', '*(unsigned int *)&bytes[0]', 'bytes[1] + bytes[2]', 'rec.count == 1 && rec.hfsr != 0',
    '(int)rec.hfsr / -3', '(&rec)->ipsr * 2 + 1', 'sizeof(rec)', 'want_cfsr | want_hfsr', '(short)0x18000', "'A' + 1", '-7 % 3', 'bytes[1]',
    '((struct fault_record *)&rec)->cfsr', '*(&rec.count + 2)', 'bytes[1]@3'];
  const gdb = gdbPrint(faultsElf, 'report', exprs);
  assert.equal(gdb.length, exprs.length, `gdb printed ${gdb.join(' | ')}`);
  const dc = await client();
  try {
    const e = await launch(dc, faultsElf, ['report']);
    const frame = (await dc.stackTraceRequest({ threadId: e.body.threadId! })).body.stackFrames[0];
    for (const [i, x] of exprs.entries()) {
      const r = await dc.evaluateRequest({ expression: x, frameId: frame.id, context: 'watch' });
      assert.equal(r.body.result, gdb[i], x);
    }
    const addr = await dc.evaluateRequest({ expression: '&rec', frameId: frame.id, context: 'hover' });
    assert.match(addr.body.result, new RegExp(`^0x0*${nmAddress(faultsElf, 'rec').toString(16)}`));
    assert.ok(addr.body.variablesReference > 0, 'a pointer to a struct dereferences on demand');
    const deref = (await dc.variablesRequest({ variablesReference: addr.body.variablesReference })).body.variables;
    assert.equal(deref[0].name, '*&rec');
    // Large arrays page: the client asks for a window of indexed children.
    const big = await dc.evaluateRequest({ expression: 'bytes[0]@300', frameId: frame.id, context: 'watch' });
    assert.equal(big.body.indexedVariables, 300);
    const win = (await dc.variablesRequest({ variablesReference: big.body.variablesReference, filter: 'indexed', start: 250, count: 5 })).body.variables;
    assert.deepEqual(win.map((v) => v.name), ['[250]', '[251]', '[252]', '[253]', '[254]']);
    const raw = await dc.customRequest('readMemory', { memoryReference: `0x${(nmAddress(faultsElf, 'bytes') + 250).toString(16)}`, count: 5 });
    assert.deepEqual(win.map((v) => Number(v.value.split(' ')[0])), [...Buffer.from(raw.body.data, 'base64')]);
    assert.equal(Number(win[2].memoryReference), nmAddress(faultsElf, 'bytes') + 252);
    const pc = await dc.evaluateRequest({ expression: '$pc', frameId: frame.id, context: 'repl' });
    assert.equal(Number(pc.body.result), parseInt(frame.instructionPointerReference!, 16));
    const str = await dc.evaluateRequest({ expression: 'what', frameId: frame.id, context: 'repl' });
    assert.match(str.body.result, /"sdiv by zero, DIV_0_TRP"/);
    for (const [bad, re] of [['nosuch', /no symbol 'nosuch'/], ['rec.nope', /has no member 'nope'.*count/], ['rec +', /ends too early/], ['*(int *)0xfffffff0', /cannot read/]] as const) {
      await assert.rejects(dc.evaluateRequest({ expression: bad, frameId: frame.id, context: 'watch' }), (err: Error) => re.test(err.message), bad);
    }
  } finally { await dc.stop(); }
});

test('setVariable, REPL assignment, writeMemory and registers change the target', async () => {
  const dc = await client();
  try {
    const e = await launch(dc, faultsElf, ['report']);
    const frame = (await dc.stackTraceRequest({ threadId: e.body.threadId! })).body.stackFrames[0];
    const rec = (await scopeVars(dc, frame.id, 'Statics')).find((v) => v.name === 'rec')!;
    const set = await dc.setVariableRequest({ variablesReference: rec.variablesReference, name: 'ipsr', value: '0x20 + 5' });
    assert.equal(set.body.value, '37');
    assert.equal((await dc.evaluateRequest({ expression: 'rec.ipsr', frameId: frame.id })).body.result, '37');
    await dc.evaluateRequest({ expression: 'rec.pc = 1234', frameId: frame.id, context: 'repl' });
    const mem = await dc.customRequest('readMemory', { memoryReference: `0x${(nmAddress(faultsElf, 'rec') + 16).toString(16)}`, count: 4 });
    assert.equal(Buffer.from(mem.body.data, 'base64').readUInt32LE(0), 1234);

    const w = await dc.customRequest('writeMemory', { memoryReference: `0x${nmAddress(faultsElf, 'bytes').toString(16)}`, offset: 2, data: Buffer.from([0xde, 0xad]).toString('base64') });
    assert.equal(w.body?.bytesWritten, 2);
    assert.equal((await dc.evaluateRequest({ expression: 'bytes[3] * 256 + bytes[2]', frameId: frame.id })).body.result, String(0xadde));

    const regs = await scopeVars(dc, frame.id, 'Registers');
    const refOf = (await dc.scopesRequest({ frameId: frame.id })).body.scopes.find((s) => s.name === 'Registers')!.variablesReference;
    const r0 = await dc.setVariableRequest({ variablesReference: refOf, name: 'r0', value: '0x1234' });
    assert.equal(r0.body.value, '0x00001234');
    assert.equal((await dc.evaluateRequest({ expression: '$r0', frameId: frame.id })).body.result, String(0x1234));
    const xpsr = regs.find((v) => v.name === 'xpsr')!;
    const fields = new Map((await dc.variablesRequest({ variablesReference: xpsr.variablesReference })).body.variables.map((v) => [v.name, v.value]));
    const x = Number(xpsr.value);
    assert.equal(fields.get('T'), '1');
    assert.equal(fields.get('Z'), String((x >>> 30) & 1));
    assert.equal(fields.get('IPSR'), '0 (Thread)');
    const fpu = regs.find((v) => v.name === 'FPU')!;
    const fp = (await dc.variablesRequest({ variablesReference: fpu.variablesReference })).body.variables;
    assert.equal(fp.filter((v) => /^s\d+$/.test(v.name)).length, 32);
    const s5 = await dc.setVariableRequest({ variablesReference: fpu.variablesReference, name: 's5', value: '1.5' });
    assert.equal(s5.body.value, '1.5 (0x3fc00000)');
    await assert.rejects(dc.setVariableRequest({ variablesReference: refOf, name: 'r1', value: 'banana' }), /not a number for r1/);
  } finally { await dc.stop(); }
});

test('a HardFault stop answers exceptionInfo and a decoded Fault status scope; modules, sources, completions', async () => {
  const dc = await client();
  try {
    const e = await launch(dc, faultsElf, [], ['hardfault']);
    assert.equal(e.body.reason, 'exception');
    const info = await dc.exceptionInfoRequest({ threadId: e.body.threadId! });
    assert.equal(info.body.exceptionId, 'HardFault');
    assert.match(info.body.details?.stackTrace ?? '', /HFSR 0x40000000/);
    assert.match(info.body.details?.stackTrace ?? '', /DIVBYZERO/);
    const frame = (await dc.stackTraceRequest({ threadId: e.body.threadId! })).body.stackFrames[0];
    const fault = new Map((await scopeVars(dc, frame.id, 'Fault status')).map((v) => [v.name, v]));
    assert.equal(fault.get('CFSR')?.value, '0x02000000 (DIVBYZERO)');
    assert.equal(fault.get('HFSR')?.value, '0x40000000 (FORCED)');

    const mods = await dc.customRequest('modules', {});
    assert.equal(mods.body.modules[0].name, 'faults.elf');
    assert.equal(mods.body.totalModules, 1);
    const srcs = await dc.customRequest('loadedSources', {});
    assert.ok((srcs.body.sources as DebugProtocol.Source[]).some((s) => /faults\.c$/.test(s.path ?? '')), 'faults.c is a loaded source');
    const c = await dc.completionsRequest({ text: 'x + re', column: 7, frameId: frame.id });
    const labels = c.body.targets.map((t) => t.label);
    assert.ok(labels.includes('rec'), labels.join(','));
    assert.ok(labels.every((l) => l.startsWith('re')));
    assert.equal(c.body.targets[0].start, 4);
  } finally { await dc.stop(); }
});

test('on the M33 (mps2-an521) the Registers scope has the banked S/NS copies and xPSR shows the security state', async () => {
  const an521 = resolve(__dirname, '..', 'sample-workspaces', 'mps2-an521', 'prebuilt');
  const dc = await client();
  try {
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await Promise.all([
      dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
      dc.launch({ board: 'mps2-an521', images: [{ program: join(an521, 'boot-s.elf'), world: 'secure' }, { program: join(an521, 'boot-ns.elf'), world: 'non-secure' }] }),
    ]);
    const e = await stopped;
    const frame = (await dc.stackTraceRequest({ threadId: e.body.threadId! })).body.stackFrames[0];
    assert.equal(frame.name, 'main [S]', 'the secure boot main, labelled with its world');
    const regs = await scopeVars(dc, frame.id, 'Registers');
    const banked = regs.find((v) => v.name === 'Banked (S/NS)');
    assert.ok(banked, regs.map((r) => r.name).join(','));
    const bk = new Map((await dc.variablesRequest({ variablesReference: banked.variablesReference })).body.variables.map((v) => [v.name, v.value]));
    for (const n of ['msp_s', 'msp_ns', 'psp_s', 'psp_ns', 'control_s', 'control_ns', 'msplim_s', 'msplim_ns']) assert.ok(bk.has(n), `banked ${n}`);
    // In secure Thread mode on MSP the live sp is the secure MSP.
    assert.equal(bk.get('msp_s'), regs.find((v) => v.name === 'sp')!.value);
    const xpsr = regs.find((v) => v.name === 'xpsr')!;
    const fields = new Map((await dc.variablesRequest({ variablesReference: xpsr.variablesReference })).body.variables.map((v) => [v.name, v.value]));
    assert.equal(fields.get('Security'), 'Secure');
    const viaEval = await dc.evaluateRequest({ expression: '$msp_s == $sp', frameId: frame.id });
    assert.equal(viaEval.body.result, '1');
  } finally { await dc.stop(); }
});
