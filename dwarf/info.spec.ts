// dwarf/info.ts, ranges.ts, scopes.ts and cli/vars.ts on the corpus and on broken input:
// function-name lookup, scopes at a pc, optimized-out composite values recovered to the source
// constants, `tandem elf vars` output, and mutated sections that must end in DwarfError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DwarfError } from './reader';
import { ElfFile } from './elf';
import { DW_AT, DW_TAG, DwarfInfo, parseAbbrevTable, sectionsFrom, type DwarfSections } from './info';
import { dieRanges } from './ranges';
import { Scopes } from './scopes';
import { formatValue } from './values';
import { corpusElf, haveGcc } from './test-corpus';
import * as vars from './cli/vars';

const ready = haveGcc();
const open = (path: string) => {
  const elf = ElfFile.parse(new Uint8Array(readFileSync(path)), path);
  return { elf, sections: sectionsFrom((n) => elf.sectionData(n)) };
};

test('function name → addresses agrees with the symbol table; inlined instances are listed too', { skip: !ready && 'no gcc' }, () => {
  for (const dwarf of [4, 5] as const) {
    const { elf, sections } = open(corpusElf({ opt: '-O2', dwarf, g3: false }).path);
    const sc = new Scopes(new DwarfInfo(sections));
    let checked = 0;
    for (const s of elf.symbols()) {
      if (s.type !== 2 || s.size === 0 || !/^(fact|ackermann|shape_area|dot|fill|apply_all|hash_words|types_main|loops_main)$/.test(s.name)) continue;
      const outOfLine = sc.functionAddresses(s.name).filter((f) => !f.inlined);
      assert.ok(outOfLine.some((f) => f.lo === s.value && f.hi === s.value + s.size), `${s.name}@0x${s.value.toString(16)}: ${JSON.stringify(outOfLine.map((f) => [f.lo, f.hi]))}`);
      checked++;
    }
    assert.ok(checked >= 8, `checked ${checked}`);
    // hash_words is also inlined into inline_main at -O2.
    const hw = sc.functionAddresses('hash_words');
    assert.ok(hw.some((f) => f.inlined) && hw.some((f) => !f.inlined));
    assert.deepEqual(sc.functionAddresses('no_such_function'), []);
  }
});

test('scopes at a pc nest from the innermost inlined block out to the function', { skip: !ready && 'no gcc' }, () => {
  const { elf, sections } = open(corpusElf({ opt: '-O2', dwarf: 5, g3: false }).path);
  const sc = new Scopes(new DwarfInfo(sections));
  const im = elf.symbols().find((s) => s.name === 'inline_main')!;
  let sawInlined = 0;
  for (let pc = im.value; pc < im.value + im.size; pc += 2) {
    const chain = sc.scopesAt(pc);
    assert.ok(chain.length >= 1, `no scope at 0x${pc.toString(16)}`);
    assert.equal(chain[chain.length - 1].kind, 'function');
    assert.equal(chain[chain.length - 1].name, 'inline_main');
    // Every scope contains pc, and each scope's ranges lie within its parent's function.
    for (const s of chain) if (s.ranges.length) assert.ok(s.ranges.some((r) => pc >= r.lo && pc < r.hi), `${s.kind} ${s.name} at 0x${pc.toString(16)}`);
    const inl = chain.filter((s) => s.kind === 'inlined');
    if (inl.length) {
      sawInlined++;
      for (const s of inl) assert.ok(s.callLine! > 0 && s.callFile! > 0 && ['clamp', 'hash_words', 'mix', 'rotl'].includes(s.name!), `${s.name}`);
    }
  }
  assert.ok(sawInlined > 4, `inlined scopes seen at ${sawInlined} pcs`);
  assert.deepEqual(sc.scopesAt(0xfffffff0), []);
});

