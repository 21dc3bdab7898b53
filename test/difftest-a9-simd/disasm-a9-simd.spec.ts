// The VFP/NEON disassembler (emulator/cores/armv7a/vfp-disasm.ts) against GNU objdump: random
// encodings that our unit executes (from the difftest templates), A32 and T32, and every
// VFP/NEON instruction gcc emits for neon-kernels.c. Comments after '@' are not compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPages, generateCases, VFP_TEMPLATES } from './generate';
import { NEON_TEMPLATES } from './generate-neon';
import { runOurs } from './wire';
import { disasmSimd } from '../../emulator/cores/armv7a/vfp-disasm';
import { thumbToA32 } from '../../emulator/cores/armv7a/vfp-decode';

const COUNT = Number(process.env.TANDEM_A9SIMD_DISASM_CASES ?? 6000);

/** objdump's text per word (A32, or T32 words as hw1 hw2), keyed by index. */
function objdump(words: readonly number[], thumb: boolean): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-a9simd-dis-'));
  try {
    const bytes = Buffer.alloc(words.length * 4);
    words.forEach((w, k) => {
      if (thumb) { bytes.writeUInt16LE(w >>> 16, 4 * k); bytes.writeUInt16LE(w & 0xffff, 4 * k + 2); } else bytes.writeUInt32LE(w >>> 0, 4 * k);
    });
    const bin = join(dir, 'code.bin');
    writeFileSync(bin, bytes);
    const r = spawnSync('arm-none-eabi-objdump', ['-D', '-b', 'binary', '-marm', ...(thumb ? ['-Mforce-thumb'] : []), bin], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`arm-none-eabi-objdump failed: ${r.stderr}`);
    const out: string[] = new Array(words.length).fill('?');
    for (const line of r.stdout.split('\n')) {
      const m = /^\s*([0-9a-f]+):\t[0-9a-f ]+\t(.*)$/.exec(line);
      if (m) { const a = parseInt(m[1], 16); if (a % 4 === 0) out[a / 4] = m[2]; }
    }
    return out;
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

const norm = (s: string) => s.replace(/\s*[@;].*$/, '').replace(/\s+/g, ' ').trim();

function check(name: string, seed: number, templates: Parameters<typeof generateCases>[2]): void {
  const pages = dataPages(seed);
  const cases = generateCases(seed, COUNT, templates).filter((c) => runOurs(c, pages[c.pageIdx]).status !== 1);
  const bad: string[] = [];
  let named = 0;
  for (const thumb of [false, true]) {
    const sel = cases.filter((c) => c.thumb === thumb);
    const theirs = objdump(sel.map((c) => c.insn), thumb);
    sel.forEach((c, k) => {
      const a32 = thumb ? thumbToA32(c.insn) : c.insn;
      const ours = disasmSimd(a32, thumb ? -1 : -1);
      const theirsUndef = norm(theirs[k]) === '' || /UNDEFINED|undefined/.test(theirs[k]);
      if (ours === undefined) { if (!theirsUndef) bad.push(`${c.insn.toString(16)}: not named; objdump: ${theirs[k]}`); return; }
      named++;
      if (norm(ours) !== norm(theirs[k])) bad.push(`${thumb ? 'T32' : 'A32'} ${c.insn.toString(16)}: ours '${norm(ours)}' objdump '${norm(theirs[k])}'`);
    });
  }
  console.log(`disasm ${name}: ${cases.length} executable encodings, ${named} named, ${bad.length} differ from objdump`);
  assert.equal(bad.length, 0, bad.slice(0, 25).join('\n'));
}

test('VFP disassembly matches objdump', { timeout: 60_000 }, () => check('vfp', 5, VFP_TEMPLATES));
test('NEON disassembly matches objdump', { timeout: 60_000 }, () => check('neon', 6, NEON_TEMPLATES));

const CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le'];

test('every VFP/NEON instruction gcc emits for neon-kernels.c disassembles as objdump does', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-a9simd-k-'));
  try {
    for (const thumb of [false, true]) {
      const elf = join(dir, `k${thumb ? 't' : 'a'}.elf`);
      const cc = spawnSync('arm-none-eabi-gcc', ['-O2', thumb ? '-mthumb' : '-marm', '-mcpu=cortex-a9', '-mfpu=neon-vfpv3', '-mfloat-abi=hard',
        '-ftree-vectorize', '-ffreestanding', '-fno-tree-loop-distribute-patterns', '-nostdlib', '-Wl,--build-id=none', '-Wl,-Ttext=0', '-Wl,-e,_start',
        join(__dirname, 'neon-start.s'), join(__dirname, 'neon-kernels.c'), '-o', elf], { encoding: 'utf8' });
      assert.equal(cc.status, 0, cc.stderr);
      const dis = spawnSync('arm-none-eabi-objdump', ['-d', elf], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout;
      let itConds: number[] = [];
      let seen = 0;
      const bad: string[] = [];
      for (const line of dis.split('\n')) {
        const m = /^\s*[0-9a-f]+:\t([0-9a-f]{8}|[0-9a-f]{4} [0-9a-f]{4}|[0-9a-f]{4})\s*\t(\S+)\s*(.*)$/.exec(line);
        if (!m) continue;
        const mn = m[2];
        const cond = itConds.length > 0 ? itConds.shift()! : -1;
        const it = /^it([te]*)$/.exec(mn);
        if (it) {
          const first = CONDS.indexOf(m[3].trim());
          itConds = [first, ...[...it[1]].map((x) => (x === 't' ? first : first ^ 1))];
          continue;
        }
        if (!mn.startsWith('v') && !mn.startsWith('fldm') && !mn.startsWith('fstm')) continue;
        const hex = m[1].replace(' ', '');
        const word = parseInt(hex, 16) >>> 0;
        const ours = disasmSimd(thumb ? thumbToA32(word) : word, cond);
        seen++;
        const want = norm(`${mn}\t${m[3]}`);
        if (ours === undefined || norm(ours) !== want) bad.push(`${thumb ? 'T32' : 'A32'} ${hex}: ours '${ours === undefined ? '(none)' : norm(ours)}' objdump '${want}'`);
      }
      assert.ok(seen > 40, `found ${seen} VFP/NEON instructions in the ${thumb ? 'T32' : 'A32'} build`);
      assert.equal(bad.length, 0, bad.join('\n'));
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
