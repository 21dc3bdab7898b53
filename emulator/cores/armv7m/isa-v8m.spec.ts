// Tests of the ARMv8-M Mainline additions on assembled Cortex-M33 code: disassembly against
// objdump, load-acquire/store-release and their exclusives, MRS/MSR of the stack limits and
// the _NS registers, and MSPLIM/PSPLIM stack-overflow UsageFaults (SP and memory untouched).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble, objdumpLines } from './test-asm';
import { makeTestCore, type TestCore } from './test-system';
import { armv8mTable, disassembleV8m } from './isa-v8m';
import { armv7mTable } from './isa';
import { CFSR_STKOF, CFSR_UNALIGNED, CFSR_UNDEFINSTR } from './cpu';
import { installSecurity } from './security';

function run(src: string, setup: (t: TestCore) => void = () => {}, steps = 100): TestCore {
  const t = makeTestCore(assemble('.fpu fpv5-sp-d16\n' + src + '\nbkpt #0', 'cortex-m33'), armv8mTable);
  t.cpu.arch = 'v8m';
  t.sys.stopOnEvents = true;
  setup(t);
  t.cpu.run(steps);
  return t;
}
const word = (t: TestCore, a: number) => (t.ram.bytes[a] | (t.ram.bytes[a + 1] << 8) | (t.ram.bytes[a + 2] << 16) | (t.ram.bytes[a + 3] << 24)) >>> 0;

const V8M_SRC = [
  'sg', 'bxns r3', 'blxns r5', 'bxns lr', 'blxns ip',
  'tt r1, r2', 'ttt r1, r2', 'tta r8, sl', 'ttat r0, lr',
  'lda r1, [r2]', 'ldab r1, [r2]', 'ldah r1, [r2]', 'stl r1, [r2]', 'stlb r9, [sp]', 'stlh r1, [r2]',
  'ldaex r1, [r2]', 'ldaexb r1, [r2]', 'ldaexh r1, [r2]', 'stlex r3, r1, [r2]', 'stlexb r3, r1, [r2]', 'stlexh r3, r1, [r2]',
  'mrs r0, msplim', 'mrs r0, psplim', 'msr msplim, r0', 'msr psplim, r0',
  'mrs r0, msp_ns', 'mrs r0, psp_ns', 'mrs r0, msplim_ns', 'mrs r0, psplim_ns', 'mrs r0, primask_ns', 'mrs r0, basepri_ns',
  'mrs r0, faultmask_ns', 'mrs r0, control_ns', 'mrs r0, sp_ns', 'msr msp_ns, r0', 'msr sp_ns, r1', 'msr control_ns, r1',
  'msr psplim_ns, r2', 'msr primask_ns, r2', 'msr basepri_max, r1', 'mrs r2, basepri_max', 'mrs r0, control', 'msr apsr_nzcvq, r1',
  'ittt eq', 'ttteq r1, r2', 'ldaeq r1, [r2]', 'bxnseq r1', 'itt ne', 'stlne r0, [r1]', 'sgne',
  // v7-M neighbours of the new encodings still decode as before
  'strex r0, r1, [r2, #4]', 'ldrex r1, [r2]', 'strexb r0, r1, [r2]', 'ldrexh r1, [r3]', 'tbb [r0, r1]', 'bx lr', 'blx r3',
  'ldrd r0, r1, [r2, #-8]!', 'push {r4, lr}', 'mrs r0, msp',
].join('\n');

test('disassembly of the ARMv8-M additions matches objdump -mcpu=cortex-m33', () => {
  const code = assemble(V8M_SRC, 'cortex-m33');
  const rows = objdumpLines(V8M_SRC, 'cortex-m33');
  assert.ok(rows.length >= 50);
  let itCond = -1, itLeft = 0;
  for (const row of rows) {
    const a = row.addr;
    const hw1 = code[a] | (code[a + 1] << 8), hw2 = code[a + 2] | (code[a + 3] << 8);
    const d = disassembleV8m(hw1, hw2, a, itLeft > 0 ? itCond : -1);
    if (itLeft > 0) itLeft--;
    if ((hw1 & 0xff00) === 0xbf00 && (hw1 & 0xf) !== 0) { itCond = (hw1 >> 4) & 15; itLeft = 4 - Math.log2(hw1 & -hw1); }
    const exp = row.text.replace(/\s*@.*$/, '').replace(/\t/, ' ').replace(/\s+$/, '');
    if (exp.startsWith('it')) continue;
    assert.equal(d.text, exp, `at 0x${a.toString(16)}: ${hw1.toString(16)} ${hw2.toString(16)}`);
  }
});

