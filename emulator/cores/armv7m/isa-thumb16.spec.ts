// Execution tests for the 16-bit Thumb integer instructions: snippets are assembled
// with arm-none-eabi-as, run on a CortexM with the recording TestSystem, and the
// registers, flags, memory and recorded faults are checked against the ARM ARM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from './test-asm';
import { makeTestCore, TestCore } from './test-system';
import { CFSR_INVSTATE, CFSR_PRECISERR, CFSR_UNDEFINSTR, type CortexM } from './cpu';

/** Assemble, apply `setup`, run `steps` instructions. */
function run(src: string, setup: (c: CortexM) => void, steps: number): TestCore {
  const t = makeTestCore(assemble(src));
  setup(t.cpu);
  t.cpu.run(steps);
  return t;
}
const u = (x: number) => x >>> 0;
function flags(c: CortexM): string { return `${c.n ? 'N' : 'n'}${c.z ? 'Z' : 'z'}${c.c ? 'C' : 'c'}${c.v ? 'V' : 'v'}`; }

test('ADDS/SUBS/CMP set NZCV per AddWithCarry', () => {
  let { cpu } = run('adds r0, r1, #1', (c) => { c.r[1] = -1; }, 1);
  assert.equal(cpu.r[0], 0); assert.equal(flags(cpu), 'nZCv');
  ({ cpu } = run('adds r0, r1, #1', (c) => { c.r[1] = 0x7fffffff; }, 1));
  assert.equal(u(cpu.r[0]), 0x80000000); assert.equal(flags(cpu), 'NzcV');
  ({ cpu } = run('subs r0, r1, r2', (c) => { c.r[1] = 0; c.r[2] = 1; }, 1));
  assert.equal(cpu.r[0], -1); assert.equal(flags(cpu), 'Nzcv');
  ({ cpu } = run('cmp r1, #200', (c) => { c.r[1] = 200; }, 1));
  assert.equal(flags(cpu), 'nZCv');
  ({ cpu } = run('subs r0, #1', (c) => { c.r[0] = 0x80000000 | 0; }, 1));
  assert.equal(cpu.r[0], 0x7fffffff); assert.equal(flags(cpu), 'nzCV');
  ({ cpu } = run('negs r0, r1', (c) => { c.r[1] = 0; }, 1));
  assert.equal(cpu.r[0], 0); assert.equal(flags(cpu), 'nZCv');
  ({ cpu } = run('cmn r0, r1', (c) => { c.r[0] = 1; c.r[1] = -1; }, 1));
  assert.equal(flags(cpu), 'nZCv');
});

test('ADC/SBC use the carry flag', () => {
  let { cpu } = run('adcs r0, r1', (c) => { c.r[0] = 1; c.r[1] = 2; c.c = 1; }, 1);
  assert.equal(cpu.r[0], 4);
  ({ cpu } = run('sbcs r0, r1', (c) => { c.r[0] = 5; c.r[1] = 2; c.c = 0; }, 1));
  assert.equal(cpu.r[0], 2); assert.equal(cpu.c, 1);
  ({ cpu } = run('sbcs r0, r1', (c) => { c.r[0] = 0; c.r[1] = 0; c.c = 0; }, 1));
  assert.equal(cpu.r[0], -1); assert.equal(flags(cpu), 'Nzcv');
});

test('immediate shifts: carry out, LSR/ASR #32', () => {
  let { cpu } = run('lsls r0, r1, #1', (c) => { c.r[1] = 0x80000001 | 0; }, 1);
  assert.equal(cpu.r[0], 2); assert.equal(flags(cpu), 'nzCv');
  ({ cpu } = run('lsrs r0, r1, #32', (c) => { c.r[1] = 0x80000000 | 0; }, 1));
  assert.equal(cpu.r[0], 0); assert.equal(flags(cpu), 'nZCv');
  ({ cpu } = run('asrs r0, r1, #32', (c) => { c.r[1] = 0x80000000 | 0; }, 1));
  assert.equal(cpu.r[0], -1); assert.equal(flags(cpu), 'NzCv');
  ({ cpu } = run('movs r0, r1', (c) => { c.r[1] = 0; c.c = 1; c.v = 1; }, 1));
  assert.equal(flags(cpu), 'nZCV', 'MOVS keeps C and V');
});

test('register shifts with amounts 0, 32, 33 and 256', () => {
  const cases: [string, number, number, number, number, number][] = [
    // op, value, amount, carry in, expected result, expected carry
    ['lsls', 1, 32, 0, 0, 1],
    ['lsls', 1, 33, 1, 0, 0],
    ['lsls', 3, 0, 1, 3, 1],
    ['lsls', 3, 256, 0, 3, 0],
    ['lsrs', 0x80000000, 32, 0, 0, 1],
    ['lsrs', 0x80000000, 40, 1, 0, 0],
    ['asrs', 0x80000000, 100, 0, -1, 1],
    ['asrs', 0x40000000, 32, 1, 0, 0],
    ['rors', 0x80000001, 32, 0, 0x80000001 | 0, 1],
    ['rors', 0x80000001, 1, 0, 0xc0000000 | 0, 1],
    ['rors', 0x00000002, 65, 1, 1, 0],
  ];
  for (const [op, val, amt, cin, res, cout] of cases) {
    const { cpu } = run(`${op} r0, r1`, (c) => { c.r[0] = val; c.r[1] = amt; c.c = cin; }, 1);
    assert.equal(cpu.r[0], res, `${op} ${val.toString(16)} by ${amt}`);
    assert.equal(cpu.c, cout, `${op} ${val.toString(16)} by ${amt}: carry`);
  }
});

