// Register-number fields of VFP/Advanced SIMD encodings, shared by the Cortex-M FPU and the
// Cortex-A9 VFP/NEON unit and their disassemblers. Singles are Vx:x and doubles x:Vx
// (ARMv7-M ARM §A6.4, ARMv7-A ARM §A7.3); the field positions are the same in both profiles.

/** Single-precision Sd: Vd (bits 15:12) : D (bit 22). */
export const sd = (i: number) => (((i >>> 12) & 0xf) << 1) | ((i >>> 22) & 1);
/** Single-precision Sn: Vn (bits 19:16) : N (bit 7). */
export const sn = (i: number) => (((i >>> 16) & 0xf) << 1) | ((i >>> 7) & 1);
/** Single-precision Sm: Vm (bits 3:0) : M (bit 5). */
export const sm = (i: number) => ((i & 0xf) << 1) | ((i >>> 5) & 1);
/** Double Dd: D (bit 22) : Vd. */
export const dd = (i: number) => (((i >>> 22) & 1) << 4) | ((i >>> 12) & 0xf);
/** Double Dn: N (bit 7) : Vn. */
export const dn = (i: number) => (((i >>> 7) & 1) << 4) | ((i >>> 16) & 0xf);
/** Double Dm: M (bit 5) : Vm. */
export const dm = (i: number) => (((i >>> 5) & 1) << 4) | (i & 0xf);
