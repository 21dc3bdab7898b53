// Differential test of the CFI reader: every CIE/FDE and every interpreted table row of each
// corpus ELF (all variants) and the Rust ELF, compared with `arm-none-eabi-readelf
// --debug-dump=frames-interp`. Zero mismatches expected; readelf shows "no rule" as "u", so a
// register without a rule compares equal to "u".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ElfFile } from './elf';
import { CallFrameInfo, formatCfa, formatRule, type Cie, type FrameRow } from './frames';
import { corpusElfs, haveGcc, TESTDATA_DIR } from './test-corpus';

interface RefRow { loc: number; cfa: string; cols: Map<string, string> }
interface RefEntry { section: string; offset: number; kind: 'CIE' | 'FDE'; cie?: number; lo?: number; hi?: number; rows: RefRow[] }

/** Parses readelf's frames-interp text into entries with their table rows. */
export function parseReadelf(text: string): RefEntry[] {
  const out: RefEntry[] = [];
  let section = '';
  let cur: RefEntry | undefined;
  let header: string[] = [];
  for (const line of text.split('\n')) {
    const sec = /^Contents of the (\S+) section:/.exec(line);
    if (sec) { section = sec[1]; cur = undefined; continue; }
    const e = /^([0-9a-f]+) [0-9a-f]+ [0-9a-f]+ (CIE|FDE)(?: cie=([0-9a-f]+) pc=([0-9a-f]+)\.\.([0-9a-f]+))?/.exec(line);
    if (e) {
      cur = { section, offset: parseInt(e[1], 16), kind: e[2] as 'CIE' | 'FDE', rows: [] };
      if (e[3] !== undefined) { cur.cie = parseInt(e[3], 16); cur.lo = parseInt(e[4], 16); cur.hi = parseInt(e[5], 16); }
      out.push(cur);
      continue;
    }
    if (/^\s+LOC\s+CFA/.test(line)) { header = line.trim().split(/\s+/).slice(2); continue; }
    const row = /^([0-9a-f]{8,16}) (.*)$/.exec(line);
    if (row && cur) {
      const f = row[2].trim().split(/\s+/);
      const cols = new Map<string, string>();
      header.forEach((h, i) => cols.set(h, f[i + 1] ?? ''));
      cur.rows.push({ loc: parseInt(row[1], 16), cfa: f[0], cols });
    }
  }
  return out;
}

/** readelf's column name for a DWARF register: "ra" for the CIE's return-address column. */
function colName(reg: number, cie: Cie): string {
  if (reg === cie.raReg) return 'ra';
  return formatRule({ kind: 'register', reg });
}

function compareRows(where: string, mine: FrameRow[], ref: RefRow[], cie: Cie, diffs: string[]): void {
  if (mine.length !== ref.length) { diffs.push(`${where}: ${mine.length} rows, readelf ${ref.length}`); return; }
  for (let i = 0; i < mine.length; i++) {
    const m = mine[i], r = ref[i];
    const at = `${where} row 0x${r.loc.toString(16)}`;
    if (m.loc !== r.loc) diffs.push(`${at}: loc 0x${m.loc.toString(16)}`);
    if (formatCfa(m.cfa) !== r.cfa) diffs.push(`${at}: CFA ${formatCfa(m.cfa)}, readelf ${r.cfa}`);
    const seen = new Set<string>();
    for (const [reg, rule] of m.regs) {
      const name = colName(reg, cie);
      seen.add(name);
      const theirs = r.cols.get(name) ?? 'u';
      if (formatRule(rule) !== theirs) diffs.push(`${at}: ${name} ${formatRule(rule)}, readelf ${theirs}`);
    }
    for (const [name, v] of r.cols) if (!seen.has(name) && v !== 'u') diffs.push(`${at}: ${name} has no rule, readelf ${v}`);
  }
}

const allNops = (data: Uint8Array, start: number, end: number) => data.subarray(start, end).every((b) => b === 0);

