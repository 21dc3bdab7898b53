// Exception model tests (ARM ARM B1.5): entry frames, EXC_RETURN, alignment, tail-chaining,
// priorities and grouping, escalation and lockup, FP frames, return integrity checks,
// and the SCB registers, driven through the system directly and a tiny run-loop table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BusError } from '../../bus';
import {
  CFSR_INVPC, CFSR_INVSTATE, CFSR_PRECISERR, CFSR_STKERR, CFSR_UNDEFINSTR, CFSR_UNSTKERR, CFSR_BFARVALID,
  EXC_BUSFAULT, EXC_HARDFAULT, EXC_NMI, EXC_PENDSV, EXC_SVCALL, EXC_USAGEFAULT,
} from './cpu';
import { CODE, handlerOf, Kit, makeKit, scsRead, scsWrite, STACK_TOP } from './system-test-kit';
import { HFSR_DEBUGEVT, HFSR_FORCED, HFSR_VECTTBL, LOCKUP_PC } from './system';

const ISER0 = 0xe000e100, IPR0 = 0xe000e400, ICSR = 0xe000ed04, VTOR = 0xe000ed08, AIRCR = 0xe000ed0c, SCR = 0xe000ed10,
  CCR = 0xe000ed14, SHPR2 = 0xe000ed1c, SHPR3 = 0xe000ed20, SHCSR = 0xe000ed24, CFSR = 0xe000ed28, HFSR = 0xe000ed2c,
  BFAR = 0xe000ed38, CPACR = 0xe000ed88, FPCCR = 0xe000ef34, FPCAR = 0xe000ef38, FPDSCR = 0xe000ef3c, STIR = 0xe000ef00;

const u = (x: number): number => x >>> 0;
const irq = (i: number): number => 16 + i;

function enableIrq(k: Kit, i: number, prio = 0): void {
  scsWrite(k, ISER0 + 4 * (i >> 5), 1 << (i & 31));
  k.bus.write8(IPR0 + i, prio, 1);
}
function frameAt(k: Kit, sp: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < 8; i++) out.push(k.bus.read32(sp + 4 * i));
  return out;
}

test('reset loads SP and PC from the vector table and sets the Cortex-M4 reset values', () => {
  const k = makeKit();
  assert.equal(u(k.cpu.r[13]), STACK_TOP);
  assert.equal(k.cpu.pc, CODE);
  assert.equal(k.cpu.tbit, 1);
  assert.equal(u(k.cpu.r[14]), 0xffffffff);
  assert.equal(scsRead(k, 0xe000ed00), 0x410fc241);
  assert.equal(scsRead(k, CCR), 0x200);
  assert.equal(u(scsRead(k, FPCCR)), 0xc0000000);
  assert.equal(u(scsRead(k, AIRCR)), 0xfa050000);
  assert.equal(scsRead(k, 0xe000e004), 1); // ICTR: 64 interrupts = 2 banks of 32
});

test('reset vector with bit 0 clear faults INVSTATE on the first instruction, escalated to HardFault', () => {
  const k = makeKit();
  k.bus.write32(4, CODE);
  k.cpu.reset();
  assert.equal(k.cpu.tbit, 0);
  k.cpu.run(1);
  assert.equal(k.cpu.ipsr, EXC_HARDFAULT);
  assert.equal(scsRead(k, CFSR), CFSR_INVSTATE);
  assert.equal(u(scsRead(k, HFSR)), u(HFSR_FORCED));
  assert.equal(frameAt(k, k.cpu.r[13])[6], CODE, 'stacked PC is the instruction that could not execute');
});

