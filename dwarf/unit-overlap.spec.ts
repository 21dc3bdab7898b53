// Scope lookup where compile-unit ranges overlap: a unit whose sections the linker discarded
// keeps ranges relocated to 0 (newlib's reent.c claims [0, 0xd8) in faults.elf), and the unit
// that really holds the code there must still win. Checked against gdb and every function symbol.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DebugInfo } from './index';

const ROOT = join(__dirname, '..', 'sample-workspaces');
const FAULTS = join(ROOT, 'mps2-an386', 'prebuilt', 'faults.elf');
const open = (p: string) => DebugInfo.open(new Uint8Array(readFileSync(p)), p);

function haveGdb(): boolean {
  try { execFileSync('gdb-multiarch', ['--version'], { stdio: 'ignore', timeout: 10_000 }); return true; } catch { return false; }
}

test('faults.elf: the entry of divide (0xc0) lies in two units and resolves to faults.c', () => {
  const d = open(FAULTS);
  const divide = d.elf.symbols().find((s) => s.name === 'divide' && s.type === 2);
  assert.ok(divide, 'faults.elf has a divide symbol');
  const pc = divide.value & ~1;
  // The overlap is what this test is about: if the ELF is rebuilt without it, say so.
  const units = d.scopes.unitsAt(pc);
  assert.ok(units.length >= 2, `0x${pc.toString(16)} is covered by ${units.length} unit(s); expected the discarded reent.c unit too`);
  const fn = d.scopesAt(pc).find((s) => s.kind === 'function');
  assert.equal(fn?.name, 'divide');
  assert.equal(d.scopes.unitAt(pc), fn.die.unit, 'unitAt (Statics) agrees with the function found');
  assert.match(String(fn.die.unit.root()?.name()), /faults\.c$/);
  // Below the real code only the discarded unit remains (gdb, too, shows its cleanup_glue there).
  assert.deepEqual(d.scopes.unitsAt(0x10).map((u) => u.offset), [units.find((u) => u !== fn.die.unit)?.offset]);
});

test('faults.elf: the names in scope at 0xc0 are gdb\'s (info scope *0xc0)', { skip: !haveGdb() && 'gdb-multiarch not installed', timeout: 30_000 }, () => {
  const out = execFileSync('gdb-multiarch', ['-nx', '-batch', '-ex', 'info scope *0xc0', FAULTS], { encoding: 'utf8', timeout: 25_000 });
  const theirs = [...out.matchAll(/^Symbol (\w+) is/gm)].map((m) => m[1]).sort();
  assert.ok(theirs.length >= 2, `gdb listed ${theirs.length} symbols:\n${out}`);
  const ours = open(FAULTS).scopesAt(0xc0).flatMap((s) => s.variables.map((v) => v.name)).sort();
  assert.deepEqual(ours, theirs);
});

test('every function symbol with a DWARF subprogram at its address finds that subprogram', () => {
  const elfs = readdirSync(ROOT).flatMap((w) => {
    const dir = join(ROOT, w, 'prebuilt');
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.elf')).map((f) => join(dir, f)) : [];
  });
  assert.ok(elfs.length >= 5, `only ${elfs.length} prebuilt ELFs found under ${ROOT}`);
  let checked = 0;
  for (const p of elfs) {
    const d = open(p);
    for (const s of d.elf.symbols()) {
      if (s.type !== 2 || s.shndx === 0 || s.size === 0) continue;
      const pc = s.value & ~1;
      const dwarf = d.scopes.functionAddresses(s.name).filter((f) => !f.inlined && f.lo === pc);
      if (dwarf.length === 0) continue;
      const fn = d.scopesAt(pc).find((x) => x.kind === 'function');
      assert.ok(fn && dwarf.some((f) => f.die.offset === fn.die.offset), `${p}: ${s.name} at 0x${pc.toString(16)} resolves to ${fn?.name ?? 'no function'}`);
      checked++;
    }
  }
  assert.ok(checked >= 100, `only ${checked} functions checked`);
});
