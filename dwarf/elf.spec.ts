// ElfFile against binutils readelf and pyelftools on the corpus ELFs (ELF32 ARM), a
// zlib-compressed build, and a host x86-64 ELF64: sections, symbols, segments, attributes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { ElfError, ElfFile, SHF_COMPRESSED, symbolBindName, symbolTypeName, symbolVisibilityName } from './elf';
import { buildElf, cacheDir, corpusElf, corpusSources, TESTDATA_DIR } from './test-corpus';

const inflate = (d: Uint8Array) => new Uint8Array(inflateSync(d));
const load = (path: string) => ElfFile.parse(new Uint8Array(readFileSync(path)), path, { inflate });
const readelf = (tool: string, args: string[], path: string) => execFileSync(tool, [...args, path], { encoding: 'utf8', maxBuffer: 64 << 20 });

const TYPES: Record<string, number> = {
  NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, RELA: 4, HASH: 5, DYNAMIC: 6, NOTE: 7, NOBITS: 8, REL: 9, DYNSYM: 11,
  INIT_ARRAY: 14, FINI_ARRAY: 15, ARM_EXIDX: 0x70000001, ARM_ATTRIBUTES: 0x70000003, GNU_HASH: 0x6ffffff6,
  VERSYM: 0x6fffffff, VERNEED: 0x6ffffffe,
};
const FLAGS: [string, number][] = [['W', 1], ['A', 2], ['X', 4], ['M', 0x10], ['S', 0x20], ['I', 0x40], ['L', 0x80], ['G', 0x200], ['T', 0x400], ['C', SHF_COMPRESSED]];

function compareSections(elf: ElfFile, tool: string, path: string): number {
  const text = readelf(tool, ['-S', '-W'], path);
  const re = /^\s*\[\s*(\d+)\]\s(.*?)\s+(\S+)\s+([0-9a-f]{8,16})\s([0-9a-f]{6,})\s([0-9a-f]{6,})\s([0-9a-f]{2,})\s+([A-Za-z]*)\s+(\d+)\s+(\d+)\s+(\d+)$/;
  let n = 0;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    const i = Number(m[1]);
    const s = elf.sections[i];
    assert.ok(s, `${path}: section ${i} missing`);
    const where = `${path} [${i}] ${m[2]}`;
    assert.equal(s.name, m[2], where);
    if (TYPES[m[3]] !== undefined) assert.equal(s.type, TYPES[m[3]], `${where} type`);
    assert.equal(s.addr, parseInt(m[4], 16), `${where} addr`);
    assert.equal(s.offset, parseInt(m[5], 16), `${where} offset`);
    assert.equal(s.size, parseInt(m[6], 16), `${where} size`);
    assert.equal(s.entsize, parseInt(m[7], 16), `${where} entsize`);
    for (const [ch, bit] of FLAGS) assert.equal((s.flags & bit) !== 0, m[8].includes(ch), `${where} flag ${ch}`);
    assert.equal(s.link, Number(m[9]), `${where} link`);
    assert.equal(s.info, Number(m[10]), `${where} info`);
    assert.equal(s.addralign, Number(m[11]), `${where} align`);
    n++;
  }
  assert.equal(n, elf.sections.length, `${path}: readelf listed ${n} sections`);
  return n;
}