test('IRQ entry pushes the basic frame, sets LR, IPSR and the handler PC, and returns', () => {
  const k = makeKit();
  const { cpu } = k;
  enableIrq(k, 3, 0x40);
  for (let i = 0; i < 13; i++) cpu.r[i] = 0x1000 + i;
  cpu.r[14] = 0x777;
  cpu.n = 1; cpu.c = 1;
  cpu.run(2); // two NOPs
  k.sys.irqLine(3).pulse();
  cpu.run(0);
  assert.equal(cpu.ipsr, irq(3));
  assert.equal(cpu.pc, handlerOf(irq(3)));
  assert.equal(u(cpu.r[14]), 0xfffffff9);
  const sp = cpu.r[13] >>> 0;
  assert.equal(sp, STACK_TOP - 0x20);
  assert.deepEqual(frameAt(k, sp), [0x1000, 0x1001, 0x1002, 0x1003, 0x100c, 0x777, CODE + 4, u((1 << 31) | (1 << 29) | (1 << 24))]);
  assert.equal(cpu.exclusiveAddr, -1);
  assert.equal(cpu.eventRegister, 1);
  assert.equal(scsRead(k, ICSR) & 0x1ff, irq(3));
  assert.equal(scsRead(k, ICSR) & (1 << 11), 1 << 11, 'RETTOBASE with one active exception');
  // Run the handler to its BX LR: the context comes back.
  for (let i = 0; i < 13; i++) cpu.r[i] = 0;
  cpu.run(7);
  assert.equal(cpu.ipsr, 0);
  assert.equal(cpu.pc, CODE + 4);
  assert.equal(u(cpu.r[13]), STACK_TOP);
  assert.equal(cpu.r[0], 0x1000);
  assert.equal(cpu.r[12], 0x100c);
  assert.equal(cpu.r[14], 0x777);
  assert.equal(cpu.n, 1);
  assert.equal(cpu.c, 1);
  assert.equal(k.sys.nvic.active[irq(3)], 0);
});

test('8-byte stack alignment: a misaligned SP is padded and xPSR bit 9 records it', () => {
  const k = makeKit();
  const { cpu } = k;
  cpu.r[13] = STACK_TOP - 4;
  enableIrq(k, 0);
  k.sys.irqLine(0).pulse();
  cpu.run(0);
  const sp = cpu.r[13] >>> 0;
  assert.equal(sp, STACK_TOP - 4 - 0x20 - 4);
  assert.equal(sp & 7, 0);
  assert.equal((frameAt(k, sp)[7] >>> 9) & 1, 1);
  cpu.bxWritePC(cpu.r[14]);
  assert.equal(u(cpu.r[13]), STACK_TOP - 4);
  // With STKALIGN clear, only 4-byte alignment is forced and bit 9 stays clear.
  scsWrite(k, CCR, 0);
  k.sys.irqLine(0).pulse();
  cpu.run(0);
  assert.equal(u(cpu.r[13]), STACK_TOP - 4 - 0x20);
  assert.equal((frameAt(k, cpu.r[13])[7] >>> 9) & 1, 0);
});

test('Thread mode on the process stack: frame on PSP, EXC_RETURN 0xFFFFFFFD, handler on MSP', () => {
  const k = makeKit();
  const { cpu } = k;
  cpu.setPsp(0x20004000);
  cpu.writeSpecial(20, 2, 0); // CONTROL.SPSEL = 1
  assert.equal(u(cpu.r[13]), 0x20004000);
  enableIrq(k, 5);
  k.sys.irqLine(5).pulse();
  cpu.run(0);
  assert.equal(u(cpu.r[14]), 0xfffffffd);
  assert.equal(u(cpu.r[13]), STACK_TOP, 'handler runs on the main stack');
  assert.equal(u(cpu.getPsp()), 0x20004000 - 0x20);
  assert.equal(frameAt(k, 0x20004000 - 0x20)[6], CODE);
  cpu.bxWritePC(cpu.r[14]);
  assert.equal(cpu.control & 2, 2);
  assert.equal(u(cpu.r[13]), 0x20004000);
});