test('the new encodings are UNDEFINED or different on the v7-M table, so the M4 is unchanged', () => {
  assert.equal(armv7mTable.decode32(0xe8d21faf), undefined, 'LDA is UNDEFINED on v7-M');
  assert.notEqual(armv8mTable.decode32(0xe8d21faf), undefined);
  assert.equal(armv8mTable.decode32(0xe842f100)?.name, 'TT T1');
  assert.equal(armv7mTable.decode32(0xe842f100)?.name, 'STREX T1');
  assert.equal(armv8mTable.decode32(0xe97fe97f)?.name, 'SG T1');
  assert.equal(armv8mTable.decode16(0x471c)?.name, 'BXNS T1');
  assert.equal(armv8mTable.decode16(0x4718)?.name, 'BX T1');
  assert.equal(armv8mTable.decode32(0xe8d21fbf), undefined, 'LDA size 11 is UNDEFINED');
});

test('LDA/STL move data with the access size; misaligned LDA/STL fault', () => {
  const t = run('lda r0, [r4]\nldab r1, [r4]\nldah r2, [r4]\nstl r5, [r6]\nstlb r5, [r6]\nstlh r5, [r7]', (t) => {
    t.bus.loadBytes(0x1000, new Uint8Array([0x81, 0x92, 0xa3, 0xb4]));
    t.cpu.r[4] = 0x1000; t.cpu.r[5] = 0x11223344; t.cpu.r[6] = 0x2000; t.cpu.r[7] = 0x2010;
  });
  assert.deepEqual(t.sys.faults, []);
  assert.equal(t.cpu.r[0] >>> 0, 0xb4a39281);
  assert.equal(t.cpu.r[1], 0x81);
  assert.equal(t.cpu.r[2], 0x9281);
  assert.equal(word(t, 0x2000), 0x11223344, 'STLB after STL only wrote the low byte (same value)');
  assert.equal(word(t, 0x2010), 0x3344);
  for (const src of ['lda r0, [r4]', 'ldah r0, [r4]', 'stl r0, [r4]']) {
    const u = run(src, (u) => { u.cpu.r[4] = 0x1001; });
    assert.equal(u.sys.cfsr, CFSR_UNALIGNED, src);
    assert.equal(u.sys.faults[0].address, 0x1001);
  }
});

test('LDAEX/STLEX: pass once, fail after, sizes, and CLREX', () => {
  const t = run('ldaex r0, [r4]\nstlex r1, r5, [r4]\nstlex r2, r5, [r4]\nldaexh r3, [r6]\nstlexh r7, r5, [r6]\nldaexb r8, [r6]\nclrex\nstlexb r9, r5, [r6]', (t) => {
    t.bus.loadBytes(0x1000, new Uint8Array([1, 2, 3, 4, 5, 6]));
    t.cpu.r[4] = 0x1000; t.cpu.r[5] = 0x7e7d7c7b; t.cpu.r[6] = 0x1004;
  });
  assert.deepEqual(t.sys.faults, []);
  assert.equal(t.cpu.r[0], 0x04030201);
  assert.equal(t.cpu.r[1], 0, 'first STLEX succeeds');
  assert.equal(t.cpu.r[2], 1, 'second STLEX fails');
  assert.equal(word(t, 0x1000), 0x7e7d7c7b);
  assert.equal(t.cpu.r[3], 0x0605);
  assert.equal(t.cpu.r[7], 0);
  assert.equal(t.ram.bytes[0x1004] | (t.ram.bytes[0x1005] << 8), 0x7c7b);
  assert.equal(t.cpu.r[8], 0x7b);
  assert.equal(t.cpu.r[9], 1, 'CLREX cleared the monitor');
  const u = run('stlexh r1, r5, [r4]', (u) => { u.cpu.r[4] = 0x1001; u.cpu.exclusiveAddr = 0x1001; });
  assert.equal(u.sys.cfsr, CFSR_UNALIGNED, 'alignment is checked before the monitor');
});