function compareSymbols(elf: ElfFile, tool: string, path: string, table: '.symtab' | '.dynsym'): number {
  const text = readelf(tool, ['-s', '-W'], path);
  const ours = elf.symbols().filter((s) => s.table === table);
  let cur = '';
  let n = 0;
  const re = /^\s*(\d+):\s([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s?(.*)$/;
  for (const line of text.split('\n')) {
    const h = /^Symbol table '(\S+)'/.exec(line);
    if (h) { cur = h[1]; continue; }
    if (cur !== table) continue;
    const m = re.exec(line);
    if (!m || m[1] === '0') continue;
    const s = ours[Number(m[1]) - 1];
    const where = `${path} ${table} #${m[1]} ${m[8]}`;
    assert.ok(s, where);
    // readelf shows a section symbol under its section's name.
    assert.equal(s.type === 3 && s.name === '' ? s.section : s.name, m[8], where);
    assert.equal(s.value + (s.thumb && s.type === 2 ? 1 : 0), parseInt(m[2], 16), `${where} value`);
    assert.equal(s.size, Number(m[3]), `${where} size`);
    assert.equal(symbolTypeName(s.type), m[4], `${where} type`);
    assert.equal(symbolBindName(s.bind), m[5], `${where} bind`);
    assert.equal(symbolVisibilityName(s.visibility), m[6], `${where} vis`);
    const ndx = m[7] === 'UND' ? 0 : m[7] === 'ABS' ? 0xfff1 : m[7] === 'COM' ? 0xfff2 : Number(m[7]);
    assert.equal(s.shndx, ndx, `${where} ndx`);
    n++;
  }
  assert.equal(n, ours.length, `${path}: readelf listed ${n} ${table} symbols, we have ${ours.length}`);
  return n;
}

const PY = `
import sys, json
from elftools.elf.elffile import ELFFile
f = ELFFile(open(sys.argv[1], 'rb'))
out = {'entry': f.header.e_entry, 'machine': f.header.e_machine, 'segments': [], 'syms': 0, 'sections': [], 'symbols': []}
for s in f.iter_sections():
    h = s.header
    out['sections'].append([s.name, h.sh_addr, h.sh_offset, h.sh_size, h.sh_flags, h.sh_link, h.sh_info, h.sh_addralign, h.sh_entsize])
for t in f.iter_sections():
    if t['sh_type'] not in ('SHT_SYMTAB', 'SHT_DYNSYM'): continue
    tab = '.dynsym' if t['sh_type'] == 'SHT_DYNSYM' else '.symtab'
    for i, y in enumerate(t.iter_symbols()):
        if i == 0: continue
        nd = y['st_shndx']
        out['symbols'].append([tab, y.name, y['st_value'], y['st_size'], y['st_info']['type'], y['st_info']['bind'], nd if isinstance(nd, int) else str(nd)])
for s in f.iter_segments():
    h = s.header
    out['segments'].append([h.p_offset, h.p_vaddr, h.p_paddr, h.p_filesz, h.p_memsz, h.p_flags, h.p_align])
st = f.get_section_by_name('.symtab')
out['syms'] = st.num_symbols() if st else 0
print(json.dumps(out))
`;

function compareWithPyelftools(elf: ElfFile, path: string): void {
  const py = JSON.parse(execFileSync('/usr/bin/python3', ['-c', PY, path], { encoding: 'utf8', maxBuffer: 64 << 20 })) as
    { entry: number; segments: number[][]; syms: number; sections: unknown[][]; symbols: unknown[][] };
  assert.deepEqual(elf.sections.map((s) => [s.name, s.addr, s.offset, s.size, s.flags, s.link, s.info, s.addralign, s.entsize]), py.sections, `${path} sections`);
  // pyelftools spells types/binds as STT_x/STB_x and special indices as SHN_x.
  const shn = (n: number) => n === 0 ? 'SHN_UNDEF' : n === 0xfff1 ? 'SHN_ABS' : n === 0xfff2 ? 'SHN_COMMON' : n;
  const ours = elf.symbols().map((s) => [s.table, s.name, s.value + (s.thumb && s.type === 2 ? 1 : 0), s.size, `STT_${symbolTypeName(s.type)}`, `STB_${symbolBindName(s.bind)}`, shn(s.shndx)]);
  assert.deepEqual(ours, py.symbols, `${path} symbols`);
  assert.equal(elf.entry, py.entry, `${path} entry`);
  assert.deepEqual(elf.segments.map((s) => [s.offset, s.vaddr, s.paddr, s.filesz, s.memsz, s.flags, s.align]), py.segments, `${path} segments`);
  assert.equal(elf.symbols().filter((s) => s.table === '.symtab').length, Math.max(0, py.syms - 1), `${path} symbol count`);
}

test('corpus ELFs: sections, symbols and segments match readelf and pyelftools', () => {
  for (const v of [{ opt: '-O0', dwarf: 4, g3: false }, { opt: '-O2', dwarf: 5, g3: true }] as const) {
    const c = corpusElf(v);
    const elf = load(c.path);
    assert.equal(elf.is64, false);
    assert.equal(elf.machine, 40);
    assert.ok(compareSections(elf, 'arm-none-eabi-readelf', c.path) > 20);
    assert.ok(compareSymbols(elf, 'arm-none-eabi-readelf', c.path, '.symtab') > 50);
    compareWithPyelftools(elf, c.path);
  }
});

test('thumb functions, mapping symbols and symbolAt on a corpus ELF', () => {
  const c = corpusElf({ opt: '-O2', dwarf: 4, g3: false });
  const elf = load(c.path);
  const main = elf.symbols().find((s) => s.name === 'main' && s.type === 2);
  assert.ok(main, 'main is a function symbol');
  assert.equal(main.thumb, true);
  assert.equal(main.value % 2, 0, 'the Thumb bit is cleared from the address');
  assert.equal(main.section, '.text');
  assert.equal(elf.symbolAt(main.value)?.name, 'main');
  assert.equal(elf.symbolAt(main.value + main.size - 1)?.name, 'main');
  // objdump's per-symbol disassembly is our oracle for which code is T32.
  const maps = elf.mappingSymbols();
  assert.ok(maps.length > 0);
  for (let i = 1; i < maps.length; i++) assert.ok(maps[i - 1].addr <= maps[i].addr, 'sorted');
  assert.equal(elf.mappingAt(main.value), 't');
  const nm = execFileSync('arm-none-eabi-nm', ['-n', '--special-syms', c.path], { encoding: 'utf8' });
  const nmMaps = nm.split('\n').filter((l) => /\s\$[atd](\.|$)/.test(l)).length;
  assert.equal(maps.length, nmMaps, 'same number of mapping symbols as nm');
  // Inside every global function, symbolAt answers a sized symbol that covers the address
  // (the innermost one: libgcc nests entry points such as __aeabi_fsub inside __subsf3).
  let checked = 0;
  for (const s of elf.symbols()) {
    if (s.type !== 2 || s.size === 0 || s.bind !== 1) continue;
    const a = s.value + (s.size >> 1);
    const hit = elf.symbolAt(a);
    assert.ok(hit && hit.value <= a && a < hit.value + hit.size && hit.value >= s.value, `${s.name} at 0x${a.toString(16)}: got ${hit?.name}`);
    checked++;
  }
  assert.ok(checked > 20);
  assert.equal(elf.symbolAt(0xfffffff0), undefined, 'no symbol far past the image');
});

test('.ARM.attributes: architecture and FP ABI for soft, softfp and hard builds match readelf -A', () => {
  const src = join(cacheDir(), 'attr-probe.c');
  writeFileSync(src, 'float f(float x) { return x * 2.0f; }\nint main(void) { return (int)f(1.5f); }\n');
  const cases: [string[], 'soft' | 'softfp' | 'hard'][] = [
    [['-mfloat-abi=soft'], 'soft'],
    [['-mfloat-abi=softfp', '-mfpu=fpv4-sp-d16'], 'softfp'],
    [['-mfloat-abi=hard', '-mfpu=fpv4-sp-d16'], 'hard'],
  ];
  for (const [flags, abi] of cases) {
    const path = buildElf(cacheDir(), ['attr-probe.c'], flags, 'attr');
    const a = load(path).armAttributes();
    assert.ok(a);
    const ra = readelf('arm-none-eabi-readelf', ['-A'], path);
    assert.equal(a.arch, /Tag_CPU_arch: (\S+)/.exec(ra)?.[1]);
    assert.equal(a.profile, 'M');
    assert.equal(a.fpAbi, abi, flags.join(' '));
    assert.equal(a.fpArch, /Tag_FP_arch: (\S+)/.exec(ra)?.[1], `${flags.join(' ')} FP arch`);
    assert.equal(/Tag_ABI_VFP_args: VFP registers/.test(ra), abi === 'hard');
  }
});

test('SHF_COMPRESSED and .zdebug sections decompress to the same bytes as objcopy --decompress-debug-sections', () => {
  const zPath = buildElf(TESTDATA_DIR, corpusSources(), ['-O0', '-gdwarf-4', '-gz=zlib'], 'gz');
  const plainPath = `${zPath}.plain`;
  execFileSync('arm-none-eabi-objcopy', ['--decompress-debug-sections', zPath, plainPath]);
  const plain = load(plainPath);
  const z = load(zPath);
  const zi = z.section('.debug_info');
  assert.ok(zi && (zi.flags & SHF_COMPRESSED), 'the -gz build really compresses .debug_info');
  compareSections(z, 'arm-none-eabi-readelf', zPath);
  let compared = 0;
  for (const s of plain.sections) {
    if (!s.name.startsWith('.debug_')) continue;
    assert.deepEqual(z.sectionData(s.name), plain.sectionData(s.name), s.name);
    compared++;
  }
  assert.ok(compared >= 4);
  // The older GNU form: .zdebug_* sections with a "ZLIB" + big-endian size header.
  const gnuPath = `${zPath}.gnu`;
  execFileSync('arm-none-eabi-objcopy', ['--compress-debug-sections=zlib-gnu', plainPath, gnuPath]);
  const gnu = load(gnuPath);
  assert.ok(gnu.section('.zdebug_info') && !gnu.section('.debug_info'), 'objcopy wrote .zdebug_info');
  let gnuCompared = 0;
  for (const s of plain.sections) {
    if (!s.name.startsWith('.debug_')) continue;
    assert.deepEqual(gnu.sectionData(s.name), plain.sectionData(s.name), `${s.name} via .zdebug`);
    gnuCompared++;
  }
  assert.equal(gnuCompared, compared);
  const noInflate = ElfFile.parse(new Uint8Array(readFileSync(zPath)), zPath);
  assert.throws(() => noInflate.sectionData('.debug_info'), (e: unknown) => e instanceof ElfError && /\.debug_info/.test(e.message) && /inflate/.test(e.message));
});

test('ELF64: a host x86-64 executable matches the host readelf', () => {
  const dir = cacheDir();
  writeFileSync(join(dir, 'host64.c'), 'int counter; static int helper(int x) { return x + counter; }\nint main(void) { return helper(2); }\n');
  const path = join(dir, 'host64.elf');
  execFileSync('gcc', ['-g', '-o', path, join(dir, 'host64.c')]);
  const elf = load(path);
  assert.equal(elf.is64, true);
  assert.equal(elf.machine, 62);
  compareSections(elf, 'readelf', path);
  compareSymbols(elf, 'readelf', path, '.symtab');
  compareWithPyelftools(elf, path);
  assert.equal(elf.mappingSymbols().length, 0, 'mapping symbols are ARM-only');
});

test('malformed headers give located ElfErrors', () => {
  const good = new Uint8Array(readFileSync(corpusElf({ opt: '-O0', dwarf: 4, g3: false }).path));
  const bad = (mut: (b: Uint8Array, v: DataView) => void, re: RegExp) => {
    const b = good.slice();
    mut(b, new DataView(b.buffer));
    assert.throws(() => { const e = ElfFile.parse(b, 'x.elf', { inflate }); e.symbols(); for (const s of e.sections) e.sectionBytes(s); },
      (e: unknown) => e instanceof ElfError && e.file === 'x.elf' && re.test(e.message));
  };
  bad((b) => { b[0] = 0; }, /bad magic/);
  bad((b) => { b[5] = 2; }, /big-endian/);
  bad((b) => { b[4] = 3; }, /EI_CLASS/);
  bad((_b, v) => { v.setUint32(32, 0x7fffffff, true); }, /section header/); // e_shoff
  bad((_b, v) => { v.setUint16(48, 0xfff0, true); }, /e_shnum/);
  bad((_b, v) => { v.setUint16(50, 0x7ff0, true); }, /e_shstrndx/);
  assert.throws(() => ElfFile.parse(good.subarray(0, 10), 'short.elf'), /short\.elf: e_ident: .*too short/);
  // A section whose contents run past the end of the file.
  const b = good.slice();
  const v = new DataView(b.buffer);
  const shoff = v.getUint32(32, true);
  v.setUint32(shoff + 40 * 1 + 20, 0x7fffffff, true); // section 1 sh_size
  const elf = ElfFile.parse(b, 'y.elf');
  assert.throws(() => elf.sectionBytes(elf.sections[1]), /y\.elf: section .*run past the end/);
});

test('extended numbering: >65280 sections (e_shnum 0, SHN_XINDEX, SHT_SYMTAB_SHNDX) match readelf', () => {
  const obj = join(cacheDir(), 'many-sections.o');
  if (!existsSync(obj)) {
    const asm = ['.syntax unified', '.thumb'];
    for (let i = 0; i < 65400; i++) asm.push(`.section .text.f${i},"ax",%progbits`, `.globl f${i}`, `.type f${i},%function`, '.thumb_func', `f${i}: bx lr`);
    writeFileSync(`${obj}.s`, asm.join('\n') + '\n');
    execFileSync('arm-none-eabi-as', [`${obj}.s`, '-o', `${obj}.tmp`]);
    renameSync(`${obj}.tmp`, obj);
  }
  const bytes = new Uint8Array(readFileSync(obj));
  assert.equal(new DataView(bytes.buffer).getUint16(48, true), 0, 'e_shnum is 0: the count lives in section 0');
  const elf = load(obj);
  assert.ok(elf.sections.length > 65400);
  assert.equal(elf.sections[elf.sections.length - 1].name, readelf('arm-none-eabi-readelf', ['-S', '-W'], obj).split('\n').filter((l) => /^\s*\[\s*\d+\]/.test(l)).pop()!.replace(/^\s*\[\s*\d+\]\s(\S+).*$/, '$1'));
  const last = elf.symbols().find((x) => x.name === 'f65399');
  assert.ok(last && last.shndx > 0xff00, 'a symbol whose section index needs SHN_XINDEX');
  assert.equal(last.section, '.text.f65399');
  assert.equal(last.thumb, true);
  // Spot-check against readelf's symbol table.
  const rs = readelf('arm-none-eabi-readelf', ['-s', '-W'], obj).split('\n').find((l) => / f65399$/.test(l))!;
  assert.equal(Number(rs.trim().split(/\s+/)[6]), last.shndx);
});
