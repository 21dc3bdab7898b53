// The Security scope's rows and the CMSE symbol names of the disassembly, on hand-made SAU
// states the samples never reach: ALLNS, no SAU regions, exempt and IDAU-only attributions,
// SFSR bits with and without SFARVALID, and the CONTROL decode per bank.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeAttribution, describeRegion, securityRows, worldTag } from './security-scope';
import { decodeControl } from './registers';
import { symbolLabel } from './disassemble';
import type { ElfSymbol } from '../dwarf/elf';
import type { SecurityInfo } from './target';

const base: SecurityInfo = { sauCtrl: 0, sauType: 0, regions: [], idau: false, sfsr: 0, sfar: 0, attributions: [] };
const rows = (info: Partial<SecurityInfo>, at: { name: string; address: number }[] = []) =>
  new Map(securityRows({ ...base, ...info }, at).map((r) => [r.name, r]));

test('regions and attributions read as the SAU_RLAR and TT fields say', () => {
  assert.equal(describeRegion({ index: 0, base: 0x00200000, limit: 0x003fffff, enabled: true, nsc: false }), '0x00200000-0x003fffff NS');
  assert.equal(describeRegion({ index: 1, base: 0x10100000, limit: 0x1010001f, enabled: true, nsc: true }), '0x10100000-0x1010001f NSC');
  assert.equal(describeRegion({ index: 2, base: 0x10100000, limit: 0x1010001f, enabled: false, nsc: true }), 'disabled');
  assert.equal(describeAttribution({ address: 0, kind: 'non-secure', sauRegion: 0, idauRegion: 0 }), 'NS (SAU region 0, IDAU region 0)');
  assert.equal(describeAttribution({ address: 0, kind: 'secure', idauRegion: 3 }), 'S (IDAU region 3)');
  assert.equal(describeAttribution({ address: 0, kind: 'nsc', sauRegion: 7 }), 'NSC (SAU region 7)');
  assert.equal(describeAttribution({ address: 0xe000ed08, kind: 'exempt' }), 'exempt');
  assert.deepEqual((['secure', 'nsc', 'non-secure', 'exempt'] as const).map(worldTag), ['S', 'NSC', 'NS', 'exempt']);
});

