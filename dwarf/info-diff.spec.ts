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
import { DwarfInfo, sectionsFrom } from './info';
import { dumpInfo } from './info-dump';
import { buildElf, corpusElfs, corpusSources, haveGcc, TESTDATA_DIR } from './test-corpus';

const PY = '/usr/bin/python3';
const DUMPER = join(__dirname, 'pyelftools-dump.py');

const ready = haveGcc() && existsSync(PY);

test('DIE trees, attributes, expressions, location and range lists match pyelftools on every corpus ELF', { skip: !ready && 'arm-none-eabi-gcc or /usr/bin/python3 missing' }, () => {
  const elfs: { name: string; path: string }[] = corpusElfs();
  assert.ok(elfs.length >= 12);
  // DWARF 4 type units in .debug_types: the .debug_info side must still match. (pyelftools 0.29
  // cannot read DWARF 5 DW_UT_type units in .debug_info; values-gdb.spec covers those.)
  elfs.push({ name: 'typeunits-dwarf4', path: buildElf(TESTDATA_DIR, corpusSources(), ['-O0', '-gdwarf-4', '-fdebug-types-section'], 'typeunits-dwarf4') });
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
