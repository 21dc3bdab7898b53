// Tests for dwarf/lines.ts: hand-assembled line programs (every opcode, v2-v5 headers, MD5,
// VLIW op_index), malformed input, the pc/breakpoint/stepping indexes, and a differential
// comparison with `arm-none-eabi-objdump --dwarf=decodedline` over the test corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { ElfFile } from './elf';
import { DwarfError } from './reader';
import { LineTable, parseLineHeader, type LineProgram } from './lines';
import { corpusElfs, haveGcc } from './test-corpus';
import * as linesCmd from './cli/lines';

// ---- a tiny assembler for line programs ----
function uleb(v: number): number[] {
  const out: number[] = [];
  do { let b = v % 128; v = Math.floor(v / 128); if (v) b |= 0x80; out.push(b); } while (v);
  return out;
}
function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && (b & 0x40))) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}
const cstr = (s: string) => [...Buffer.from(s, 'utf8'), 0];
const u16 = (v: number) => [v & 0xff, v >>> 8];
const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];

interface HeaderSpec {
  version: number; minInst?: number; maxOps?: number; defaultIsStmt?: boolean; lineBase?: number; lineRange?: number;
  opcodeBase?: number; stdLengths?: number[]; tables: number[];
}
/** Wraps header fields, tables and the program in a unit with correct unit_length and header_length. */
function unit(h: HeaderSpec, program: number[]): number[] {
  const opcodeBase = h.opcodeBase ?? 13;
  const std = h.stdLengths ?? [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1].slice(0, opcodeBase - 1);
  while (std.length < opcodeBase - 1) std.push(0);
  const afterHl = [h.minInst ?? 1, ...(h.version >= 4 ? [h.maxOps ?? 1] : []), h.defaultIsStmt === false ? 0 : 1,
    (h.lineBase ?? -5) & 0xff, h.lineRange ?? 14, opcodeBase, ...std, ...h.tables];
  const pre = [...u16(h.version), ...(h.version >= 5 ? [4, 0] : [])];
  const body = [...pre, ...u32(afterHl.length), ...afterHl, ...program];
  return [...u32(body.length), ...body];
}
const setAddress = (a: number) => [0, 5, 2, ...u32(a)];
const endSeq = [0, 1, 1];
const v4Tables = (dirs: string[], files: [string, number][]) => [
  ...dirs.flatMap(cstr), 0, ...files.flatMap(([n, d]) => [...cstr(n), ...uleb(d), 0, 0]), 0,
];

function tableOf(bytes: number[], extra: { lineStr?: number[]; str?: number[] } = {}, compDir?: string): LineTable {
  return new LineTable({
    line: new Uint8Array(bytes),
    lineStr: extra.lineStr ? new Uint8Array(extra.lineStr) : undefined,
    str: extra.str ? new Uint8Array(extra.str) : undefined,
  }, { compDir: () => compDir });
}
const brief = (p: LineProgram) => p.rows().map((r) => [r.address, r.file, r.line, r.column, r.isStmt ? 1 : 0, r.endSequence ? 1 : 0]);

test('v4 program: every standard opcode and the special-opcode arithmetic', () => {
  const prog = [
    ...setAddress(0x1000),
    5, ...uleb(7), // set_column 7
    1, // copy: row 0x1000 line 1 col 7
    // special opcode: adjusted = op - 13; addr += adj / 14, line += -5 + adj % 14
    13 + 2 * 14 + 6, // addr +2, line +1 -> 0x1002 line 2
    3, ...sleb(-1), 2, ...uleb(4), 6, 1, // line 1, addr 0x1006, negate_stmt, copy
    8, // const_add_pc: (255-13)/14 = 17 -> 0x1017
    9, ...u16(0x100), 7, 10, 11, 12, ...uleb(3), 4, ...uleb(2), 1, // fixed_advance 0x1117, flags, isa 3, file 2, copy
    3, ...sleb(1000), 13 + 5, // special adj 5: addr +0, line +0 -> line 1001
    0, 2, 4, ...uleb(9), 1, // set_discriminator 9, copy
    2, ...uleb(2), ...endSeq,
  ];
  const t = tableOf(unit({ version: 4, tables: v4Tables(['inc'], [['a.c', 0], ['b.h', 1]]) }, prog), {}, '/src');
  const p = t.programs()[0];
  assert.equal(p.header.files[2].path, '/src/inc/b.h');
  assert.equal(p.header.files[1].path, '/src/a.c');
  assert.deepEqual(brief(p), [
    [0x1000, 1, 1, 7, 1, 0],
    [0x1002, 1, 2, 7, 1, 0],
    [0x1006, 1, 1, 7, 0, 0],
    [0x1117, 2, 1, 7, 0, 0],
    [0x1117, 2, 1001, 7, 0, 0],
    [0x1117, 2, 1001, 7, 0, 0],
    [0x1119, 2, 1001, 7, 0, 1],
  ]);
  const rows = p.rows();
  assert.equal(rows[3].basicBlock && rows[3].prologueEnd && rows[3].epilogueBegin, true);
  assert.equal(rows[3].isa, 3);
  assert.equal(rows[4].basicBlock, false, 'special opcodes clear basic_block');
  assert.equal(rows[5].discriminator, 9);
  assert.equal(rows[6].discriminator, 0, 'copy clears the discriminator');
});

