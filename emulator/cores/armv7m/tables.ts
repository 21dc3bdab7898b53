// The instruction table for each M-profile architecture the machine can build.
import type { InsnTable } from './insn';
import { armv7mTable } from './isa';
import { armv8mTable } from './isa-v8m';

export type MArch = 'v7m' | 'v8m';

const tables: Partial<Record<MArch, InsnTable>> = { v7m: armv7mTable, v8m: armv8mTable };

export function tableFor(arch: MArch): InsnTable | undefined { return tables[arch]; }