test('MRS/MSR of MSPLIM/PSPLIM (8-byte aligned) and the Non-secure banked registers from Secure state', () => {
  const src = [
    'msr msplim, r0', 'msr psplim, r1', 'mrs r2, msplim', 'mrs r3, psplim',
    'msr msp_ns, r4', 'msr psp_ns, r5', 'msr msplim_ns, r0', 'msr psplim_ns, r1', 'msr primask_ns, r6', 'msr basepri_ns, r7', 'msr control_ns, r8',
    'mrs r9, sp_ns', 'mrs sl, control_ns', 'mrs fp, basepri_ns', 'mrs ip, msplim_ns',
  ].join('\n');
  const t = run(src, (t) => {
    installSecurity(t.cpu);
    t.cpu.secure = true;
    t.cpu.r[0] = 0x100f; t.cpu.r[1] = 0x2007; t.cpu.r[4] = 0x6003; t.cpu.r[5] = 0x7000;
    t.cpu.r[6] = 1; t.cpu.r[7] = 0x40; t.cpu.r[8] = 3;
  });
  assert.deepEqual(t.sys.faults, []);
  assert.equal(t.cpu.msplim, 0x1008); assert.equal(t.cpu.psplim, 0x2000);
  assert.equal(t.cpu.r[2], 0x1008); assert.equal(t.cpu.r[3], 0x2000);
  assert.deepEqual(t.cpu.other, { msp: 0x6000, psp: 0x7000, msplim: 0x1008, psplim: 0x2000, control: 3, primask: 1, basepri: 0x40, faultmask: 0 });
  assert.equal(t.cpu.r[9], 0x7000, 'SP_NS in Thread mode with CONTROL_NS.SPSEL = PSP_NS');
  assert.equal(t.cpu.r[10], 3); assert.equal(t.cpu.r[11], 0x40); assert.equal(t.cpu.r[12], 0x1008);

  // From Non-secure state the _NS forms read as zero and writes are ignored; unprivileged MSPLIM reads zero.
  const u = run('mrs r0, msp_ns\nmsr msp_ns, r1\nmsr msplim, r2\nmrs r3, msplim\nmsr control, r4\nmrs r5, msplim', (u) => {
    installSecurity(u.cpu).writeCtrl(2); // ALLNS: the code runs Non-secure
    u.cpu.r[0] = 0x55; u.cpu.r[1] = 0x4000; u.cpu.r[2] = 0x1000; u.cpu.r[4] = 1;
  });
  assert.equal(u.cpu.r[0], 0); assert.equal(u.cpu.other.msp, 0);
  assert.equal(u.cpu.r[3], 0x1000); assert.equal(u.cpu.r[5], 0);
});

test('stack limit: PUSH/STMDB/VPUSH/STR pre-index below MSPLIM raise STKOF with no store and SP kept', () => {
  for (const src of ['push {r0, r1}', 'stmdb sp!, {r0-r3}', 'str r0, [sp, #-12]!', 'strd r0, r1, [sp, #-16]!', 'vpush {s0-s3}', 'sub sp, #16', 'mov sp, r2', 'sub.w sp, sp, #256']) {
    const t = run(`msr msplim, r3\n${src}`, (t) => {
        t.cpu.r[13] = 0x7004; t.cpu.r[3] = 0x7000; t.cpu.r[2] = 0x6ff8; t.cpu.r[0] = 0x5a5a5a5a;
    });
    assert.equal(t.sys.cfsr, CFSR_STKOF, src);
    assert.equal(t.cpu.r[13], 0x7004, `${src}: SP unchanged`);
    assert.equal(t.cpu.pc, 4, `${src}: faulting instruction is re-executed`);
    for (let a = 0x6ff0; a < 0x7008; a++) assert.equal(t.ram.bytes[a], 0, `${src}: no store at 0x${a.toString(16)}`);
  }
  // Down to the limit itself everything works, and the limit of the other stack does not apply.
  const ok = run('msr msplim, r3\nmsr psplim, r4\npush {r0, r1}\nsub sp, #0\npop {r0, r1}', (t) => {
    t.cpu.r[13] = 0x7008; t.cpu.r[3] = 0x7000; t.cpu.r[4] = 0x7ff8;
  });
  assert.deepEqual(ok.sys.faults, []);
  assert.equal(ok.cpu.r[13], 0x7008);
});

test('stack limit: PSPLIM applies on the process stack; exception-return style SP swaps are not limit checks', () => {
  const t = run('msr control, r5\nisb\nsub sp, #8', (t) => {
    t.cpu.psp = 0x5004; t.cpu.psplim = 0x5000; t.cpu.msplim = 0x7fff8; t.cpu.r[5] = 2;
  });
  assert.equal(t.sys.cfsr, CFSR_STKOF, 'SUB SP under PSPLIM');
  assert.equal(t.cpu.r[13], 0x5004);
  assert.equal(t.cpu.msp, 0x8000, 'switching to the PSP by MSR CONTROL is not a limit violation of MSP');
});

test('BXNS/BLXNS/TTA are UNDEFINED without the Security Extension', () => {
  for (const src of ['bxns r0', 'blxns r0', 'tta r0, r1']) {
    const t = run(src);
    assert.equal(t.sys.cfsr, CFSR_UNDEFINSTR, src);
  }
  const t = run('sg\ntt r0, r1', (t) => { t.cpu.r[1] = 0x100; });
  assert.deepEqual(t.sys.faults, [], 'SG is a NOP and TT works without the extension');
  assert.equal(t.cpu.r[0] >>> 0, (1 << 18) | (1 << 19), 'TT without SAU or MPU: R and RW only');
});
