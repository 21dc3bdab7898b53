// Test helper: runs one firmware ELF on QEMU or on Tandem's CLI and returns its
// UART text, semihosting text and exit status in the same shape, so specs can
// compare the two engines byte for byte. Both runs are bounded by a timeout.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..');
export const SAMPLE_DIR = join(REPO_ROOT, 'sample-workspaces', 'mps2-an386');
export const BENCH_DIR = join(REPO_ROOT, 'bench');
export const TANDEM_CLI = join(REPO_ROOT, 'dist', 'cli.js');

export interface FirmwareRun {
  /** Bytes the guest sent through UART0, as latin1 text. */
  uart: string;
  /** Bytes the guest wrote through semihosting (":tt", WRITEC, WRITE0). */
  semihost: string;
  /** Process exit status: the guest's semihosting exit code; null if killed. */
  status: number | null;
  /** Engine messages that are not guest output (warnings, crash text). */
  diagnostics: string;
  timedOut: boolean;
  /**
   * QEMU sends ":tt" opened for write to its stdout and WRITE0/WRITEC/":tt" append
   * to its stderr; when a guest uses both, their interleaving is lost.
   */
  mixedSemihostStreams: boolean;
}

/** True when `cmd --version` runs, i.e. the tool is installed. */
export function haveTool(cmd: string): boolean {
  const r = spawnSync(cmd, ['--version'], { stdio: 'ignore', timeout: 10_000 });
  return r.status === 0;
}

const QEMU_DIAG = /^qemu-system-arm: .*$\n?/gm;

/**
 * QEMU 7.2 reference run. Routing, as measured: the UART goes to the `-serial`
 * chardev (a file here), semihosting ":tt" write-mode output to the host's stdout,
 * and WRITE0/WRITEC and ":tt" append-mode output to the host's stderr.
 */
export function runOnQemu(elf: string, timeoutMs = 20_000): FirmwareRun {
  return runImagesOnQemu(AN386, [elf], timeoutMs);
}

/** Tandem run through the CLI in dist/ (UART → stdout, semihosting → stderr). */
export function runOnTandem(elf: string, timeoutMs = 120_000, maxInsns = 2_000_000_000): FirmwareRun {
  return runImagesOnTandem(AN386, [elf], timeoutMs, maxInsns);
}

/** A QEMU machine and the Tandem board that models it. */
export interface BoardPair { qemuMachine: string; qemuCpu: string; board: string }
export const AN386: BoardPair = { qemuMachine: 'mps2-an386', qemuCpu: 'cortex-m4', board: 'mps2-an386' };
export const AN521: BoardPair = { qemuMachine: 'mps2-an521', qemuCpu: 'cortex-m33', board: 'mps2-an521' };

const timedOut = (e: Error | undefined) => e !== undefined && (e as NodeJS.ErrnoException).code === 'ETIMEDOUT';

/**
 * QEMU run of `images[0]` as -kernel with the rest as `-device loader`, the way
 * `tandem run <elf> --load <elf>...` places them.
 */
export function runImagesOnQemu(b: BoardPair, images: string[], timeoutMs = 20_000): FirmwareRun {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-qemu-'));
  const serial = join(dir, 'uart0.txt');
  try {
    const r = spawnSync('qemu-system-arm', [
      '-machine', b.qemuMachine, '-cpu', b.qemuCpu,
      '-display', 'none', '-monitor', 'none',
      '-serial', `file:${serial}`,
      '-semihosting',
      '-kernel', images[0],
      ...images.slice(1).flatMap((f) => ['-device', `loader,file=${f}`]),
    ], { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
    const out = r.stdout?.toString('latin1') ?? '';
    const errAll = r.stderr?.toString('latin1') ?? '';
    const diagnostics = (errAll.match(QEMU_DIAG) ?? []).join('') + (r.error ? String(r.error) : '');
    const err = errAll.replace(QEMU_DIAG, '');
    return {
      uart: existsSync(serial) ? readFileSync(serial).toString('latin1') : '',
      semihost: out + err,
      status: r.status,
      diagnostics,
      timedOut: timedOut(r.error),
      mixedSemihostStreams: out.length > 0 && err.length > 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Tandem run of the same images through the CLI in dist/. */
export function runImagesOnTandem(b: BoardPair, images: string[], timeoutMs = 120_000, maxInsns = 2_000_000_000): FirmwareRun {
  const r = spawnSync(process.execPath, [
    TANDEM_CLI, 'run', '--board', b.board, '--quiet', '--max-insns', String(maxInsns),
    images[0], ...images.slice(1).flatMap((f) => ['--load', f]),
  ], { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
  return {
    uart: r.stdout?.toString('latin1') ?? '',
    semihost: r.stderr?.toString('latin1') ?? '',
    status: r.status,
    diagnostics: r.error ? String(r.error) : '',
    timedOut: timedOut(r.error),
    mixedSemihostStreams: false,
  };
}
