// Tests of the SAU/IDAU attribution (SecurityCheck), the TT response, and the core's
// security checks: SG/BXNS/BLXNS/FNC_RETURN round trips on assembled Cortex-M33 code, every
// SecureFault cause the core raises, and the bus attribute a Secure access to NS memory carries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from './test-asm';
import { makeTestCore, TestSystem, type TestCore } from './test-system';
import { armv8mTable } from './isa-v8m';
import {
  installSecurity, Sau, SFSR_AUVIOL, SFSR_INVEP, SFSR_INVTRAN, SFSR_SFARVALID, FNC_RETURN,
  TT_MRVALID, TT_NSR, TT_NSRW, TT_R, TT_RW, TT_S, TT_SRVALID, TT_IRVALID, PAGE_CODES, type Idau,
} from './security';
import { ATTR_SECURE, type AccessSize, type MmioDevice } from '../../bus';
import { CFSR_INVPC } from './cpu';
import { TraceBus, type TraceEvent } from '../../trace';

/** TestSystem plus the two ARMv8-M hooks: SecureFaults are recorded; the MPU answers region = page number. */
class SecureTestSystem extends TestSystem {
  secureFaults: { sfsr: number; address: number; pc: number }[] = [];
  secureFault(cpu: TestCore['cpu'], sfsrBits: number, address: number): void {
    this.secureFaults.push({ sfsr: sfsrBits, address, pc: cpu.curPc >>> 0 });
    this.event = 'secure fault';
    cpu.stop('lockup');
  }
  mpuRegionFor(addr: number, _secure: boolean, priv: boolean): { region: number; valid: boolean; r: boolean; rw: boolean } {
    return { region: (addr >>> 12) & 0xff, valid: addr < 0x10000, r: true, rw: priv };
  }
}

/** SAU layout used below: 0x8000-0xbfff Non-secure, 0x4000-0x40ff Secure NSC, the rest Secure. */
function setupSau(sau: Sau): void {
  sau.writeRnr(0); sau.writeRbar(0x8000); sau.writeRlar(0xbfe0 | 1);
  sau.writeRnr(1); sau.writeRbar(0x4000); sau.writeRlar(0x40e0 | 2 | 1);
  sau.writeCtrl(1);
}

function makeSecureCore(code: Uint8Array): TestCore & { sys: SecureTestSystem; sau: Sau } {
  const t = makeTestCore(code, armv8mTable);
  const sys = new SecureTestSystem();
  t.cpu.system = sys;
  const sau = installSecurity(t.cpu, new Sau(8));
  t.cpu.secure = true;
  setupSau(sau);
  sys.stopOnEvents = true;
  return { ...t, sys, sau };
}

function load(t: TestCore, addr: number, src: string): void {
  t.bus.loadBytes(addr, assemble(src, 'cortex-m33'));
}

// ---------------------------------------------------------------- SecurityCheck

