// ARMv8-M system-level tests (DDI0553 B3, D1.2): exceptions that cross Security states
// (frames, the integrity signature, register clearing, EXC_RETURN S/ES/DCRS), SecureFault,
// ITNS, BFHFNMINS and PRIS, the SCS banks and their NS alias, two SysTicks, STKOF on stacking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceBus, type TraceEvent } from '../../trace';
import { CFSR_PRECISERR, CFSR_BFARVALID, CFSR_UNDEFINSTR, EXC_BUSFAULT, EXC_HARDFAULT } from './cpu';
import {
  CODE, handlerOf, Kit, makeKit, makeV8Kit, NS_STACK_TOP, nsHandlerOf, nsRead, nsWrite, sRead, STACK_TOP, sWrite,
} from './system-test-kit';
import { HFSR_FORCED, SFSR_AUVIOL, SFSR_INVER, SFSR_INVIS, SFSR_SFARVALID } from './system';

const ISER0 = 0xe000e100, ISPR0 = 0xe000e200, ITNS0 = 0xe000e380, IPR0 = 0xe000e400, CPUID = 0xe000ed00, ICSR = 0xe000ed04,
  VTOR = 0xe000ed08, AIRCR = 0xe000ed0c, SHCSR = 0xe000ed24, CFSR = 0xe000ed28, HFSR = 0xe000ed2c,
  SAU_CTRL = 0xe000edd0, SAU_TYPE = 0xe000edd4, SAU_RNR = 0xe000edd8, SAU_RBAR = 0xe000eddc, SFSR = 0xe000ede4, SFAR = 0xe000ede8,
  SYST_CSR = 0xe000e010, SYST_RVR = 0xe000e014, NS_ALIAS = 0x20000;
const u = (x: number): number => x >>> 0;
const irq = (i: number): number => 16 + i;
const VECTKEY = 0x05fa0000;

function listen(k: Kit): TraceEvent[] {
  const events: TraceEvent[] = [];
  const bus = new TraceBus();
  bus.subscribe((e) => events.push(e));
  k.cpu.trace = bus;
  return events;
}
function secureIrq(k: Kit, i: number, prio = 0x40): void {
  sWrite(k, ISER0, 1 << i);
  sWrite(k, IPR0 + (i & ~3), prio << (8 * (i & 3)));
}
function nsIrq(k: Kit, i: number, prio = 0x40): void {
  sWrite(k, ITNS0, sRead(k, ITNS0) | (1 << i));
  nsWrite(k, ISER0, 1 << i);
  nsWrite(k, IPR0 + (i & ~3), prio << (8 * (i & 3)));
}
function words(k: Kit, addr: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(k.bus.read32(addr + 4 * i));
  return out;
}
/** Enter Non-secure Thread mode at CODE on MSP_NS (what a BXNS to the NS image leaves behind). */
function toNonSecureThread(k: Kit): void {
  k.cpu.setSecurityState(false);
  k.cpu.r[13] = NS_STACK_TOP;
}

test('M33 reset: CPUID, Secure state, VTOR_S/VTOR_NS, SAU_TYPE, and the ID registers QEMU reports', () => {
  const k = makeV8Kit({ initialVtorS: 0 });
  assert.equal(sRead(k, CPUID), 0x410fd213);
  assert.equal(nsRead(k, CPUID), 0x410fd213);
  assert.equal(k.cpu.secure, true);
  assert.equal(u(k.cpu.r[13]), STACK_TOP);
  assert.equal(k.cpu.pc, CODE);
  assert.equal(sRead(k, VTOR), 0);
  assert.equal(nsRead(k, VTOR), 0x2000);
  assert.equal(sRead(k, SAU_TYPE), 8);
  assert.equal(sRead(k, 0xe000ed14), 0x201, 'CCR: STKALIGN and NONBASETHRDENA are RES1');
  assert.equal(sRead(k, 0xe000ed44), 0x210, 'ID_PFR1 has the Security Extension');
});

