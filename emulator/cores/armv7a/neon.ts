// Advanced SIMD (NEON) for the Cortex-A9: placeholder decoders, replaced by the real tables.
import type { SimdExec } from './vfp-host';
const hex = (i: number) => '0x' + (i >>> 0).toString(16).padStart(8, '0');
const notYet: SimdExec = (h, i) => h.undefinedInstruction(`Advanced SIMD encoding A32 ${hex(i)} is not implemented`);
export function decodeNeonDataA32(_insn: number): SimdExec | undefined { return notYet; }
export function decodeNeonLoadStoreA32(_insn: number): SimdExec | undefined { return notYet; }