test('SAU attribution: regions, NSC, ALLNS, overlaps, exempt PPB ranges', () => {
  const sau = new Sau(8);
  assert.equal(sau.check(0x8000, false, true).ns, false, 'SAU disabled, ALLNS=0: all Secure');
  sau.writeCtrl(2);
  assert.equal(sau.check(0x8000, false, true).ns, true, 'SAU disabled, ALLNS=1: all Non-secure');
  setupSau(sau);
  const ns = sau.check(0x8abc, false, true);
  assert.deepEqual([ns.ns, ns.nsc, ns.srvalid, ns.sregion], [true, false, true, 0]);
  const nsc = sau.check(0x40ff, false, true);
  assert.deepEqual([nsc.ns, nsc.nsc, nsc.srvalid, nsc.sregion], [false, true, true, 1]);
  assert.equal(sau.check(0x4100, false, true).srvalid, false, 'limit is inclusive of its 32-byte block only');
  assert.equal(sau.check(0x4100, false, true).ns, false, 'no region: Secure');
  // Region 2 overlapping region 0: the overlap is Secure and reports no region.
  sau.writeRnr(2); sau.writeRbar(0xa000); sau.writeRlar(0xa0e0 | 1);
  const ov = sau.check(0xa010, false, true);
  assert.deepEqual([ov.ns, ov.nsc, ov.srvalid], [false, false, false]);
  assert.equal(sau.check(0xa100, false, true).ns, true, 'outside the overlap region 0 still applies');
  // PPB exemptions take the requester's state.
  assert.equal(sau.check(0xe000ed00, false, true).exempt, true);
  assert.equal(sau.check(0xe000ed00, false, false).ns, true);
  assert.equal(sau.check(0xe002ed00, false, true).ns, false);
  assert.equal(sau.check(0xe0010000, false, true).exempt, false, 'a PPB hole is attributed normally');
  assert.equal(sau.readType(), 8);
  assert.equal(sau.readRlar(), 0xa0e1);
  sau.writeRnr(9); assert.equal(sau.readRbar(), 0, 'an unimplemented region reads as zero');
});

test('IDAU and SAU combine with the more secure answer winning', () => {
  // IDAU: bit 28 set = Secure; 0x1000_0000-0x1000_0fff is NSC; 0x3000_0000 exempt.
  const idau: Idau = {
    lookup: (a) => ({
      secure: (a & 0x10000000) !== 0, nsc: (a >>> 12) === 0x10000, exempt: (a >>> 28) === 3,
      region: a >>> 28, regionValid: true,
    }),
  };
  const sau = new Sau(4, idau);
  sau.writeRnr(0); sau.writeRbar(0x00000000); sau.writeRlar(0x1fffffe0 | 1); // all low 512 MiB NS
  sau.writeRnr(1); sau.writeRbar(0x20000000); sau.writeRlar(0x2fffffe0 | 2 | 1); // NSC
  sau.writeCtrl(1);
  const a = sau.check(0x00001000, false, true);
  assert.deepEqual([a.ns, a.irvalid, a.iregion], [true, true, 0], 'IDAU NS + SAU NS = NS');
  const b = sau.check(0x10002000, false, true);
  assert.deepEqual([b.ns, b.nsc], [false, false], 'IDAU Secure wins over SAU NS');
  const c = sau.check(0x10000100, false, true);
  assert.deepEqual([c.ns, c.nsc], [false, true], 'IDAU NSC + SAU NS = NSC');
  const d = sau.check(0x20000000, false, true);
  assert.deepEqual([d.ns, d.nsc], [false, true], 'IDAU NS + SAU NSC = NSC');
  const ex = sau.check(0x30000000, false, false);
  assert.deepEqual([ex.exempt, ex.ns, ex.irvalid], [true, true, false], 'exempt: requester state, no IDAU region');
  // The page cache agrees with the direct lookup, and a SAU write invalidates it.
  assert.equal(sau.codeAt(0x00001000), PAGE_CODES.PG_NS);
  sau.writeCtrl(0);
  assert.equal(sau.codeAt(0x00001000), PAGE_CODES.PG_S, 'SAU disabled: IDAU NS, SAU Secure => Secure');
  // An IDAU whose answer changes (AN521 NSCCFG) tells the SAU, which drops its cache.
  let nsc = false;
  const listeners: (() => void)[] = [];
  const live: Idau = {
    lookup: () => ({ secure: true, nsc, exempt: false, region: 1, regionValid: true }),
    onChange: (l) => { listeners.push(l); },
  };
  const s2 = new Sau(1, live);
  s2.writeCtrl(2); // ALLNS
  assert.equal(s2.codeAt(0x10000000), PAGE_CODES.PG_S);
  nsc = true;
  assert.equal(s2.codeAt(0x10000000), PAGE_CODES.PG_S, 'cached until the IDAU reports the change');
  for (const l of listeners) l();
  assert.equal(s2.codeAt(0x10000000), PAGE_CODES.PG_NSC);
});

