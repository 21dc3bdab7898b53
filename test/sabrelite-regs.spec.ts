// Register-level parity of the sabrelite device models with QEMU 7.2: a probe firmware,
// built here with arm-none-eabi-gcc, prints the reset value of ~300 registers (CCM,
// ANALOG, UART1, GPT, EPIT, SRC, GPIO1, SCU, GIC, MPCore timers, WDOG) and what ~150 of them
// read back after three writes; QEMU (-machine sabrelite -smp 4) and Tandem must print
// the same, line for line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, TANDEM_CLI, haveTool } from './firmware-run';

const missing = !haveTool('arm-none-eabi-gcc') ? 'arm-none-eabi-gcc is not installed (scripts/setup.sh)'
  : !haveTool('qemu-system-arm') ? 'qemu-system-arm is not installed (scripts/setup.sh)' : false;

const range = (base: number, from: number, to: number, step = 4) => {
  const out: number[] = [];
  for (let o = from; o <= to; o += step) out.push(base + o);
  return out;
};

/** Reset values. The global timer count (0x00a00200/4) is left out: QEMU counts it in host time. */
const READS = [
  ...range(0x020c4000, 0, 0x88), ...range(0x020c8000, 0, 0x260),
  ...[0x80, 0x84, 0x88, 0x8c, 0x90, 0x94, 0x98, 0x9c, 0xa0, 0xa4, 0xa8, 0xac, 0xb0, 0xb4, 0xb8, 0xbc, 0x00].map((o) => 0x02020000 + o),
  ...range(0x02098000, 0, 0x24), ...range(0x020d0000, 0, 0x10), ...range(0x020d8000, 0, 0x48), ...range(0x0209c000, 0, 0x1c),
  ...range(0x00a00208, 0, 0x14), ...range(0x00a00600, 0, 0x3c), ...range(0x00a00000, 0, 0x5c),
  ...[0x000, 0x004, 0x008, 0x080, 0x100, 0x800, 0x820, 0xc00, 0xc04, 0x400].map((o) => 0x00a01000 + o),
  ...range(0x00a01fd0, 0, 0x2c), ...[0x00, 0x04, 0x08, 0x0c, 0x18, 0xfc].map((o) => 0x00a00100 + o),
  0x020bc000, 0x020bc004, 0x020bc008, 0x020c0000, 0x020c0004, 0x020c0008,
];

/**
 * Write-back probes. Counters and self-acting registers (UTXD, SRC_SCR, GICD_SGIR) are left
 * out, and so is GICD_ISPENDR0: QEMU pends a PPI written there for its stored target list,
 * which is empty, so nothing happens; Tandem pends it on the writing CPU (IHI 0048B 4.3.7).
 */
const WRITES = [
  ...range(0x020c4000, 0, 0x88), ...range(0x020c8000, 0, 0x25c),
  ...[0x88, 0x8c, 0x90, 0x94, 0x98, 0x9c, 0xa0, 0xa4, 0xa8, 0xac, 0xb0, 0xb4, 0xb8].map((o) => 0x02020000 + o),
  ...range(0x02098004, 0, 0x1c), ...[0x04, 0x08, 0x0c].map((o) => 0x020d0000 + o), ...range(0x0209c000, 0, 0x1c),
  ...range(0x00a00000, 0, 0x5c), ...[0x08, 0x0c, 0x10, 0x14, 0x18].map((o) => 0x00a00200 + o),
  ...[0x00, 0x08, 0x0c, 0x20, 0x28, 0x2c, 0x30, 0x34].map((o) => 0x00a00600 + o),
  ...[0x000, 0x004, 0x008, 0x080, 0x084, 0x100, 0x104, 0x180, 0x184, 0x204, 0x280, 0x284, 0x300, 0x304, 0x380, 0x384,
    0x400, 0x41c, 0x420, 0x800, 0x81c, 0x820, 0xc00, 0xc04, 0xc08, 0xf10, 0xfd0, 0xfe0].map((o) => 0x00a01000 + o),
  ...[0x00, 0x04, 0x08, 0x14, 0x18, 0x1c, 0xfc].map((o) => 0x00a00100 + o),
  0x020c0004, 0x020c0008, // WDOG2 WRSR/WICR and WMCR (WCR writes reset the board)
];

function build(dir: string): string {
  const list = [...READS.map((a) => `{0x${a.toString(16)}u,0}`), ...WRITES.map((a) => `{0x${a.toString(16)}u,1}`)];
  writeFileSync(join(dir, 'list.c'), `struct probe { unsigned addr, write; };\nconst struct probe probe_list[] = {\n${list.join(',\n')}\n};\nconst int probe_count = ${list.length};\n`);
  const elf = join(dir, 'probe.elf');
  const r = spawnSync('arm-none-eabi-gcc', ['-mcpu=cortex-a9', '-marm', '-O1', '-ffreestanding', '-nostdlib', '-Wl,--build-id=none',
    '-Wl,-Ttext=0x10000000', '-o', elf, join(REPO_ROOT, 'test', 'sabrelite-regs', 'probe.c'), join(dir, 'list.c')], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `building the probe failed: ${r.stderr}`);
  return elf;
}

test('sabrelite device registers read back the same on QEMU 7.2 and Tandem', { skip: missing, timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-regs-'));
  try {
    const elf = build(dir);
    const q = spawnSync('qemu-system-arm', ['-machine', 'sabrelite', '-smp', '4', '-display', 'none', '-monitor', 'none',
      '-serial', 'stdio', '-semihosting', '-kernel', elf], { encoding: 'latin1', timeout: 30_000, killSignal: 'SIGKILL' });
    assert.equal(q.status, 0, `QEMU: ${q.stderr}`);
    const t = spawnSync(process.execPath, [TANDEM_CLI, 'run', '--board', 'sabrelite', '--quiet', '--max-insns', '50000000', elf],
      { encoding: 'latin1', timeout: 60_000, killSignal: 'SIGKILL' });
    assert.equal(t.status, 0, `Tandem: ${t.stderr}`);
    const ql = q.stdout.split('\n');
    const tl = t.stdout.split('\n');
    assert.equal(ql.length, READS.length + WRITES.length + 1, 'QEMU printed every probe line');
    const diffs: string[] = [];
    for (let i = 0; i < ql.length; i++) {
      if (ql[i] !== tl[i]) diffs.push(`QEMU   ${ql[i]}\nTandem ${tl[i] ?? '(missing)'}`);
    }
    assert.deepEqual(diffs, [], `${diffs.length} registers differ:\n${diffs.slice(0, 20).join('\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
