// The VFPv3-D32 / Advanced SIMD register file of one Cortex-A9 core: D0-D31 with the S and Q
// aliases (ARM ARM DDI0406C A2.6.1), FPSCR (A2.7.3 / B6.1.?) and the FP system registers
// FPEXC, FPSID, MVFR0/1. Values are those Unicorn 2.0.1 / QEMU report for -cpu cortex-a9.
// All views share one little-endian buffer, so Sn, Dn, Qn and NEON lanes alias as in the ARM ARM.

/** FPSCR fields (ARM ARM A2.7.3). */
export const FPSCR_IOC = 1 << 0, FPSCR_DZC = 1 << 1, FPSCR_OFC = 1 << 2, FPSCR_UFC = 1 << 3,
  FPSCR_IXC = 1 << 4, FPSCR_IDC = 1 << 7, FPSCR_QC = 1 << 27;
export const FPSCR_FZ = 1 << 24, FPSCR_DN = 1 << 25, FPSCR_AHP = 1 << 26;
export const FPSCR_RMODE_SHIFT = 22, FPSCR_LEN_SHIFT = 16, FPSCR_STRIDE_SHIFT = 20;
/**
 * Bits a VMSR keeps: N Z C V QC AHP DN FZ RMode Stride Len and the cumulative flags. The
 * trap-enable bits [15:8] read as zero because the A9 FPU does not trap (A9 FPU TRM 2.?; measured on
 * Unicorn: writing 0xffffffff reads back 0xfff7009f, so bit 19 is reserved as well).
 */
export const FPSCR_WRITABLE = 0xfff7009f;
export const FPEXC_EN = 1 << 30, FPEXC_EX = 1 << 31;
/** Cortex-A9 identification as QEMU's cortex-a9 model reports it (VMRS from FPSID, MVFR0, MVFR1). */
export const A9_FPSID = 0x41033090, A9_MVFR0 = 0x11110222, A9_MVFR1 = 0x01111111;

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('vfp-regs.ts: a little-endian host is required');

export class SimdRegs {
  /** 32 x 64 bits. Word 2n is D n's low half (= S 2n for n < 16), word 2n+1 its high half. */
  readonly buf = new ArrayBuffer(256);
  readonly u32 = new Uint32Array(this.buf);
  readonly u16 = new Uint16Array(this.buf);
  readonly u8 = new Uint8Array(this.buf);
  readonly i32 = new Int32Array(this.buf);
  readonly i16 = new Int16Array(this.buf);
  readonly i8 = new Int8Array(this.buf);
  readonly f32 = new Float32Array(this.buf);
  readonly f64 = new Float64Array(this.buf);
  fpscr = 0;
  /** FPEXC: EN (bit 30) gates every VFP/NEON instruction except the system register moves. */
  fpexc = 0;
  fpsid = A9_FPSID;
  mvfr0 = A9_MVFR0;
  mvfr1 = A9_MVFR1;

  /** Bit pattern of S n (0..31). */
  getS(n: number): number { return this.u32[n]; }
  setS(n: number, v: number): void { this.u32[n] = v; }
  /** Low and high words of D n (0..31). */
  getDLo(n: number): number { return this.u32[n << 1]; }
  getDHi(n: number): number { return this.u32[(n << 1) | 1]; }
  setD(n: number, lo: number, hi: number): void { this.u32[n << 1] = lo; this.u32[(n << 1) | 1] = hi; }
  /** D n as a 64-bit unsigned BigInt (for tests and the debugger; not for hot paths). */
  getD64(n: number): bigint { return (BigInt(this.u32[(n << 1) | 1]) << 32n) | BigInt(this.u32[n << 1]); }
  setD64(n: number, v: bigint): void {
    this.u32[n << 1] = Number(v & 0xffffffffn);
    this.u32[(n << 1) | 1] = Number((v >> 32n) & 0xffffffffn);
  }
  /** Architectural reset (B1.? : the register file is UNKNOWN; zero is what QEMU gives). */
  reset(): void {
    this.u32.fill(0);
    this.fpscr = 0;
    this.fpexc = 0;
  }
}