test('SCS banks: the NS alias reaches the Non-secure bank from Secure, and is RAZ/WI from Non-secure', () => {
  const k = makeV8Kit();
  sWrite(k, VTOR + NS_ALIAS, 0x3000);
  assert.equal(nsRead(k, VTOR), 0x3000, 'NS view of VTOR is VTOR_NS');
  assert.equal(sRead(k, VTOR), 0, 'VTOR_S untouched');
  assert.equal(sRead(k, VTOR + NS_ALIAS), 0x3000);
  assert.equal(nsRead(k, VTOR + NS_ALIAS), 0, 'NS access to the alias reads as zero');
  nsWrite(k, VTOR + NS_ALIAS, 0x3800);
  assert.equal(nsRead(k, VTOR), 0x3000, 'NS access to the alias is ignored');
  // SAU, SFSR and SFAR are Secure-only.
  sWrite(k, SAU_RNR, 2);
  sWrite(k, SAU_RBAR, 0x00200000);
  assert.equal(sRead(k, SAU_RBAR), 0x00200000);
  assert.equal(nsRead(k, SAU_RBAR), 0);
  nsWrite(k, SAU_CTRL, 1);
  assert.equal(sRead(k, SAU_CTRL), 0);
  k.sys.secureFault(k.cpu, SFSR_AUVIOL | SFSR_SFARVALID, 0x10000400);
  assert.equal(sRead(k, SFSR), SFSR_AUVIOL | SFSR_SFARVALID);
  assert.equal(sRead(k, SFAR), 0x10000400);
  assert.equal(nsRead(k, SFSR), 0);
  assert.equal(nsRead(k, SFAR), 0);
  sWrite(k, SFSR, SFSR_AUVIOL);
  assert.equal(sRead(k, SFSR), SFSR_SFARVALID, 'SFSR is write-one-to-clear');
});

test('ITNS: a Non-secure IRQ preempting Secure code stacks the callee context with the integrity signature and clears registers', () => {
  const k = makeV8Kit();
  const { cpu } = k;
  const events = listen(k);
  nsIrq(k, 3);
  for (let i = 0; i < 13; i++) cpu.r[i] = 0x100 + i;
  cpu.r[14] = 0x555;
  cpu.n = 1; cpu.z = 1;
  k.sys.irqLine(3).pulse();
  cpu.run(0);
  assert.equal(cpu.secure, false);
  assert.equal(cpu.ipsr, irq(3));
  assert.equal(cpu.pc, nsHandlerOf(irq(3)), 'vector from VTOR_NS');
  // EXC_RETURN: PREFIX, S=1 (Secure frame), DCRS=1, FType=1, Mode=Thread, SPSEL=0, ES=0.
  assert.equal(u(cpu.r[14]), 0xfffffff8);
  assert.equal(u(cpu.r[13]), NS_STACK_TOP, 'the NS handler runs on MSP_NS');
  const frame = STACK_TOP - 0x20 - 0x28;
  assert.equal(u(cpu.other.msp), frame, 'MSP_S holds the additional state context and the basic frame');
  assert.deepEqual(words(k, frame, 10).filter((_, i) => i !== 1),
    [0xfefa125b, 0x104, 0x105, 0x106, 0x107, 0x108, 0x109, 0x10a, 0x10b]);
  assert.deepEqual(words(k, frame + 0x28, 7), [0x100, 0x101, 0x102, 0x103, 0x10c, 0x555, CODE]);
  for (let i = 0; i < 13; i++) assert.equal(cpu.r[i], 0, `r${i} cleared for the NS handler`);
  assert.equal(cpu.n + cpu.z, 0, 'APSR cleared');
  cpu.run(7); // the NS handler: six NOPs and BX LR
  assert.equal(cpu.secure, true);
  assert.equal(cpu.ipsr, 0);
  assert.equal(cpu.pc, CODE);
  assert.equal(u(cpu.r[13]), STACK_TOP);
  assert.deepEqual(Array.from(cpu.r.slice(0, 13)), Array.from({ length: 13 }, (_, i) => 0x100 + i));
  assert.equal(cpu.r[14], 0x555);
  assert.equal(cpu.n, 1);
  const ws = events.filter((e) => e.kind === 'world-switch');
  assert.equal(ws.length, 2);
  assert.deepEqual(ws.map((e) => e.kind === 'world-switch' && [e.how, e.from, e.to, e.toPc]),
    [['exception-entry', 'secure', 'non-secure', nsHandlerOf(irq(3))], ['exception-return', 'non-secure', 'secure', CODE]]);
});

