// Entry points the Cortex-A9 decoders call for VFP and Advanced SIMD encodings (the spaces are
// listed in vfp-host.ts). T32 words are mapped onto their A32 twins (ARM ARM A6.3 / A7.2: the
// Advanced SIMD and VFP encodings differ only in the top byte), so one executor serves both.
import type { SimdExec } from './vfp-host';
import { decodeVfpA32 } from './vfp';
import { decodeNeonDataA32, decodeNeonLoadStoreA32 } from './neon';

/** Decode an A32 word in a VFP/NEON space (condition already checked by the core), or undefined. */
export function decodeSimdA32(insn: number): SimdExec | undefined {
  if ((insn >>> 28) !== 0xf) return decodeVfpA32(insn >>> 0);
  if (((insn & 0xfe000000) >>> 0) === 0xf2000000) return decodeNeonDataA32(insn >>> 0);
  if (((insn & 0xff100000) >>> 0) === 0xf4000000) return decodeNeonLoadStoreA32(insn >>> 0);
  return undefined;
}

/** The A32 form of a 32-bit T32 word ((hw1 << 16) | hw2) in a VFP/NEON space, or -1. */
export function thumbToA32(word: number): number {
  const w = word >>> 0;
  // Advanced SIMD data processing: T32 111U 1111 <24 bits> = A32 1111 001U <24 bits>.
  if (((w & 0xef000000) >>> 0) === 0xef000000) return (0xf2000000 | ((w >>> 4) & 0x01000000) | (w & 0x00ffffff)) >>> 0;
  // Advanced SIMD element load/store: T32 1111 1001 xxx0 = A32 1111 0100 xxx0.
  if (((w & 0xff100000) >>> 0) === 0xf9000000) return (0xf4000000 | (w & 0x00ffffff)) >>> 0;
  // VFP (coprocessor 10/11): T32 1110 11xx / 1110 1110 = A32 cond=1110 with the same low 28 bits.
  if (((w & 0xfc000000) >>> 0) === 0xec000000 && (w & 0xe00) === 0xa00) return (0xe0000000 | (w & 0x0fffffff)) >>> 0;
  return -1;
}

/** Decode a 32-bit T32 word in a VFP/NEON space (IT condition already checked), or undefined. */
export function decodeSimdT32(word: number): SimdExec | undefined {
  const a = thumbToA32(word);
  return a < 0 ? undefined : decodeSimdA32(a);
}
