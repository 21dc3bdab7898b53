// NEON on a real CortexA9: C loops compiled by arm-none-eabi-gcc -O2 -ftree-vectorize (A32 and
// T32) run with the unit installed and must give the results a plain TypeScript model of the
// same loops gives; plus alignment faults and the oracle-disputed corners the difftest skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCore } from './test-kit';
import { installSimd } from './vfp-a9';
import { SimdTestHost } from './vfp-test-host';
import { decodeSimdA32 } from './vfp-decode';
import { FPEXC_EN } from './vfp-regs';

const SRC = join(__dirname, '..', '..', '..', 'test', 'difftest-a9-simd');

/** Build neon-kernels.c + neon-start.s at address 0 (cached by content) and return the image. */
function buildKernels(thumb: boolean): Uint8Array {
  const c = readFileSync(join(SRC, 'neon-kernels.c')), s = readFileSync(join(SRC, 'neon-start.s'));
  const flags = ['-O2', thumb ? '-mthumb' : '-marm', '-mcpu=cortex-a9', '-mfpu=neon-vfpv3', '-mfloat-abi=hard', '-ftree-vectorize',
    '-ffreestanding', '-fno-tree-loop-distribute-patterns', '-nostdlib', '-Wl,--build-id=none', '-Wl,-Ttext=0', '-Wl,-e,_start'];
  const key = createHash('sha1').update(c).update(s).update(flags.join(' ')).digest('hex');
  const dir = join(tmpdir(), 'tandem-neon-kernels');
  mkdirSync(dir, { recursive: true });
  const bin = join(dir, `${key}.bin`);
  if (!existsSync(bin)) {
    const elf = join(dir, `${key}.elf`);
    execFileSync('arm-none-eabi-gcc', [...flags, join(SRC, 'neon-start.s'), join(SRC, 'neon-kernels.c'), '-o', elf, '-lgcc'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const dis = execFileSync('arm-none-eabi-objdump', ['-d', elf], { encoding: 'utf8', maxBuffer: 1 << 24 });
    assert.match(dis, /vld3\.8/, 'the compiler vectorised the loops');
    execFileSync('arm-none-eabi-objcopy', ['-O', 'binary', elf, bin]);
  }
  return new Uint8Array(readFileSync(bin));
}

/** The same loops in TypeScript (int32 wrap-around, float32 rounding by Math.fround). */
function expected(): number[] {
  const N = 67;
  let seed = 12345;
  const rnd = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed >>> 8; };
  const mix = (h: number, v: number) => Math.imul((h ^ v) >>> 0, 16777619) >>> 0;
  const a32 = new Int32Array(N), b32 = new Int32Array(N), c32 = new Int32Array(N), d32 = new Int32Array(N);
  const a16 = new Int16Array(N), b16 = new Int16Array(N), n16 = new Int16Array(N);
  const a8 = new Uint8Array(N), b8 = new Uint8Array(N), rgb = new Uint8Array(3 * N), gray = new Uint8Array(N), eq8 = new Uint8Array(N);
  const fa = new Float32Array(N), fb = new Float32Array(N), fc = new Float32Array(N);
  const il = new Int32Array(2 * N), cv = new Int32Array(N);
  const l64 = new BigInt64Array(N);
  for (let i = 0; i < N; i++) {
    a32[i] = rnd() - 0x400000; b32[i] = (rnd() & 0xffff) - 0x8000; c32[i] = rnd();
    a16[i] = rnd(); b16[i] = rnd(); a8[i] = rnd(); b8[i] = rnd();
    fa[i] = ((rnd() & 0xfffff) - 0x80000) / 256; fb[i] = (rnd() & 0xffff) / 1024;
  }
  for (let i = 0; i < 3 * N; i++) rgb[i] = rnd();
  for (let i = 0; i < N; i++) c32[i] = Math.imul(a32[i], b32[i]) + c32[i];
  for (let i = 0; i < N; i++) a16[i] = a16[i] - b16[i];
  for (let i = 0; i < N; i++) a8[i] = (a8[i] + b8[i]) >> 1;
  for (let i = 0; i < N; i++) fc[i] = Math.fround(fa[i] + Math.fround(fb[i] * 2));
  for (let i = 0; i < N; i++) cv[i] = Math.trunc(fc[i]);
  for (let i = 0; i < N; i++) fb[i] = a32[i];
  for (let i = 0; i < N; i++) n16[i] = c32[i] >> 3;
  for (let i = 0; i < N; i++) d32[i] = a16[i];
  for (let i = 0; i < N; i++) { il[2 * i] = b32[i]; il[2 * i + 1] = b32[i] + 1; }
  for (let i = 0; i < N; i++) gray[i] = Math.floor((rgb[3 * i] + rgb[3 * i + 1] + rgb[3 * i + 2]) / 3);
  for (let i = 0; i < N; i++) eq8[i] = b8[i] === 7 ? 1 : 0;
  for (let i = 0; i < N; i++) l64[i] = BigInt(a32[i]) * BigInt(b32[i]);
  let sum = 0, mx = a32[0];
  for (let i = 0; i < N; i++) sum = (sum + c32[i]) | 0;
  for (let i = 0; i < N; i++) mx = Math.max(mx, a32[i]);
  const f32bits = (f: number) => new Uint32Array(new Float32Array([f]).buffer)[0];
  const hashOf = (xs: ArrayLike<number>, conv: (v: number) => number) => { let h = 2166136261; for (let i = 0; i < xs.length; i++) h = mix(h, conv(xs[i]) >>> 0); return h; };
  const out = [
    hashOf(c32, (v) => v), hashOf(a16, (v) => v & 0xffff), hashOf(a8, (v) => v), hashOf(fc, f32bits), hashOf(cv, (v) => v),
    hashOf(fb, f32bits), hashOf(n16, (v) => v & 0xffff), hashOf(d32, (v) => v), hashOf(il, (v) => v), hashOf(gray, (v) => v), hashOf(eq8, (v) => v),
  ];
  let h = 2166136261;
  for (let i = 0; i < N; i++) { h = mix(h, Number(BigInt.asUintN(32, l64[i]))); h = mix(h, Number(BigInt.asUintN(32, l64[i] >> 32n))); }
  out.push(h, sum >>> 0, mx >>> 0);
  return out;
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
