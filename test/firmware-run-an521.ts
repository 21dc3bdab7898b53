// Test helper for mps2-an521: runs a secure + non-secure ELF pair on QEMU
// (`-kernel secure.elf -device loader,file=ns.elf`) or on Tandem's CLI
// (`run --board mps2-an521 secure.elf --load ns.elf`) and returns UART text,
// semihosting text and exit status in firmware-run.ts's FirmwareRun shape.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, TANDEM_CLI, type FirmwareRun } from './firmware-run';

export const AN521_SAMPLE_DIR = join(REPO_ROOT, 'sample-workspaces', 'mps2-an521');

/** A TrustZone-M image pair: the secure image boots and loads nothing else. */
export interface ImagePair {
  secure: string;
  nonSecure: string;
}

const QEMU_DIAG = /^qemu-system-arm: .*$\n?/gm;

function timedOut(error: Error | undefined): boolean {
  return error !== undefined && (error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
}

/**
 * QEMU 7.2 reference run. UART0 goes to a -serial file (so nothing mixes with
 * the monitor as under -nographic), semihosting WRITE0 to QEMU's stderr.
 */
export function runPairOnQemu(pair: ImagePair, timeoutMs = 20_000): FirmwareRun {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-qemu-an521-'));
  const serial = join(dir, 'uart0.txt');
  try {
    const r = spawnSync('qemu-system-arm', [
      '-machine', 'mps2-an521', '-cpu', 'cortex-m33',
      '-display', 'none', '-monitor', 'none',
      '-serial', `file:${serial}`,
      '-semihosting',
      '-kernel', pair.secure,
      '-device', `loader,file=${pair.nonSecure}`,
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

/** Tandem run through the CLI in dist/ (UART → stdout, semihosting → stderr). */
export function runPairOnTandem(pair: ImagePair, timeoutMs = 120_000, maxInsns = 2_000_000_000): FirmwareRun {
  const r = spawnSync(process.execPath, [
    TANDEM_CLI, 'run', '--board', 'mps2-an521', '--quiet', '--max-insns', String(maxInsns),
    pair.secure, '--load', pair.nonSecure,
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
