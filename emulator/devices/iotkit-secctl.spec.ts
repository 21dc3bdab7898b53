// Specs for the SSE-200 security controller: register reset values and IDs (read from
// qemu-system-arm 7.2 mps2-an521 with gdb), PPC gating of NS/unprivileged accesses,
// SECRESPCFG, the PPC interrupt, the NS frame and the IDAU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTR_DEBUG, ATTR_PRIV, ATTR_SECURE, BusError, type AccessSize, type MmioDevice } from '../bus';
import { IotKitSecCtl, IotKitSecCtlNs } from './iotkit-secctl';
import { testContext } from './test-context';

const S_PRIV = ATTR_SECURE | ATTR_PRIV;
const NS_PRIV = ATTR_PRIV;

function make() {
  const ctx = testContext({ 'interrupts-extended': [1, 10, 2, 10] }, 'secctl@50080000');
  const s = new IotKitSecCtl(ctx);
  const nsCtx = Object.assign(testContext({ 'tandem,secctl': 'secctl@50080000' }, 'secctl-ns@40080000'), { clock: ctx.clock });
  const ns = new IotKitSecCtlNs(nsCtx);
  return { ctx, s, ns };
}

class Reg implements MmioDevice {
  readonly name = 'uart';
  value = 0x11;
  writes = 0;
  read(_o: number, _s: AccessSize, _a: number): number { return this.value; }
  write(_o: number, _s: AccessSize, v: number, _a: number): void { this.value = v; this.writes++; }
}

test('reset values and IDs match QEMU 7.2 an521', () => {
  const { s, ns } = make();
  for (let off = 0; off < 0x100; off += 4) assert.equal(s.read(off, 4, S_PRIV), 0, `S +0x${off.toString(16)}`);
  assert.deepEqual([0xfd0, 0xfe0, 0xfe4, 0xfe8, 0xff0, 0xffc].map((o) => s.read(o, 4, S_PRIV)), [0x04, 0x52, 0xb8, 0x0b, 0x0d, 0xb1]);
  assert.deepEqual([0xfe0, 0xfe4].map((o) => ns.read(o, 4, NS_PRIV)), [0x53, 0xb8]);
});

test('registers keep only their implemented bits; sub-word writes are ignored', () => {
  const { s } = make();
  s.write(0x14, 4, 0xffffffff, S_PRIV);
  assert.equal(s.read(0x14, 4, S_PRIV), 3);
  s.write(0x10, 4, 0xffffffff, S_PRIV);
  assert.equal(s.read(0x10, 4, S_PRIV), 1);
  s.write(0x84, 4, 0xffffffff, S_PRIV); // APBNSPPCEXP1: 16 ports
  assert.equal(s.read(0x84, 4, S_PRIV), 0xffff);
  s.write(0x70, 4, 0xffffffff, S_PRIV); // APBNSPPC0: 5 ports
  assert.equal(s.read(0x70, 4, S_PRIV), 0x1f);
  assert.equal(s.read(0x85, 1, S_PRIV), 0xff); // byte lane 1 of APBNSPPCEXP1
  s.write(0x28, 4, 0xffffffff, S_PRIV);
  assert.equal(s.read(0x28, 4, S_PRIV), 0x00f000f3);
  s.write(0x14, 1, 0, S_PRIV);
  assert.equal(s.read(0x14, 4, S_PRIV), 3, 'byte write ignored');
});

test('a port configured secure answers secure accesses and blocks NS ones (RAZ/WI, then bus error)', () => {
  const { s } = make();
  const dev = new Reg();
  const g = s.gate(0x0505, dev, 0x40200000, 'uart0');
  assert.equal(g.read(0, 4, S_PRIV), 0x11);
  assert.equal(g.read(0, 4, NS_PRIV), 0, 'NS read of a secure port is RAZ');
  g.write(0, 4, 0x99, NS_PRIV);
  assert.equal(dev.writes, 0, 'NS write is ignored');
  s.write(0x10, 4, 1, S_PRIV); // SECRESPCFG: bus error
  assert.throws(() => g.read(4, 4, NS_PRIV), (e: unknown) => e instanceof BusError && e.address === 0x40200004 && /APB PPCEXP1 port 5/.test(e.message));
  assert.equal(g.read(0, 4, NS_PRIV | ATTR_DEBUG), 0x11, 'debugger accesses pass');
});

test('APBNSPPCEXP1 bit 5 hands UART0 to NS and takes it from the secure side', () => {
  const { s } = make();
  const dev = new Reg();
  const g = s.gate(0x0505, dev, 0x40200000, 'uart0');
  s.write(0x84, 4, 1 << 5, S_PRIV);
  assert.equal(g.read(0, 4, NS_PRIV), 0x11);
  assert.equal(g.read(0, 4, S_PRIV), 0, 'secure access to an NS port is blocked');
  const other = s.gate(0x0504, new Reg(), 0x40204000, 'uart4');
  assert.equal(other.read(0, 4, NS_PRIV), 0, 'port 4 stays secure');
});