test('opcode_base below 13 turns 10..12 into special opcodes; above 13 unknown opcodes skip their operands', () => {
  // opcode_base 10: opcode 10 is special with adjusted 0 -> line += lineBase.
  const low = tableOf(unit({ version: 2, opcodeBase: 10, lineBase: 1, lineRange: 4, tables: v4Tables([], [['x.c', 0]]) },
    [...setAddress(0x20), 10, 12, ...endSeq]));
  assert.deepEqual(brief(low.programs()[0]), [[0x20, 1, 2, 0, 1, 0], [0x20, 1, 5, 0, 1, 0], [0x20, 1, 5, 0, 1, 1]]);
  // opcode_base 15: opcode 13 takes 2 ULEBs, 14 takes none; 15 is the first special.
  const high = tableOf(unit({ version: 3, opcodeBase: 15, stdLengths: [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 2, 0], tables: v4Tables([], [['x.c', 0]]) },
    [...setAddress(0x40), 13, 0x80, 0x01, 5, 14, 15 + 14 + 5, ...endSeq]));
  assert.deepEqual(brief(high.programs()[0]), [[0x41, 1, 1, 0, 1, 0], [0x41, 1, 1, 0, 1, 1]]);
});

test('min_inst_length and VLIW op_index (max_ops_per_inst > 1)', () => {
  // minInst 4, maxOps 3: advance 7 ops from op_index 0 -> address += 4*2, op_index 1.
  const t = tableOf(unit({ version: 4, minInst: 4, maxOps: 3, tables: v4Tables([], [['v.c', 0]]) },
    [...setAddress(0x100), 2, 7, 1, 2, 2, 1, ...endSeq]));
  const rows = t.programs()[0].rows();
  assert.deepEqual(rows.map((r) => [r.address, r.opIndex]), [[0x108, 1], [0x10c, 0], [0x10c, 0]]);
});

test('DW_LNE_define_file, unknown extended opcodes and an address that wraps at 32 bits', () => {
  const t = tableOf(unit({ version: 3, tables: v4Tables(['d'], [['x.c', 0]]) }, [
    0, 10, 3, ...cstr('new.c'), 1, 0, 0, // define_file new.c in dir 1
    0, 4, 0x80, 1, 2, 3, // DW_LNE_lo_user with 3 bytes of payload
    ...setAddress(0xfffffffe), 4, 2, 2, 4, 1, ...endSeq,
  ]), {}, '/c');
  const p = t.programs()[0];
  assert.deepEqual(brief(p), [[2, 2, 1, 0, 1, 0], [2, 2, 1, 0, 1, 1]]);
  assert.equal(p.filePath(2), '/c/d/new.c');
});

test('v5 header: entry formats with line_strp, strp, string, udata and MD5', () => {
  const lineStr = [...cstr('/work'), ...cstr('m.c')];
  const str = [...cstr('inc')];
  const md5 = Array.from({ length: 16 }, (_, i) => i * 17);
  const tables = [
    2, 1, 0x1f, 0x77, 0x0b, // dir format: path line_strp, an unknown content type as data1
    ...uleb(2), ...u32(0), 0x55, ...u32(0), 0x66, // dirs: /work twice
    3, 1, 0x08, 2, 0x0f, 5, 0x1e, // file format: path string, dir udata, MD5 data16
    ...uleb(2), ...cstr('m.c'), 0, ...md5, ...cstr('h.h'), 1, ...md5,
  ];
  const bytes = unit({ version: 5, tables }, [...setAddress(0x8000), 4, 1, 1, ...endSeq]);
  const t = tableOf(bytes, { lineStr, str });
  const p = t.programs()[0];
  assert.equal(p.header.version, 5);
  assert.deepEqual(p.header.includeDirs, ['/work', '/work']);
  assert.equal(p.header.files[0].path, '/work/m.c');
  assert.deepEqual([...p.header.files[1].md5!], md5);
  assert.deepEqual(brief(p), [[0x8000, 1, 1, 0, 1, 0], [0x8000, 1, 1, 0, 1, 1]]);
  // A strp directory entry reads .debug_str.
  const t2 = tableOf(unit({ version: 5, tables: [1, 1, 0x0e, ...uleb(1), ...u32(0), 1, 1, 0x08, ...uleb(1), ...cstr('q.c')] }, endSeq), { str });
  assert.deepEqual(t2.programs()[0].header.includeDirs, ['inc']);
});