test('tail-chaining: a pending IRQ is entered on return without unstacking', () => {
  const k = makeKit();
  const { cpu } = k;
  enableIrq(k, 1, 0x20);
  enableIrq(k, 2, 0x20);
  k.sys.irqLine(1).pulse();
  k.sys.irqLine(2).pulse();
  cpu.run(0);
  assert.equal(cpu.ipsr, irq(1), 'same priority: lower exception number first');
  const sp = cpu.r[13];
  cpu.r[0] = 0x55;
  cpu.bxWritePC(cpu.r[14]);
  assert.equal(cpu.ipsr, irq(2));
  assert.equal(cpu.pc, handlerOf(irq(2)));
  assert.equal(cpu.r[13], sp, 'no unstack/restack');
  assert.equal(u(cpu.r[14]), 0xfffffff9);
  assert.equal(cpu.r[0], 0x55, 'registers were not reloaded from the frame');
  cpu.bxWritePC(cpu.r[14]);
  assert.equal(cpu.ipsr, 0);
  assert.equal(cpu.r[0], 0);
  assert.equal(u(cpu.r[13]), STACK_TOP);
});

test('preemption follows the group priority set by AIRCR.PRIGROUP', () => {
  for (const [prigroup, preempts] of [[4, true], [6, true], [7, false]] as const) {
    const k = makeKit();
    const { cpu } = k;
    scsWrite(k, AIRCR, 0x05fa0000 | (prigroup << 8));
    assert.equal((scsRead(k, AIRCR) >>> 8) & 7, prigroup);
    enableIrq(k, 1, 0x80);
    enableIrq(k, 2, 0x40);
    k.sys.irqLine(1).pulse();
    cpu.run(0);
    assert.equal(cpu.ipsr, irq(1));
    k.sys.irqLine(2).pulse();
    cpu.run(0);
    if (preempts) {
      assert.equal(cpu.ipsr, irq(2), `PRIGROUP ${prigroup}: 0x40 preempts 0x80`);
      assert.equal(u(cpu.r[14]), 0xfffffff1, 'return to Handler mode');
    } else {
      assert.equal(cpu.ipsr, irq(1), 'PRIGROUP 7: no group bits, no preemption');
      assert.equal(k.sys.nvic.pending[irq(2)], 1);
    }
  }
});

test('pending order: lowest priority value, then sub-priority, then exception number', () => {
  const k = makeKit();
  scsWrite(k, AIRCR, 0x05fa0000 | (6 << 8)); // group = bit 7, sub = bits 6:5
  enableIrq(k, 7, 0x60);
  enableIrq(k, 4, 0x20);
  enableIrq(k, 9, 0x20);
  for (const i of [7, 9, 4]) k.sys.irqLine(i).pulse();
  assert.equal((scsRead(k, ICSR) >>> 12) & 0x1ff, irq(4));
  assert.equal(scsRead(k, ICSR) & (1 << 22), 1 << 22, 'ISRPENDING');
  k.cpu.run(0);
  assert.equal(k.cpu.ipsr, irq(4));
  k.cpu.bxWritePC(k.cpu.r[14]);
  assert.equal(k.cpu.ipsr, irq(9));
  k.cpu.bxWritePC(k.cpu.r[14]);
  assert.equal(k.cpu.ipsr, irq(7));
});

test('PRIMASK, BASEPRI and FAULTMASK set the execution priority (B1.5.4)', () => {
  const k = makeKit();
  const { cpu, sys } = k;
  assert.equal(sys.executionPriority(cpu), 256);
  cpu.basepri = 0x7f; // unimplemented low bits ignored: 0x60
  assert.equal(sys.executionPriority(cpu), 0x60);
  enableIrq(k, 0, 0x60);
  sys.irqLine(0).pulse();
  cpu.run(1);
  assert.equal(cpu.ipsr, 0, 'equal priority to BASEPRI is masked');
  cpu.basepri = 0;
  cpu.primask = 1;
  assert.equal(sys.executionPriority(cpu), 0);
  cpu.run(1);
  assert.equal(cpu.ipsr, 0);
  scsWrite(k, ICSR, 1 << 31); // NMI ignores PRIMASK
  cpu.run(0);
  assert.equal(cpu.ipsr, EXC_NMI);
  assert.equal(sys.executionPriority(cpu), -2);
  cpu.bxWritePC(cpu.r[14]);
  cpu.primask = 0;
  cpu.faultmask = 1;
  assert.equal(sys.executionPriority(cpu), -1);
  cpu.run(0);
  assert.equal(cpu.ipsr, 0);
  cpu.faultmask = 0;
  cpu.run(0);
  assert.equal(cpu.ipsr, irq(0));
});

