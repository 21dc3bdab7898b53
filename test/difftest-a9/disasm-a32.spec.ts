// The A32 disassembler (emulator/cores/armv7a/disasm-arm.ts) against arm-none-eabi-objdump
// on the differential test's generated encodings: every word of every template group must
// print the same text, '@' comments and symbolic '<...>' suffixes aside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disasmA32 } from '../../emulator/cores/armv7a/disasm-arm';
import { generateA32 } from './gen-a32';

const SEED = Number(process.env.TANDEM_DIFFTEST_SEED ?? 0xa9) | 0;

function objdump(words: number[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-a32-dis-'));
  try {
    writeFileSync(join(dir, 'w.s'), `.arm\n${words.map((w) => `.inst 0x${w.toString(16).padStart(8, '0')}`).join('\n')}\n`);
    execFileSync('arm-none-eabi-as', ['-mcpu=cortex-a9', join(dir, 'w.s'), '-o', join(dir, 'w.o')]);
    const out = execFileSync('arm-none-eabi-objdump', ['-d', join(dir, 'w.o')], { maxBuffer: 1 << 28 }).toString();
    const rows: string[] = [];
    for (const line of out.split('\n')) {
      const m = /^\s*[0-9a-f]+:\s+[0-9a-f]{8}\s+(.*)$/.exec(line);
      if (m) rows.push(norm(m[1]));
    }
    return rows;
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

function norm(t: string): string {
  return t.replace(/\s*[@;].*$/, '').replace(/\s*<[^>]*>/, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

test('A32 disassembly matches objdump on every generated encoding', { timeout: 120_000 }, () => {
  const { cases } = generateA32(SEED, 12000, 4);
  const words: number[] = [];
  const groups: string[] = [];
  for (const c of cases) for (let k = 0; k < c.hws.length; k += 2) { words.push(((c.hws[k + 1] << 16) | c.hws[k]) >>> 0); groups.push(c.group); }
  const theirs = objdump(words);
  assert.equal(theirs.length, words.length);
  const bad: string[] = [];
  const perGroup = new Map<string, number>();
  for (let i = 0; i < words.length; i++) {
    const ours = norm(disasmA32(words[i], i * 4));
    if (ours !== theirs[i]) {
      perGroup.set(groups[i], (perGroup.get(groups[i]) ?? 0) + 1);
      if (bad.length < 25) bad.push(`[${groups[i]}] ${words[i].toString(16).padStart(8, '0')}: ours '${ours}', objdump '${theirs[i]}'`);
    }
  }
  console.log(`A32 disassembly: ${words.length} words, ${words.length - [...perGroup.values()].reduce((a, b) => a + b, 0)} equal`, Object.fromEntries(perGroup));
  assert.deepEqual(bad, []);
});

test('A32 disassembly of system, branch and hint encodings matches objdump', () => {
  const words = [
    0xe12fff1e, 0xe12fff31, 0xeb000010, 0x0a000010, 0xfa000003, 0xfb000003, 0xef000011, 0xef123456, 0xe1200070,
    0xe1600070, 0xe320f000, 0xe320f001, 0xe320f002, 0xe320f003, 0xe320f004, 0xf57ff01f, 0xf57ff04f, 0xf57ff05f,
    0xf57ff06f, 0xf57ff05b, 0xf1080080, 0xf10c01c0, 0xf1020013, 0xf10e0093, 0xf96d0513, 0xf8bd0a00,
    0xee110f10, 0xee010f10, 0xee1d0f70, 0xee070f15, 0xee080f17, 0xe10f0000, 0xe14f3000, 0xe128f001, 0xe169f002,
    0xe1020093, 0xe1420093, 0xe92d4010, 0xe8bd8010, 0xe52d0004, 0xe49d0004, 0xe8d00006, 0xe8f08000, 0xe1a00000,
  ];
  const theirs = objdump(words);
  const bad = words.map((w, i) => [w, norm(disasmA32(w, i * 4)), theirs[i]] as const).filter(([, a, b]) => a !== b)
    .map(([w, a, b]) => `${w.toString(16).padStart(8, '0')}: ours '${a}', objdump '${b}'`);
  assert.deepEqual(bad, []);
});
