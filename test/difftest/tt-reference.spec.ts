// Checks the TT reference (tt-reference.ts) on hand-worked ARM ARM cases, then compares the
// core's TT/TTT/TTA/TTAT, executed on a Cortex-M33 with random SAU configurations, random
// IDAU answers and random PE states, against it. TANDEM_TT_SEED / TANDEM_TT_CASES tune it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressSpace, Memory } from '../../emulator/bus';
import { Clock } from '../../emulator/clock';
import { CortexM } from '../../emulator/cores/armv7m/cpu';
import { armv8mTable } from '../../emulator/cores/armv7m/isa-v8m';
import { installSecurity, Sau, type Idau, type IdauResult } from '../../emulator/cores/armv7m/security';
import { TestSystem } from '../../emulator/cores/armv7m/test-system';
import { Prng } from './prng';
import {
  describeTt, refTtResponse, TT_FIELDS, type RefConfig, type RefIdauAnswer, type RefMpuAnswer, type RefPeState, type TtField, type TtVariant,
} from './tt-reference';

const SEED = Number(process.env.TANDEM_TT_SEED ?? 1);
const CASES = Number(process.env.TANDEM_TT_CASES ?? 20_000);

const field = (resp: number, k: TtField): number => (resp >>> TT_FIELDS[k][0]) & ((1 << TT_FIELDS[k][1]) - 1);

const NO_MPU = (): RefMpuAnswer => ({ hit: false, region: 0, read: true, write: true });
const PRIV_PE: RefPeState = { secure: true, handler: false, nprivS: false, nprivNS: false };
const TT: TtVariant = { alt: false, forceUnpriv: false };

function cfgWith(sauCtrl: number, regions: [number, number][], idau: RefConfig['idau'] = null, mpu: RefConfig['mpu'] = NO_MPU): RefConfig {
  return { sauCtrl, sau: regions.map(([rbar, rlar]) => ({ rbar, rlar })), idau, mpu };
}

// ---------------------------------------------------------------- the reference itself

test('reference: SAU off, ALLNS, single, NSC and overlapping regions', () => {
  const off = refTtResponse(cfgWith(0, []), PRIV_PE, 0x1234, TT) as number;
  assert.equal(describeTt(off), 'R RW S', 'SAU off with ALLNS=0: Secure, MPU off grants R/RW');
  const allns = refTtResponse(cfgWith(2, []), PRIV_PE, 0x1234, TT) as number;
  assert.equal(describeTt(allns), 'R RW NSR NSRW', 'ALLNS: Non-secure, so NSR/NSRW mirror R/RW');
  const cfg = cfgWith(1, [[0x8000, 0xbfe1], [0x4000, 0x40e3], [0xa000, 0xa0e1]]);
  assert.equal(describeTt(refTtResponse(cfg, PRIV_PE, 0x8abc, TT) as number), 'SRVALID R RW NSR NSRW');
  assert.equal(describeTt(refTtResponse(cfg, PRIV_PE, 0x40ff, TT) as number), 'SREGION=1 SRVALID R RW S', 'NSC counts as Secure');
  assert.equal(describeTt(refTtResponse(cfg, PRIV_PE, 0x4100, TT) as number), 'R RW S', 'the limit covers its 32-byte granule only');
  assert.equal(describeTt(refTtResponse(cfg, PRIV_PE, 0xa0ff, TT) as number), 'R RW S', 'two regions: Secure, no SREGION');
  assert.equal(describeTt(refTtResponse(cfg, PRIV_PE, 0xa100, TT) as number), 'SRVALID R RW NSR NSRW');
  // ENABLE=1 ignores ALLNS: an unmatched address stays Secure.
  assert.equal(field(refTtResponse(cfgWith(3, [[0x8000, 0xbfe1]]), PRIV_PE, 0x100, TT) as number, 'S'), 1);
});