test('synchronous faults: taken when enabled, escalated to HardFault when disabled or masked', () => {
  const k = makeKit();
  const { cpu, sys } = k;
  sys.fault(cpu, CFSR_UNDEFINSTR, 0);
  cpu.run(0);
  assert.equal(cpu.ipsr, EXC_HARDFAULT, 'UsageFault disabled at reset');
  assert.equal(u(scsRead(k, HFSR)), u(HFSR_FORCED));
  assert.equal(scsRead(k, CFSR), CFSR_UNDEFINSTR);
  scsWrite(k, CFSR, CFSR_UNDEFINSTR); // W1C
  assert.equal(scsRead(k, CFSR), 0);

  const k2 = makeKit();
  scsWrite(k2, SHCSR, 7 << 16);
  k2.bus.write8(0xe000ed1a, 0xe0, 1); // UsageFault priority 0xE0 via SHPR1 byte 2
  k2.sys.fault(k2.cpu, CFSR_UNDEFINSTR, 0);
  k2.cpu.run(0);
  assert.equal(k2.cpu.ipsr, EXC_USAGEFAULT);
  assert.equal(scsRead(k2, SHCSR) & (1 << 3), 1 << 3, 'USGFAULTACT');
  assert.equal(scsRead(k2, HFSR), 0);
  // A second UsageFault inside the UsageFault handler cannot preempt it: HardFault.
  k2.sys.fault(k2.cpu, CFSR_UNDEFINSTR, 0);
  k2.cpu.run(0);
  assert.equal(k2.cpu.ipsr, EXC_HARDFAULT);
  assert.equal(u(k2.cpu.r[14]), 0xfffffff1);
});

test('bus fault address is recorded in BFAR; SVC escalates when SVCall is masked', () => {
  const k = makeKit();
  const { cpu, sys } = k;
  scsWrite(k, SHCSR, 1 << 17);
  sys.fault(cpu, CFSR_PRECISERR | CFSR_BFARVALID, 0x30000000);
  cpu.run(0);
  assert.equal(cpu.ipsr, EXC_BUSFAULT);
  assert.equal(u(scsRead(k, BFAR)), 0x30000000);
  assert.equal(scsRead(k, CFSR), CFSR_PRECISERR | CFSR_BFARVALID);

  const k2 = makeKit();
  k2.bus.write16(CODE, 0xdf05); // SVC #5
  k2.cpu.run(1);
  assert.equal(k2.cpu.ipsr, EXC_SVCALL);
  assert.equal(frameAt(k2, k2.cpu.r[13])[6], CODE + 2, 'return address is after the SVC');
  const k3 = makeKit();
  k3.bus.write16(CODE, 0xdf05);
  k3.cpu.primask = 1;
  k3.cpu.run(1);
  assert.equal(k3.cpu.ipsr, EXC_HARDFAULT);
  assert.equal(u(scsRead(k3, HFSR)), u(HFSR_FORCED));
});

test('a fault in HardFault locks up at 0xEFFFFFFE', () => {
  const k = makeKit();
  const { cpu, sys } = k;
  sys.fault(cpu, CFSR_UNDEFINSTR, 0);
  cpu.run(0);
  assert.equal(cpu.ipsr, EXC_HARDFAULT);
  sys.fault(cpu, CFSR_UNDEFINSTR, 0);
  assert.equal(cpu.locked, true);
  assert.equal(u(cpu.pc), LOCKUP_PC);
  assert.equal(cpu.run(10), 'lockup');
  assert.equal(cpu.run(10), 'lockup');
});

