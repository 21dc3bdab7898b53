// Cortex-A9 core: modes and banked registers, exception entry and return, interrupts,
// Security Extensions (SMC, monitor, SCR.NS), CP15 and the run loop, on assembled snippets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleA9, makeCore, runToSelfLoop } from './test-kit';
import { MODE_IRQ, MODE_MON, MODE_SVC, MODE_UND, MODE_USR, MODE_FIQ, MODE_ABT } from './modes';
import { TraceBus, type TraceEvent } from '../../trace';

const hex = (x: number) => '0x' + (x >>> 0).toString(16);

test('A32 loop, literal pool, MOVW/MOVT and a store', () => {
  const { cpu, bus } = makeCore(assembleA9(`
    mov r0, #10
    mov r1, #0
  1: add r1, r1, r0
    subs r0, r0, #1
    bne 1b
    ldr r2, =0x8000
    movw r3, #0xbeef
    movt r3, #0xdead
    str r3, [r2, #4]!
    b .
  `));
  runToSelfLoop(cpu);
  assert.equal(cpu.r[1], 55);
  assert.equal(cpu.r[2], 0x8004);
  assert.equal(bus.read32(0x8004) >>> 0, 0xdeadbeef);
  assert.equal(cpu.z, 1);
});

test('mode changes swap r13/r14 (and r8-r12 for FIQ); SPSR is per mode', () => {
  const { cpu } = makeCore(assembleA9(`
    mov sp, #0x1000
    mov lr, #1
    mov r8, #8
    cps #0x11          @ FIQ
    mov sp, #0x2000
    mov r8, #0x88
    msr spsr_fsxc, #0x1f
    cps #0x12          @ IRQ
    mov sp, #0x3000
    cps #0x13          @ back to SVC
    b .
  `));
  runToSelfLoop(cpu);
  assert.equal(cpu.mode, MODE_SVC);
  assert.equal(cpu.r[13], 0x1000);
  assert.equal(cpu.r[14], 1);
  assert.equal(cpu.r[8], 8);
  assert.equal(cpu.getBanked(MODE_FIQ, 13), 0x2000);
  assert.equal(cpu.getBanked(MODE_FIQ, 8), 0x88);
  assert.equal(cpu.getBanked(MODE_IRQ, 13), 0x3000);
  assert.equal(cpu.spsrb[1], 0x1f);
});

test('SVC enters svc mode at VBAR+8 with LR and SPSR; MOVS pc, lr returns to user mode', () => {
  const { cpu } = makeCore(assembleA9(`
    b start
    b .            @ undef
    b svc_handler
    b .
    b .
    b .
    b .
    b .
  start:
    mov sp, #0x4000
    cps #0x10      @ user mode
    mov r0, #1
    svc #42
    add r0, r0, #100
    b .
  svc_handler:
    mrs r5, spsr
    mov r6, lr
    add r0, r0, #10
    movs pc, lr
  `));
  runToSelfLoop(cpu);
  assert.equal(cpu.mode, MODE_USR);
  assert.equal(cpu.r[0], 111);
  assert.equal(cpu.r[5] & 0x1f, MODE_USR);
  assert.equal(cpu.r[6], cpu.pc - 4, 'LR pointed past the SVC');
});

test('undefined instruction goes to the undef vector with LR past it, and reports the encoding once', () => {
  const { cpu } = makeCore(assembleA9(`
    b start
    b und_handler
  start:
    .word 0xe7f000f0   @ UDF
    .word 0xec400f00   @ MCRR p15: nothing answers it on Cortex-A9
    b .
  und_handler:
    mov r7, lr
    mrs r8, spsr
    add r9, r9, #1
    movs pc, lr
  `));
  const msgs: string[] = [];
  cpu.onUnknownEncoding = (m) => msgs.push(m);
  const trace = new TraceBus();
  const faults: string[] = [];
  trace.subscribe((e) => { if (e.kind === 'fault') faults.push(`${e.name}@${hex(e.pc)}: ${e.cause}`); });
  cpu.trace = trace;
  runToSelfLoop(cpu);
  assert.deepEqual(faults, ['UndefinedInstruction@0x8: undefined instruction (ARM state)', 'UndefinedInstruction@0xc: undefined instruction (ARM state)']);
  assert.equal(cpu.r[9], 2);
  assert.equal(cpu.mode, MODE_SVC);
  assert.equal(cpu.lastFault.kind, 'undefined instruction');
  assert.equal(msgs.length, 1, msgs.join('\n'));
  assert.match(msgs[0], /A32 0xec400f00/);
});

