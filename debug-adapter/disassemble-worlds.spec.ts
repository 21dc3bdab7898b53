// DebugClient tests of the disassembly on the mps2-an521 services sample (a secure and a
// non-secure image): SG veneers, `__acle_se_*` bodies and the NS image's branch stubs are named
// as such, each range carries the world the SAU attributes it to (or its image's world while the
// SAU is off), and `s:` / `ns:` references read memory as that world sees it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ElfFile } from '../dwarf';
import { adapterServer } from './test-adapter';
import { disassemble } from './disassemble';

const prebuilt = resolve(__dirname, '..', 'sample-workspaces', 'mps2-an521', 'prebuilt');
const sElf = join(prebuilt, 'services-s.elf'), nsElf = join(prebuilt, 'services-ns.elf');
const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

const { client } = adapterServer();

const parsed = new Map<string, ElfFile>();
const elfOf = (file: string) => { let e = parsed.get(file); if (e === undefined) { e = ElfFile.parse(readFileSync(file), file); parsed.set(file, e); } return e; };

function symbol(file: string, name: string): number {
  const s = elfOf(file).symbols().find((x) => x.name === name);
  assert.ok(s, `${file}: no symbol ${name}`);
  return s.value >>> 0;
}

/** The halfwords the ELF holds at addr, as the adapter formats instructionBytes. */
function elfBytes(file: string, addr: number, size: number): string {
  const e = elfOf(file);
  const sec = e.sections.find((s) => s.name !== '' && s.type === 1 && addr >= s.addr && addr + size <= s.addr + s.size);
  assert.ok(sec, `${file}: no PROGBITS section holds ${hex(addr)}`);
  const b = readFileSync(file).subarray(sec.offset + addr - sec.addr);
  const hw = (k: number) => (b[k] | (b[k + 1] << 8)).toString(16).padStart(4, '0');
  return size === 4 ? `${hw(0)} ${hw(2)}` : hw(0);
}

async function dis(dc: DebugClient, memoryReference: string, instructionCount: number): Promise<DebugProtocol.DisassembledInstruction[]> {
  const r = await dc.customRequest('disassemble', { memoryReference, instructionOffset: 0, instructionCount });
  return r.body.instructions as DebugProtocol.DisassembledInstruction[];
}

/** Each instruction's bytes equal the image's bytes at its address. */
function assertImageBytes(file: string, insns: readonly DebugProtocol.DisassembledInstruction[]): void {
  for (const i of insns) {
    assert.notEqual(i.presentationHint, 'invalid', `${i.address} ${i.instruction}`);
    const size = i.instructionBytes!.length > 4 ? 4 : 2;
    assert.equal(i.instructionBytes, elfBytes(file, parseInt(i.address, 16), size), `${i.address} ${i.instruction}`);
  }
}

test('services: veneers, secure entry bodies and world marks in the disassembly, before and after the SAU is set up', async () => {
  const nsMain = symbol(nsElf, 'main');
  const dc = await client();
  try {
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await Promise.all([
      dc.waitForEvent('initialized').then(async () => {
        await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: `ns:${hex(nsMain)}` }] });
        await dc.configurationDoneRequest();
      }),
      dc.launch({ board: 'mps2-an521', images: [{ program: sElf, world: 'secure' }, { program: nsElf, world: 'non-secure' }] }),
    ]);
    const tid = (await stopped).body.threadId!;

    // Secure main, before tz_setup: the SAU is off, so everything is attributed Secure. The
    // NS image's code is marked with its declared world, and an `ns:` view sees nothing yet.
    let insns = await dis(dc, hex(nsMain), 4);
    assertImageBytes(nsElf, insns);
    assert.equal(insns[0].symbol, 'main [NS]');
    assert.match(insns[0].instruction, /\t; <main> \[NS\]$/);
    insns = await dis(dc, `ns:${hex(nsMain)}`, 4);
    assert.ok(insns.every((i) => i.presentationHint === 'invalid'), JSON.stringify(insns[0]));
    insns = await dis(dc, hex(symbol(sElf, 'main')), 2);
    assert.equal(insns[0].symbol, 'main [S]');

    const e = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await dc.continueRequest({ threadId: tid });
    assert.equal((await e).body.reason, 'breakpoint');

    // The veneers: every symbol of .gnu.sgstubs is an SG, B.W pair in NSC memory.
    const veneers = elfOf(sElf).symbols().filter((s) => s.section === '.gnu.sgstubs' && s.type === 2).sort((a, b) => a.value - b.value);
    assert.ok(veneers.length >= 3, veneers.map((v) => v.name).join());
    insns = await dis(dc, `s:${hex(veneers[0].value)}`, 2 * veneers.length);
    assertImageBytes(sElf, insns);
    for (const [k, v] of veneers.entries()) {
      const sg = insns[2 * k], b = insns[2 * k + 1];
      assert.equal(parseInt(sg.address, 16), v.value);
      assert.equal(sg.symbol, `${v.name} (SG veneer) [NSC]`);
      assert.equal(sg.instruction, `sg\t; <${v.name} (SG veneer)> [NSC]`);
      // The B.W goes to the function's secure body, __acle_se_<name>.
      assert.equal(b.symbol, undefined);
      assert.equal(b.instruction, `b.w ${hex(symbol(sElf, `__acle_se_${v.name}`)).replace(/^0x0*/, '0x')}`);
    }

    // The secure body of s_mac, and the NS image's long-branch stub that reaches its veneer.
    insns = await dis(dc, `s:${hex(symbol(sElf, '__acle_se_s_mac'))}`, 3);
    assertImageBytes(sElf, insns);
    assert.equal(insns[0].symbol, 's_mac (secure entry, __acle_se_s_mac) [S]');
    const stub = symbol(nsElf, '__s_mac_veneer');
    insns = await dis(dc, `ns:${hex(stub)}`, 1);
    assertImageBytes(nsElf, insns);
    assert.equal(insns[0].symbol, '__s_mac_veneer (branch to s_mac) [NS]');

    // `ns:` cannot see secure code now either; `s:` reads it, `ns:` reads the NS image.
    insns = await dis(dc, `ns:${hex(symbol(sElf, '__acle_se_s_mac'))}`, 3);
    assert.ok(insns.every((i) => i.presentationHint === 'invalid'));
    insns = await dis(dc, `ns:${hex(nsMain)}`, 6);
    assertImageBytes(nsElf, insns);
    assert.equal(insns[0].symbol, 'main [NS]');

    // Where SAU region 1 (the veneers, tz.c) ends the world mark changes from NSC to S.
    const nscEnd = symbol(sElf, '__nsc_end');
    insns = await dis(dc, `s:${hex(nscEnd - 8)}`, 8);
    const marks = insns.map((i) => [parseInt(i.address, 16), i.symbol] as const).filter(([, s]) => s !== undefined);
    assert.deepEqual(marks, [[nscEnd - 8, '[NSC]'], [nscEnd, '[S]']]);
    assert.match(insns.find((i) => parseInt(i.address, 16) === nscEnd)!.instruction, /\t; \[S\]$/);
  } finally { await dc.stop(); }
});