test('BKPT without a debugger is a HardFault with DEBUGEVT', () => {
  const k = makeKit();
  k.cpu.curPc = CODE;
  k.cpu.bkpt(1);
  k.cpu.run(0);
  assert.equal(k.cpu.ipsr, EXC_HARDFAULT);
  assert.equal(u(scsRead(k, HFSR)), u(HFSR_DEBUGEVT));
  assert.equal(scsRead(k, 0xe000ed30) & 2, 2, 'DFSR.BKPT');
  k.cpu.bkpt(1);
  assert.equal(k.cpu.locked, true);
});

test('vector fetch bus error: HardFault with VECTTBL, the IRQ stays pending', () => {
  const k = makeKit({}, 64);
  // Move the table to the last 128 bytes of flash: IRQ 40's vector falls off the end.
  const vt = 0x4000 - 0x80;
  k.bus.write32(vt + 4 * EXC_HARDFAULT, handlerOf(EXC_HARDFAULT) | 1);
  scsWrite(k, VTOR, vt);
  enableIrq(k, 40);
  k.sys.irqLine(40).pulse();
  k.cpu.run(0);
  assert.equal(k.cpu.ipsr, EXC_HARDFAULT);
  assert.equal(u(scsRead(k, HFSR)), HFSR_VECTTBL);
  assert.equal(k.sys.nvic.pending[irq(40)], 1);
});

test('stacking bus error: STKERR, taken as HardFault by escalation when BusFault is disabled', () => {
  const k = makeKit();
  k.cpu.r[13] = 0x30000100; // nothing mapped here
  enableIrq(k, 0, 0x20);
  k.sys.irqLine(0).pulse();
  k.cpu.run(0);
  assert.equal(k.cpu.ipsr, EXC_HARDFAULT);
  assert.equal(scsRead(k, CFSR), CFSR_STKERR);
  assert.equal(k.sys.nvic.pending[irq(0)], 1, 'the IRQ is still pending behind the derived fault');
  assert.equal(u(k.cpu.r[13]), 0x30000100 - 0x20);
});

test('unstacking bus error: UNSTKERR, tail-chained with the frame left on the stack', () => {
  const k = makeKit();
  const { cpu } = k;
  scsWrite(k, SHCSR, 1 << 17);
  enableIrq(k, 0, 0x20);
  k.sys.irqLine(0).pulse();
  cpu.run(0);
  cpu.r[13] = 0x30000000; // the handler corrupts SP_main
  cpu.bxWritePC(cpu.r[14]);
  assert.equal(cpu.ipsr, EXC_BUSFAULT);
  assert.equal(scsRead(k, CFSR), CFSR_UNSTKERR);
  assert.equal(u(cpu.r[14]), 0xfffffff9);
  assert.equal(k.sys.nvic.active[irq(0)], 0);
});

test('exception return integrity: bad EXC_RETURN and NONBASETHRDENA raise INVPC', () => {
  const k = makeKit();
  const { cpu } = k;
  scsWrite(k, SHCSR, 1 << 18);
  enableIrq(k, 0, 0x80);
  enableIrq(k, 1, 0x20);
  k.sys.irqLine(0).pulse();
  cpu.run(0);
  k.sys.irqLine(1).pulse();
  cpu.run(0);
  assert.equal(cpu.ipsr, irq(1));
  // Returning to Thread while IRQ 0 is still active needs CCR.NONBASETHRDENA.
  cpu.bxWritePC(0xfffffff9);
  assert.equal(cpu.ipsr, EXC_USAGEFAULT);
  assert.equal(scsRead(k, CFSR), CFSR_INVPC);
  assert.equal(u(cpu.r[14]), 0xfffffff9);

  const k2 = makeKit();
  enableIrq(k2, 0, 0x80);
  k2.sys.irqLine(0).pulse();
  k2.cpu.run(0);
  k2.cpu.bxWritePC(0xfffffff5); // reserved return type
  assert.equal(k2.cpu.ipsr, EXC_HARDFAULT, 'UsageFault disabled: escalated');
  assert.equal(scsRead(k2, CFSR), CFSR_INVPC);
});