test('MULS leaves C and V alone; logical ops set N and Z', () => {
  let { cpu } = run('muls r0, r1, r0', (c) => { c.r[0] = -3; c.r[1] = 7; c.c = 1; c.v = 1; }, 1);
  assert.equal(cpu.r[0], -21); assert.equal(flags(cpu), 'NzCV');
  ({ cpu } = run('bics r0, r1', (c) => { c.r[0] = 0xff; c.r[1] = 0xff; }, 1));
  assert.equal(cpu.r[0], 0); assert.equal(cpu.z, 1);
  ({ cpu } = run('mvns r0, r1', (c) => { c.r[1] = 0; }, 1));
  assert.equal(cpu.r[0], -1); assert.equal(cpu.n, 1);
});

test('IT blocks: skipped slots, no flag setting inside, flags set again after', () => {
  const src = 'cmp r0, #0\nite eq\nmoveq r1, #1\nmovne r1, #2\nadds r2, r3, #0';
  let { cpu } = run(src, (c) => { c.r[0] = 0; c.r[3] = 5; }, 5);
  assert.equal(cpu.r[1], 1);
  assert.equal(cpu.z, 0, 'ADDS after the IT block sets Z from r3=5');
  ({ cpu } = run(src, (c) => { c.r[0] = 5; c.r[3] = 0; }, 5));
  assert.equal(cpu.r[1], 2);
  assert.equal(cpu.z, 1, 'ADDS after a skipped last IT slot still sets flags');
  assert.equal(cpu.itstate, 0);
  // inside the block the 16-bit ADD does not touch the flags
  ({ cpu } = run('cmp r0, #0\nitt eq\naddeq r1, r1, #1\naddeq r1, r1, #1', (c) => { c.r[0] = 0; c.r[1] = -1; }, 4));
  assert.equal(cpu.r[1], 1);
  assert.equal(flags(cpu), 'nZCv');
});

test('high-register ADD/MOV/CMP and ADD to PC', () => {
  let { cpu } = run('add r8, r1\nmov r2, r8\ncmp r8, r9', (c) => { c.r[8] = 10; c.r[1] = 5; c.r[9] = 15; }, 3);
  assert.equal(cpu.r[8], 15); assert.equal(cpu.r[2], 15); assert.equal(cpu.z, 1);
  ({ cpu } = run('add pc, r0\nnop\nnop\nnop\nmovs r1, #7', (c) => { c.r[0] = 4; }, 2));
  assert.equal(cpu.r[1], 7, 'ADD PC, Rm branches to PC+4+Rm');
  ({ cpu } = run('add sp, r1\nadd r2, sp, r2', (c) => { c.r[1] = 16; c.r[2] = 1; }, 2));
  assert.equal(cpu.r[13], 0x8010); assert.equal(cpu.r[2], 0x8011);
});

test('BX interworking: odd target continues, even target raises INVSTATE', () => {
  let t = run('bx r0\nnop\nmovs r1, #1\nmovs r2, #2', (c) => { c.r[0] = 7; }, 2);
  assert.equal(t.cpu.r[2], 2); assert.equal(t.cpu.r[1], 0); assert.equal(t.sys.faults.length, 0);
  t = run('bx r0', (c) => { c.r[0] = 0x100; }, 2);
  assert.equal(t.cpu.tbit, 0);
  assert.ok(t.sys.faults.some((f) => f.cfsr === CFSR_INVSTATE));
  t = run('blx r0\nnop\nmovs r1, #9', (c) => { c.r[0] = 5; }, 2);
  assert.equal(t.cpu.r[14], 3); assert.equal(t.cpu.r[1], 9);
  // BX with EXC_RETURN in Handler mode is an exception return
  t = run('bx lr', (c) => { c.ipsr = 3; c.r[14] = 0xfffffff9 | 0; }, 1);
  assert.deepEqual(t.sys.excReturns, [0xfffffff9]);
});

test('LDR (literal) uses Align(PC, 4)', () => {
  // at 0: PC reads 4; at 2: PC reads 6, aligned to 4
  const src = 'ldr r0, [pc, #8]\nldr r1, [pc, #4]\nnop\nnop\n.word 0x11111111\n.word 0x22222222';
  const { cpu } = run(src, () => {}, 2);
  assert.equal(cpu.r[0], 0x22222222);
  assert.equal(cpu.r[1], 0x11111111);
  const t = run('adr r0, 1f\nnop\n.align 2\n1: .word 0', () => {}, 1);
  assert.equal(t.cpu.r[0], 4);
});