test('a Secure IRQ preempting Non-secure code: basic frame on the NS stack, ES=1, no clearing', () => {
  const k = makeV8Kit();
  const { cpu } = k;
  secureIrq(k, 4);
  toNonSecureThread(k);
  for (let i = 0; i < 13; i++) cpu.r[i] = 0x200 + i;
  k.sys.irqLine(4).pulse();
  cpu.run(0);
  assert.equal(cpu.secure, true);
  assert.equal(cpu.pc, handlerOf(irq(4)));
  assert.equal(u(cpu.r[14]), 0xffffffb9, 'S=0, DCRS=1, FType=1, Mode=1, SPSEL=0, ES=1');
  assert.equal(u(cpu.other.msp), NS_STACK_TOP - 0x20);
  assert.equal(cpu.r[5], 0x205, 'callee registers are not cleared for a Secure handler');
  assert.equal(cpu.r[0], 0x200);
  cpu.run(7);
  assert.equal(cpu.secure, false);
  assert.equal(u(cpu.r[13]), NS_STACK_TOP);
  assert.equal(cpu.pc, CODE);
});

test('a corrupted integrity signature is a SecureFault (INVIS) taken on the Secure side', () => {
  const k = makeV8Kit();
  const { cpu } = k;
  nsIrq(k, 3);
  sWrite(k, SHCSR, 1 << 19); // SECUREFAULTENA
  k.sys.irqLine(3).pulse();
  cpu.run(0);
  const frame = u(cpu.other.msp);
  k.bus.write32(frame, 0xfefa125a); // FType says an FP frame: wrong signature
  cpu.run(7);
  assert.equal(cpu.secure, true);
  assert.equal(cpu.ipsr, 7);
  assert.equal(cpu.pc, handlerOf(7));
  assert.equal(sRead(k, SFSR), SFSR_INVIS);
});

test('a Non-secure handler returning with EXC_RETURN.ES=1 raises INVER; without SecureFault enabled it escalates', () => {
  const k = makeV8Kit();
  const { cpu } = k;
  nsIrq(k, 3);
  k.sys.irqLine(3).pulse();
  cpu.run(0);
  cpu.r[14] = 0xfffffff9 | 0; // claims the handler was Secure
  cpu.run(7);
  assert.equal(sRead(k, SFSR) & SFSR_INVER, SFSR_INVER);
  assert.equal(cpu.ipsr, EXC_HARDFAULT, 'SecureFault disabled: Secure HardFault');
  assert.equal(cpu.secure, true);
  assert.equal(sRead(k, HFSR) & HFSR_FORCED, HFSR_FORCED);
});

test('BFHFNMINS routes BusFault to Non-secure; only Secure writes change it; PRIS is Secure-only', () => {
  const k = makeV8Kit();
  const { cpu } = k;
  nsWrite(k, AIRCR, VECTKEY | (1 << 13));
  assert.equal(sRead(k, AIRCR) & (1 << 13), 0, 'a Non-secure write cannot set BFHFNMINS');
  nsWrite(k, SHCSR, 1 << 17);
  assert.equal(sRead(k, SHCSR) & (1 << 17), 0, 'BUSFAULTENA is not Non-secure writable while BFHFNMINS = 0');
  sWrite(k, AIRCR, VECTKEY | (1 << 13));
  assert.equal(nsRead(k, AIRCR) & (1 << 13), 1 << 13, 'BFHFNMINS reads in the NS view');
  nsWrite(k, AIRCR, VECTKEY | (1 << 14));
  assert.equal(sRead(k, AIRCR) & (1 << 14), 0, 'PRIS is Secure-only');
  nsWrite(k, SHCSR, 1 << 17);
  assert.equal(sRead(k, SHCSR) & (1 << 17), 1 << 17);
  toNonSecureThread(k);
  k.sys.fault(cpu, CFSR_PRECISERR | CFSR_BFARVALID, 0x40001000);
  cpu.run(0);
  assert.equal(cpu.ipsr, EXC_BUSFAULT);
  assert.equal(cpu.secure, false);
  assert.equal(cpu.pc, nsHandlerOf(EXC_BUSFAULT));
  assert.equal(nsRead(k, CFSR) & 0xff00, (CFSR_PRECISERR | CFSR_BFARVALID) & 0xff00);
  assert.equal(nsRead(k, 0xe000ed38), 0x40001000, 'BFAR visible to Non-secure with BFHFNMINS');
});