test('SAU_CTRL says who decides: regions, ALLNS, or everything Secure', () => {
  assert.equal(rows({ sauCtrl: 0 }).get('SAU_CTRL')!.value, '0x00000000 (disabled: everything Secure)');
  assert.equal(rows({ sauCtrl: 2, idau: true }).get('SAU_CTRL')!.value, '0x00000002 (disabled, ALLNS: everything Non-secure, the IDAU can make it more secure)');
  const on = rows({ sauCtrl: 1, sauType: 2, regions: [
    { index: 0, base: 0x100, limit: 0x1ff, enabled: true, nsc: false },
    { index: 1, base: 0, limit: 0x1f, enabled: false, nsc: false },
  ] });
  assert.match(on.get('SAU_CTRL')!.value, /^0x00000001 \(ENABLE: the regions decide/);
  assert.deepEqual(on.get('SAU_CTRL')!.children!.map((c) => `${c.name}=${c.value}`), ['ENABLE=1', 'ALLNS=0 (Secure when the SAU is disabled)']);
  assert.equal(on.get('SAU_TYPE')!.value, '0x00000002 (SREGION = 2)');
  assert.equal(on.get('SAU regions')!.value, '1 of 2 enabled');
  assert.deepEqual(on.get('SAU regions')!.children!.map((c) => `${c.name} ${c.value}`), ['[0] 0x00000100-0x000001ff NS', '[1] disabled']);
  // Regions programmed while the SAU is off do nothing yet.
  const off = rows({ sauCtrl: 0, sauType: 1, regions: [{ index: 0, base: 0x100, limit: 0x1ff, enabled: true, nsc: true }] });
  assert.equal(off.get('SAU regions')!.value, '1 of 1 enabled (inactive: SAU_CTRL.ENABLE is 0)');
  assert.equal(rows({ sauType: 0 }).get('SAU regions')!.value, 'none implemented');
});

test('pc and sp rows come first, in the order asked, each with its attribution', () => {
  const r = securityRows({ ...base, attributions: [{ address: 0x200120, kind: 'non-secure', sauRegion: 0 }, { address: 0x38001000, kind: 'secure' }] },
    [{ name: 'pc', address: 0x200120 }, { name: 'sp', address: 0x38001000 }]);
  assert.deepEqual(r.slice(0, 2).map((x) => `${x.name} ${x.value}`), ['pc 0x00200120 NS (SAU region 0)', 'sp 0x38001000 S']);
});

test('SFSR lists its set bits; SFAR is marked invalid unless SFARVALID', () => {
  let r = rows({ sfsr: 0x48, sfar: 0x38000000 });
  assert.equal(r.get('SFSR')!.value, '0x00000048 (AUVIOL SFARVALID)');
  assert.deepEqual(r.get('SFSR')!.children!.map((c) => c.name), ['AUVIOL', 'SFARVALID']);
  assert.equal(r.get('SFAR')!.value, '0x38000000');
  // With the faulting address's attribution: why the access was a violation.
  const withAttr = new Map(securityRows({ ...base, sfsr: 0x48, sfar: 0x38000000 }, [], { address: 0x38000000, kind: 'secure', idauRegion: 3 }).map((x) => [x.name, x.value]));
  assert.equal(withAttr.get('SFAR'), '0x38000000 S (IDAU region 3)');
  r = rows({ sfsr: 0x11, sfar: 0x1234 });
  assert.equal(r.get('SFSR')!.value, '0x00000011 (INVEP INVTRAN)');
  assert.equal(r.get('SFAR')!.value, '0x00001234 (not valid (SFARVALID clear))');
  r = rows({});
  assert.equal(r.get('SFSR')!.value, '0x00000000');
  assert.equal(r.get('SFSR')!.children, undefined);
});

test('CONTROL: SFPA for the Secure bank only; ARMv7-M lists it only when set', () => {
  const names = (v: number, o?: Parameters<typeof decodeControl>[1]) => decodeControl(v, o).map((f) => f.name);
  assert.deepEqual(names(0, { register: 'control_s', hasSecurity: true }), ['nPRIV', 'SPSEL', 'FPCA', 'SFPA']);
  assert.deepEqual(names(8, { register: 'control_ns', hasSecurity: true }), ['nPRIV', 'SPSEL', 'FPCA']);
  assert.deepEqual(names(0), ['nPRIV', 'SPSEL', 'FPCA']);
  assert.equal(decodeControl(0xb, { register: 'control', hasSecurity: true }).map((f) => f.value.split(' ')[0]).join(''), '1101');
});

test('CMSE names: SG veneers by section or by the SG they start with, __acle_se_ bodies, branch stubs', () => {
  const sym = (name: string, value: number, section?: string): ElfSymbol => ({ name, value, size: 8, type: 2, bind: 1, visibility: 0, shndx: 1, ...(section ? { section } : {}), thumb: true, table: '.symtab' });
  const none = () => undefined;
  assert.equal(symbolLabel(sym('s_mac', 0x10100010, '.gnu.sgstubs'), 's_mac', none), 's_mac (SG veneer)');
  // The import library's absolute copy in the NS image: no section, but an SG at its address.
  const sg = (a: number) => (a === 0x10100010 ? { address: a, text: 'sg', bytes: 'e97f e97f' } : undefined);
  assert.equal(symbolLabel(sym('s_mac', 0x10100010), 's_mac', sg), 's_mac (SG veneer)');
  assert.equal(symbolLabel(sym('s_mac', 0x10100018), 's_mac', sg), 's_mac');
  assert.equal(symbolLabel(sym('__acle_se_s_mac', 0x100000c0, '.text'), '__acle_se_s_mac', none), 's_mac (secure entry, __acle_se_s_mac)');
  assert.equal(symbolLabel(sym('__s_mac_veneer', 0x2003d8, '.text'), '__s_mac_veneer', none), '__s_mac_veneer (branch to s_mac)');
  assert.equal(symbolLabel(sym('main', 0x200120, '.text'), 'main', none), 'main');
});
