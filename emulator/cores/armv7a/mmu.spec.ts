// The short-descriptor MMU: sections, supersections, 4 KiB and 64 KiB pages, domains,
// AP/APX, XN, precise fault status (DFSR/IFSR/DFAR/IFAR), ATS1C* into PAR, and the TLB
// (entries survive a table change until TLBIMVA; non-global entries are tagged by ASID).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeCore } from './test-kit';
import { A9_ABORT, MODE_ABT } from './modes';
import { MmuFault } from './mmu';
import type { CortexA9 } from './cpu';
import type { AddressSpace } from '../../bus';

const L1 = 0x100000, L2 = 0x104000;
const SECT = (pa: number, ap: number, dom = 0, extra = 0) => (pa & 0xfff00000) | ((ap & 4) << 13) | ((ap & 3) << 10) | (dom << 5) | 2 | extra;
const SMALL = (pa: number, ap: number, extra = 0) => (pa & 0xfffff000) | ((ap & 4) << 7) | ((ap & 3) << 4) | 2 | extra;
const LARGE = (pa: number, ap: number) => (pa & 0xffff0000) | ((ap & 4) << 7) | ((ap & 3) << 4) | 1;

function setup(): { cpu: CortexA9; bus: AddressSpace } {
  const { cpu, bus } = makeCore(new Uint8Array(4), 0x400000);
  const w = (a: number, v: number) => bus.write32(a, v);
  w(L1 + 0 * 4, SECT(0x000000, 3));
  w(L1 + 1 * 4, SECT(0x100000, 3));
  w(L1 + 2 * 4, (L2 & ~0x3ff) | 1); // page table, domain 0
  w(L1 + 4 * 4, SECT(0x000000, 3, 1)); // domain 1: no access
  w(L1 + 5 * 4, SECT(0x300000, 3, 0, 0x10)); // XN section
  for (let k = 0; k < 16; k++) w(L1 + (0x10 + k) * 4, SECT(0, 3, 0, 1 << 18)); // supersection at 16 MiB -> PA 0
  w(L2 + 0 * 4, SMALL(0x300000, 3));
  w(L2 + 1 * 4, SMALL(0x301000, 0));
  // entry 2 stays 0: translation fault
  w(L2 + 3 * 4, SMALL(0x303000, 2));
  w(L2 + 4 * 4, SMALL(0x304000, 3, 1)); // XN small page
  w(L2 + 5 * 4, SMALL(0x305000, 3, 0x800)); // not global
  for (let k = 0; k < 16; k++) w(L2 + (0x10 + k) * 4, LARGE(0x320000, 3));
  bus.write32(0x300010, 0x11111111);
  bus.write32(0x320abc & ~3, 0x22222222);
  bus.write32(0x100, 0x33333333);
  bus.write32(0x305000, 0x55555555);
  cpu.coprocWrite(15, 2, 0, 0, 0, L1); // TTBR0
  cpu.coprocWrite(15, 2, 0, 0, 2, 0); // TTBCR
  cpu.coprocWrite(15, 3, 0, 0, 0, 0x1); // DACR: domain 0 client, domain 1 no access
  cpu.coprocWrite(15, 1, 0, 0, 0, (cpu.cp15.sctlr() | 1) >>> 0); // SCTLR.M
  assert.equal(cpu.mmu.enabled, true);
  return { cpu, bus };
}

/** A data access that must abort: returns [DFSR, DFAR] and checks abort mode was entered. */
function abortOf(cpu: CortexA9, fn: () => void): [number, number] {
  cpu.setCpsr(0x1d3);
  assert.throws(fn, (e) => e === A9_ABORT || e instanceof MmuFault);
  assert.equal(cpu.mode, MODE_ABT);
  const r: [number, number] = [cpu.cp15.dfsr[1], cpu.cp15.dfar[1] >>> 0];
  cpu.setCpsr(0x1d3);
  return r;
}

test('sections, supersections, small and large pages translate to their frames', () => {
  const { cpu } = setup();
  assert.equal(cpu.read32(0x200010) >>> 0, 0x11111111, 'small page remapped to 0x300000');
  assert.equal(cpu.read32(0x210abc & ~3) >>> 0, 0x22222222, '64 KiB page at 0x320000');
  assert.equal(cpu.read32(0x1000100) >>> 0, 0x33333333, 'supersection at 16 MiB onto PA 0');
  cpu.write32(0x200020, 0xabcd);
  assert.equal(cpu.bus.read32(0x300020), 0xabcd);
});

