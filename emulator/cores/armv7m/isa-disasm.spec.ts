// Disassembler comparison: a few hundred assembled integer instructions (incl. IT
// blocks) are disassembled by disassemble() and by arm-none-eabi-objdump, and the
// texts must match after normalising tabs, '@' comments and '<symbol>' annotations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble, objdumpLines } from './test-asm';
import { disassemble } from './isa';

let seed = 0x2545f491;
function rnd(n: number): number { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; }
const lo = () => `r${rnd(8)}`;
const REGS = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'sl', 'fp', 'ip'];
const hi = () => REGS[rnd(REGS.length)];
const pick = <T>(xs: T[]): T => xs[rnd(xs.length)];
const MODIMM = ['#0', '#255', '#0xff000000', '#0x00ab00ab', '#0xcdcdcdcd', '#0x3fc', '#0x80000000', '#7', '#0x12000'];

/** Instruction templates; each call yields one line of assembler. */
const templates: (() => string)[] = [
  () => `adds ${lo()}, ${lo()}, #${rnd(8)}`, () => `subs ${lo()}, ${lo()}, ${lo()}`, () => `movs ${lo()}, #${rnd(256)}`,
  () => `cmp ${lo()}, #${rnd(256)}`, () => `adds ${lo()}, #${rnd(256)}`, () => `subs ${lo()}, #${rnd(256)}`,
  () => `${pick(['lsls', 'lsrs', 'asrs'])} ${lo()}, ${lo()}, #${1 + rnd(31)}`, () => `lsrs ${lo()}, ${lo()}, #32`,
  () => `${pick(['ands', 'eors', 'lsls', 'lsrs', 'asrs', 'adcs', 'sbcs', 'rors', 'tst', 'cmp', 'cmn', 'orrs', 'bics', 'mvns'])} ${lo()}, ${lo()}`,
  () => `negs ${lo()}, ${lo()}`, () => { const d = lo(); return `muls ${d}, ${lo()}, ${d}`; },
  () => `add ${hi()}, ${hi()}`, () => `mov ${hi()}, ${hi()}`, () => `cmp ${pick(['r8', 'sl', 'ip'])}, ${hi()}`,
  () => `bx ${hi()}`, () => `blx ${hi()}`, () => `ldr ${lo()}, [pc, #${4 * rnd(256)}]`,
  () => `${pick(['str', 'strh', 'strb', 'ldrsb', 'ldr', 'ldrh', 'ldrb', 'ldrsh'])} ${lo()}, [${lo()}, ${lo()}]`,
  () => `${pick(['str', 'ldr'])} ${lo()}, [${lo()}, #${4 * rnd(32)}]`, () => `${pick(['strb', 'ldrb'])} ${lo()}, [${lo()}, #${rnd(32)}]`,
  () => `${pick(['strh', 'ldrh'])} ${lo()}, [${lo()}, #${2 * rnd(32)}]`, () => `${pick(['str', 'ldr'])} ${lo()}, [sp, #${4 * rnd(256)}]`,
  () => `add ${lo()}, sp, #${4 * rnd(256)}`, () => `add sp, #${4 * rnd(128)}`, () => `sub sp, #${4 * rnd(128)}`,
  () => `${pick(['sxth', 'sxtb', 'uxth', 'uxtb', 'rev', 'rev16', 'revsh'])} ${lo()}, ${lo()}`,
  () => pick(['push {r4, r5, lr}', 'pop {r0, r7, pc}', 'push {r0}', 'pop {r1, r2}', 'cpsie i', 'cpsid f', 'cpsid if', 'nop', 'yield', 'wfe', 'wfi', 'sev']),
  () => `bkpt ${rnd(256)}`, () => `svc ${rnd(256)}`, () => `udf #${rnd(256)}`,
  () => `stmia ${lo()}!, {r0, r3, r5}`, () => `ldmia r1!, {r2, r4}`, () => `ldmia r2, {r0, r2}`,
  // 32-bit
  () => `${pick(['and', 'orr', 'eor', 'add', 'adc', 'sbc', 'sub'])}${pick(['', 's'])}.w ${hi()}, ${hi()}, ${pick(MODIMM)}`,
  () => `${pick(['orn', 'rsb'])}${pick(['', 's'])} ${hi()}, ${hi()}, ${pick(MODIMM)}`,
  () => `${pick(['mov', 'mvn'])}${pick(['', 's'])}.w ${hi()}, ${pick(MODIMM)}`,
  () => `${pick(['tst.w', 'teq', 'cmp.w', 'cmn.w'])} ${hi()}, ${pick(MODIMM)}`,
  () => `${pick(['and', 'bic', 'orr', 'eor', 'add', 'adc', 'sbc', 'sub'])}${pick(['', 's'])}.w ${hi()}, ${hi()}, ${hi()}, ${pick(['lsl', 'lsr', 'asr', 'ror'])} #${1 + rnd(31)}`,
  () => `${pick(['orn', 'rsb'])} ${hi()}, ${hi()}, ${hi()}, lsl #${1 + rnd(31)}`,
  () => `${pick(['tst.w', 'teq', 'cmp.w', 'cmn.w'])} ${hi()}, ${hi()}, asr #${1 + rnd(31)}`,
  () => `mov.w ${hi()}, ${hi()}`, () => `mvn.w ${hi()}, ${hi()}, ror #3`, () => `rrx ${hi()}, ${hi()}`,
  () => `${pick(['lsl', 'lsr', 'asr', 'ror'])}${pick(['', 's'])}.w ${hi()}, ${hi()}, #${1 + rnd(31)}`,
  () => `${pick(['lsl', 'lsr', 'asr', 'ror'])}${pick(['', 's'])}.w ${hi()}, ${hi()}, ${hi()}`,
  () => `addw ${hi()}, ${hi()}, #${rnd(4096)}`, () => `subw ${hi()}, ${hi()}, #${rnd(4096)}`,
  () => `movw ${hi()}, #${rnd(65536)}`, () => `movt ${hi()}, #${rnd(65536)}`,
  () => `${pick(['sbfx', 'ubfx'])} ${hi()}, ${hi()}, #${rnd(16)}, #${1 + rnd(16)}`,
  () => `${pick(['rev.w', 'rev16.w', 'revsh.w', 'rbit', 'clz'])} ${hi()}, ${hi()}`,
  () => `${pick(['mul.w', 'sdiv', 'udiv'])} ${hi()}, ${hi()}, ${hi()}`, () => `${pick(['mla', 'mls'])} ${hi()}, ${hi()}, ${hi()}, ${hi()}`,
  () => `${pick(['smull', 'umull', 'smlal', 'umlal'])} r0, r1, ${hi()}, ${hi()}`,
  () => pick(['msr APSR_nzcvq, r0', 'msr PRIMASK, r1', 'msr BASEPRI, r2', 'msr BASEPRI_MAX, r3', 'msr FAULTMASK, r4', 'msr CONTROL, r5', 'msr MSP, r6', 'msr PSP, r7']),
  () => pick(['mrs r0, APSR', 'mrs r1, IPSR', 'mrs r2, PRIMASK', 'mrs r3, CONTROL', 'mrs r4, MSP', 'mrs r5, PSP', 'mrs r6, BASEPRI', 'mrs r7, FAULTMASK', 'mrs r8, XPSR', 'mrs r9, EPSR']),
  () => pick(['nop.w', 'yield.w', 'wfe.w', 'wfi.w', 'sev.w', 'clrex', 'dsb sy', 'dmb sy', 'isb sy', 'dmb ish', 'dsb st', 'udf.w #300']),
  () => pick(['push.w {r4, r5, r6, r7, r8, lr}', 'pop.w {r4, r5, r6, r7, r8, pc}', 'stmdb r0!, {r1, r2}', 'ldmdb r1, {r2, r3}', 'stmia.w r3!, {r4, r9}', 'ldmia.w r4, {r0, r1, r2}']),
  () => `ldrd r0, r1, [${hi()}, #${pick(['', '-'])}${4 * rnd(256)}]${pick(['', '!'])}`, () => `strd r2, r3, [r4], #${pick(['', '-'])}${4 * rnd(256)}`,
  () => `ldrex r0, [${hi()}, #${4 * rnd(4)}]`, () => `strex r0, r1, [r2${pick(['', ', #8'])}]`,
  () => `${pick(['ldrexb', 'ldrexh'])} r3, [r4]`, () => `${pick(['strexb', 'strexh'])} r5, r6, [r7]`,
  () => `tbb [${hi()}, ${hi()}]`, () => `tbh [${hi()}, ${hi()}, lsl #1]`,
  () => `${pick(['ldr', 'ldrb', 'ldrh', 'ldrsb', 'ldrsh', 'str', 'strb', 'strh'])}.w ${hi()}, [${hi()}, #${rnd(4096)}]`,
  () => `${pick(['ldr', 'ldrb', 'ldrh', 'ldrsb', 'ldrsh', 'str', 'strb', 'strh'])} ${hi()}, [${hi()}, #-${1 + rnd(255)}]${pick(['', '!'])}`,
  () => `${pick(['ldr', 'ldrb', 'ldrh', 'ldrsb', 'ldrsh', 'str', 'strb', 'strh'])} ${hi()}, [${hi()}], #${pick(['', '-'])}${rnd(256)}`,
  () => `${pick(['ldr', 'ldrb', 'ldrh', 'ldrsb', 'ldrsh', 'str', 'strb', 'strh'])}.w ${hi()}, [${hi()}, ${hi()}, lsl #${rnd(4)}]`,
  () => `${pick(['ldrt', 'ldrbt', 'ldrht', 'ldrsbt', 'ldrsht', 'strt', 'strbt', 'strht'])} ${hi()}, [${hi()}, #${rnd(256)}]`,
  // objdump misreads negative literal offsets with bit 11 set as LDRT forms, so keep them below 2048
  () => `${pick(['ldr', 'ldrb', 'ldrh', 'ldrsb', 'ldrsh'])}.w ${hi()}, [pc, #${pick(['', '-'])}${rnd(2048)}]`,
  () => `${pick(['pld', 'pli'])} [${hi()}, #${rnd(4096)}]`, () => `pld [${hi()}, #-${1 + rnd(255)}]`, () => `pld [${hi()}, ${hi()}, lsl #2]`,
];