test('PRIS maps Non-secure priorities below the Secure ones; PRIMASK_NS then masks only 0x80 and lower', () => {
  const k = makeV8Kit();
  const { cpu, sys } = k;
  nsIrq(k, 0, 0x00);
  secureIrq(k, 1, 0x40);
  sWrite(k, ISPR0, 3);
  assert.equal(sys.nvic.highestPending(), irq(0), 'PRIS=0: NS priority 0 wins');
  sWrite(k, AIRCR, VECTKEY | (1 << 14));
  assert.equal(sys.nvic.groupPriority(irq(0)), 0x80);
  assert.equal(sys.nvic.highestPending(), irq(1), 'PRIS=1: NS priority 0 becomes 0x80');
  cpu.other.primask = 1; // PRIMASK_NS
  assert.equal(sys.executionPriority(cpu), 0x80);
  cpu.primask = 1; // PRIMASK_S
  assert.equal(sys.executionPriority(cpu), 0);
});

test('two SysTicks: the Secure and the Non-secure timer count and pend independently', () => {
  const k = makeV8Kit();
  const { cpu, sys } = k;
  cpu.primask = 1; cpu.other.primask = 1; // observe the pending bits without taking them
  sWrite(k, SYST_RVR, 99);
  sWrite(k, SYST_CSR, 7);
  sWrite(k, SYST_RVR + NS_ALIAS, 49);
  sWrite(k, SYST_CSR + NS_ALIAS, 7);
  assert.equal(nsRead(k, SYST_RVR), 49);
  assert.equal(sRead(k, SYST_RVR), 99);
  cpu.run(60);
  const nsSlot = sys.nvic.nsBase + 15;
  assert.equal(sys.nvic.pending[nsSlot], 1, 'NS SysTick fired after 50 cycles');
  assert.equal(sys.nvic.pending[15], 0, 'Secure SysTick not yet');
  assert.equal(nsRead(k, ICSR) & (1 << 26), 1 << 26);
  assert.equal(sRead(k, ICSR) & (1 << 26), 0);
  cpu.run(50);
  assert.equal(sys.nvic.pending[15], 1);
  // Same priority and number: the Secure one first, then a tail-chain into the NS handler
  // that has to push the Secure callee context on the way (DCRS).
  sWrite(k, SYST_CSR, 0);
  sWrite(k, SYST_CSR + NS_ALIAS, 0);
  for (let i = 4; i < 12; i++) cpu.r[i] = 0x400 + i;
  const pc = cpu.pc;
  cpu.primask = 0; cpu.other.primask = 0;
  cpu.run(0);
  assert.equal(cpu.secure, true);
  assert.equal(cpu.pc, handlerOf(15));
  cpu.run(7);
  assert.equal(cpu.secure, false, 'tail-chained into the Non-secure SysTick handler');
  assert.equal(cpu.pc, nsHandlerOf(15));
  assert.equal(cpu.r[4], 0, 'callee registers cleared');
  assert.equal(k.bus.read32(u(cpu.other.msp)), 0xfefa125b, 'the callee context was pushed at the tail-chain');
  cpu.run(7);
  assert.equal(cpu.secure, true);
  assert.equal(cpu.pc, pc);
  assert.equal(u(cpu.r[13]), STACK_TOP);
  assert.equal(cpu.r[7], 0x407);
});