test('pages split by a 32-byte SAU boundary are looked up per address', () => {
  const sau = new Sau(8);
  sau.writeRnr(0); sau.writeRbar(0x8040); sau.writeRlar(0x807e0 | 1);
  sau.writeCtrl(1);
  assert.equal(sau.codeAt(0x8000), PAGE_CODES.PG_S);
  assert.equal(sau.codeAt(0x8040), PAGE_CODES.PG_NS);
  assert.equal(sau.codeAt(0x80800), PAGE_CODES.PG_S);
  assert.equal(sau.pageCode(0x8000), PAGE_CODES.PG_MIXED);
  assert.equal(sau.pageCode(0x9000), PAGE_CODES.PG_NS);
});

// ---------------------------------------------------------------- world switches

test('BLXNS -> NS -> NSC SG veneer -> BXNS -> FNC_RETURN round trip, with trace events', () => {
  const t = makeSecureCore(assemble('movw r0, #0x8000\nmovs r7, #7\nblxns r0\nbkpt #1', 'cortex-m33'));
  load(t, 0x8000, 'push {lr}\nmovw r3, #0x4001\nblx r3\nmov r5, r1\npop {pc}'); // NS app
  load(t, 0x4000, 'sg\nmovw ip, #0x201\nbx ip'); // NSC veneer
  load(t, 0x200, 'movs r1, #42\nbxns lr'); // Secure service
  const trace = new TraceBus();
  const events: TraceEvent[] = [];
  trace.subscribe((e) => events.push(e));
  t.cpu.trace = trace;
  t.cpu.r[13] = 0x3000; t.cpu.msp = 0x3000; // Secure MSP
  t.cpu.other.msp = 0x9800; // Non-secure MSP
  t.cpu.run(100);
  assert.deepEqual(t.sys.secureFaults, []);
  assert.deepEqual(t.sys.faults, []);
  assert.equal(t.sys.event, 'debug event', 'stopped at the Secure bkpt after returning');
  assert.equal(t.cpu.secure, true);
  assert.equal(t.cpu.r[5], 42, 'NS saw the Secure service result');
  assert.equal(t.cpu.r[7], 7);
  assert.equal(t.cpu.r[13], 0x3000, 'FNC_RETURN popped the 8-byte frame from the Secure stack');
  assert.equal(t.cpu.other.msp, 0x9800, 'NS stack balanced');
  assert.equal(t.ram.bytes[0x2ff8] | (t.ram.bytes[0x2ff9] << 8), 0x0009, 'stacked return address = after BLXNS, bit 0 set');
  assert.deepEqual(events.map((e) => e.kind === 'world-switch' ? `${e.how}:${e.from}->${e.to}@${e.insnAddr.toString(16)}>${e.toPc.toString(16)}` : e.kind), [
    'blxns:secure->non-secure@6>8000', 'sg:non-secure->secure@4000>4004', 'bxns:secure->non-secure@202>8008', 'fnc-return:non-secure->secure@800a>8',
  ]);
});