test('IRQ is taken when unmasked, to irq mode at 0x18 with LR = next + 4; SUBS pc, lr, #4 returns', () => {
  const { cpu } = makeCore(assembleA9(`
    b start
    .word 0, 0, 0, 0, 0
    b irq_handler
    b .
  start:
    mov r0, #0
    cpsie i
  1: add r0, r0, #1
    cmp r0, #1000
    bne 1b
    b .
  irq_handler:
    mrs r4, spsr
    add r5, r5, #1
    mov r6, lr
    subs pc, lr, #4
  `));
  cpu.run(20);
  cpu.setIrq(true);
  cpu.run(1);
  assert.equal(cpu.mode, MODE_IRQ);
  const interrupted = cpu.getBanked(MODE_IRQ, 14) - 4;
  cpu.setIrq(false);
  runToSelfLoop(cpu);
  assert.equal(cpu.r[5], 1);
  assert.equal(cpu.r[0], 1000, 'the interrupted loop completed');
  assert.equal(cpu.r[4] & 0x1f, MODE_SVC);
  assert.equal(cpu.r[6] - 4, interrupted);
  assert.ok(interrupted >= 0x24 && interrupted <= 0x30, `returned into the loop at ${hex(interrupted)}`);
  assert.equal(cpu.mode, MODE_SVC);
});

test('WFI sleeps until an IRQ line rises, even with IRQs masked', () => {
  const { cpu } = makeCore(assembleA9(`
    cpsid i
    wfi
    mov r0, #7
    b .
  `));
  assert.equal(cpu.run(100), 'deadlock');
  assert.equal(cpu.sleeping, true);
  cpu.setIrq(true);
  runToSelfLoop(cpu);
  assert.equal(cpu.r[0], 7);
});

test('SMC enters monitor mode at MVBAR+8; the monitor switches to Non-secure and back, with trace events', () => {
  const { cpu } = makeCore(assembleA9(`
    ldr r0, =mon_vectors
    mcr p15, 0, r0, c12, c0, 1   @ MVBAR
    mov r10, #0
    smc #0                       @ 1st: go to Non-secure
    mrc p15, 0, r1, c1, c1, 0    @ reading SCR from Non-secure is UNDEFINED: skipped below
  ns_code:
    add r10, r10, #1
    smc #0                       @ 2nd: back to Secure
    b .
    .balign 32
  mon_vectors:
    b .
    b .
    b mon_smc
    b .
    b .
    b .
    b .
    b .
  mon_smc:
    mrc p15, 0, r2, c1, c1, 0
    eor r2, r2, #1               @ toggle SCR.NS
    mcr p15, 0, r2, c1, c1, 0
    add r11, r11, #1
    tst r2, #1
    addne lr, lr, #4             @ the first return skips the SCR read
    movs pc, lr
  `));
  const trace = new TraceBus();
  const events: TraceEvent[] = [];
  trace.subscribe((e) => events.push(e));
  cpu.trace = trace;
  runToSelfLoop(cpu);
  assert.equal(cpu.r[11], 2);
  assert.equal(cpu.r[10], 1);
  assert.equal(cpu.isSecure(), true);
  assert.equal(cpu.mode, MODE_SVC);
  const ws = events.filter((e) => e.kind === 'world-switch').map((e) => e.kind === 'world-switch' ? `${e.how}:${e.from}->${e.to}` : '');
  assert.deepEqual(ws, ['smc:secure->secure', 'exception-return:secure->non-secure',
    'smc:non-secure->secure', 'exception-return:secure->secure']);
  assert.equal(cpu.getBanked(MODE_MON, 14) !== 0, true);
});

test('CP15: MIDR, MPIDR, banked VBAR per world, SCR is Secure-only', () => {
  const { cpu } = makeCore(new Uint8Array(4));
  assert.equal(cpu.coprocRead(15, 0, 0, 0, 0), 0x410fc090);
  assert.equal(cpu.coprocRead(15, 0, 0, 0, 5), 0x80000000);
  cpu.coprocWrite(15, 12, 0, 0, 0, 0x1000);
  cpu.cp15.scr = 1; // Non-secure (SVC is not monitor)
  assert.equal(cpu.isSecure(), false);
  assert.equal(cpu.coprocRead(15, 12, 0, 0, 0), 0);
  cpu.coprocWrite(15, 12, 0, 0, 0, 0x2000);
  assert.equal(cpu.coprocRead(15, 1, 0, 1, 0), undefined, 'SCR from Non-secure is UNDEFINED');
  cpu.cp15.scr = 0;
  assert.equal(cpu.coprocRead(15, 12, 0, 0, 0), 0x1000);
  assert.equal(cpu.cp15.vbarB[0], 0x2000);
  cpu.setCpsr(0x1d0); // user mode
  assert.equal(cpu.coprocRead(15, 0, 0, 0, 0), undefined, 'MIDR is not readable at PL0');
  assert.equal(cpu.cp15.read(0, 0, 0, 0), 0x410fc090, 'the debugger reads as PL1');
  assert.equal(cpu.cp15.read(0, 0, 0, 7), 0x410fc090);
  assert.equal(cpu.cp15.read(4, 0, 0, 0), undefined, 'c4 holds no register');
  assert.equal(cpu.coprocWrite(15, 13, 0, 0, 2, 5), true, 'TPIDRURW is');
});

