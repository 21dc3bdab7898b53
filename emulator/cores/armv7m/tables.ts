// The instruction table for each M-profile architecture the machine can build.
// ARMv8-M Mainline (Cortex-M33) is added here when its table exists.
import type { InsnTable } from './insn';
import { armv7mTable } from './isa';

export type MArch = 'v7m' | 'v8m';

const tables: Partial<Record<MArch, InsnTable>> = { v7m: armv7mTable };

export function tableFor(arch: MArch): InsnTable | undefined { return tables[arch]; }
