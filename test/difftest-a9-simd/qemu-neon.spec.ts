// The same ELFs on qemu-system-arm -machine sabrelite (QEMU 7.2) and on our CortexA9 with the
// VFP/NEON unit, linked for the i.MX6 DDR at 0x10000000: neon-kernels.c (gcc -O2
// -ftree-vectorize; its 14 hashes must also equal the TypeScript model's) and vfp-kernels.c
// (double/single arithmetic, NaNs, denormals and conversions under 8 FPSCR modes, A32 and T32).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressSpace, Memory } from '../../emulator/bus';
import { Clock } from '../../emulator/clock';
import { CortexA9 } from '../../emulator/cores/armv7a/cpu';
import { installSimd } from '../../emulator/cores/armv7a/vfp-a9';
import { loadElf } from '../../emulator/elf-loader';
import { expected } from './neon-kernels-model';

// qemu-main.c prints the kernel's hashes; -D picks the kernel and how many it returns.
const NEON_FILES = ['neon-qemu-start.s', 'neon-kernels.c', 'qemu-main.c', '-DKERNEL=kmain', '-DNRESULTS=14'];
const VFP_FILES = ['neon-qemu-start.s', 'vfp-kernels.c', 'qemu-main.c', '-DKERNEL=vmain', '-DNRESULTS=24'];
const ID_FILES = ['neon-qemu-start.s', 'vfp-id-probe.c'];
const ALIGN_FILES = ['neon-qemu-start.s', 'vfp-align-probe.c'];
const qemuMissing = spawnSync('qemu-system-arm', ['--version'], { stdio: 'ignore' }).status === 0 ? false : 'qemu-system-arm is not installed (scripts/setup.sh)';