test('an521: s: and ns: memory references read each world\'s alias of the SCB, and ns: stops at Secure memory', async () => {
  const nsMain = symbol(nsElf, 'main');
  const dc = await client();
  try {
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await Promise.all([
      dc.waitForEvent('initialized').then(async () => {
        await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: `ns:${hex(nsMain)}` }] });
        await dc.configurationDoneRequest();
      }),
      dc.launch({ board: 'mps2-an521', images: [{ program: sElf, world: 'secure' }, { program: nsElf, world: 'non-secure' }], stopAtEntry: false }),
    ]);
    await stopped;
    const word = async (ref: string) => {
      const r = await dc.customRequest('readMemory', { memoryReference: ref, count: 4 });
      return Buffer.from(r.body.data as string, 'base64').readUInt32LE(0);
    };
    const ev = async (expr: string) => Number((await dc.evaluateRequest({ expression: expr, context: 'repl' })).body.result);
    // SCB VTOR at 0xE000ED08 is banked: each world's view reads its own copy.
    assert.equal(hex(await word('s:0xe000ed08')), hex(await ev('$vtor_s')));
    assert.equal(hex(await word('ns:0xe000ed08')), hex(await ev('$vtor_ns')));
    assert.equal(hex(await ev('$vtor_ns')), hex(symbol(nsElf, 'ns_vector_table')));
    assert.notEqual(await ev('$vtor_s'), await ev('$vtor_ns'));

    // A Non-secure view ends where Secure memory begins: below the NS RAM (SAU region 2 starts
    // at 0x28200000) no SAU region matches, so SSRAM2's NS alias is Secure there.
    const read = async (ref: string, count: number) => (await dc.customRequest('readMemory', { memoryReference: ref, count })).body;
    let r = await read('s:0x281ffff0', 32);
    assert.equal(Buffer.from(r.data as string, 'base64').length, 32);
    r = await read('ns:0x281ffff0', 32);
    assert.equal(r.unreadableBytes, 32);
    r = await read('ns:0x28200000', 32);
    assert.equal(Buffer.from(r.data as string, 'base64').length, 32);
    r = await read('ns:0x38000000', 4);
    assert.equal(r.unreadableBytes, 4);
    await assert.rejects(dc.customRequest('writeMemory', { memoryReference: 'ns:0x38000000', data: Buffer.from([1, 2, 3, 4]).toString('base64') }),
      /cannot write 0x38000000 as non-secure: Secure memory/);
  } finally { await dc.stop(); }
});

test('world marks per 32-byte granule, above 0x80000000 too; the image world only while the SAU is off', async () => {
  const run = async (address: number, sauCtrl: number, imageWorld?: 'secure' | 'non-secure') => disassemble({
    address, instructionOffset: 0, count: 24,
    decode: () => ({ size: 2, text: 'nop', valid: true }),
    read: async (_a, n) => new Uint8Array(n).fill(0),
    image: () => undefined,
    // Granules at or above the split are Non-secure, the rest Secure.
    security: async (addrs) => ({
      sauCtrl, sauType: 8, regions: [], idau: false, sfsr: 0, sfar: 0,
      attributions: addrs.map((a) => ({ address: a, kind: a >= address + 0x20 ? 'non-secure' as const : 'secure' as const })),
    }),
    ...(imageWorld ? { imageWorld: () => imageWorld } : {}),
  });
  for (const base of [0x00200000, 0x90000000]) {
    const lines = await run(base, 1);
    assert.deepEqual(lines.filter((l) => l.symbol !== undefined).map((l) => [l.address, l.symbol]), [[base, '[S]'], [base + 0x20, '[NS]']]);
    assert.equal(lines.find((l) => l.address === base + 0x20)!.text, 'nop\t; [NS]');
    assert.deepEqual(new Set(lines.map((l) => l.world)), new Set(['S', 'NS']));
    // SAU off: the launch's image world stands for the whole range.
    const off = await run(base, 0, 'non-secure');
    assert.deepEqual(off.filter((l) => l.symbol !== undefined).map((l) => l.symbol), ['[NS]']);
  }
});
