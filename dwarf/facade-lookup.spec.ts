// The facade's fast lookups that avoid indexing every unit: Unit.rootAttr (stmt_list/comp_dir of
// each unit's root DIE, read raw) and DebugInfo.functionEntry (symbol table, confirmed by DWARF)
// must agree with the full-index answers on the corpus ELFs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DebugInfo } from './index';
import { DW_AT } from './info';
import { corpusElfs, haveGcc } from './test-corpus';

const elfs = haveGcc() ? corpusElfs((v) => !v.g3 && !v.gccLines) : [];

test('Unit.rootAttr and DebugInfo.functionEntry agree with the indexed DIEs', { skip: elfs.length === 0 && 'arm-none-eabi-gcc not installed' }, () => {
  let units = 0, funcs = 0;
  for (const c of elfs) {
    const fast = DebugInfo.open(new Uint8Array(readFileSync(c.path)), c.path);
    const full = DebugInfo.open(new Uint8Array(readFileSync(c.path)), c.path);
    for (const u of full.info.compileUnits()) {
      const root = u.root();
      assert.equal(u.rootAttr(DW_AT.stmt_list)?.value, root?.num(DW_AT.stmt_list), `${c.name} unit 0x${u.offset.toString(16)} stmt_list`);
      assert.equal(u.rootAttr(DW_AT.comp_dir)?.value, root?.str(DW_AT.comp_dir), `${c.name} unit 0x${u.offset.toString(16)} comp_dir`);
      assert.equal(u.rootAttr(0x3fff), undefined);
      units++;
    }
    for (const s of fast.elf.symbols()) {
      if (s.type !== 2 || s.shndx === 0 || s.size === 0) continue;
      const want = full.functionAddresses(s.name).find((f) => !f.inlined && f.source === 'dwarf');
      const got = fast.functionEntry(s.name);
      // libgcc's assembler-written DWARF (e.g. __fixsfsi) keeps the Thumb bit in DW_AT_low_pc, so
      // scopes do not line up with the symbol's even address: either the symbol (even address) or
      // the full index (the same odd range) answers.
      if (want !== undefined && want.lo & 1) { assert.ok(got && (got.lo === want.lo - 1 || got.lo === want.lo), `${c.name} ${s.name}`); continue; }
      if (want === undefined) { assert.equal(got?.source, 'symbol', `${c.name} ${s.name}: from the symbol table`); continue; }
      assert.deepEqual(got && [got.lo, got.hi, got.source], [want.lo, want.hi, 'dwarf'], `${c.name} ${s.name}`);
      funcs++;
    }
    assert.equal(fast.functionEntry('no_such_function_anywhere'), undefined);
  }
  assert.ok(units >= 20 && funcs >= 50, `${units} units, ${funcs} functions checked`);
});