test('FAULTMASK is cleared on return from a non-NMI exception', () => {
  const k = makeKit();
  scsWrite(k, ICSR, 1 << 28); // PENDSVSET
  k.cpu.run(0);
  assert.equal(k.cpu.ipsr, EXC_PENDSV);
  k.cpu.faultmask = 1;
  k.cpu.bxWritePC(k.cpu.r[14]);
  assert.equal(k.cpu.faultmask, 0);
});

test('extended FP frame without lazy stacking: 26 words, EXC_RETURN 0xFFFFFFE9, restored on return', () => {
  const k = makeKit();
  const { cpu } = k;
  scsWrite(k, CPACR, 0xf << 20);
  scsWrite(k, FPCCR, 1 << 31); // ASPEN, LSPEN = 0
  scsWrite(k, FPDSCR, 1 << 25); // default NaN in handlers
  cpu.control |= 4;
  for (let i = 0; i < 16; i++) cpu.sBits[i] = 0xabc00 + i;
  cpu.fpscr = 0x10;
  cpu.r[13] = STACK_TOP - 4;
  enableIrq(k, 0);
  k.sys.irqLine(0).pulse();
  cpu.run(0);
  const sp = cpu.r[13] >>> 0;
  assert.equal(sp, STACK_TOP - 4 - 0x68 - 4, 'forced 8-byte alignment for the FP frame');
  assert.equal(u(cpu.r[14]), 0xffffffe9);
  assert.equal(cpu.control & 4, 0, 'FPCA cleared on entry');
  for (let i = 0; i < 16; i++) assert.equal(k.bus.read32(sp + 0x20 + 4 * i), 0xabc00 + i);
  assert.equal(k.bus.read32(sp + 0x60), 0x10);
  assert.equal(cpu.fpscr, 0x10, 'FPSCR untouched until the handler uses FP');
  assert.ok(cpu.fpCheck(), 'first FP instruction in the handler (ExecuteFPCheck)');
  assert.equal(cpu.fpscr, 0x10 | (1 << 25), 'handler FPSCR starts from FPDSCR');
  assert.equal(cpu.control & 4, 4, 'FPCA set by the FP instruction');
  cpu.control &= ~4;
  cpu.sBits.fill(0);
  cpu.fpscr = 0;
  cpu.bxWritePC(cpu.r[14]);
  assert.equal(cpu.sBits[7], 0xabc07);
  assert.equal(cpu.fpscr, 0x10);
  assert.equal(cpu.control & 4, 4);
  assert.equal(u(cpu.r[13]), STACK_TOP - 4);
});