test('malformed programs raise DwarfError located in .debug_line, never a TypeError or a hang', () => {
  const good = unit({ version: 4, tables: v4Tables([], [['x.c', 0]]) }, [...setAddress(0x10), 1, ...endSeq]);
  const cases: [string, number[], RegExp][] = [
    ['version 7', [...good.slice(0, 4), 7, 0, ...good.slice(6)], /version 7/],
    ['unit_length past the end', [0xff, 0, 0, 0, ...good.slice(4)], /runs past the end/],
    ['line_range 0 with a special opcode', unit({ version: 4, lineRange: 0, tables: v4Tables([], [['x.c', 0]]) }, [20]), /line_range is 0/],
    ['header_length past the unit', (() => { const b = good.slice(); b[6] = 0xff; return b; })(), /header_length/],
    ['huge v5 file count', unit({ version: 5, tables: [0, 0, 1, 1, 0x08, ...uleb(1e9)] }, []), /count 1000000000/],
    ['set_address with 3 bytes', unit({ version: 4, tables: v4Tables([], [['x.c', 0]]) }, [0, 4, 2, 1, 2, 3]), /3-byte/],
    ['extended length past the end', unit({ version: 4, tables: v4Tables([], [['x.c', 0]]) }, [0, 50, 1]), /runs past/],
  ];
  for (const [name, bytes, re] of cases) {
    assert.throws(() => { const t = tableOf(bytes); for (const p of t.programs()) p.rowCount(); }, (e: unknown) => {
      assert.ok(e instanceof DwarfError, `${name}: ${String(e)}`);
      assert.equal(e.section, '.debug_line');
      assert.match(e.message, re, name);
      return true;
    });
  }
});

test('pc lookup, breakpoint addresses with nearest-line fallback, and stepping ranges', () => {
  // One function: line 10 @0x100, 11 @0x104, inlined 3 (file 2) @0x108, back to 11 @0x10c (not stmt), 13 @0x110, end 0x118.
  const prog = [
    ...setAddress(0x100), 3, ...sleb(9), 1,
    13 + 4 * 14 + 6, // +4, line 11
    4, 2, 3, ...sleb(-8), 13 + 4 * 14 + 5, // file 2 line 3 @0x108
    4, 1, 3, ...sleb(8), 6, 13 + 4 * 14 + 5, 6, // line 11 @0x10c, not stmt
    13 + 4 * 14 + 7, // +4 line 13 @0x110
    2, 8, ...endSeq, // end 0x118
    ...setAddress(0x200), 3, ...sleb(10), 1, 2, 4, ...endSeq, // another function: line 11 @0x200..0x204
  ];
  const t = tableOf(unit({ version: 4, tables: v4Tables(['src'], [['main.c', 1], ['inl.h', 1]]) }, prog), {}, '/p');
  const at = (pc: number) => { const l = t.lookup(pc); return l && [l.file, l.line, l.address, l.end]; };
  assert.deepEqual(at(0x106), ['/p/src/main.c', 11, 0x104, 0x108]);
  assert.deepEqual(at(0x10b), ['/p/src/inl.h', 3, 0x108, 0x10c]);
  assert.deepEqual(at(0x117), ['/p/src/main.c', 13, 0x110, 0x118]);
  assert.equal(t.lookup(0x118), undefined);
  assert.equal(t.lookup(0xff), undefined);
  assert.equal(t.lookup(0x203)?.line, 11);

  const bp = t.breakpointAddresses('main.c', 11)!;
  assert.deepEqual([bp.line, bp.addresses], [11, [0x104, 0x200]]);
  assert.deepEqual(bp.files, ['/p/src/main.c']);
  assert.deepEqual(t.breakpointAddresses('src/main.c', 12)?.line, 13, 'no code on 12: next line with code');
  assert.deepEqual(t.breakpointAddresses('/p/src/main.c', 99)?.line, 13, 'past the end: the nearest line before');
  assert.equal(t.breakpointAddresses('ain.c', 11), undefined, 'matches whole path components only');
  // One block for the whole file: only the lowest address survives.
  assert.deepEqual(t.breakpointAddresses('main.c', 11, () => 'f')?.addresses, [0x104]);

  // Line 11 is split by the inlined line 3: a step from 0x104 covers both pieces.
  assert.deepEqual(t.stepRanges(0x104), [{ start: 0x104, end: 0x108 }, { start: 0x10c, end: 0x110 }]);
  assert.deepEqual(t.stepRanges(0x110, { start: 0x100, end: 0x114 }), [{ start: 0x110, end: 0x114 }]);
  assert.equal(t.isStatement(0x104), true);
  assert.equal(t.isStatement(0x10c), false);
});