test('precise faults: translation, permission, domain, with DFSR codes and DFAR', () => {
  const { cpu } = setup();
  assert.deepEqual(abortOf(cpu, () => cpu.read32(0x202008)), [0x007, 0x202008], 'translation fault (page)');
  assert.deepEqual(abortOf(cpu, () => cpu.read32(0x600000)), [0x005, 0x600000], 'translation fault (section)');
  assert.deepEqual(abortOf(cpu, () => cpu.read32(0x201000)), [0x00f, 0x201000], 'permission fault (page), AP=000');
  assert.deepEqual(abortOf(cpu, () => cpu.write8(0x400004, 1)), [0x819, 0x400004], 'domain fault (section, domain 1) on write');
});

test('user mode: AP=010 is read-only to PL0; a PL0 write faults with WnR', () => {
  const { cpu } = setup();
  cpu.setCpsr(0x1d0);
  cpu.read32(0x203000);
  assert.throws(() => cpu.write32(0x203000, 5));
  assert.equal(cpu.cp15.dfsr[1], 0x80f);
  assert.equal(cpu.mode, MODE_ABT);
});

test('XN: fetching from an execute-never page or section is a Prefetch Abort with IFSR/IFAR', () => {
  const { cpu } = setup();
  cpu.pc = 0x204000;
  cpu.run(1);
  assert.equal(cpu.mode, MODE_ABT);
  assert.equal(cpu.cp15.ifsr[1], 0x00f);
  assert.equal(cpu.cp15.ifar[1] >>> 0, 0x204000);
  assert.equal(cpu.pc, 0x0c + 4, 'the prefetch abort vector ran (b . at 0xc is 0 words: executes andeq)');
  cpu.setCpsr(0x1d3);
  cpu.pc = 0x500000;
  cpu.run(1);
  assert.equal(cpu.cp15.ifsr[1], 0x00d, 'permission fault (section)');
});

test('ATS1CPR/ATS1CUW write PAR with the physical address or the fault status', () => {
  const { cpu } = setup();
  cpu.coprocWrite(15, 7, 0, 8, 0, 0x200123);
  assert.equal(cpu.coprocRead(15, 7, 0, 4, 0)! >>> 0, 0x300000);
  cpu.coprocWrite(15, 7, 0, 8, 3, 0x203000); // ATS1CUW on a PL0 read-only page
  assert.equal(cpu.coprocRead(15, 7, 0, 4, 0)! & 1, 1);
  assert.equal((cpu.coprocRead(15, 7, 0, 4, 0)! >>> 1) & 0x1f, 0x0f);
});

test('the TLB keeps a translation until TLBIMVA; non-global entries are per ASID', () => {
  const { cpu, bus } = setup();
  assert.equal(cpu.read32(0x200010) >>> 0, 0x11111111);
  bus.write32(L2, SMALL(0x305000, 3));
  assert.equal(cpu.read32(0x200010) >>> 0, 0x11111111, 'stale TLB entry still used');
  cpu.coprocWrite(15, 8, 0, 7, 1, 0x200000); // TLBIMVA
  assert.equal(cpu.read32(0x200000) >>> 0, 0x55555555, 'new translation after TLBIMVA');

  cpu.coprocWrite(15, 13, 0, 0, 1, 1); // CONTEXTIDR: ASID 1
  assert.equal(cpu.read32(0x205000) >>> 0, 0x55555555);
  bus.write32(L2 + 5 * 4, SMALL(0x300000, 3, 0x800));
  cpu.coprocWrite(15, 13, 0, 0, 1, 2); // ASID 2 misses and walks the new table
  assert.equal(cpu.read32(0x205010) >>> 0, 0x11111111);
  // Global entries are shared by every ASID: the stale 0x200000 entry is still used after the switch.
  bus.write32(L2, SMALL(0x300000, 3));
  assert.equal(cpu.read32(0x200000) >>> 0, 0x55555555);
  cpu.coprocWrite(15, 8, 0, 7, 0, 0); // TLBIALL
  assert.equal(cpu.read32(0x200010) >>> 0, 0x11111111);
});

test('SCTLR.M off: flat physical addressing again', () => {
  const { cpu } = setup();
  cpu.coprocWrite(15, 1, 0, 0, 0, (cpu.cp15.sctlr() & ~1) >>> 0);
  assert.equal(cpu.mmu.enabled, false);
  assert.equal(cpu.read32(0x300010) >>> 0, 0x11111111);
});