/** `sources`: file names in this folder, and -D options for them. */
function buildElf(sources: readonly string[], thumb = false, opt: readonly string[] = ['-O2']): string {
  const files = sources.filter((f) => !f.startsWith('-')).map((f) => join(__dirname, f));
  const defines = sources.filter((f) => f.startsWith('-'));
  const flags = [...defines, ...opt, thumb ? '-mthumb' : '-marm', '-fno-math-errno', '-mcpu=cortex-a9', '-mfpu=neon-vfpv3', '-mfloat-abi=hard', '-ftree-vectorize', '-ffreestanding',
    '-fno-tree-loop-distribute-patterns', '-nostdlib', '-Wl,--build-id=none', '-Wl,-Ttext=0x10000000', '-Wl,-e,_start'];
  const h = createHash('sha1');
  for (const f of files) h.update(readFileSync(f));
  const dir = join(tmpdir(), 'tandem-neon-qemu');
  mkdirSync(dir, { recursive: true });
  const elf = join(dir, `${h.update(flags.join(' ')).digest('hex')}.elf`);
  if (!existsSync(elf)) {
    // Link under a temporary name first: an interrupted run must not leave a truncated cache entry.
    const r = spawnSync('arm-none-eabi-gcc', [...flags, ...files, '-o', `${elf}.${process.pid}`, '-lgcc'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `arm-none-eabi-gcc: ${r.stderr}`);
    renameSync(`${elf}.${process.pid}`, elf);
  }
  return elf;
}

const hex8 = (v: number) => (v >>> 0).toString(16).padStart(8, '0');

/** Run the ELF on our core: RAM at 0x10000000, SYS_WRITE0 collected, SYS_EXIT stops. */
function runOnOurCore(elf: string): string {
  const bus = new AddressSpace('a9-neon');
  bus.mapMemory(0x10000000, new Memory('ddr', 0x200000));
  const cpu = new CortexA9('cpu0', bus, new Clock(), { cpuIndex: 0 });
  cpu.reset();
  installSimd(cpu);
  const info = loadElf(bus, new Uint8Array(readFileSync(elf)), elf);
  cpu.pc = info.entry >>> 0;
  let out = '';
  let done = false;
  cpu.semihost = (c) => {
    const op = c.r[0] >>> 0, arg = c.r[1] >>> 0;
    if (op === 0x04) { for (let k = 0; k < 256; k++) { const b = c.read8(arg + k); if (b === 0) break; out += String.fromCharCode(b); } }
    else if (op === 0x18) { done = true; c.stop('exit'); }
    c.r[0] = 0;
  };
  for (let i = 0; i < 100 && !done; i++) cpu.run(100_000);
  assert.ok(done, 'the kernels reached SYS_EXIT on our core');
  return out;
}

function runOnQemu(elf: string): string {
  const q = spawnSync('qemu-system-arm', ['-machine', 'sabrelite', '-display', 'none', '-monitor', 'none', '-serial', 'null', '-semihosting', '-kernel', elf],
    { timeout: 30_000, killSignal: 'SIGKILL', encoding: 'latin1' });
  assert.equal(q.status, 0, `QEMU exit status ${q.status}: ${q.stderr}`);
  return (q.stdout + q.stderr).replace(/^qemu-system-arm: .*\n?/gm, '');
}

test('QEMU sabrelite and our Cortex-A9 print the same NEON kernel results, equal to the model', { skip: qemuMissing, timeout: 60_000 }, () => {
  const elf = buildElf(NEON_FILES);
  const qemuText = runOnQemu(elf);
  const model = expected().map(hex8).join('\n') + '\n';
  assert.equal(qemuText, model, 'QEMU prints the model hashes');
  assert.equal(runOnOurCore(elf), qemuText, 'our core prints what QEMU prints');
});

for (const thumb of [false, true]) {
  test(`VFP arithmetic under every FPSCR mode (${thumb ? 'T32' : 'A32'}) prints the same on QEMU sabrelite and our Cortex-A9`, { skip: qemuMissing, timeout: 60_000 }, () => {
    const elf = buildElf(VFP_FILES, thumb);
    const qemuText = runOnQemu(elf);
    assert.equal(qemuText.split('\n').filter((l) => /^[0-9a-f]{8}$/.test(l)).length, 24, `QEMU printed 24 hashes:\n${qemuText}`);
    assert.equal(runOnOurCore(elf), qemuText);
  });
}

test('FPSID, MVFR0/1, the FPSCR write mask and short vectors read the same on QEMU sabrelite and our Cortex-A9', { skip: qemuMissing, timeout: 60_000 }, () => {
  const elf = buildElf(ID_FILES);
  const qemuText = runOnQemu(elf);
  assert.equal(qemuText, '41033090\n11110222\n01111111\nfff7009f\n40100000\n', 'QEMU 7.2 values (s9 = 2.0 + 0.25 by the Len=1 VADD)');
  assert.equal(runOnOurCore(elf), qemuText);
});

test('VFP/NEON alignment faults (DFSR, DFAR) are the same on QEMU sabrelite and our Cortex-A9', { skip: qemuMissing, timeout: 60_000 }, () => {
  const elf = buildElf(ALIGN_FILES);
  const qemuText = runOnQemu(elf);
  assert.equal(qemuText.split('\n').filter((l) => l.startsWith('00000')).length, 9, `QEMU took 9 alignment faults:\n${qemuText}`);
  assert.equal(runOnOurCore(elf), qemuText);
});

// Other optimisation levels change which NEON/VFP instructions gcc picks (-ffast-math brings
// float reductions, VRECPE/VRECPS and reassociation); results may differ from -O2 but QEMU and
// our core must still agree.
for (const opt of [['-O3', '-ffast-math'], ['-Os'], ['-O3', '-funroll-loops']]) {
  for (const files of [NEON_FILES, VFP_FILES]) {
    const name = files === NEON_FILES ? 'neon-kernels.c' : 'vfp-kernels.c';
    test(`${name} at ${opt.join(' ')} prints the same on QEMU sabrelite and our Cortex-A9`, { skip: qemuMissing, timeout: 60_000 }, () => {
      const elf = buildElf(files, opt.includes('-Os'), opt);
      const qemuText = runOnQemu(elf);
      assert.ok(qemuText.split('\n').length > 10, `QEMU printed the hashes:\n${qemuText}`);
      assert.equal(runOnOurCore(elf), qemuText);
    });
  }
}