test('lazy FP stacking reserves the frame and preserveFpState fills it at FPCAR', () => {
  const k = makeKit();
  const { cpu, sys } = k;
  scsWrite(k, CPACR, 0xf << 20);
  cpu.control |= 4;
  for (let i = 0; i < 16; i++) cpu.sBits[i] = 0x3f800000 + i;
  cpu.fpscr = 0x12345000 & ~0x07c00000;
  enableIrq(k, 0);
  k.sys.irqLine(0).pulse();
  cpu.run(0);
  const sp = cpu.r[13] >>> 0;
  assert.equal(sp, STACK_TOP - 0x68);
  assert.equal(u(scsRead(k, FPCAR)), sp + 0x20);
  const fpccr = scsRead(k, FPCCR);
  assert.equal(fpccr & 1, 1, 'LSPACT');
  assert.equal(fpccr & (1 << 3), 1 << 3, 'THREAD');
  assert.equal(fpccr & (1 << 4), 1 << 4, 'HFRDY');
  assert.equal(k.bus.read32(sp + 0x20), 0, 'nothing stored yet');
  assert.equal(sys.lspact, true);
  // The handler's first FP instruction runs fpCheck, which preserves the old context.
  assert.equal(cpu.fpCheck(), true);
  assert.equal(sys.lspact, false);
  for (let i = 0; i < 16; i++) assert.equal(k.bus.read32(sp + 0x20 + 4 * i), 0x3f800000 + i);
  assert.equal(k.bus.read32(sp + 0x60), 0x12345000 & ~0x07c00000);
  cpu.sBits.fill(0);
  cpu.bxWritePC(0xffffffe9);
  assert.equal(cpu.sBits[3], 0x3f800003, 'restored from the frame the lazy save filled');
});

test('lazy FP: a handler that never touches FP returns with the registers untouched', () => {
  const k = makeKit();
  const { cpu, sys } = k;
  scsWrite(k, CPACR, 0xf << 20);
  cpu.control |= 4;
  cpu.sBits[0] = 0x40490fdb;
  enableIrq(k, 0);
  k.sys.irqLine(0).pulse();
  cpu.run(0);
  assert.equal(sys.lspact, true);
  cpu.bxWritePC(cpu.r[14]);
  assert.equal(sys.lspact, false);
  assert.equal(cpu.sBits[0], 0x40490fdb);
  assert.equal(cpu.control & 4, 4);
});

test('CPACR gates FP access by privilege', () => {
  const k = makeKit();
  const { cpu, sys } = k;
  assert.equal(sys.fpAccessAllowed(cpu), false);
  scsWrite(k, CPACR, 0x5 << 20);
  assert.equal(sys.fpAccessAllowed(cpu), true);
  cpu.control |= 1; // unprivileged Thread
  assert.equal(sys.fpAccessAllowed(cpu), false);
  cpu.control &= ~1;
  scsWrite(k, CPACR, 0xf << 20);
  cpu.control |= 1;
  assert.equal(sys.fpAccessAllowed(cpu), true);
});

test('SLEEPONEXIT: returning to Thread with nothing pending sleeps until the next interrupt', () => {
  const k = makeKit();
  const { cpu } = k;
  scsWrite(k, SCR, 2);
  enableIrq(k, 0);
  k.sys.irqLine(0).pulse();
  cpu.run(0);
  cpu.bxWritePC(cpu.r[14]);
  assert.equal(cpu.sleeping, true);
  assert.equal(cpu.run(100), 'deadlock');
  k.sys.irqLine(0).pulse();
  cpu.run(0);
  assert.equal(cpu.ipsr, irq(0));
  assert.equal(cpu.sleeping, false);
});

test('WFI wakes on a pending interrupt even with PRIMASK set; WFE needs an event', () => {
  const k = makeKit();
  const { cpu } = k;
  k.bus.write16(CODE, 0xbf30); // WFI
  enableIrq(k, 0);
  cpu.primask = 1;
  assert.equal(cpu.run(5), 'deadlock');
  assert.equal(cpu.sleeping, true);
  k.sys.irqLine(0).pulse();
  cpu.run(1);
  assert.equal(cpu.sleeping, false);
  assert.equal(cpu.ipsr, 0, 'masked: woken but not taken');
  assert.equal(cpu.pc, CODE + 4);

  const k2 = makeKit();
  k2.bus.write16(CODE, 0xbf20); // WFE
  enableIrq(k2, 0);
  k2.cpu.eventRegister = 0;
  k2.cpu.primask = 1;
  assert.equal(k2.cpu.run(5), 'deadlock');
  k2.sys.irqLine(0).pulse();
  assert.equal(k2.cpu.run(5), 'deadlock', 'masked pend without SEVONPEND does not wake WFE');
  scsWrite(k2, SCR, 1 << 4); // SEVONPEND
  k2.sys.irqLine(1).pulse();
  k2.cpu.run(1);
  assert.equal(k2.cpu.sleeping, false);
  assert.equal(k2.cpu.pc, CODE + 4);
});