test('reference: the IDAU wins when it is more secure, and reports its region', () => {
  const idau = (a: number): RefIdauAnswer => ({ exempt: false, ns: (a & 0x10000000) === 0, nsc: (a >>> 28) === 1, region: a >>> 28, regionValid: true });
  const cfg = cfgWith(1, [[0x00000000, 0x1fffffe1], [0x30000000, 0x30000fe3]], idau);
  assert.equal(describeTt(refTtResponse(cfg, PRIV_PE, 0x00000100, TT) as number), 'SRVALID R RW NSR NSRW IRVALID', 'both NS; IDAU region 0');
  assert.equal(describeTt(refTtResponse(cfg, PRIV_PE, 0x10000100, TT) as number), 'SRVALID R RW S IRVALID IREGION=1', 'IDAU NSC beats SAU NS');
  assert.equal(describeTt(refTtResponse(cfg, PRIV_PE, 0x30000100, TT) as number), 'SREGION=1 SRVALID R RW S IRVALID IREGION=3');
  // Exempt PPB addresses take the requester's state, and no IDAU region is reported for them.
  assert.equal(describeTt(refTtResponse(cfg, PRIV_PE, 0xe000ed00, TT) as number), 'R RW S');
  const exemptIdau = cfgWith(2, [], () => ({ exempt: true, ns: false, nsc: false, region: 9, regionValid: true }));
  assert.equal(describeTt(refTtResponse(exemptIdau, PRIV_PE, 0x40000000, TT) as number), 'R RW S', 'IDAU-exempt: requester state');
});

test('reference: privilege, TTT, TTA and Non-secure callers', () => {
  const mpu = (a: number, secure: boolean, priv: boolean): RefMpuAnswer =>
    ({ hit: true, region: secure ? 5 : 6, read: priv || a < 0x1000, write: priv });
  const cfg = cfgWith(2, [], null, mpu);
  assert.equal(describeTt(refTtResponse(cfg, PRIV_PE, 0x2000, TT) as number), 'MREGION=5 MRVALID R RW NSR NSRW');
  assert.equal(describeTt(refTtResponse(cfg, PRIV_PE, 0x2000, { alt: false, forceUnpriv: true }) as number), 'MREGION=5 MRVALID',
    'TTT: unprivileged permissions, region still reported to a privileged caller');
  const unprivThread: RefPeState = { secure: true, handler: false, nprivS: true, nprivNS: false };
  assert.equal(refTtResponse(cfg, unprivThread, 0x2000, TT), 0, 'unprivileged Secure Thread, SAU says NS: nothing to report but S=0');
  assert.equal(describeTt(refTtResponse(cfg, unprivThread, 0x2000, { alt: true, forceUnpriv: false }) as number),
    'MREGION=6 MRVALID R RW NSR NSRW', 'TTA reads the Non-secure MPU with the Non-secure privilege');
  const handler: RefPeState = { secure: true, handler: true, nprivS: true, nprivNS: true };
  assert.equal(field(refTtResponse(cfg, handler, 0x2000, { alt: true, forceUnpriv: false }) as number, 'RW'), 1, 'Handler mode is privileged in both domains');
  const nsPe: RefPeState = { secure: false, handler: false, nprivS: false, nprivNS: false };
  assert.equal(refTtResponse(cfg, nsPe, 0x2000, { alt: true, forceUnpriv: false }), 'undefined', 'TTA from Non-secure state is UNDEFINED');
  assert.equal(describeTt(refTtResponse(cfg, nsPe, 0x2000, TT) as number), 'MREGION=6 MRVALID R RW', 'no attribution for a Non-secure caller');
});

// ---------------------------------------------------------------- core against reference

interface Scenario { cfg: RefConfig; idauAnswers: RefIdauAnswer[]; mpuRegions: { secure: boolean; base: number; limit: number; ro: boolean; privOnly: boolean }[] }

