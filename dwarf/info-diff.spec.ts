// Differential test of dwarf/info.ts, ranges.ts and location.ts against pyelftools 0.29: every
// DIE (offset, tag, parent), attribute (form and decoded value), expression (decoded ops),
// location list and range list of the corpus ELFs, in the numeric format of pyelftools-dump.py.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { ElfFile } from './elf';
import { DW_AT, DW_FORM, DwarfInfo, sectionsFrom, type Attr, type Unit } from './info';
import { decodeExpr, type ExprOp } from './location';
import { isListForm, readLocList, readRangeList } from './ranges';
import { corpusElfs, haveGcc } from './test-corpus';

const PY = '/usr/bin/python3';
const DUMPER = join(__dirname, 'pyelftools-dump.py');

function hex(b: Uint8Array): string { return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('') || '-'; }

/** pyelftools prints nested entry_value exprs and blobs like formatExpr(…, false); kept local to match it exactly. */
function fmtOps(ops: readonly ExprOp[]): string {
  return ops.map((o) => [o.name, ...o.args.map((a) => Array.isArray(a) ? `[${fmtOps(a)}]` : a instanceof Uint8Array ? hex(a) : String(a))].join(' ')).join('; ');
}

function fmtValue(a: Attr, u: Unit): string {
  const v = a.value;
  if (a.form === DW_FORM.loclistx) return String(u.loclistOffset(v as number));
  if (a.form === DW_FORM.rnglistx) return String(u.rnglistOffset(v as number));
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Uint8Array) return hex(v);
  return String(v);
}

export function dumpInfo(info: DwarfInfo): string {
  const out: string[] = [];
  for (const u of info.units()) {
    if (u.section !== '.debug_info') continue;
    out.push(`CU ${u.offset} v${u.version}`);
    const fmt = { addrSize: u.addrSize, offsetSize: u.offsetSize };
    for (let i = 0; i < u.dieCount(); i++) {
      const ab = u.abbrevOf(i);
      const p = u.parentOf(i);
      out.push(`${u.offsetOf(i)} ${ab.tag} ${ab.hasChildren ? 1 : 0} ${p < 0 ? -1 : u.offsetOf(p)}`);
      for (const a of u.attrsOf(i)) {
        out.push(` a ${a.at} ${a.form} ${fmtValue(a, u)}`);
        if (a.form === DW_FORM.exprloc) out.push(` e ${fmtOps(decodeExpr(a.value as Uint8Array, fmt))}`);
        else if ((a.at === DW_AT.location || a.at === DW_AT.frame_base) && isListForm(u, a.form) && a.form !== DW_FORM.loclistx) {
          for (const e of readLocList(u, Number(a.value))) out.push(` l ${e.lo} ${e.hi} ${fmtOps(decodeExpr(e.expr, fmt))}`);
        } else if (a.at === DW_AT.ranges && isListForm(u, a.form) && a.form !== DW_FORM.rnglistx) {
          for (const r of readRangeList(u, Number(a.value))) out.push(` r ${r.lo} ${r.hi}`);
        }
      }
    }
  }
  return out.join('\n') + '\n';
}

const ready = haveGcc() && existsSync(PY);

test('DIE trees, attributes, expressions, location and range lists match pyelftools on every corpus ELF', { skip: !ready && 'arm-none-eabi-gcc or /usr/bin/python3 missing' }, () => {
  const elfs = corpusElfs();
  assert.ok(elfs.length >= 12);
  let lines = 0, lists = 0, exprs = 0;
  for (const c of elfs) {
    const bytes = new Uint8Array(readFileSync(c.path));
    const elf = ElfFile.parse(bytes, c.path, { inflate: (d) => new Uint8Array(inflateSync(d)) });
    const ours = dumpInfo(new DwarfInfo(sectionsFrom((n) => elf.sectionData(n)))).split('\n');
    const theirs = execFileSync(PY, [DUMPER, c.path], { encoding: 'utf8', maxBuffer: 256 << 20 }).split('\n');
    const bad: string[] = [];
    for (let i = 0; i < Math.max(ours.length, theirs.length) && bad.length < 10; i++) {
      if (ours[i] !== theirs[i]) bad.push(`line ${i + 1}: ours ${JSON.stringify(ours[i])} pyelftools ${JSON.stringify(theirs[i])}`);
    }
    assert.deepEqual(bad, [], `${c.name}: mismatches with pyelftools`);
    lines += ours.length;
    lists += ours.filter((l) => l.startsWith(' l ') || l.startsWith(' r ')).length;
    exprs += ours.filter((l) => l.startsWith(' e ')).length;
  }
  // The comparison is only meaningful if the corpus exercised lists and expressions.
  assert.ok(lists > 1000 && exprs > 500, `lists ${lists}, exprs ${exprs}, lines ${lines}`);
});
