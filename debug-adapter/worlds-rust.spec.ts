// The issue #6 DebugClient scenarios on the Rust sample (sample-workspaces/trustzone-m-rust,
// rustc's own CMSE code: an inline BLXNS in the secure bootloader, an SG veneer for
// secure_service): step into the secure service and out, the stack across FNC_RETURN into the
// secure bootloader, the world-switch order, a secure.rs breakpoint, and MSP_NS as the
// bootloader writes and prints it. Lines come from the sources, values from the ELF and UART.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DebugInfo } from '../dwarf';
import { adapterServer } from './test-adapter';

const ws = resolve(__dirname, '..', 'sample-workspaces', 'trustzone-m-rust');
const nsRs = resolve(ws, 'src', 'bin', 'ns.rs');
const secureRs = resolve(ws, 'src', 'bin', 'secure.rs');
const sElf = resolve(ws, 'prebuilt', 'secure.elf');
const nsElf = resolve(ws, 'prebuilt', 'ns.elf');

function lineOf(file: string, text: string): number {
  const i = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `'${text}' not in ${file}`);
  return i + 1;
}
const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

const CALL = lineOf(nsRs, 'let r = unsafe { secure_service(x) };');
const AFTER_CALL = lineOf(nsRs, 'let _ = writeln!(uart, "[NS] secure_service({}) = {:#010x}", x, r);');
const SERVICE_FIRST = lineOf(secureRs, 'let n = CALLS.fetch_add(1, Ordering::Relaxed) + 1;');
const BLXNS_LINE = lineOf(secureRs, 'let status = entry();');

const { client } = adapterServer();
const images = [{ program: sElf, world: 'secure' }, { program: nsElf, world: 'non-secure' }];

async function launch(dc: DebugClient, bps: Array<{ file: string; line: number }>, output?: string[]): Promise<DebugProtocol.StoppedEvent> {
  if (output !== undefined) dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    dc.waitForEvent('initialized').then(async () => {
      for (const file of new Set(bps.map((b) => b.file))) {
        await dc.setBreakpointsRequest({ source: { path: file }, breakpoints: bps.filter((b) => b.file === file).map((b) => ({ line: b.line })) });
      }
      await dc.configurationDoneRequest();
    }),
    dc.launch({ board: 'mps2-an521', images, stopAtEntry: false } as DebugProtocol.LaunchRequestArguments),
  ]);
  return stopped;
}

async function act(dc: DebugClient, what: 'in' | 'out' | 'next' | 'continue', threadId: number): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  if (what === 'in') await dc.stepInRequest({ threadId });
  else if (what === 'out') await dc.stepOutRequest({ threadId });
  else if (what === 'next') await dc.nextRequest({ threadId });
  else await dc.continueRequest({ threadId });
  return stopped;
}

const where = (f: DebugProtocol.StackFrame) => `${f.name} ${f.source?.path === nsRs ? 'ns.rs' : f.source?.path === secureRs ? 'secure.rs' : f.source?.name ?? '-'}:${f.line}`;

test('rust: stepIn on the NS call of secure_service stops in secure.rs; the stack goes back through FNC_RETURN into the bootloader; stepOut returns', async () => {
  const dc = await client();
  try {
    const e = await launch(dc, [{ file: nsRs, line: CALL }]);
    const t = e.body.threadId!;
    const into = await act(dc, 'in', t);
    assert.equal(into.body.reason, 'step');
    const st = (await dc.stackTraceRequest({ threadId: t })).body.stackFrames;
    assert.equal(where(st[0]), `secure_service [S] secure.rs:${SERVICE_FIRST}`);
    assert.equal(where(st[1]), `main [NS] ns.rs:${CALL}`);
    // main ← ns_reset ← the bootloader's BLXNS (its return address is on the secure stack).
    const rest = st.slice(2).map(where);
    assert.equal(rest[0].split(' ')[0], 'ns_reset');
    assert.ok(rest.some((w) => w.startsWith('reset_handler [S] secure.rs:') && w.endsWith(`:${BLXNS_LINE}`)), rest.join('\n'));
    const out = await act(dc, 'out', t);
    assert.equal(out.body.reason, 'step');
    const back = (await dc.stackTraceRequest({ threadId: t, levels: 1 })).body.stackFrames[0];
    assert.equal(where(back), `main [NS] ns.rs:${CALL}`);
    await act(dc, 'next', t);
    const after = (await dc.stackTraceRequest({ threadId: t, levels: 1 })).body.stackFrames[0];
    assert.equal(where(after), `main [NS] ns.rs:${AFTER_CALL}`);
  } finally { await dc.stop(); }
});