// ---- differential test against objdump ----
interface OdRow { name: string; line: number | undefined; address: number; stmt: boolean }
function objdumpRows(path: string): OdRow[] {
  const text = execFileSync('arm-none-eabi-objdump', ['-w', '--dwarf=decodedline', path], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const out: OdRow[] = [];
  for (const l of text.split('\n')) {
    const m = /^(\S+)\s+(\d+|-)\s+(0x[0-9a-f]+)(?:\s+\d+)?(\s+x)?\s*$/.exec(l);
    if (m) out.push({ name: m[1], line: m[2] === '-' ? undefined : Number(m[2]), address: parseInt(m[3], 16), stmt: !!m[4] });
  }
  return out;
}

const gcc = haveGcc();
test('line rows match arm-none-eabi-objdump --dwarf=decodedline on every corpus ELF', { skip: gcc ? false : 'arm-none-eabi-gcc not installed' }, () => {
  let compared = 0;
  for (const c of corpusElfs()) {
    const elf = ElfFile.parse(new Uint8Array(readFileSync(c.path)), c.path, { inflate: (d) => new Uint8Array(inflateSync(d)) });
    const t = LineTable.fromElf(elf)!;
    const ours: OdRow[] = [];
    const versions = new Set<number>();
    for (const p of t.programs()) {
      versions.add(p.version);
      for (const r of p.rows()) {
        ours.push({ name: p.files[r.file]?.name ?? '', line: r.endSequence ? undefined : r.line, address: r.address, stmt: r.endSequence ? false : r.isStmt });
      }
    }
    const theirs = objdumpRows(c.path);
    assert.ok(theirs.length > 500, `${c.name}: objdump gave only ${theirs.length} rows`);
    assert.equal(ours.length, theirs.length, `${c.name}: row count`);
    for (let i = 0; i < ours.length; i++) {
      // objdump prints the file table's name without its directory.
      const name = ours[i].name.slice(ours[i].name.lastIndexOf('/') + 1);
      const want = theirs[i];
      const got = { ...ours[i], name, stmt: want.line === undefined ? false : ours[i].stmt };
      assert.deepEqual(got, { ...want, stmt: want.line === undefined ? false : want.stmt }, `${c.name}: row ${i}`);
    }
    compared += ours.length;
    if (c.gccLines) assert.ok(versions.has(5), `${c.name}: expected a version 5 line table`);
    // Every row's address looks up to a row at that address (the last one there).
    for (const p of t.programs()) {
      const s = p.raw();
      const q = p.sequences();
      for (let k = 0; k < q.length; k += 2) {
        // Rows at the sequence's end address cover no bytes.
        for (let i = q[k]; i < q[k + 1] && s.address[i] < s.address[q[k + 1]]; i++) {
          const l = t.lookup(s.address[i]);
          assert.ok(l && l.address === s.address[i], `${c.name}: lookup 0x${s.address[i].toString(16)}`);
        }
      }
    }
  }
  assert.ok(compared > 10000, `compared ${compared} rows`);
});

test('breakpoint addresses in the -O0 corpus land on the rows objdump lists for that line', { skip: gcc ? false : 'arm-none-eabi-gcc not installed' }, () => {
  const c = corpusElfs((v) => v.opt === '-O0' && v.dwarf === 4 && !v.g3)[0];
  const elf = ElfFile.parse(new Uint8Array(readFileSync(c.path)), c.path);
  const t = LineTable.fromElf(elf, { compDir: () => c.sourceDir })!;
  const src = readFileSync(`${c.sourceDir}/recurse.c`, 'utf8').split('\n');
  const lineOf = (s: string) => src.findIndex((l) => l.includes(s)) + 1;
  const od = objdumpRows(c.path).filter((r) => r.name === 'recurse.c' && r.stmt);
  for (const needle of ['return n * fact(n - 1);', 'return is_odd(n - 1);', 'unsigned n = *seed;']) {
    const line = lineOf(needle);
    const bp = t.breakpointAddresses('recurse.c', line)!;
    assert.equal(bp.line, line);
    assert.deepEqual(bp.files, [`${c.sourceDir}/recurse.c`]);
    const expect = od.filter((r) => r.line === line).map((r) => r.address);
    assert.deepEqual(bp.addresses, [Math.min(...expect)], needle);
  }
  // A blank line between functions moves to the next line with code.
  const blank = lineOf('static int is_odd(unsigned n);') + 1;
  assert.ok(t.breakpointAddresses('recurse.c', blank)!.line > blank);
});

test('random truncations and byte flips of a real .debug_line end in rows or a DwarfError', { skip: gcc ? false : 'arm-none-eabi-gcc not installed' }, () => {
  const c = corpusElfs((v) => v.opt === '-O2' && !!v.gccLines)[0];
  const elf = ElfFile.parse(new Uint8Array(readFileSync(c.path)), c.path);
  const line = elf.sectionData('.debug_line')!;
  const lineStr = elf.sectionData('.debug_line_str');
  let seed = 12345;
  const rnd = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
  let errors = 0;
  for (let k = 0; k < 400; k++) {
    const b = line.slice(0, k % 2 ? line.length : rnd(line.length));
    for (let f = 0; f < 4; f++) if (b.length) b[rnd(b.length)] ^= 1 << rnd(8);
    try {
      const t = new LineTable({ line: b, lineStr });
      for (const p of t.programs()) p.rowCount();
      t.lookup(0x8200);
      t.breakpointAddresses('types.c', 50);
    } catch (e) {
      assert.ok(e instanceof DwarfError, `case ${k}: ${String(e)}`);
      errors++;
    }
  }
  assert.ok(errors > 0 && errors < 400, `errors ${errors}`);
});

test('parseLineHeader reads a program by its DW_AT_stmt_list offset', () => {
  const a = unit({ version: 4, tables: v4Tables([], [['a.c', 0]]) }, endSeq);
  const b = unit({ version: 3, tables: v4Tables([], [['b.c', 0]]) }, endSeq);
  const h = parseLineHeader({ line: new Uint8Array([...a, ...b]) }, a.length);
  assert.equal(h.version, 3);
  assert.equal(h.files[1].name, 'b.c');
});

test('tandem elf lines prints every row in address order with stmt and end_sequence marks', { skip: gcc ? false : 'arm-none-eabi-gcc not installed' }, () => {
  const c = corpusElfs((v) => v.opt === '-O2' && v.dwarf === 4 && !v.g3)[0];
  const chunks: string[] = [];
  const status = linesCmd.run({ file: c.path, bytes: new Uint8Array(readFileSync(c.path)), args: [], out: (t) => chunks.push(t), err: (t) => assert.fail(t) });
  assert.equal(status, 0);
  const out = chunks.join('').trimEnd().split('\n');
  assert.equal(out.length, objdumpRows(c.path).length);
  let prev = -1;
  for (const l of out) {
    const m = /^0x([0-9a-f]{8}) (\S+) (\d+) (\d+)( stmt)?( end_sequence)?$/.exec(l);
    assert.ok(m, `bad row: ${l}`);
    const a = parseInt(m[1], 16);
    assert.ok(a >= prev, `not in address order at ${l}`);
    prev = a;
  }
  assert.ok(out.some((l) => l.endsWith(' stmt')) && out.some((l) => !l.includes(' stmt')));
  // At -O2 the opening line of inline_main shares its address with later rows; a breakpoint there still resolves.
  const t = LineTable.fromElf(ElfFile.parse(new Uint8Array(readFileSync(c.path)), c.path))!;
  const src = readFileSync(`${c.sourceDir}/inline.c`, 'utf8').split('\n');
  const open = src.findIndex((l) => l.startsWith('int inline_main(')) + 2; // the '{' line
  const bp = t.breakpointAddresses('inline.c', open)!;
  assert.equal(bp.line, open);
  assert.equal(bp.addresses.length, 1);
  assert.equal(t.lookup(bp.addresses[0])?.file, 'inline.c');
});

test('a file without .debug_line gives a clear message from tandem elf lines', () => {
  // A minimal ELF32 header with no sections.
  const h = new Uint8Array(52);
  h.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  h[16] = 2; h[18] = 40; h[20] = 1; h[40] = 52;
  const errs: string[] = [];
  const status = linesCmd.run({ file: 'x.elf', bytes: h, args: [], out: () => {}, err: (t) => errs.push(t) });
  assert.equal(status, 1);
  assert.match(errs.join(''), /x\.elf: no \.debug_line/);
});
