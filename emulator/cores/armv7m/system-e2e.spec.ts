// End-to-end exception tests: snippets assembled with arm-none-eabi-as run on the full
// ARMv7-M table with ArmV7MSystem, taking interrupts, faults and SVCs and returning
// from their handlers through BX LR and POP {pc}.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressSpace, ATTR_PRIV, Memory } from '../../bus';
import { Clock } from '../../clock';
import { CFSR_DIVBYZERO, CFSR_PRECISERR, CFSR_UNDEFINSTR, CortexM, EXC_HARDFAULT, EXC_SVCALL, EXC_USAGEFAULT } from './cpu';
import { armv7mTable } from './isa';
import { ArmV7MSystem } from './system';
import { assemble } from './test-asm';

const CODE = 0x400, HANDLER = 0x2000, STACK = 0x20008000;

/** A core whose vector table sends every exception to one assembled handler. */
function machine(main: string, handler: string): { cpu: CortexM; sys: ArmV7MSystem; bus: AddressSpace } {
  const bus = new AddressSpace('e2e');
  bus.mapMemory(0, new Memory('flash', 0x4000));
  bus.mapMemory(0x20000000, new Memory('sram', 0x10000));
  const cpu = new CortexM('cpu0', bus, new Clock(), armv7mTable);
  const sys = new ArmV7MSystem(cpu, { numIrqs: 32, priorityBits: 3, cpuid: 0x410fc241, hasFpu: true, warn: () => {} });
  cpu.system = sys;
  sys.mapInto(bus);
  bus.write32(0, STACK);
  bus.write32(4, CODE | 1);
  for (let n = 2; n < 48; n++) bus.write32(4 * n, HANDLER | 1);
  bus.loadBytes(CODE, assemble(main));
  bus.loadBytes(HANDLER, assemble(handler));
  cpu.reset();
  return { cpu, sys, bus };
}

test('an IRQ pended by a store to ISPR is taken after the store and returns with POP {pc}', () => {
  const { cpu, sys } = machine(`
    ldr r0, =0xe000e100
    movs r1, #1
    str r1, [r0]          @ ISER0: enable IRQ 0
    movs r4, #0
    str r1, [r0, #0x100]  @ ISPR0: pend IRQ 0
    movs r5, #42
    b .
    .ltorg`, `
    push {r4, lr}
    mrs r6, ipsr
    adds r7, r7, #1
    pop {r4, pc}`);
  cpu.run(30);
  assert.equal(cpu.r[6], 16, 'handler saw IPSR = 16');
  assert.equal(cpu.r[7], 1, 'handler ran once');
  assert.equal(cpu.r[5], 42, 'thread continued after the return');
  assert.equal(cpu.ipsr, 0);
  assert.equal(cpu.r[13] >>> 0, STACK);
  assert.equal(sys.nvic.active[16], 0);
});

test('UsageFault on UDF: the handler skips the instruction by editing the stacked PC', () => {
  const { cpu, bus } = machine(`
    ldr r0, =0xe000ed24
    mov r1, #0x70000
    str r1, [r0]          @ SHCSR: enable the configurable faults
    udf #7
    movs r5, #42
    b .
    .ltorg`, `
    mrs r6, ipsr
    ldr r0, [sp, #24]
    adds r0, r0, #2
    str r0, [sp, #24]
    bx lr`);
  cpu.run(40);
  assert.equal(cpu.r[6], EXC_USAGEFAULT);
  assert.equal(cpu.r[5], 42);
  assert.equal(bus.read32(0xe000ed28, ATTR_PRIV), CFSR_UNDEFINSTR);
  assert.equal(cpu.ipsr, 0);
});

test('SVC: the handler reads the immediate through the stacked PC and returns a value in r0', () => {
  const { cpu } = machine(`
    movs r0, #0
    svc #0x5a
    mov r5, r0
    b .`, `
    mrs r6, ipsr
    ldr r1, [sp, #24]
    ldrb r1, [r1, #-2]
    str r1, [sp]
    bx lr`);
  cpu.run(20);
  assert.equal(cpu.r[6], EXC_SVCALL);
  assert.equal(cpu.r[5], 0x5a);
});

test('unprivileged Thread on the PSP: an SCS store is a BusFault escalated to HardFault; divide by zero traps', () => {
  const { cpu, bus } = machine(`
    ldr r0, =0x20004000
    msr psp, r0
    movs r0, #3
    msr control, r0       @ unprivileged, process stack
    isb
    ldr r1, =0xe000ed08
    str r0, [r1]
    b .
    .ltorg`, `
    mrs r6, ipsr
    mov r7, lr
    b .`);
  cpu.run(20);
  assert.equal(cpu.r[6], EXC_HARDFAULT);
  assert.equal(cpu.r[7] >>> 0, 0xfffffffd);
  assert.equal(bus.read32(0xe000ed28, ATTR_PRIV) & CFSR_PRECISERR, CFSR_PRECISERR);
  assert.equal(bus.read32(0x20004000 - 0x20 + 24), CODE + 18, 'stacked PC is the faulting STR (2+4+2+4+4+2 bytes in)');

  const m2 = machine(`
    ldr r0, =0xe000ed14
    ldr r1, [r0]
    orr r1, r1, #0x10
    str r1, [r0]          @ CCR.DIV_0_TRP
    ldr r0, =0xe000ed24
    mov r1, #0x40000
    str r1, [r0]          @ UsageFault on
    movs r2, #0
    udiv r3, r2, r2
    b .
    .ltorg`, `
    mrs r6, ipsr
    b .`);
  m2.cpu.run(30);
  assert.equal(m2.cpu.r[6], EXC_USAGEFAULT);
  assert.equal(m2.bus.read32(0xe000ed28, ATTR_PRIV), CFSR_DIVBYZERO);
});