test('unprivileged accesses need the AP bit of the port\'s world (APBSPPPC / NS-frame APBNSPPP)', () => {
  const { s, ns } = make();
  const dev = new Reg();
  const g = s.gate(0x0002, dev, 0x40002000, 'dualtimer'); // APB PPC0 port 2
  assert.equal(g.read(0, 4, ATTR_SECURE), 0);
  s.write(0xb0, 4, 1 << 2, S_PRIV); // APBSPPPC0
  assert.equal(g.read(0, 4, ATTR_SECURE), 0x11);
  s.write(0x70, 4, 1 << 2, S_PRIV); // now NS
  assert.equal(g.read(0, 4, 0), 0, 'NS unprivileged needs APBNSPPPC0');
  ns.write(0xb0, 4, 1 << 2, NS_PRIV);
  assert.equal(ns.read(0xb0, 4, NS_PRIV), 4);
  assert.equal(g.read(0, 4, 0), 0x11);
  assert.equal(s.read(0xb0, 4, S_PRIV), 4, 'the S-frame SP mask is separate from the NS-frame mask');
});

test('blocked accesses raise SECPPCINTSTAT and IRQ 10 on both cores when enabled', () => {
  const { ctx, s } = make();
  const g = s.gate(0x0505, new Reg(), 0x40200000, 'uart0');
  g.read(0, 4, NS_PRIV);
  assert.equal(s.read(0x20, 4, S_PRIV), 0, 'not enabled yet');
  s.write(0x28, 4, 1 << 5, S_PRIV); // SECPPCINTEN for APB PPCEXP1 (its status was latched)
  assert.equal(s.read(0x20, 4, S_PRIV), 1 << 5);
  assert.equal(ctx.irqs[0].level, true);
  assert.equal(ctx.irqs[1].level, true);
});

test('SECPPCINTCLR clears the status bit written; as on QEMU a PPC whose bit stays set drops its status', () => {
  const { ctx, s } = make();
  s.write(0x28, 4, (1 << 5) | (1 << 20), S_PRIV);
  s.gate(0x0505, new Reg(), 0x40200000, 'uart0').read(0, 4, NS_PRIV);
  s.gate(0x1401, new Reg(), 0x40100000, 'gpio0').read(0, 4, NS_PRIV);
  assert.equal(s.read(0x20, 4, S_PRIV), (1 << 5) | (1 << 20));
  s.write(0x24, 4, 1 << 5, S_PRIV);
  // bit 20 was still set when irq_clear was sampled, so AHB PPCEXP0 cleared itself; APB
  // PPCEXP1 keeps its status and re-asserts bit 5 through the irq line.
  assert.equal(s.read(0x20, 4, S_PRIV), 1 << 5);
  assert.equal(ctx.irqs[0].level, true);
});

test('gate rejects indices that name no port', () => {
  const { s } = make();
  assert.throws(() => s.gate(0x0005, new Reg(), 0x40005000, 'x'), /names no port/); // APB PPC0 has 5 ports
  assert.throws(() => s.gate(0x0300, new Reg(), 0x40005000, 'x'), /names no port/);
});

test('IDAU: bit 28 selects secure, NSCCFG makes regions 1 and 3 NSC, SCS space is exempt', () => {
  const { s } = make();
  const l = (a: number) => ({ ...s.idau.lookup(a) });
  assert.deepEqual(l(0x00200000), { secure: false, nsc: false, exempt: false, region: 0, regionValid: true });
  assert.equal(l(0x10000000).secure, true);
  assert.equal(l(0x10000000).nsc, false);
  s.write(0x14, 4, 1, S_PRIV);
  assert.equal(l(0x10000000).nsc, true);
  assert.equal(l(0x30000000).nsc, false);
  s.write(0x14, 4, 2, S_PRIV);
  assert.equal(l(0x38000000).nsc, true);
  assert.equal(l(0x50000000).nsc, false);
  assert.equal(l(0xe000ed00).exempt, true);
  assert.equal(l(0xf0000000).exempt, true);
  assert.equal(l(0xe0100000).exempt, false);
  s.reset();
  assert.equal(l(0x38000000).nsc, false);
});

test('the IDAU tells its listeners when NSCCFG changes its answers, and only then', () => {
  const { s } = make();
  let calls = 0;
  s.idau.onChange?.(() => { calls++; });
  s.write(0x14, 4, 1, S_PRIV);
  s.write(0x14, 4, 1, S_PRIV);
  assert.equal(calls, 1);
  s.write(0x14, 4, 3, S_PRIV);
  s.reset();
  assert.equal(calls, 3);
  s.reset();
  assert.equal(calls, 3);
});