test('loads and stores: sign extension, register offset, SP-relative', () => {
  const { cpu, bus } = run(
    'strb r1, [r0, #3]\nldrsb r2, [r0, r3]\nldrb r4, [r0, #3]\nstrh r1, [r0, #6]\nldrsh r5, [r0, r6]\nstr r1, [sp, #8]\nldr r7, [sp, #8]',
    (c) => { c.r[0] = 0x1000; c.r[1] = 0x1234f080; c.r[3] = 3; c.r[6] = 6; }, 7);
  assert.equal(cpu.r[2], -128);
  assert.equal(cpu.r[4], 0x80);
  assert.equal(cpu.r[5], 0xf080 - 0x10000);
  assert.equal(bus.read32(0x8008), 0x1234f080);
  assert.equal(cpu.r[7], 0x1234f080);
});

test('PUSH/POP, POP to PC interworks, EXC_RETURN through POP', () => {
  let t = run('push {r4, r5, lr}\nmovs r4, #0\nmovs r5, #0\npop {r4, r5, pc}', (c) => { c.r[4] = 44; c.r[5] = 55; c.r[14] = 0x41; }, 4);
  assert.equal(t.cpu.r[4], 44); assert.equal(t.cpu.r[5], 55);
  assert.equal(t.cpu.pc, 0x40); assert.equal(t.cpu.tbit, 1); assert.equal(t.cpu.r[13], 0x8000);
  assert.equal(t.bus.read32(0x7ff4), 44); assert.equal(t.bus.read32(0x7ffc), 0x41);
  t = run('pop {pc}', (c) => { c.ipsr = 5; c.r[13] = 0x100; c.bus.write32(0x100, 0xfffffffd); }, 1);
  assert.deepEqual(t.sys.excReturns.at(-1), 0xfffffffd);
  assert.equal(t.cpu.r[13], 0x104, 'SP is written back before the exception return');
});

test('STM/LDM writeback and base-in-list; faulting LDM leaves registers untouched', () => {
  let t = run('stmia r0!, {r1, r2}\nldmia r3, {r1, r3}', (c) => { c.r[0] = 0x200; c.r[1] = 11; c.r[2] = 22; c.r[3] = 0x200; }, 2);
  assert.equal(t.cpu.r[0], 0x208);
  assert.equal(t.cpu.r[1], 11); assert.equal(t.cpu.r[3], 22, 'base in list: loaded, no writeback');
  t = run('ldmia r0!, {r1, r2}', (c) => { c.r[0] = 0xfffc; c.r[1] = 7; }, 1);
  assert.equal(t.sys.faults.length, 1);
  assert.equal(t.sys.faults[0].cfsr & CFSR_PRECISERR, CFSR_PRECISERR);
  assert.equal(t.cpu.r[0], 0xfffc); assert.equal(t.cpu.r[1], 7);
  assert.equal(t.cpu.pc, 0, 'PC stays on the faulting instruction');
});

test('CBZ/CBNZ, B<cond>, B', () => {
  const src = 'cbz r0, 1f\nmovs r1, #1\n1: cbnz r0, 2f\nmovs r2, #2\n2: cmp r2, #2\nbeq 3f\nmovs r3, #3\n3: b 4f\nmovs r4, #4\n4: nop';
  const { cpu } = run(src, (c) => { c.r[0] = 0; }, 6);
  assert.equal(cpu.r[1], 0); assert.equal(cpu.r[2], 2); assert.equal(cpu.r[3], 0); assert.equal(cpu.r[4], 0);
});

test('extend, reverse, CPS, SVC, BKPT, UDF', () => {
  let t = run('sxtb r1, r0\nuxth r2, r0\nsxth r3, r0\nrev r4, r0\nrev16 r5, r0\nrevsh r6, r0', (c) => { c.r[0] = 0x1234f680; }, 6);
  assert.equal(t.cpu.r[1], -128); assert.equal(t.cpu.r[2], 0xf680); assert.equal(t.cpu.r[3], 0xf680 - 0x10000);
  assert.equal(u(t.cpu.r[4]), 0x80f63412); assert.equal(u(t.cpu.r[5]), 0x341280f6); assert.equal(t.cpu.r[6], 0xffff80f6 | 0);
  t = run('cpsid i\ncpsid f', () => {}, 2);
  assert.equal(t.cpu.primask, 1); assert.equal(t.cpu.faultmask, 1);
  t = run('cpsid i', (c) => { c.control = 1; }, 1);
  assert.equal(t.cpu.primask, 0, 'CPS is ignored unprivileged');
  t = run('svc 42', () => {}, 1);
  assert.deepEqual(t.sys.svcs, [42]);
  t = run('bkpt 0x12', () => {}, 1);
  assert.equal(t.sys.debugEvents, 1);
  t = run('udf #7', () => {}, 1);
  assert.equal(t.sys.faults[0].cfsr, CFSR_UNDEFINSTR);
  t = run('.short 0xba80', () => {}, 1);
  assert.equal(t.sys.faults[0].cfsr, CFSR_UNDEFINSTR, 'REV op=10 is UNDEFINED');
});
