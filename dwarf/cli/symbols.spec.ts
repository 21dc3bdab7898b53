// `tandem elf symbols` on a corpus ELF: every defined symbol nm lists appears at nm's address,
// in address order, Thumb functions marked T32; C++ names demangled; bad input is a clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './symbols';
import { cacheDir, corpusElf, TESTDATA_DIR } from '../test-corpus';

function runCli(file: string, bytes: Uint8Array, args: string[] = []) {
  let out = '';
  let err = '';
  const rc = run({ file, bytes, args, out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { rc, out, err };
}

test('lists the symbols nm lists, at the same addresses, in address order', () => {
  const c = corpusElf({ opt: '-Os', dwarf: 5, g3: false });
  const { rc, out } = runCli(c.path, new Uint8Array(readFileSync(c.path)));
  assert.equal(rc, 0);
  const rows = out.trimEnd().split('\n').map((l) => {
    const m = /^0x([0-9a-f]{8}) +(\d+) (\S+) +(\S+) +(\S+) +(\S+) +(.*)$/.exec(l);
    assert.ok(m, l);
    return { addr: parseInt(m[1], 16), type: m[3], mode: m[6], name: m[7] };
  });
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].addr <= rows[i].addr, 'address order');
  const nm = execFileSync('arm-none-eabi-nm', [c.path], { encoding: 'utf8' });
  let checked = 0;
  for (const line of nm.split('\n')) {
    const m = /^([0-9a-f]{8}) ([TtDdBbRr]) (\S+)$/.exec(line);
    if (!m || m[3].startsWith('$')) continue;
    // nm prints Thumb function addresses with bit 0 set; we print the address and T32.
    // Local names repeat across objects, so match on (name, address).
    const nmAddr = parseInt(m[1], 16);
    const row = rows.find((r) => r.name === m[3] && r.addr === (r.mode === 'T32' ? nmAddr & ~1 : nmAddr));
    assert.ok(row, `${m[3]} at 0x${m[1]} listed`);
    checked++;
  }
  assert.ok(checked > 30, `${checked} symbols checked`);
  assert.equal(rows.find((r) => r.name === 'main')?.mode, 'T32');
});

test('C++ names are demangled with the raw name alongside; --no-demangle shows raw names', () => {
  const obj = join(cacheDir(), 'symbols-cli.o');
  execFileSync('arm-none-eabi-g++', ['-mcpu=cortex-m4', '-mthumb', '-O1', '-std=c++17', '-fno-exceptions', '-fno-rtti', '-c', join(TESTDATA_DIR, 'cxx', 'demangle-corpus.cpp'), '-o', obj]);
  const bytes = new Uint8Array(readFileSync(obj));
  const { out } = runCli(obj, bytes);
  assert.match(out, / hw::uart::Port::write\(char const\*, unsigned int\) const = _ZNK2hw4uart4Port5writeEPKcj\n/);
  const raw = runCli(obj, bytes, ['--no-demangle']).out;
  assert.match(raw, / _ZNK2hw4uart4Port5writeEPKcj\n/);
  assert.doesNotMatch(raw, / = _Z/);
});

test('not an ELF, truncated, and unknown options give a located error and a nonzero status', () => {
  const bad = runCli('notes.txt', new TextEncoder().encode('hello, world, not an elf'));
  assert.equal(bad.rc, 1);
  assert.match(bad.err, /^tandem: notes\.txt: e_ident: not an ELF file/);
  const c = corpusElf({ opt: '-O0', dwarf: 4, g3: false });
  const bytes = new Uint8Array(readFileSync(c.path));
  const cut = runCli('cut.elf', bytes.subarray(0, 4000));
  assert.equal(cut.rc, 1);
  assert.match(cut.err, /cut\.elf/);
  assert.equal(runCli(c.path, bytes, ['--bogus']).rc, 2);
});