/** Aligned to the SAU's 32-byte granule, clustered so regions overlap and edges get hit. */
function randomScenario(p: Prng): Scenario {
  const sau: { rbar: number; rlar: number }[] = [];
  for (let r = 0; r < 8; r++) {
    const base = ((p.below(16) << 28) | (p.chance(0.5) ? p.below(8) << 12 : p.below(1 << 20) << 5)) >>> 0;
    const size = p.chance(0.5) ? (1 + p.below(256)) << 5 : (1 + p.below(64)) << 12;
    const limit = Math.min(0xffffffe0, base + size - 32) >>> 0;
    sau.push({ rbar: (base | (p.chance(0.2) ? p.below(32) : 0)) >>> 0, rlar: (limit | (p.chance(0.3) ? 2 : 0) | (p.chance(0.7) ? 1 : 0) | (p.chance(0.1) ? 0x1c : 0)) >>> 0 });
  }
  // The IDAU answers by the top address nibble (uniform per 4 KiB page, as security.ts requires);
  // page 0, where the TT instruction itself runs, is exempt so either state can fetch it.
  const idauAnswers: RefIdauAnswer[] = [];
  for (let k = 0; k < 16; k++) {
    const ns = p.chance(0.5);
    idauAnswers.push({ exempt: p.chance(0.08), ns, nsc: !ns && p.chance(0.5), region: p.below(256), regionValid: p.chance(0.6) });
  }
  const mpuRegions: Scenario['mpuRegions'] = [];
  for (let k = 0, n = p.below(6); k < n; k++) {
    const base = ((p.below(16) << 28) | (p.below(8) << 12)) >>> 0;
    mpuRegions.push({ secure: p.chance(0.5), base, limit: (base + ((1 + p.below(16)) << 12) - 1) >>> 0, ro: p.chance(0.3), privOnly: p.chance(0.4) });
  }
  const idau = (a: number): RefIdauAnswer => ((a >>> 12) === 0
    ? { exempt: true, ns: true, nsc: false, region: 0, regionValid: false }
    : idauAnswers[a >>> 28]);
  const mpu = (a: number, secure: boolean, priv: boolean): RefMpuAnswer => {
    // The MPU is not what is under test: a small, fixed model both sides share.
    const hits = mpuRegions.map((m, k) => (m.secure === secure && a >= m.base && a <= m.limit ? k : -1)).filter((k) => k >= 0);
    if (hits.length !== 1) return { hit: false, region: 0, read: priv, write: priv };
    const m = mpuRegions[hits[0]];
    const ok = priv || !m.privOnly;
    return { hit: true, region: hits[0], read: ok, write: ok && !m.ro };
  };
  const ctrl = p.pick([0, 1, 1, 1, 2, 3]);
  return { cfg: { sauCtrl: ctrl, sau, idau, mpu }, idauAnswers, mpuRegions };
}

function interestingAddress(p: Prng, s: Scenario): number {
  const k = p.below(10);
  if (k < 4) {
    const r = p.pick(s.cfg.sau);
    const base = r.rbar & ~0x1f, limit = (r.rlar | 0x1f) >>> 0;
    return (p.pick([base, base - 1, limit, limit + 1, base + p.below(Math.max(1, limit - base))]) >>> 0);
  }
  if (k < 5) return p.pick([0xe000ed00, 0xe002ed08, 0xe0001000, 0xe0040000, 0xe00ff000, 0xe0003000, 0xe000f000, 0xf0000000]);
  if (k < 6 && s.mpuRegions.length > 0) { const m = p.pick(s.mpuRegions); return p.pick([m.base, m.limit, m.limit + 1]) >>> 0; }
  return p.next();
}

class TtSystem extends TestSystem {
  mpu: RefConfig['mpu'] = NO_MPU;
  mpuRegionFor(addr: number, secure: boolean, priv: boolean): { region: number; valid: boolean; r: boolean; rw: boolean } {
    const m = this.mpu(addr, secure, priv);
    return { region: m.region, valid: m.hit, r: m.read, rw: m.write };
  }
}

class TtRunner {
  readonly bus = new AddressSpace('tt');
  readonly ram = new Memory('tt ram', 0x1000);
  readonly sys = new TtSystem();
  readonly cpu = new CortexM('tt', this.bus, new Clock(), armv8mTable);
  readonly sau: Sau;
  private current: Scenario | null = null;

  constructor() {
    this.bus.mapMemory(0, this.ram);
    this.cpu.system = this.sys;
    this.sys.stopOnEvents = true;
    this.sau = installSecurity(this.cpu, new Sau(8));
    const idau: Idau = { lookup: (a: number): IdauResult => {
      const r = (this.current?.cfg.idau ?? (() => ({ exempt: true, ns: true, nsc: false, region: 0, regionValid: false })))(a);
      return { secure: !r.ns, nsc: r.nsc, exempt: r.exempt, region: r.region, regionValid: r.regionValid };
    } };
    this.sau.setIdau(idau);
  }

  load(s: Scenario): void {
    this.current = s;
    this.sys.mpu = s.cfg.mpu;
    this.sau.reset();
    s.cfg.sau.forEach((r, n) => { this.sau.writeRnr(n); this.sau.writeRbar(r.rbar); this.sau.writeRlar(r.rlar); });
    this.sau.writeCtrl(s.cfg.sauCtrl);
    this.sau.invalidate();
  }

