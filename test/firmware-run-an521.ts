// Test helper for mps2-an521: runs a secure + non-secure ELF pair on QEMU
// (`-kernel secure.elf -device loader,file=ns.elf`) or on Tandem's CLI
// (`run --board mps2-an521 secure.elf --load ns.elf`) and returns UART text,
// semihosting text and exit status in firmware-run.ts's FirmwareRun shape.
import { join } from 'node:path';
import { AN521, REPO_ROOT, runImagesOnQemu, runImagesOnTandem, type FirmwareRun } from './firmware-run';

export const AN521_SAMPLE_DIR = join(REPO_ROOT, 'sample-workspaces', 'mps2-an521');

/** A TrustZone-M image pair: the secure image boots and loads nothing else. */
export interface ImagePair {
  secure: string;
  nonSecure: string;
}

/** QEMU 7.2 reference run: `-kernel secure.elf -device loader,file=ns.elf`. */
export function runPairOnQemu(pair: ImagePair, timeoutMs = 20_000): FirmwareRun {
  return runImagesOnQemu(AN521, [pair.secure, pair.nonSecure], timeoutMs);
}

/** Tandem run: `run --board mps2-an521 secure.elf --load ns.elf`. */
export function runPairOnTandem(pair: ImagePair, timeoutMs = 120_000, maxInsns = 2_000_000_000): FirmwareRun {
  return runImagesOnTandem(AN521, [pair.secure, pair.nonSecure], timeoutMs, maxInsns);
}