test('level-sensitive lines re-pend while high; pulses pend once', () => {
  const k = makeKit();
  const { cpu, sys } = k;
  enableIrq(k, 2);
  const line = sys.irqLine(2);
  line.set(true);
  cpu.run(0);
  assert.equal(cpu.ipsr, irq(2));
  assert.equal(sys.nvic.pending[irq(2)], 0);
  cpu.bxWritePC(cpu.r[14]);
  assert.equal(cpu.ipsr, irq(2), 'still high: taken again (tail-chained)');
  line.set(false);
  cpu.bxWritePC(cpu.r[14]);
  assert.equal(cpu.ipsr, 0);
  assert.equal(sys.nvic.pending[irq(2)], 0);
  assert.throws(() => sys.irqLine(64), /out of range.*64 external interrupts/);
});

test('SCS: privileged-only, VECTKEY, SHPR and IPR masking, STIR with USERSETMPEND', () => {
  const k = makeKit();
  assert.throws(() => k.bus.read32(0xe000ed00, 0), BusError);
  assert.throws(() => k.bus.write32(STIR, 3, 0), BusError);
  scsWrite(k, CCR, 0x202);
  k.bus.write32(STIR, 3, 0);
  assert.equal(k.sys.nvic.pending[irq(3)], 1);
  scsWrite(k, AIRCR, 5 << 8); // no key: ignored
  assert.equal((scsRead(k, AIRCR) >>> 8) & 7, 0);
  scsWrite(k, SHPR3, 0xffffffff);
  assert.equal(u(scsRead(k, SHPR3)), 0xe0e000e0, 'PRI_13 reserved, 3 priority bits');
  scsWrite(k, SHPR2, 0x12345678);
  assert.equal(u(scsRead(k, SHPR2)), 0x00000000 | (0x12 & 0xe0) << 24);
  k.bus.write32(IPR0, 0xffffffff, 1);
  assert.equal(u(scsRead(k, IPR0)), 0xe0e0e0e0);
  assert.equal(k.bus.read8(IPR0 + 1, 1), 0xe0);
  assert.equal(scsRead(k, 0xe000ee00), 0);
  assert.equal(k.warnings.length, 1);
  assert.match(k.warnings[0], /0xe000ee00/);
  scsRead(k, 0xe000ee00);
  assert.equal(k.warnings.length, 1, 'warned once');
});

test('AIRCR.SYSRESETREQ calls the board reset hook at the next service', () => {
  let resets = 0;
  const k = makeKit({ onSystemReset: () => { resets++; } });
  scsWrite(k, AIRCR, 0x05fa0004);
  assert.equal(resets, 0);
  k.cpu.run(1);
  assert.equal(resets, 1);
  const k2 = makeKit();
  k2.cpu.run(3);
  scsWrite(k2, AIRCR, 0x05fa0004);
  k2.cpu.run(0);
  assert.equal(k2.cpu.pc, CODE, 'no hook: the core resets itself');
});

test('the NMI input pends NMI on a rising edge and preempts everything configurable', () => {
  const k = makeKit();
  const nmi = k.sys.nmiLine();
  assert.equal(k.sys.numIrqs, 64);
  k.cpu.faultmask = 1;
  nmi.set(true);
  k.cpu.run(0);
  assert.equal(k.cpu.ipsr, EXC_NMI);
  assert.equal(k.cpu.pc, handlerOf(EXC_NMI));
  k.cpu.bxWritePC(k.cpu.r[14]);
  assert.equal(k.cpu.faultmask, 1, 'returning from NMI keeps FAULTMASK');
  assert.equal(k.cpu.ipsr, 0, 'a held level does not re-pend NMI');
});