  /** Executes TT{T}{A}{T} r0, r1 (1110 1000 0100 nnnn 1111 dddd A T 00 0000) at address 0. */
  run(pe: RefPeState, addr: number, v: TtVariant): number | 'undefined' {
    const cpu = this.cpu, sys = this.sys;
    const u16 = this.ram.frames[0].u16;
    u16[0] = 0xe841; u16[1] = 0xf000 | ((v.alt ? 1 : 0) << 7) | ((v.forceUnpriv ? 1 : 0) << 6);
    u16[2] = 0xde00; u16[3] = 0xde00;
    const f = this.ram.frames[0]; f.code = null; f.codeWords = null;
    sys.clear();
    cpu.setSecurityState(pe.secure);
    cpu.control = (pe.secure ? pe.nprivS : pe.nprivNS) ? 1 : 0;
    cpu.other.control = (pe.secure ? pe.nprivNS : pe.nprivS) ? 1 : 0;
    cpu.ipsr = pe.handler ? 3 : 0;
    cpu.itstate = 0; cpu.itCur = 0; cpu.tbit = 1;
    cpu.r[0] = 0xdeadbeef; cpu.r[1] = addr;
    cpu.pc = 0; cpu.curPc = 0; cpu.r[15] = 4;
    cpu.run(1);
    if (sys.event !== '') return 'undefined';
    assert.equal(cpu.pc, 4, `TT at 0 did not complete (pc ${cpu.pc.toString(16)})`);
    return cpu.r[0] >>> 0;
  }
}

test(`core TT/TTT/TTA/TTAT agree with the reference on ${CASES} random cases (seed ${SEED})`, { timeout: 300_000 }, () => {
  const p = new Prng(SEED);
  const runner = new TtRunner();
  const seen = new Map<TtField, number>();
  const reports: string[] = [];
  let mismatches = 0, undef = 0;
  let s = randomScenario(p);
  runner.load(s);
  for (let i = 0; i < CASES; i++) {
    if (i % 50 === 0) { s = randomScenario(p); runner.load(s); }
    const pe: RefPeState = { secure: p.chance(0.75), handler: p.chance(0.3), nprivS: p.chance(0.3), nprivNS: p.chance(0.3) };
    const v: TtVariant = { alt: p.chance(0.35), forceUnpriv: p.chance(0.35) };
    const addr = interestingAddress(p, s);
    const want = refTtResponse(s.cfg, pe, addr, v);
    const got = runner.run(pe, addr, v);
    if (want === 'undefined') undef++;
    else for (const k of Object.keys(TT_FIELDS) as TtField[]) if (field(want, k) !== 0) seen.set(k, (seen.get(k) ?? 0) + 1);
    if (got !== want) {
      mismatches++;
      if (reports.length < 6) {
        const d = (x: number | 'undefined') => (x === 'undefined' ? 'UNDEFINED' : `0x${x.toString(16).padStart(8, '0')} ${describeTt(x)}`);
        reports.push(`  #${i} ${['tt', 'ttt', 'tta', 'ttat'][(v.alt ? 2 : 0) + (v.forceUnpriv ? 1 : 0)]} 0x${addr.toString(16).padStart(8, '0')} ` +
          `pe ${JSON.stringify(pe)} SAU_CTRL=${s.cfg.sauCtrl}\n    core:      ${d(got)}\n    reference: ${d(want)}\n` +
          `    sau: ${s.cfg.sau.map((r) => `${r.rbar.toString(16)}/${r.rlar.toString(16)}`).join(' ')} idau[${addr >>> 28}]: ${JSON.stringify(s.idauAnswers[addr >>> 28])}`);
      }
    }
  }
  // The generator must exercise every field of the response and the UNDEFINED case.
  for (const k of Object.keys(TT_FIELDS) as TtField[]) assert.ok((seen.get(k) ?? 0) > CASES / 200, `field ${k} set in only ${seen.get(k) ?? 0} reference answers`);
  assert.ok(undef > CASES / 50, `only ${undef} UNDEFINED cases`);
  assert.equal(mismatches, 0, `${mismatches} of ${CASES} TT results differ from the reference:\n${reports.join('\n')}`);
});
