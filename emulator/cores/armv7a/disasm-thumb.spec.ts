// The Cortex-A9's T32 disassembly (isa-thumb.ts's table: the shared M-profile entries plus the
// A-profile-only ones) against arm-none-eabi-objdump on random encodings drawn from each entry's
// mask/match: every A-profile entry, and a sample of the shared entries as the A9 table decodes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COND_NAMES, type InsnDef } from '../armv7m/insn';
import { thumb16Defs } from '../armv7m/isa-thumb16';
import { thumb32Defs } from '../armv7m/isa-thumb32';
import { dspDefs } from '../armv7m/isa-dsp';
import { a9ThumbDefs, a9ThumbTable } from './isa-thumb';

let seed = Number(process.env.TANDEM_DIFFTEST_SEED ?? 0x7a32) >>> 0;
function rnd32(): number { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed ^ (seed >>> 15); }

const shared = new Set<InsnDef>([...thumb16Defs, ...thumb32Defs, ...dspDefs]);
const aProfile = a9ThumbDefs.filter((d) => !shared.has(d));

const bit = (w: number, n: number) => (w >>> n) & 1;
/** R:SYSm values the ARM ARM lists for banked MRS/MSR (B9.2.3); the others are UNPREDICTABLE. */
const BANKED_OK = new Set([0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, 20, 21, 22, 23, 28, 29, 30, 31, 46, 48, 50, 52, 54, 60, 62]);
const banked = (w: number, m1: number) => (bit(w, 20) << 5) | (w & 0x10) | (m1 & 15);
/**
 * UNPREDICTABLE encodings of the A-profile entries that their table rows do not flag (the rows
 * decode them, as the ARM ARM allows, but they hold '(0)'/'(1)' bits or reserved field values,
 * which objdump prints as 'undefined' or '(UNDEF: n)'): ARM ARM B9.3 encoding diagrams.
 */
const RESERVED: Record<string, (w: number) => boolean> = {
  'CPS T1 (A)': (i) => (i & 7) === 0,
  'CPS T2': (w) => {
    const imod = (w >>> 9) & 3, m = bit(w, 8), aif = (w >>> 5) & 7;
    return bit(w, 13) === 1 || imod === 1 || (m === 0 && (w & 0x1f) !== 0) || (imod >= 2) !== (aif !== 0);
  },
  'MRS T1 (A)': (w) => bit(w, 13) === 1 || ((w >>> 16) & 15) !== 15 || (w & 0xff) !== 0,
  'MRS (banked) T1': (w) => bit(w, 13) === 1 || !BANKED_OK.has(banked(w, w >>> 16)),
  'MSR T1 (A)': (w) => bit(w, 13) === 1 || ((w >>> 8) & 15) === 0,
  'MSR (banked) T1': (w) => bit(w, 13) === 1 || !BANKED_OK.has(banked(w, w >>> 8)),
};

/** `it` is the condition of a one-slot IT block placed before the encoding, or -1 for none. */
interface Case { def: InsnDef; w: number; addr: number; it: number }

/**
 * Up to `n` encodings of `d` that the A9 table really decodes as `d` (a more specific entry may
 * claim some of the free bits) and that the ARM ARM does not call UNPREDICTABLE; bounded tries.
 */
function encodings(d: InsnDef, n: number): number[] {
  const out: number[] = [];
  for (let tries = 0; tries < n * 400 && out.length < n; tries++) {
    const free = d.size === 4 ? rnd32() : rnd32() & 0xffff;
    const w = ((d.match | (free & ~d.mask)) & (d.size === 4 ? 0xffffffff : 0xffff)) >>> 0;
    const got = d.size === 4 ? a9ThumbTable.decode32(w) : a9ThumbTable.decode16(w);
    if (got !== d || d.unpredictable?.(w) === true || RESERVED[d.name]?.(w) === true) continue;
    out.push(w);
  }
  return out;
}