test('rust: the world-switch filter reports SG then BXNS around secure_service; a secure.rs breakpoint fires only in the secure world', async () => {
  const dc = await client();
  try {
    const e = await launch(dc, [{ file: nsRs, line: CALL }, { file: nsRs, line: AFTER_CALL }]);
    const t = e.body.threadId!;
    await dc.setExceptionBreakpointsRequest({ filters: ['world-switch'] });
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const s = await act(dc, 'continue', t);
      if (s.body.reason === 'breakpoint') break;
      seen.push(s.body.description ?? '');
    }
    const veneer = DebugInfo.open(readFileSync(sElf), sElf).elf.symbols().find((x) => x.name === 'secure_service' && x.value >= 0x10010000 && x.value < 0x10020000);
    assert.ok(veneer, 'the secure_service veneer');
    assert.equal(seen.length, 2, seen.join('\n'));
    assert.equal(seen[0], `NS→S via SG at ${hex(veneer.value & ~1)} (secure_service)`);
    assert.match(seen[1], /^S→NS via BXNS at 0x1000[0-9a-f]{4} \(secure_service\)$/);
    await dc.setExceptionBreakpointsRequest({ filters: [] });
    const bp = await dc.setBreakpointsRequest({ source: { path: secureRs }, breakpoints: [{ line: SERVICE_FIRST }] });
    assert.equal(bp.body.breakpoints[0].verified, true);
    const hit = await act(dc, 'continue', t);
    assert.equal(hit.body.reason, 'breakpoint');
    const th = (await dc.threadsRequest()).body.threads.find((x) => x.id === t)!;
    assert.match(th.name, /Secure/);
    const f = (await dc.stackTraceRequest({ threadId: t })).body.stackFrames;
    assert.equal(where(f[0]), `secure_service [S] secure.rs:${SERVICE_FIRST}`);
    assert.match(where(f[1]), /^run \[NS\] ns\.rs:\d+$/, 'the second call comes from run() (Cmd::Add)');
  } finally { await dc.stop(); }
});

test('rust: MSP_NS in the Registers scope is what the bootloader wrote and printed', async () => {
  const dc = await client();
  try {
    const output: string[] = [];
    const e = await launch(dc, [{ file: secureRs, line: BLXNS_LINE }], output);
    const t = e.body.threadId!;
    const frame = (await dc.stackTraceRequest({ threadId: t, levels: 1 })).body.stackFrames[0];
    assert.equal(where(frame), `reset_handler [S] secure.rs:${BLXNS_LINE}`);
    const printed = /MSP_NS (0x[0-9a-f]{8})/.exec(output.join(''));
    assert.ok(printed, `the bootloader prints MSP_NS: ${output.join('')}`);
    // The NS vector table's word 0, which the bootloader copied: an independent source.
    const ns = DebugInfo.open(readFileSync(nsElf), nsElf);
    const vt = ns.elf.sections.find((s) => s.addr === 0x00200000 && s.size >= 8);
    assert.ok(vt, 'the NS vector table section');
    const word0 = Buffer.from(readFileSync(nsElf)).readUInt32LE(vt.offset);
    assert.equal(printed[1], hex(word0));
    const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes;
    const regs = (await dc.variablesRequest({ variablesReference: scopes.find((s) => s.name === 'Registers')!.variablesReference })).body.variables;
    const banked = regs.find((v) => v.name === 'Banked (S/NS)');
    assert.ok(banked, 'the banked registers group');
    const inner = (await dc.variablesRequest({ variablesReference: banked.variablesReference })).body.variables;
    const mspNs = inner.find((v) => v.name === 'msp_ns');
    assert.ok(mspNs, inner.map((v) => v.name).join(' '));
    assert.equal(Number(mspNs.value), word0);
  } finally { await dc.stop(); }
});