test('data abort from an unmapped address sets DFSR/DFAR and enters abort mode at 0x10', () => {
  const { cpu } = makeCore(assembleA9(`
    b start
    .word 0, 0, 0
    b dabt
  start:
    ldr r0, =0x40000000
    ldr r1, [r0]
    b .
  dabt:
    mrc p15, 0, r2, c5, c0, 0
    mrc p15, 0, r3, c6, c0, 0
    mov r4, lr
    b .
  `));
  const trace = new TraceBus();
  const faults: TraceEvent[] = [];
  trace.subscribe((e) => { if (e.kind === 'fault') faults.push(e); });
  cpu.trace = trace;
  runToSelfLoop(cpu);
  assert.equal(faults.length, 1);
  const f = faults[0];
  assert.ok(f.kind === 'fault' && f.name === 'DataAbort' && f.cause === 'synchronous external abort' && f.address === 0x40000000 && f.pc === 0x18,
    JSON.stringify(f));
  assert.equal(cpu.mode, MODE_ABT);
  assert.equal(cpu.r[2] & 0x40f, 0x8, `DFSR ${hex(cpu.r[2])} is a synchronous external abort`);
  assert.equal(cpu.lastFault.kind, 'data abort');
  assert.equal(cpu.r[3] >>> 0, 0x40000000);
  assert.equal(cpu.r[4], 0x14 + 4 + 8, 'LR = aborting instruction + 8');
});

test('reset: Secure SVC, A/I/F masked, high vectors when configured', () => {
  const { cpu } = makeCore(new Uint8Array(4));
  assert.equal(cpu.cpsr() & 0x1ff, 0x1d3);
  assert.equal(cpu.isSecure(), true);
  assert.equal(cpu.pc, 0);
  assert.equal(MODE_UND, 0x1b);
});

test('SCR.IRQ routes a Non-secure IRQ to monitor mode at MVBAR+0x18; SCR.EA routes external aborts', () => {
  const { cpu } = makeCore(assembleA9(`
    b .
    .balign 64
  mon:
    .word 0, 0, 0, 0
    b mon_dabt
    .word 0
    b mon_irq
    b .
  mon_irq:
    add r10, r10, #1
    b .
  mon_dabt:
    add r11, r11, #1
    b .
  `));
  cpu.cp15.mvbar = 0x40;
  cpu.cp15.scr = 1 | 2 | 8; // NS, IRQ and EA to monitor
  cpu.cp15.vbarB[0] = 0x80000;
  cpu.setCpsr(0x113); // Non-secure SVC, IRQs enabled
  cpu.mmu.flush();
  assert.equal(cpu.isSecure(), false);
  cpu.setIrq(true);
  cpu.run(2);
  assert.equal(cpu.mode, MODE_MON);
  assert.equal(cpu.isSecure(), true, 'monitor mode is Secure whatever SCR.NS says');
  assert.equal(cpu.r[10], 1);
  assert.equal(cpu.spsrb[6] & 0x1f, MODE_SVC);
  cpu.setIrq(false);
  cpu.setCpsr(0x1d3);
  cpu.pc = 0x1000;
  cpu.bus.write32(0x1000, 0xe5900000); // ldr r0, [r0]
  cpu.r[0] = 0x40000000; // unmapped: synchronous external abort
  cpu.run(3); // the aborted LDR, the vector's branch, the handler's add
  assert.equal(cpu.mode, MODE_MON);
  assert.equal(cpu.r[11], 1);
});

test('Non-secure code changes CPSR.A/F only when SCR.AW/FW allow it; NS exception entry leaves them too', () => {
  const { cpu } = makeCore(assembleA9(`
    cpsie aif
    mrs r0, cpsr
    b .
  `));
  cpu.cp15.scr = 1; // Non-secure, AW = FW = 0
  cpu.mmu.flush();
  runToSelfLoop(cpu);
  assert.equal(cpu.r[0] & 0x1c0, 0x140, 'only I cleared');
  cpu.cp15.scr = 1 | 0x30; // AW and FW set
  cpu.pc = 0;
  runToSelfLoop(cpu);
  assert.equal(cpu.r[0] & 0x1c0, 0, 'A, I and F cleared');
  cpu.cp15.scr = 1;
  cpu.setIrq(true);
  cpu.run(1);
  assert.equal(cpu.mode, MODE_IRQ);
  assert.equal(cpu.cpsr() & 0x1c0, 0x80, 'IRQ entry in Non-secure set I but not A or F');
});
