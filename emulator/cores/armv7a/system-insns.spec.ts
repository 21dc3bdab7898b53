// A-profile system instructions in A32 and T32 that the Unicorn comparison leaves out:
// SRS/RFE, LDM/STM with ^ (user bank and exception return), MRS/MSR banked and SPSR,
// CPS in both states, SUBS PC, LR in Thumb, BLX between states, HLT/SVC semihosting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleA9, makeCore, runToSelfLoop } from './test-kit';
import { MODE_IRQ, MODE_SVC, MODE_USR, MODE_SYS } from './modes';

test('SRSDB/RFEIA round trip through the SVC stack, in ARM state', () => {
  const { cpu, bus } = makeCore(assembleA9(`
    mov sp, #0x2000
    ldr lr, =target
    mov r0, #0x1f            @ SPSR = System mode, ARM
    msr spsr_fsxc, r0
    srsdb sp!, #0x13
    rfeia sp!
  target:
    mov r5, #5
    b .
  `));
  runToSelfLoop(cpu);
  assert.equal(cpu.mode, MODE_SYS);
  assert.equal(cpu.r[5], 5);
  assert.equal(cpu.getBanked(MODE_SVC, 13), 0x2000, 'writeback restored sp');
  assert.equal(bus.read32(0x2000 - 4), 0x1f);
});

test('LDM/STM ^ move user-bank registers; LDM ^ with PC returns from an exception', () => {
  const { cpu, bus } = makeCore(assembleA9(`
    mov r0, #0x3000
    mov r1, #0x11
    str r1, [r0]
    mov r1, #0x22
    str r1, [r0, #4]
    ldmia r0, {r13, r14}^     @ user sp/lr
    mov r2, #0x4000
    stmia r2, {r13, r14}^     @ stores the user copies, not svc's
    ldr r3, =user_code
    str r3, [r0, #8]
    mov r3, #0x10
    msr spsr_fsxc, r3
    add r4, r0, #8
    ldmia r4, {pc}^           @ exception return to user mode
  user_code:
    mov r6, sp
    b .
  `));
  cpu.r[13] = 0x7777;
  runToSelfLoop(cpu);
  assert.equal(cpu.mode, MODE_USR);
  assert.equal(cpu.r[6], 0x11, 'user sp came from the LDM ^');
  assert.equal(bus.read32(0x4000), 0x11);
  assert.equal(bus.read32(0x4004), 0x22);
  assert.equal(cpu.getBanked(MODE_SVC, 13), 0x7777, 'svc sp untouched');
});

test('MRS/MSR banked and SPSR forms reach another mode\'s registers', () => {
  // Virtualization Extensions encodings (not on a real Cortex-A9; modelled for the sake).
  const { cpu } = makeCore(assembleA9(`
    .arch armv7ve
    mov r0, #0x1234
    msr sp_irq, r0
    msr lr_usr, r0
    mov r1, #0xd3
    msr spsr_irq, r1
    mrs r2, sp_irq
    mrs r3, spsr_irq
    mrs r4, r8_fiq
    b .
  `));
  cpu.fiqHi[0] = 0x88;
  runToSelfLoop(cpu);
  assert.equal(cpu.getBanked(MODE_IRQ, 13), 0x1234);
  assert.equal(cpu.getBanked(MODE_USR, 14), 0x1234);
  assert.equal(cpu.r[2], 0x1234);
  assert.equal(cpu.r[3], 0xd3);
  assert.equal(cpu.r[4], 0x88);
});

test('Thumb: BLX to Thumb, CPS, MRS/MSR, SVC, SUBS PC, LR returns, BX back to ARM', () => {
  const { cpu } = makeCore(assembleA9(`
    b start
    .word 0
    b svc_arm
    .word 0, 0, 0, 0, 0
  start:
    mov sp, #0x2000
    blx thumb_code
    mov r9, #9
    b .
  svc_arm:
    add r7, r7, #1
    movs pc, lr
    .thumb
    .thumb_func
  thumb_code:
    cpsie if
    mrs r0, cpsr
    cpsid i
    mrs r1, cpsr
    cps #0x1f
    mrs r2, cpsr
    cps #0x13
    svc #1
    mov r3, #0x13
    msr spsr_fsxc, r3
    adr r4, back
    add r4, r4, #0
    mov lr, r4
    subs pc, lr, #0
    .balign 4
  back:
    .arm
    mov r8, #8
    b .
  `));
  runToSelfLoop(cpu);
  assert.equal(cpu.r[0] & 0xe0, 0, 'I and F clear after cpsie if; MRS reads the execution state bits as 0');
  assert.equal(cpu.r[1] & 0xc0, 0x80);
  assert.equal(cpu.r[2] & 0x1f, MODE_SYS);
  assert.equal(cpu.r[7], 1, 'SVC from Thumb reached the ARM handler and returned');
  assert.equal(cpu.r[8], 8, 'SUBS PC, LR with an ARM SPSR switched back to ARM state');
  assert.equal(cpu.thumb, false);
});

test('semihosting: SVC 0x123456 in ARM, SVC 0xAB in Thumb, HLT 0xF000 call the hook', () => {
  const { cpu } = makeCore(assembleA9(`
    mov r0, #1
    svc #0x123456
    .word 0xe10f0070     @ hlt #0xf000
    blx t
    b .
    .thumb
    .thumb_func
  t:
    svc #0xab
    .short 0xbabc        @ hlt #0x3c
    bx lr
  `));
  const seen: string[] = [];
  cpu.semihost = (c) => { seen.push(`${c.thumb ? 'T' : 'A'}${c.r[0]}`); c.r[0]++; };
  runToSelfLoop(cpu);
  assert.deepEqual(seen, ['A1', 'A2', 'T3', 'T4']);
  assert.equal(cpu.mode, MODE_SVC, 'no exception was taken');
});

test('SWP/SWPB are UNDEFINED until SCTLR.SW enables them (Multiprocessing Extensions)', () => {
  const { cpu, bus } = makeCore(assembleA9(`
    b start
    b und
  start:
    mov r1, #0x3000
    mov r2, #0x55
    swp r0, r2, [r1]
    mrc p15, 0, r3, c1, c0, 0
    orr r3, r3, #0x400
    mcr p15, 0, r3, c1, c0, 0
    swp r0, r2, [r1]
    b .
  und:
    add r9, r9, #1
    movs pc, lr
  `));
  bus.write32(0x3000, 0x1234);
  runToSelfLoop(cpu);
  assert.equal(cpu.r[9], 1, 'the first SWP was UNDEFINED');
  assert.equal(cpu.r[0], 0x1234, 'the second swapped');
  assert.equal(bus.read32(0x3000), 0x55);
});

test('an abort inside a Thumb IT block saves the faulting slot\'s IT state in SPSR', () => {
  const { cpu } = makeCore(assembleA9(`
    b start
    .word 0, 0, 0
    b dabt
  start:
    ldr r3, =0x40000000
    adr r0, t + 1
    bx r0
  dabt:
    mrs r4, spsr
    b .
    .thumb
  t:
    movs r0, #0
    itt eq
    moveq r1, #1
    ldreq r2, [r3]
    b .
  `));
  runToSelfLoop(cpu);
  const spsr = cpu.r[4] >>> 0;
  const it = (((spsr >>> 10) & 0x3f) << 2) | ((spsr >>> 25) & 3);
  assert.equal(it, 0x08, `IT state of the LDR's slot (SPSR 0x${spsr.toString(16)})`);
  assert.equal(spsr & 0x20, 0x20, 'T saved');
  assert.equal(cpu.r[1], 1);
});