test('BLXNS from Handler mode hides the exception number and FNC_RETURN restores it; a bad frame is INVPC', () => {
  const t = makeSecureCore(assemble('movw r0, #0x8000\nblxns r0\nbkpt #1', 'cortex-m33'));
  load(t, 0x8000, 'mrs r2, ipsr\nbx lr');
  t.cpu.r[13] = 0x3000; t.cpu.msp = 0x3000;
  t.cpu.ipsr = 11;
  t.cpu.run(50);
  assert.equal(t.cpu.r[2], 1, 'NS code sees IPSR = 1');
  assert.equal(t.cpu.ipsr, 11);
  assert.equal(t.cpu.secure, true);

  // Thread mode returning to a frame that claims Handler mode: INVPC UsageFault.
  const u = makeSecureCore(assemble('nop', 'cortex-m33'));
  load(u, 0x8000, 'bx lr');
  u.cpu.secure = false; // swap banks by hand: state is NS, Secure MSP in `other`
  u.cpu.other.msp = 0x3000; u.cpu.r[13] = 0x9800;
  u.bus.loadBytes(0x3000, new Uint8Array([0x01, 0x01, 0, 0, 5, 0, 0, 0])); // return 0x101, IPSR 5
  u.cpu.r[14] = FNC_RETURN | 0;
  u.cpu.pc = 0x8000;
  u.cpu.run(5);
  assert.equal(u.sys.cfsr & CFSR_INVPC, CFSR_INVPC);
  assert.equal(u.cpu.secure, false, 'the failed return stays Non-secure');
});

test('SecureFault INVEP: NS branch into Secure memory, and into NSC memory without SG', () => {
  for (const target of [0x201, 0x4009]) {
    const t = makeSecureCore(assemble('nop', 'cortex-m33'));
    load(t, 0x4000, 'sg\nbx lr\nnop\nnop\nnop\nnop');
    load(t, 0x8000, `movw r3, #${target}\nbx r3`);
    t.cpu.setSecurityState(false);
    t.cpu.pc = 0x8000;
    t.cpu.run(10);
    assert.deepEqual(t.sys.secureFaults, [{ sfsr: SFSR_INVEP, address: 0, pc: target & ~1 }], `target ${target.toString(16)}`);
    assert.equal(t.cpu.pc, target & ~1, 'stacked PC is the faulting fetch');
    assert.equal(t.cpu.secure, false);
  }
});

test('SG in Non-secure memory is a NOP that stays Non-secure', () => {
  const t = makeSecureCore(assemble('nop', 'cortex-m33'));
  load(t, 0x8000, 'sg\nmovs r0, #1\nbkpt #0');
  t.cpu.setSecurityState(false);
  t.cpu.r[14] = 0x8101;
  t.cpu.pc = 0x8000;
  t.cpu.run(10);
  assert.deepEqual(t.sys.secureFaults, []);
  assert.equal(t.sys.event, 'debug event');
  assert.equal(t.cpu.secure, false);
  assert.equal(t.cpu.r[14], 0x8101, 'LR keeps bit 0');
  assert.equal(t.cpu.r[0], 1);
});

test('SecureFault INVTRAN: Secure state branching to Non-secure memory without BXNS', () => {
  const t = makeSecureCore(assemble('movw r0, #0x8001\nbx r0', 'cortex-m33'));
  load(t, 0x8000, 'nop');
  t.cpu.run(10);
  assert.deepEqual(t.sys.secureFaults, [{ sfsr: SFSR_INVTRAN, address: 0, pc: 0x8000 }]);
});

test('SecureFault AUVIOL with SFAR on a Non-secure data access to Secure memory', () => {
  const t = makeSecureCore(assemble('nop', 'cortex-m33'));
  load(t, 0x8000, 'movs r1, #0x80\nmovs r0, #9\nstr r0, [r1]\nnop');
  t.cpu.setSecurityState(false);
  t.cpu.pc = 0x8000;
  t.ram.bytes[0x80] = 0x55;
  t.cpu.run(10);
  assert.deepEqual(t.sys.secureFaults, [{ sfsr: SFSR_AUVIOL | SFSR_SFARVALID, address: 0x80, pc: 0x8004 }]);
  assert.equal(t.ram.bytes[0x80], 0x55, 'the store did not happen');
  assert.equal(t.cpu.lastFault.sfsr, SFSR_AUVIOL | SFSR_SFARVALID);
});

