// NEON on a real CortexA9: C loops compiled by arm-none-eabi-gcc -O2 -ftree-vectorize (A32 and
// T32) run with the unit installed and must give the results a plain TypeScript model of the
// same loops gives; plus alignment faults and the oracle-disputed corners the difftest skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCore } from './test-kit';
import { installSimd } from './vfp-a9';
import { SimdTestHost } from './vfp-test-host';
import { decodeSimdA32 } from './vfp-decode';
import { FPEXC_EN } from './vfp-regs';
import { expected } from '../../../test/difftest-a9-simd/neon-kernels-model';

const SRC = join(__dirname, '..', '..', '..', 'test', 'difftest-a9-simd');

/** Build a C file + neon-start.s at address 0 (cached by content) and return the image. */
function buildKernels(thumb: boolean, file = 'neon-kernels.c', libc = false): Uint8Array {
  const c = readFileSync(join(SRC, file)), s = readFileSync(join(SRC, 'neon-start.s'));
  const flags = ['-O2', thumb ? '-mthumb' : '-marm', '-mcpu=cortex-a9', '-mfpu=neon-vfpv3', '-mfloat-abi=hard', '-ftree-vectorize',
    '-ffreestanding', '-fno-tree-loop-distribute-patterns', libc ? '-nostartfiles' : '-nostdlib', '-Wl,--build-id=none', '-Wl,-Ttext=0', '-Wl,-e,_start'];
  const key = createHash('sha1').update(c).update(s).update(flags.join(' ')).digest('hex');
  const dir = join(tmpdir(), 'tandem-neon-kernels');
  mkdirSync(dir, { recursive: true });
  const bin = join(dir, `${key}.bin`);
  if (!existsSync(bin)) {
    const elf = join(dir, `${key}.elf`);
    execFileSync('arm-none-eabi-gcc', [...flags, join(SRC, 'neon-start.s'), join(SRC, file), '-o', elf, ...(libc ? ['-lc'] : []), '-lgcc'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const dis = execFileSync('arm-none-eabi-objdump', ['-d', elf], { encoding: 'utf8', maxBuffer: 1 << 24 });
    assert.match(dis, libc ? /vld1\.8/ : /vld3\.8/, 'the build uses NEON');
    // Write under a temporary name first: an interrupted run must not leave a truncated cache entry.
    execFileSync('arm-none-eabi-objcopy', ['-O', 'binary', elf, `${bin}.${process.pid}`]);
    renameSync(`${bin}.${process.pid}`, bin);
  }
  return new Uint8Array(readFileSync(bin));
}

for (const thumb of [false, true]) {
  test(`gcc-vectorised C loops (${thumb ? 'T32' : 'A32'}) give the reference results`, { timeout: 60_000 }, () => {
    const { cpu, bus } = makeCore(buildKernels(thumb));
    installSimd(cpu);
    const unknown: string[] = [];
    cpu.onUnknownEncoding = (m) => unknown.push(m);
    let pc = -1;
    for (let i = 0; i < 200_000 && cpu.pc !== pc; i++) { pc = cpu.pc; cpu.run(1); }
    assert.deepEqual(unknown, []);
    assert.equal(cpu.mode, 0x13, 'still in SVC: no Undefined or abort was taken');
    const base = cpu.r[0] >>> 0;
    const got: number[] = [];
    for (let k = 0; k < 14; k++) got.push(bus.read32(base + 4 * k, 0) >>> 0);
    assert.deepEqual(got, expected());
  });
}

/** memcpy-check.c's hash, computed on plain byte arrays. */
function memcpyModel(): number {
  const src = new Uint8Array(600), dst = new Uint8Array(700);
  for (let i = 0; i < 600; i++) src[i] = (i * 7 + 3) & 0xff;
  let h = 2166136261;
  for (let a = 0; a < 8; a++) for (let b = 0; b < 8; b++) for (let n = 0; n < 520; n += 37) {
    dst.fill(0xa5);
    dst.set(src.subarray(b, b + n), a);
    dst.fill(b, a + n, a + n + 9 + a);
    for (let k = 0; k < 700; k++) h = Math.imul((h ^ dst[k]) >>> 0, 16777619) >>> 0;
  }
  return h;
}

for (const thumb of [false, true]) {
  test(`newlib's NEON memcpy/memset (${thumb ? 'T32' : 'A32'} build) copy every alignment and length correctly`, { timeout: 120_000 }, () => {
    const { cpu, bus } = makeCore(buildKernels(thumb, 'memcpy-check.c', true));
    installSimd(cpu);
    const unknown: string[] = [];
    cpu.onUnknownEncoding = (m) => unknown.push(m);
    // Run in slices until a single step leaves the PC where it was: the final `b .`.
    for (let i = 0; i < 400; i++) { cpu.run(100_000); const at = cpu.pc; cpu.run(1); if (cpu.pc === at) break; }
    assert.deepEqual(unknown, []);
    assert.equal(cpu.mode, 0x13, 'no exception was taken');
    assert.equal(bus.read32(cpu.r[0] >>> 0, 0) >>> 0, memcpyModel());
  });
}

test('VLD1 with an alignment qualifier faults on a misaligned base; without one it does not', () => {
  const h = new SimdTestHost();
  h.simd.fpexc = FPEXC_EN;
  h.map(0x20000, new Uint8Array(4096));
  h.r[0] = 0x20004;
  const x = decodeSimdA32(0xf420079f); // vld1.32 {d0}, [r0:64]
  assert.ok(x);
  assert.equal(h.run(x, 0xf420079f), 'abort');
  assert.match(h.abort ?? '', /alignment/);
  assert.equal(h.run(decodeSimdA32(0xf420078f)!, 0xf420078f), 'ok'); // vld1.32 {d0}, [r0]
  // :256 needs 32-byte alignment (A8.8.404); QEMU 7.2 only checks 16, we follow the ARM ARM.
  h.r[0] = 0x20010;
  assert.equal(h.run(decodeSimdA32(0xf400023f)!, 0xf400023f), 'abort'); // vst1.8 {d0-d3}, [r0:256]
});

test('VQDMULH saturates and sets FPSCR.QC; VRECPE.F32 of 2.0 is 0.4990234375', () => {
  const h = new SimdTestHost();
  h.simd.fpexc = FPEXC_EN;
  h.simd.i16[4] = -32768; h.simd.i16[8] = -32768; // d1[0], d2[0]
  const q = 0xf2110b02; // vqdmulh.s16 d0, d1, d2
  assert.equal(h.run(decodeSimdA32(q)!, q), 'ok');
  assert.equal(h.simd.i16[0], 32767);
  assert.ok((h.simd.fpscr & (1 << 27)) !== 0);
  h.simd.f32[2] = 2; h.simd.f32[3] = 2;
  const r = 0xf3bb0501; // vrecpe.f32 d0, d1
  assert.equal(h.run(decodeSimdA32(r)!, r), 'ok');
  assert.equal(h.simd.f32[0], 0.4990234375);
});