test('an -O2 struct built from bit pieces and constants evaluates to the source initializer', { skip: !ready && 'no gcc' }, () => {
  for (const dwarf of [4, 5] as const) {
    const { sections } = open(corpusElf({ opt: '-O2', dwarf, g3: false }).path);
    const sc = new Scopes(new DwarfInfo(sections));
    // types_main: `struct flags f = { 1, 5, -3, 7 }; union word w = { .u = 0x12345678u };`
    const tm = sc.functionAddresses('types_main').find((f) => !f.inlined)!;
    let seen = 0;
    for (let pc = tm.lo; pc < tm.hi; pc += 2) {
      for (const s of sc.scopesAt(pc)) for (const v of s.variables) {
        if (s.kind !== 'function' || (v.name !== 'f' && v.name !== 'w') || v.location.kind === 'optimized-out') continue;
        const r = sc.evaluateVariable(v, pc, {});
        if (!r.bytes) continue;
        const text = formatValue(v.type, r.bytes, { valid: r.valid });
        if (v.name === 'f') assert.equal(text, "{ready = 1, mode = 5, level = -3, raw = 7 '\\a'}");
        else assert.match(text, /^\{u = 305419896, half = \{22136, 4660\}, bytes = "xV4\\022", f = /);
        seen++;
      }
    }
    assert.ok(seen >= 2, `DWARF ${dwarf}: evaluated ${seen}`);
  }
});

test('tandem elf vars lists params and locals with locations; bad pcs are clear errors', { skip: !ready && 'no gcc' }, () => {
  const c = corpusElf({ opt: '-O0', dwarf: 5, g3: false });
  const bytes = new Uint8Array(readFileSync(c.path));
  const elf = ElfFile.parse(bytes, c.path);
  const sa = elf.symbols().find((s) => s.name === 'matrix_sum')!;
  // A pc inside the inner loop, where j's block, i's block and the function all apply.
  const sc = new Scopes(new DwarfInfo(sectionsFrom((n) => elf.sectionData(n))));
  let inner = -1;
  for (let pc = sa.value; pc < sa.value + sa.size && inner < 0; pc += 2) if (sc.scopesAt(pc).length === 3) inner = pc;
  assert.ok(inner > 0, 'no pc with three nested scopes in matrix_sum');
  const run = (args: string[]) => {
    let out = '', err = '';
    const code = vars.run({ file: c.path, bytes, args, out: (t) => { out += t; }, err: (t) => { err += t; } });
    return { code, out, err };
  };
  const r = run([`0x${inner.toString(16)}`]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  // -O0: innermost block has j, the next i, then the function with m and sum, all frame-based.
  assert.match(r.out, /^function matrix_sum \[0x[0-9a-f]+, 0x[0-9a-f]+\)$/m);
  assert.match(r.out, /^ {2}param m: int \(\*\)\[3\] @ DW_OP_fbreg -?\d+$/m);
  assert.match(r.out, /^ {2}var {3}sum: int @ DW_OP_fbreg -?\d+$/m);
  assert.equal(lines[0].split(' ')[0], 'block');
  assert.match(lines[1], /^ {2}var {3}j: int @ DW_OP_fbreg -?\d+$/);
  assert.match(r.out, /^ {2}var {3}i: int @ DW_OP_fbreg -?\d+$/m);
  assert.equal(lines.filter((l) => l.startsWith('function')).length, 1);
  // Inlined call sites name the source file through the unit's line table.
  const o2 = corpusElf({ opt: '-O2', dwarf: 4, g3: false });
  const o2bytes = new Uint8Array(readFileSync(o2.path));
  const im = ElfFile.parse(o2bytes, o2.path).symbols().find((s) => s.name === 'inline_main')!;
  let inl = '';
  for (let pc = im.value; pc < im.value + im.size && !inl.includes('hash_words'); pc += 2) {
    let out = '';
    vars.run({ file: o2.path, bytes: o2bytes, args: [String(pc)], out: (t) => { out += t; }, err: () => {} });
    inl = out;
  }
  assert.match(inl, /^inlined hash_words .* called at inline\.c:35$/m);
  const bad = run(['zzz']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /'zzz' is not an address/);
  const none = run(['0x4']);
  assert.equal(none.code, 1);
  assert.match(none.err, /no function with debug information covers 0x4/);
});

test('abbrev tables and unit headers reject malformed input with located DwarfErrors', () => {
  const abbrev = Uint8Array.from([1, 0x11, 1, 0x03, 0x08, 0, 0, 1, 0x11, 0, 0, 0, 0]); // duplicate code 1
  assert.throws(() => parseAbbrevTable(abbrev, 0), /\.debug_abbrev\+0x7: duplicate abbreviation code 1/);
  assert.throws(() => parseAbbrevTable(Uint8Array.from([1, 0x11]), 0), DwarfError);
  const okAbbrev = Uint8Array.from([1, 0x11, 0, 0x03, 0x08, 0, 0, 0]);
  const unit = (len: number | undefined, version: number, body: number[]) => {
    const l = len ?? 2 + body.length;
    return Uint8Array.from([l & 0xff, (l >> 8) & 0xff, 0, 0, version, 0, ...body]);
  };
  const cases: [string, DwarfSections, RegExp][] = [
    ['length past the end', { info: unit(100, 4, [0, 0, 0, 0, 4, 1, 0x41, 0]), abbrev: okAbbrev }, /\.debug_info\+0x0: unit length 0x64 runs past/],
    ['bad version', { info: unit(undefined, 9, [0, 0, 0, 0, 4, 1]), abbrev: okAbbrev }, /unsupported DWARF version 9/],
    ['bad address size', { info: unit(undefined, 4, [0, 0, 0, 0, 3, 1]), abbrev: okAbbrev }, /unsupported address size 3/],
    ['unknown abbrev code', { info: unit(undefined, 4, [0, 0, 0, 0, 4, 7, 0x41, 0]), abbrev: okAbbrev }, /\.debug_info\+0xb: unknown abbreviation code 7/],
    ['unterminated string', { info: unit(undefined, 4, [0, 0, 0, 0, 4, 1, 0x41, 0x42]), abbrev: okAbbrev }, /\.debug_info/],
    ['abbrev offset outside the section', { info: unit(undefined, 4, [0xff, 0, 0, 0, 4, 1, 0x41, 0]), abbrev: okAbbrev }, /\.debug_abbrev/],
  ];
  for (const [why, s, re] of cases) {
    assert.throws(() => { const i = new DwarfInfo(s); for (const u of i.units()) for (let k = 0; k < u.dieCount(); k++) u.attrsOf(k); }, (e: unknown) => e instanceof DwarfError && re.test(e.message), why);
  }
  // A well-formed minimal unit parses: one compile_unit DIE named "A".
  const i = new DwarfInfo({ info: unit(undefined, 4, [0, 0, 0, 0, 4, 1, 0x41, 0, 0]), abbrev: okAbbrev });
  assert.equal(i.units()[0].root()?.name(), 'A');
  assert.equal(i.units()[0].root()?.tag, DW_TAG.compile_unit);
});

test('mutated .debug_info/.debug_abbrev/.debug_loclists end in DwarfError or a result, never another exception', { skip: !ready && 'no gcc' }, () => {
  const { sections } = open(corpusElf({ opt: '-O2', dwarf: 5, g3: false }).path);
  let seed = 12345;
  const rnd = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
  const keys: (keyof DwarfSections)[] = ['info', 'info', 'abbrev', 'loclists', 'rnglists', 'aranges', 'str', 'line_str'];
  let typed = 0, ok = 0;
  const t0 = performance.now();
  for (let n = 0; n < 600; n++) {
    const s: DwarfSections = { ...sections };
    const k = keys[rnd(keys.length)];
    const orig = s[k]!;
    const m = orig.slice(0, rnd(4) === 0 ? rnd(orig.length) : orig.length);
    for (let f = 1 + rnd(6); f > 0 && m.length; f--) {
      const at = rnd(m.length);
      const how = rnd(3);
      if (how === 0) m[at] ^= 1 << rnd(8);
      else if (how === 1) m[at] = [0, 0xff, 0x7f, 0x80][rnd(4)];
      else if (at + 4 <= m.length) {
        // An offset rewritten to point anywhere (inside or past any section).
        const v = rnd(2) ? rnd(orig.length + 16) : rnd(0x7fffffff);
        m[at] = v & 0xff; m[at + 1] = (v >> 8) & 0xff; m[at + 2] = (v >> 16) & 0xff; m[at + 3] = v >>> 24;
      }
    }
    s[k] = m;
    try {
      const info = new DwarfInfo(s);
      const sc = new Scopes(info);
      for (const u of info.units()) for (let d = 0; d < u.dieCount(); d++) {
        const die = u.dieByIndex(d);
        die.attrs();
        if (die.has(DW_AT.low_pc) || die.has(DW_AT.ranges)) dieRanges(die);
      }
      for (const pc of [0x8170, 0x8200, 0x8248, 0x8624]) for (const sco of sc.scopesAt(pc)) for (const v of sco.variables) {
        if (v.type) { v.type.toString(); v.type.size; }
        const r = sc.evaluateVariable(v, pc, { readReg: () => 0n, readMem: (_a, len) => new Uint8Array(len), cfa: () => 0x1000n });
        if (r.bytes) formatValue(v.type, r.bytes, { valid: r.valid });
      }
      ok++;
    } catch (e) {
      if (!(e instanceof DwarfError)) throw new Error(`case ${n} (${k}): ${(e as Error).stack}`);
      typed++;
    }
  }
  assert.ok(typed > 20 && ok > 20, `typed errors ${typed}, results ${ok}`);
  assert.ok(performance.now() - t0 < 60000);
});
