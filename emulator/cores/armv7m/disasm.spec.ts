// Our disassembler against GNU objdump (the reference for our syntax) on the same random
// encodings the differential test uses: per class, every defined encoding's text must
// match objdump's after the cosmetic normalisations documented in normalise().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { armv7mDefs, armv7mTable, disassemble } from './isa';
import { decodeHws, generateCases } from '../../../test/difftest/generate';
import { objdumpDecode } from '../../../test/difftest/py-tools';

const SEED = Number(process.env.TANDEM_DIFF_SEED ?? 1);
const COUNT = Number(process.env.TANDEM_DISASM_CASES ?? 16_000);
const SHOW = Number(process.env.TANDEM_DIFF_SHOW ?? 6);
const BASE = 0x10000;

/**
 * Cosmetic differences only:
 * - objdump separates mnemonic and operands with a tab and may pad: whitespace runs become one space;
 * - objdump appends comments after '@' (literal addresses, <UNDEFINED> notes) and symbol
 *   names in '<...>' after branch targets; both are dropped;
 * - case is folded (objdump prints lower case, as we do, except some hex digits).
 */
export function normalise(s: string): string {
  return s.replace(/\s*@.*$/, '').replace(/\s*<[^>]*>/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * Where objdump (binutils, -marm -Mforce-thumb, all architectures) is wrong for ARMv7-M,
 * the ARM ARM wins. Each entry is narrow and says why.
 */
function objdumpKnownWrong(hws: readonly number[], theirs: string): boolean {
  // LDR{B,H,SB,SH} (literal) T2 with imm12[11:8] = 1110 (A5.3.9: Rn = 1111 selects the literal
  // form before the unprivileged LDRT-family form): objdump prints 'ldrt r4, [pc, #-3620]'.
  if (hws.length === 2 && (hws[0] & 0xfe0f) === 0xf80f && /^ldr\w*t\s.*\[pc,/.test(theirs)) return true;
  // Hint #5 is SEVL only from ARMv8; on ARMv7-M it is an unallocated NOP-compatible hint (A5.2.5).
  if (hws.length === 1 && hws[0] === 0xbf50 && theirs.trim() === 'sevl') return true;
  return false;
}

test(`disassembler matches objdump on ${COUNT} random encodings (seed ${SEED})`, { timeout: 300_000 }, async () => {
  const { cases } = await generateCases({ seed: SEED + 1000, count: COUNT, defs: armv7mDefs, table: armv7mTable });
  const seen = new Set<string>();
  const items: { hws: number[]; group: string; addr: number }[] = [];
  let addr = BASE;
  for (const c of cases) {
    if (c.group === 'it' || decodeHws(armv7mTable, c.hws) === undefined) continue;
    const key = c.hws.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    items.push({ hws: c.hws, group: c.group.replace(/^cs:/, ''), addr });
    addr += c.hws.length * 2;
  }
  const ref = objdumpDecode(items, BASE);
  const stats = new Map<string, { n: number; bad: number; show: string[] }>();
  for (const it of items) {
    let g = stats.get(it.group);
    if (g === undefined) stats.set(it.group, g = { n: 0, bad: 0, show: [] });
    g.n++;
    const ours = disassemble(it.hws[0], it.hws[1] ?? 0, it.addr, -1).text;
    const theirs = ref.get(it.addr);
    if (theirs !== undefined && (normalise(ours) === normalise(theirs) || objdumpKnownWrong(it.hws, theirs))) continue;
    g.bad++;
    if (g.show.length < SHOW) {
      g.show.push(`  [${it.hws.map((h) => h.toString(16).padStart(4, '0')).join(' ')}] @0x${it.addr.toString(16)} ours '${ours}' objdump '${theirs ?? '(no line)'}'`);
    }
  }
  const lines = [...stats].sort().map(([k, g]) => `${k.padEnd(10)} ${String(g.n).padStart(6)} encodings ${String(g.bad).padStart(6)} differ`);
  console.log(`disasm vs objdump:\n${lines.join('\n')}`);
  const total = [...stats.values()].reduce((a, g) => a + g.bad, 0);
  assert.ok(items.length > COUNT / 3, `only ${items.length} distinct decodable encodings generated`);
  const report = [...stats].filter(([, g]) => g.bad > 0).map(([k, g]) => `${k}: ${g.bad} of ${g.n}\n${g.show.join('\n')}`).join('\n');
  assert.equal(total, 0, `${total} encodings disassemble differently from objdump:\n${report}`);
});