/** Compares one ELF; returns the mismatches and how many rows were compared. */
function diffElf(path: string): { diffs: string[]; rows: number; fdes: number } {
  const ref = parseReadelf(execFileSync('arm-none-eabi-readelf', ['--debug-dump=frames-interp', path], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const elf = ElfFile.parse(new Uint8Array(readFileSync(path)), path);
  const cfi = CallFrameInfo.fromElf(elf);
  assert.ok(cfi, `${path}: has CFI`);
  const byKey = new Map(ref.map((e) => [`${e.section}:${e.offset}`, e]));
  const diffs: string[] = [];
  let rows = 0, fdes = 0, entries = 0;
  for (const s of cfi.entries()) {
    for (const cie of s.cies) {
      entries++;
      const r = byKey.get(`${s.section}:${cie.offset}`);
      if (r?.kind !== 'CIE') { diffs.push(`${s.section}+0x${cie.offset.toString(16)}: CIE not listed by readelf`); continue; }
      const mine = allNops(cie.data, cie.instrStart, cie.instrEnd) ? [] : [{ ...new CallFrameInfo([], 4).cieRow(cie), loc: 0 }];
      compareRows(`${s.section}+0x${cie.offset.toString(16)} CIE`, mine, r.rows, cie, diffs);
      rows += mine.length;
    }
    for (const fde of s.fdes) {
      entries++; fdes++;
      const where = `${s.section}+0x${fde.offset.toString(16)} FDE`;
      const r = byKey.get(`${s.section}:${fde.offset}`);
      if (r?.kind !== 'FDE') { diffs.push(`${where}: not listed by readelf`); continue; }
      if (r.cie !== fde.cie.offset || r.lo !== fde.lo || r.hi !== fde.hi) {
        diffs.push(`${where}: cie=0x${fde.cie.offset.toString(16)} pc=0x${fde.lo.toString(16)}..0x${fde.hi.toString(16)}, readelf cie=0x${r.cie?.toString(16)} pc=0x${r.lo?.toString(16)}..0x${r.hi?.toString(16)}`);
      }
      const mine = allNops(fde.cie.data, fde.instrStart, fde.instrEnd) ? [] : cfi.rows(fde);
      compareRows(where, mine, r.rows, fde.cie, diffs);
      rows += mine.length;
    }
  }
  const refEntries = ref.length;
  if (refEntries !== entries) diffs.push(`${path}: ${entries} entries, readelf ${refEntries}`);
  return { diffs, rows, fdes };
}

const elfs = haveGcc()
  ? [...corpusElfs().map((c) => ({ name: c.name, path: c.path })), { name: 'rust', path: join(TESTDATA_DIR, 'rust', 'types.elf') }]
  : [];

test('CFI tables match readelf --debug-dump=frames-interp on every corpus ELF and the Rust ELF', { skip: elfs.length === 0 && 'arm-none-eabi-gcc not installed' }, () => {
  let total = 0, totalFdes = 0;
  const all: string[] = [];
  for (const e of elfs) {
    const { diffs, rows, fdes } = diffElf(e.path);
    total += rows; totalFdes += fdes;
    all.push(...diffs.slice(0, 10).map((d) => `${e.name}: ${d}`));
    assert.ok(rows > 0 && fdes > 0, `${e.name}: compared ${fdes} FDEs / ${rows} rows`);
  }
  process.stdout.write(`# frames: ${elfs.length} ELFs, ${totalFdes} FDEs, ${total} rows compared with readelf\n`);
  assert.deepEqual(all, []);
});

test('tandem elf frame prints the row in force at a pc as readelf does', { skip: elfs.length === 0 && 'arm-none-eabi-gcc not installed' }, async () => {
  const { run } = await import('./cli/frame');
  const path = elfs.find((e) => e.name === 'O2-dwarf5')!.path;
  const ref = parseReadelf(execFileSync('arm-none-eabi-readelf', ['--debug-dump=frames-interp', path], { encoding: 'utf8' }));
  const bytes = new Uint8Array(readFileSync(path));
  let checked = 0;
  for (const e of ref) {
    if (e.kind !== 'FDE' || e.rows.length < 2) continue;
    // Each row at its own address, and the FDE's last halfword (a row may start at hi itself).
    for (const pc of [...e.rows.map((r) => r.loc).filter((l) => l < e.hi!), e.hi! - 2]) {
      const want = e.rows.filter((r) => r.loc <= pc).pop()!;
      let text = '';
      assert.equal(run({ file: path, bytes, args: [`0x${pc.toString(16)}`], out: (t) => { text += t; }, err: (t) => { text += t; } }), 0);
      const [got] = parseReadelf(`00000000 00000000 00000000 FDE cie=0 pc=0..0\n${text.split('\n').slice(1).join('\n')}`);
      assert.equal(got.rows.length, 1, text);
      assert.equal(got.rows[0].loc, want.loc, text);
      assert.equal(got.rows[0].cfa, want.cfa, text);
      for (const [k, v] of want.cols) assert.equal(got.rows[0].cols.get(k) ?? 'u', v, `${text}: ${k}`);
      checked++;
    }
  }
  assert.ok(checked >= 10, `${checked} pcs checked`);
  let err = '';
  assert.equal(run({ file: path, bytes, args: ['0x7'], out: (t) => { err += t; }, err: (t) => { err += t; } }), 1);
  assert.match(err, /^0x7: no call frame information covers this pc/);
});
