// The ELF loader: a real linked image loads at its physical addresses, and every
// kind of malformed header gives an ElfError naming the field, never another throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressSpace, Memory } from './bus';
import { loadElf, parseElfSegments, ElfError } from './elf-loader';

function buildElf(): Uint8Array {
  const d = mkdtempSync(join(tmpdir(), 'tandem-elf-'));
  writeFileSync(join(d, 'a.s'), `.syntax unified\n.thumb\n.section .text\n.word 0x11223344\n.word 0x55667788\n.section .data\n.word 0xcafef00d\n.section .bss\n.space 64\n`);
  writeFileSync(join(d, 'l.ld'), `SECTIONS { .text 0x100 : { *(.text) } .data 0x20000000 : AT(0x200) { *(.data) } .bss : { *(.bss) } }\n`);
  execFileSync('arm-none-eabi-as', ['-mcpu=cortex-m4', '-o', join(d, 'a.o'), join(d, 'a.s')]);
  execFileSync('arm-none-eabi-ld', ['-T', join(d, 'l.ld'), '-o', join(d, 'a.elf'), join(d, 'a.o')]);
  return new Uint8Array(readFileSync(join(d, 'a.elf')));
}

function board(): AddressSpace {
  const bus = new AddressSpace('t');
  bus.mapMemory(0, new Memory('code', 0x10000));
  bus.mapMemory(0x20000000, new Memory('data', 0x10000));
  return bus;
}

test('loads PT_LOAD segments at their physical (load) addresses, zero-filling bss', () => {
  const elf = buildElf();
  const bus = board();
  bus.write32(0x20000004, 0xdeadbeef); // bss must be zeroed by the loader
  const info = loadElf(bus, elf, 'a.elf');
  assert.equal(bus.read32(0x100), 0x11223344);
  assert.equal(bus.read32(0x104), 0x55667788);
  assert.equal(bus.read32(0x200), 0xcafef00d, '.data goes to its LMA like QEMU -kernel');
  assert.ok(info.segments.length >= 2);
});

test('malformed ELF headers give located ElfErrors', () => {
  const good = buildElf();
  const cases: Array<[string, (b: Uint8Array) => Uint8Array, RegExp]> = [
    ['empty', () => new Uint8Array(0), /too short/],
    ['bad magic', (b) => { const c = b.slice(); c[1] = 0; return c; }, /bad magic/],
    ['64-bit class', (b) => { const c = b.slice(); c[4] = 2; return c; }, /32-bit/],
    ['big endian', (b) => { const c = b.slice(); c[5] = 2; return c; }, /little-endian/],
    ['wrong machine', (b) => { const c = b.slice(); c[18] = 62; return c; }, /e_machine|ARM/],
    ['truncated program headers', (b) => b.slice(0, 60), /past the end/],
    ['no program headers', (b) => { const c = b.slice(); c[44] = 0; c[45] = 0; return c; }, /no program headers/],
  ];
  for (const [name, mut, re] of cases) {
    assert.throws(() => parseElfSegments(mut(good), 'x.elf'), (e: unknown) => e instanceof ElfError && re.test(e.message) && e.message.startsWith('x.elf:'), name);
  }
});

test('a segment outside the board memory is reported with its address', () => {
  const elf = buildElf();
  const bus = new AddressSpace('t');
  bus.mapMemory(0x20000000, new Memory('data', 0x1000));
  assert.throws(() => loadElf(bus, elf, 'a.elf'), /a.elf: segment at 0x00000000 \(0x108 bytes\) does not fit the board's RAM\/ROM: nothing at 0x00000000/);
});

test('random corruption never throws anything but ElfError', () => {
  const good = buildElf();
  let seed = 12345;
  const rnd = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed; };
  for (let i = 0; i < 2000; i++) {
    const c = good.slice(0, 1 + (rnd() % good.length));
    for (let k = 0; k < 4; k++) c[rnd() % Math.min(c.length, 128)] = rnd() & 0xff;
    try { loadElf(board(), c, 'fuzz.elf'); } catch (e) {
      if (!(e instanceof ElfError) && !(e instanceof Error && /bus error/.test(e.message))) throw e;
    }
  }
});