test('a Secure access carries ATTR_SECURE only where the address is Secure; BXNS and BLXNS are UNDEFINED in NS', () => {
  const seen: number[] = [];
  const dev: MmioDevice = { name: 'probe', read: (_o: number, _s: AccessSize, attrs: number) => { seen.push(attrs); return 0; }, write: () => {} };
  const t = makeSecureCore(assemble('ldr r0, [r1]\nldr r0, [r2]\nbkpt #0', 'cortex-m33'));
  t.bus.mapDevice(0x40000000, 0x1000, dev);
  t.bus.mapDevice(0x50000000, 0x1000, dev);
  t.sau.writeRnr(3); t.sau.writeRbar(0x40000000); t.sau.writeRlar(0x40000fe0 | 1);
  t.cpu.r[1] = 0x40000000; t.cpu.r[2] = 0x50000000;
  t.cpu.run(10);
  assert.deepEqual(seen.map((a) => (a & ATTR_SECURE) !== 0), [false, true]);

  const u = makeSecureCore(assemble('nop', 'cortex-m33'));
  load(u, 0x8000, 'bxns r0');
  u.cpu.setSecurityState(false);
  u.cpu.pc = 0x8000;
  u.cpu.run(5);
  assert.equal(u.sys.faults.length, 1);
  assert.equal(u.sys.faults[0].pc, 0x8000);
});

// ---------------------------------------------------------------- TT

test('TT/TTT/TTA/TTAT responses: SAU region, S, NSR/NSRW, MPU region and privilege', () => {
  const t = makeSecureCore(assemble('tt r0, r4\ntt r1, r5\ntt r2, r6\nttt r3, r4\ntta r8, r4\nbkpt #0', 'cortex-m33'));
  t.cpu.r[4] = 0x8010; t.cpu.r[5] = 0x4010; t.cpu.r[6] = 0x0200;
  t.cpu.other.control = 1; // NS Thread mode unprivileged, for TTA
  t.cpu.run(20);
  assert.deepEqual(t.sys.faults, []);
  const mpu = (a: number) => TT_MRVALID | ((a >>> 12) & 0xff);
  assert.equal(t.cpu.r[0] >>> 0, (TT_SRVALID | (0 << 8) | TT_R | TT_RW | TT_NSR | TT_NSRW | mpu(0x8010)) >>> 0);
  assert.equal(t.cpu.r[1] >>> 0, (TT_SRVALID | (1 << 8) | TT_S | TT_R | TT_RW | mpu(0x4010)) >>> 0);
  assert.equal(t.cpu.r[2] >>> 0, (TT_S | TT_R | TT_RW | mpu(0x200)) >>> 0);
  assert.equal(t.cpu.r[3] >>> 0, (TT_SRVALID | TT_R | TT_NSR | mpu(0x8010)) >>> 0, 'TTT: unprivileged, no RW');
  assert.equal(t.cpu.r[8] >>> 0, (TT_SRVALID | TT_R | TT_NSR | mpu(0x8010)) >>> 0, 'TTA: NS state unprivileged per CONTROL_NS.nPRIV');

  // From Non-secure state: no attribution; unprivileged: no MPU information; TTA UNDEFINED.
  const u = makeSecureCore(assemble('nop', 'cortex-m33'));
  load(u, 0x8000, 'tt r0, r4\nmsr control, r9\nisb\ntt r1, r4\ntta r2, r4');
  u.cpu.setSecurityState(false);
  u.cpu.r[4] = 0x200; u.cpu.r[9] = 1; u.cpu.r[1] = 0x77;
  u.cpu.pc = 0x8000;
  u.cpu.run(20);
  assert.equal(u.cpu.r[0] >>> 0, (TT_R | TT_RW | mpu(0x200)) >>> 0);
  assert.equal(u.cpu.r[1], 0, 'unprivileged NS TT reads as zero');
  assert.equal(u.sys.faults.length, 1, 'TTA from NS is UNDEFINED');
  assert.equal(u.sys.faults[0].pc, 0x8010);
  assert.equal(TT_IRVALID >>> 0, 1 << 23);
});
