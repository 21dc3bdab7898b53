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
  const dir = mkdtempSync(join(tmpdir(), 'tandem-qemu-'));
  const serial = join(dir, 'uart0.txt');
  try {
    const r = spawnSync('qemu-system-arm', [
      '-machine', 'mps2-an386', '-cpu', 'cortex-m4',
      '-display', 'none', '-monitor', 'none',
      '-serial', `file:${serial}`,
      '-semihosting',
      '-kernel', elf,
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
      timedOut: r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT',
      mixedSemihostStreams: out.length > 0 && err.length > 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Tandem run through the CLI in dist/ (UART → stdout, semihosting → stderr). */
export function runOnTandem(elf: string, timeoutMs = 120_000, maxInsns = 2_000_000_000): FirmwareRun {
  const r = spawnSync(process.execPath, [
    TANDEM_CLI, 'run', '--board', 'mps2-an386', '--quiet', '--max-insns', String(maxInsns), elf,
  ], { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
  return {
    uart: r.stdout?.toString('latin1') ?? '',
    semihost: r.stderr?.toString('latin1') ?? '',
    status: r.status,
    diagnostics: r.error ? String(r.error) : '',
    timedOut: r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT',
    mixedSemihostStreams: false,
  };
}