/** objdump's text per instruction of a `.thumb` stream of `.inst` directives, assembled for Cortex-A9. */
function objdump(cases: readonly Case[]): Map<number, string> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-t32-dis-'));
  try {
    const src = cases.map((c) => (c.it >= 0 ? `.inst.n 0x${(0xbf08 | (c.it << 4)).toString(16)}\n` : '')
      + (c.def.size === 4 ? `.inst.w 0x${c.w.toString(16).padStart(8, '0')}` : `.inst.n 0x${c.w.toString(16).padStart(4, '0')}`));
    writeFileSync(join(dir, 'w.s'), `.syntax unified\n.thumb\n${src.join('\n')}\n`);
    execFileSync('arm-none-eabi-as', ['-mcpu=cortex-a9', join(dir, 'w.s'), '-o', join(dir, 'w.o')]);
    const out = execFileSync('arm-none-eabi-objdump', ['-d', join(dir, 'w.o')], { maxBuffer: 1 << 26 }).toString();
    const rows = new Map<number, string>();
    for (const line of out.split('\n')) {
      const m = /^\s*([0-9a-f]+):\s+[0-9a-f]{4}(?: [0-9a-f]{4})?\s+\t(.*)$/.exec(line);
      if (m) rows.set(parseInt(m[1], 16), m[2]);
    }
    return rows;
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

/** Whitespace, '@' comments and '<symbol>' suffixes aside; branch targets get objdump's bare hex a '0x'. */
function norm(t: string): string {
  let s = t.replace(/\s*@.*$/, '').replace(/\s*<[^>]*>/, '').replace(/\s+/g, ' ').trim();
  if (/^(b|bl|blx|cbz|cbnz)(eq|ne|cs|cc|mi|pl|vs|vc|hi|ls|ge|lt|gt|le)?(\.[nw])? (r\d, )?[0-9a-f]+$/.test(s)) s = s.replace(/ ([0-9a-f]+)$/, ' 0x$1');
  return s;
}

function compare(cases: Case[]): { bad: string[]; perDef: Map<string, number> } {
  const theirs = objdump(cases);
  const bad: string[] = [];
  const perDef = new Map<string, number>();
  for (const c of cases) {
    const ours = norm(c.def.disasm(c.w, c.addr, c.it));
    const exp = fixObjdump(c.def, c.w, norm(theirs.get(c.addr) ?? '<missing>'), c.it);
    if (ours === exp) continue;
    perDef.set(c.def.name, (perDef.get(c.def.name) ?? 0) + 1);
    if (bad.length < 30) bad.push(`[${c.def.name}] ${c.w.toString(16)}: ours '${ours}', objdump '${exp}'`);
  }
  return { bad, perDef };
}

function layout(list: { def: InsnDef; w: number; it?: number }[]): Case[] {
  let addr = 0;
  return list.map((x) => {
    const it = x.it ?? -1;
    if (it >= 0) addr += 2;
    const c = { def: x.def, w: x.w, addr, it };
    addr += x.def.size;
    return c;
  });
}

test('every A-profile-only T32 entry disassembles as objdump does', { timeout: 30_000 }, () => {
  const list: { def: InsnDef; w: number }[] = [];
  const starved: string[] = [];
  for (const d of aProfile) {
    const ws = encodings(d, 40);
    if (ws.length === 0) starved.push(d.name);
    for (const w of ws) list.push({ def: d, w });
  }
  assert.deepEqual(starved, [], 'entries with no decodable encoding');
  const { bad, perDef } = compare(layout(list));
  console.log(`A-profile T32: ${list.length} encodings over ${aProfile.length} entries`, Object.fromEntries(perDef));
  assert.deepEqual(bad, []);
});

/** Shared entries whose encodings change decoding of what follows (IT) are left out: each case stands alone. */
const SHARED_SKIP = new Set(['IT T1']);
/**
 * Where objdump is wrong for ARMv7-A, its text is rewritten into what the ARMv7-A/R ARM says before
 * comparing (each rewrite keeps every operand objdump printed, so the fields are still checked):
 * - it names hints that ARMv7 leaves unallocated (they run as NOP; ARM ARM A6.3.x 'Change Processor
 *   State, and hints') after later architectures (sevl, esb, csdb, bti, pac/aut); we print 'nop {n}';
 * - it names barrier options 0b0001/0101/1001/1101 after ARMv8's *ld variants, and DSB #0/#4 as
 *   ssbb/pssbb and DSB #12 as dfb; ARMv7 reserves them (A8.8.43 DMB: 'option' values), which we print as '#n';
 * - it prints NSH/NSHST as their ARMv7 synonyms UN/UNST;
 * - it reads LDR* (literal) with U=0 and bits 11:8 = 1110 as the unprivileged LDR*T forms
 *   (Rn = 1111 makes them literal loads, A6.3.7), the quirk the M-profile spec also avoids;
 * - with a zero imm8 offset it drops the offset of a pre-indexed writeback form ('[r1]!'), the sign
 *   of a U=0 offset ('[r1]' or '#0' for #-0), and for LDRD/STRD with U=1 even the writeback ('[r1]' for
 *   '[r1, #0]!'), losing the U and W bits; we print them (A8.8.70 LDRD, A8.8.63 LDR (immediate)).
 */
const V8_HINTS = new Set(['sevl', 'esb', 'csdb', 'bti', 'pacbti', 'pacg', 'aut', 'autg', 'pac', 'bxaut', 'clrbhb']);
const PAC_HINTS = new Set([13, 15, 29, 45]);
const LD_BARRIERS: Record<string, number> = { oshld: 1, nshld: 5, ishld: 9, ld: 13 };
function fixObjdump(d: InsnDef, w: number, t: string, it: number): string {
  const cs = it >= 0 ? COND_NAMES[it] : '';
  if (d.name.startsWith('hints')) {
    const n = d.size === 4 ? w & 0xff : (w >>> 4) & 15;
    const nop = d.size === 4 ? `nop${cs}.w {${n}}` : `nop${cs} {${n}}`;
    const name = /^([a-z]+?)(eq|ne|cs|cc|mi|pl|vs|vc|hi|ls|ge|lt|gt|le)?(\.w)?( .*)?$/.exec(t);
    if (name !== null && V8_HINTS.has(name[1])) return nop;
    // The v8.1-M PACBTI hints (13, 15, 29, 45) fall back to a plain 'nop.w {n}' that loses the IT condition.
    if (PAC_HINTS.has(n) && t === `nop.w {${n}}`) return nop;
    return t;
  }
  const ld = /^(dsb|dmb|ssbb|pssbb|dfb)(eq|ne|cs|cc|mi|pl|vs|vc|hi|ls|ge|lt|gt|le)?( [a-z]+)?$/.exec(t);
  if (ld !== null) {
    const opt = (ld[3] ?? '').trim();
    if (ld[1] === 'ssbb') return `dsb${cs} #0`;
    if (ld[1] === 'pssbb') return `dsb${cs} #4`;
    if (ld[1] === 'dfb') return `dsb${cs} #12`;
    if (opt in LD_BARRIERS) return `${ld[1]}${cs} #${LD_BARRIERS[opt]}`;
    if (opt === 'un' || opt === 'unst') return `${ld[1]}${cs} ${opt === 'un' ? 'nsh' : 'nshst'}`;
    return t;
  }
  if ((d.name === 'LDR/STR (imm8)' || d.name === 'LDRD/STRD (immediate) T1') && (w & 0xff) === 0) {
    const p = (w >>> (d.name === 'LDR/STR (imm8)' ? 10 : 24)) & 1, u = (w >>> (d.name === 'LDR/STR (imm8)' ? 9 : 23)) & 1;
    const wb = (w >>> (d.name === 'LDR/STR (imm8)' ? 8 : 21)) & 1;
    const zero = `#${u ? '' : '-'}0`;
    if (p === 0) return t.replace(/\], #-?0$/, `], ${zero}`);
    if (wb === 1) return t.replace(/\[(\w+)(, #-?0)?\]!?$/, `[$1, ${zero}]!`);
    if (u === 0) return t.replace(/\[(\w+)(, #-?0)?\]$/, `[$1, ${zero}]`);
  }
  return t.replace(/^(ldr(?:s?[bh])?)t([a-z]{2})? (\w+), \[pc, #-/, `$1${cs}.w $3, [pc, #-`);
}

test('a sample of the shared M-profile T32 entries, as the A9 table decodes them, matches objdump', { timeout: 30_000 }, () => {
  const list: { def: InsnDef; w: number }[] = [];
  for (const d of a9ThumbDefs) {
    if (!shared.has(d) || SHARED_SKIP.has(d.name)) continue;
    for (const w of encodings(d, 30)) list.push({ def: d, w });
  }
  assert.ok(list.length > 300, `only ${list.length} shared encodings`);
  const { bad, perDef } = compare(layout(list));
  console.log(`shared T32: ${list.length} encodings`, Object.fromEntries(perDef));
  assert.deepEqual(bad, []);
});

/** A-profile entries the ARM ARM allows inside an IT block (CPS, SRS/RFE and HLT are not; see each entry's B9.3 text). */
const IN_IT = ['MRS T1 (A)', 'MRS (banked) T1', 'MSR T1 (A)', 'MSR (banked) T1', 'SUBS PC, LR T1', 'SMC T1',
  'LDREXD T1', 'STREXD T1', 'BLX (immediate) T2', 'MCR/MRC T1'];

test('A-profile T32 entries inside a one-slot IT block carry its condition as objdump prints it', { timeout: 30_000 }, () => {
  const list: { def: InsnDef; w: number; it: number }[] = [];
  for (const name of IN_IT) {
    const d = aProfile.find((x) => x.name === name);
    assert.ok(d !== undefined, `no A-profile entry '${name}'`);
    for (const w of encodings(d, 8)) list.push({ def: d, w, it: (rnd32() >>> 3) % 14 });
  }
  assert.ok(list.length >= IN_IT.length * 8, `only ${list.length} encodings`);
  const { bad } = compare(layout(list));
  assert.deepEqual(bad, []);
});

test('the objdump rewrites above are exercised: hints, barriers, literal loads and zero imm8 offsets', { timeout: 30_000 }, () => {
  const words = [0xbf50, 0xf3af8005, 0xf3af8010, 0xf3af8014, 0xf3af800f, 0xf3af801d, 0xf3bf8f41, 0xf3bf8f56, 0xf3bf8f59,
    0xf3bf8f47, 0xf3bf8f40, 0xf3bf8f44, 0xf3bf8f4c, 0xf93f2e59, 0xf85f6e70, 0xe9f12300, 0xe9712300, 0xe9512300, 0xf811bf00, 0xf811b900,
    0xf851bd00, 0xf841bf00, 0xf8159c00];
  const list: { def: InsnDef; w: number }[] = [];
  for (const w of words) {
    const d = w > 0xffff ? a9ThumbTable.decode32(w) : a9ThumbTable.decode16(w);
    assert.ok(d !== undefined, `${w.toString(16)} does not decode`);
    list.push({ def: d, w });
  }
  assert.deepEqual(compare(layout(list)).bad, []);
});

/** MOVS Rd, Rm (T2) is UNPREDICTABLE in an IT block (A8.8.103); objdump then shows it as MOV<c>. */
const IT_UNPREDICTABLE = new Set(['MOV (register) T2']);

test('a sample of the shared T32 entries inside a one-slot IT block carries its condition as objdump prints it', { timeout: 30_000 }, () => {
  const list: { def: InsnDef; w: number; it: number }[] = [];
  for (const d of a9ThumbDefs) {
    if (!shared.has(d) || SHARED_SKIP.has(d.name) || IT_UNPREDICTABLE.has(d.name)) continue;
    for (const w of encodings(d, 6)) list.push({ def: d, w, it: (rnd32() >>> 3) % 14 });
  }
  assert.ok(list.length > 500, `only ${list.length} shared encodings`);
  const { bad, perDef } = compare(layout(list));
  console.log(`shared T32 in IT: ${list.length} encodings`, Object.fromEntries(perDef));
  assert.deepEqual(bad, []);
});