/** Branches and IT blocks, fixed so that their targets and conditions are known. */
const FIXED = `
1: b.n 1b
beq.n 1b
bne.w 1b
b.w 1b
bl 1b
cbz r0, 2f
cbnz r7, 2f
nop
2: it eq
addeq r0, r1
itete ne
movne r0, #1
moveq.w r1, #0x100
addsne.w r2, r3, #4
ldreq.w r4, [r5, #8]
ittt cs
lslcs r0, r1, #3
ldrcs r0, [r1, r2]
bcs.w 1b
it gt
bxgt lr
`;

function normalise(text: string): string {
  let s = text.replace(/\s*@.*$/, '').replace(/\t/, ' ').replace(/\s+$/, '').replace(/ <[^>]*>/, '');
  if (/^(b|bl|cb|cbn)[a-z]*(\.[nw])? /.test(s) && !/^(bic|bfi|bfc|bkpt|bx|blx)/.test(s)) s = s.replace(/ ([0-9a-f]+)$/, ' 0x$1');
  return s;
}

test('disassemble() matches arm-none-eabi-objdump for a few hundred integer instructions', () => {
  const lines: string[] = [];
  for (let k = 0; k < 400; k++) lines.push(templates[k % templates.length]());
  const src = FIXED + lines.join('\n');
  const bytes = assemble(src);
  const hw = (a: number) => bytes[a] | (bytes[a + 1] << 8);
  let it = 0;
  let checked = 0;
  const mismatches: string[] = [];
  for (const row of objdumpLines(src)) {
    const cond = it !== 0 ? (it >> 4) & 15 : -1;
    const d = disassemble(hw(row.addr), hw(row.addr + 2), row.addr, cond);
    const exp = normalise(row.text);
    if (d.text !== exp) mismatches.push(`${row.addr.toString(16)}: expected '${exp}', got '${d.text}'`);
    checked++;
    if (it !== 0) it = (it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
    const h = hw(row.addr);
    if ((h & 0xff00) === 0xbf00 && (h & 15) !== 0) it = h & 0xff;
  }
  assert.ok(checked > 400, `only ${checked} instructions compared`);
  assert.deepEqual(mismatches, []);
});

test('objdump quirks we deliberately do not copy: BIC immediates and bitfield widths print in decimal', () => {
  const bytes = assemble('bic r0, r1, #0x3fc\nbfi r2, r3, #4, #12');
  const hw = (a: number) => bytes[a] | (bytes[a + 1] << 8);
  assert.equal(disassemble(hw(0), hw(2), 0, -1).text, 'bic.w r0, r1, #1020');
  assert.equal(disassemble(hw(4), hw(6), 4, -1).text, 'bfi r2, r3, #4, #12');
});

test('undecodable encodings print as .inst', () => {
  assert.equal(disassemble(0xba80, 0, 0, -1).text, '.inst.n 0xba80');
  assert.equal(disassemble(0xf860, 0x0e00, 0, -1).text, '.inst.w 0xf8600e00');
  assert.equal(disassemble(0xf860, 0x0e00, 0, -1).size, 4);
});