test('SecureFault: SFSR/SFAR recorded; taken when enabled, escalated to Secure HardFault otherwise', () => {
  const k = makeV8Kit();
  const { cpu } = k;
  const events = listen(k);
  toNonSecureThread(k);
  k.sys.secureFault(cpu, SFSR_AUVIOL | SFSR_SFARVALID, 0x30000000);
  cpu.run(0);
  assert.equal(cpu.ipsr, EXC_HARDFAULT);
  assert.equal(cpu.secure, true);
  assert.equal(sRead(k, HFSR) & HFSR_FORCED, HFSR_FORCED);
  const f = events.find((e) => e.kind === 'fault');
  assert.ok(f !== undefined && f.kind === 'fault');
  assert.equal(f.cause, 'AUVIOL, FORCED');
  assert.equal(f.address, 0x30000000);
  assert.equal(f.exception, EXC_HARDFAULT);

  const k2 = makeV8Kit();
  sWrite(k2, SHCSR, 1 << 19);
  toNonSecureThread(k2);
  k2.sys.secureFault(k2.cpu, SFSR_AUVIOL | SFSR_SFARVALID, 0x30000004);
  k2.cpu.run(0);
  assert.equal(k2.cpu.ipsr, 7);
  assert.equal(k2.cpu.secure, true);
  assert.equal(k2.cpu.pc, handlerOf(7));
  assert.equal(u(k2.cpu.other.msp), NS_STACK_TOP - 0x20, 'frame pushed on the Non-secure stack');
  assert.equal(u(k2.cpu.r[14]) & 0x7f, 0x39, 'EXC_RETURN S=0 DCRS FType Mode ES=1');
});

test('stack limit: exception stacking below MSPLIM raises STKOF, sets SP to the limit and writes nothing', () => {
  const k = makeV8Kit();
  const { cpu } = k;
  secureIrq(k, 2);
  const limit = STACK_TOP - 0x10;
  cpu.msplim = limit;
  for (let a = STACK_TOP - 0x40; a < STACK_TOP; a += 4) k.bus.write32(a, 0xdeadbeef);
  k.sys.irqLine(2).pulse();
  cpu.run(0);
  assert.equal(cpu.ipsr, EXC_HARDFAULT, 'UsageFault disabled: escalated, and it outranks the IRQ');
  assert.equal(sRead(k, CFSR) & (1 << 20), 1 << 20, 'UFSR.STKOF');
  assert.equal(u(cpu.getMsp()), limit);
  assert.deepEqual(words(k, STACK_TOP - 0x40, 16), new Array(16).fill(0xdeadbeef));
});

test('the M4 emits decoded fault events too', () => {
  const k = makeKit();
  const events = listen(k);
  k.sys.fault(k.cpu, CFSR_UNDEFINSTR, 0);
  const f = events.find((e) => e.kind === 'fault');
  assert.ok(f !== undefined && f.kind === 'fault');
  assert.equal(f.exception, EXC_HARDFAULT, 'UsageFault disabled: escalated');
  assert.equal(f.name, 'HardFault');
  assert.equal(f.cause, 'UNDEFINSTR, FORCED');
  assert.equal(f.cfsr, CFSR_UNDEFINSTR);
  assert.equal(f.sfsr, 0);
});

test("the core's SAU (security.ts) plugs into the SCS decode and follows the system's IDAU", async () => {
  const { Sau } = await import('./security');
  const k = makeV8Kit();
  const sau = new Sau(8);
  k.sys.setSau(sau);
  sWrite(k, SAU_RNR, 1);
  sWrite(k, SAU_RBAR, 0x00200000);
  sWrite(k, SAU_RBAR + 4, 0x003fffe1); // SAU_RLAR: limit, ENABLE
  sWrite(k, SAU_CTRL, 1);
  assert.equal(sau.readCtrl(), 1);
  sau.writeRnr(1);
  assert.equal(sau.readRbar(), 0x00200000);
  assert.equal(sau.readRlar(), 0x003fffe1);
  assert.equal(nsRead(k, SAU_RBAR), 0);
  const idau = { lookup: (a: number) => ({ secure: (a & 0x10000000) !== 0, nsc: false, exempt: false, region: 0, regionValid: false }) };
  k.sys.setIdau(idau);
  assert.equal(sau.idau, idau);
  k.cpu.reset();
  assert.equal(sau.readCtrl(), 0, 'reset clears the SAU');
});
