// Integer ALU primitives of the ARM ARM pseudocode (A2.2): AddWithCarry, Shift_C,
// DecodeImmShift, ThumbExpandImm_C. Shared by the integer and DSP tables; they return
// the result and leave carry/overflow in the reusable `alu` out-object, so no call allocates.

/** SRType values (A7.4.2). RRX is its own type, as in DecodeImmShift. */
export const SR_LSL = 0, SR_LSR = 1, SR_ASR = 2, SR_ROR = 3, SR_RRX = 4;

/** Out-values of the last call: carry (c), overflow (v), and the shift type of decodeImmShift (t). All 0/1 except t. */
export const alu = { c: 0, v: 0, t: 0 };

/** AddWithCarry(x, y, carry_in) (A2.2.1). Returns the 32-bit result (signed view); sets alu.c and alu.v. */
export function addWithCarry(x: number, y: number, carryIn: number): number {
  const usum = (x >>> 0) + (y >>> 0) + carryIn;
  const result = usum | 0;
  alu.c = usum > 0xffffffff ? 1 : 0;
  alu.v = (x | 0) + (y | 0) + carryIn !== result ? 1 : 0;
  return result;
}

/**
 * Shift_C(value, type, amount, carry_in) (A7.4.2). `amount` may be anything from 0
 * up (register-controlled shifts pass Rm<7:0>); amounts >= 32 follow LSL_C/LSR_C/ASR_C
 * on the widened value. Returns the result; sets alu.c.
 */
export function shiftC(value: number, type: number, amount: number, carryIn: number): number {
  if (amount === 0 && type !== SR_RRX) { alu.c = carryIn; return value | 0; }
  switch (type) {
    case SR_LSL:
      if (amount < 32) { alu.c = (value >>> (32 - amount)) & 1; return value << amount; }
      alu.c = amount === 32 ? value & 1 : 0;
      return 0;
    case SR_LSR:
      if (amount < 32) { alu.c = (value >>> (amount - 1)) & 1; return (value >>> amount) | 0; }
      alu.c = amount === 32 ? (value >>> 31) & 1 : 0;
      return 0;
    case SR_ASR:
      if (amount < 32) { alu.c = (value >> (amount - 1)) & 1; return value >> amount; }
      alu.c = (value >>> 31) & 1;
      return value >> 31;
    case SR_ROR: {
      const m = amount & 31;
      const res = m === 0 ? value | 0 : (value >>> m) | (value << (32 - m));
      alu.c = (res >>> 31) & 1;
      return res;
    }
    default: // RRX
      alu.c = value & 1;
      return ((carryIn << 31) | (value >>> 1)) | 0;
  }
}

/** Shift(value, type, amount, carry_in) without the carry, for callers that do not need it. */
export function shift(value: number, type: number, amount: number, carryIn: number): number {
  return shiftC(value, type, amount, carryIn);
}

/** DecodeImmShift(type, imm5) (A7.4.2). Returns the amount; the SRType goes to alu.t. */
export function decodeImmShift(type: number, imm5: number): number {
  switch (type) {
    case 0: alu.t = SR_LSL; return imm5;
    case 1: alu.t = SR_LSR; return imm5 === 0 ? 32 : imm5;
    case 2: alu.t = SR_ASR; return imm5 === 0 ? 32 : imm5;
    default:
      if (imm5 === 0) { alu.t = SR_RRX; return 1; }
      alu.t = SR_ROR; return imm5;
  }
}

/**
 * DecodeImmShift then Shift_C in one step, for the "shifted register" encodings:
 * `type` is insn<5:4>, `imm5` is imm3:imm2. Sets alu.c.
 */
export function shiftImmC(value: number, type: number, imm5: number, carryIn: number): number {
  if (imm5 === 0) {
    if (type === 0) { alu.c = carryIn; return value | 0; }
    if (type === 3) return shiftC(value, SR_RRX, 1, carryIn);
    return shiftC(value, type, 32, carryIn);
  }
  return shiftC(value, type, imm5, carryIn);
}

/** ThumbExpandImm_C(imm12, carry_in) (A5.3.2). Returns imm32; sets alu.c. */
export function thumbExpandImmC(imm12: number, carryIn: number): number {
  const imm8 = imm12 & 0xff;
  if ((imm12 & 0xc00) === 0) {
    alu.c = carryIn;
    switch ((imm12 >> 8) & 3) {
      case 0: return imm8;
      case 1: return imm8 | (imm8 << 16);
      case 2: return (imm8 << 8) | (imm8 << 24);
      default: return imm8 | (imm8 << 8) | (imm8 << 16) | (imm8 << 24);
    }
  }
  const unrot = 0x80 | (imm12 & 0x7f);
  const rot = (imm12 >> 7) & 31;
  const res = (unrot >>> rot) | (unrot << (32 - rot));
  alu.c = (res >>> 31) & 1;
  return res;
}

/** ThumbExpandImm_C is UNPREDICTABLE for the replicated forms with imm8 == 0. */
export function thumbExpandImmUnpredictable(imm12: number): boolean {
  return (imm12 & 0xc00) === 0 && (imm12 & 0x300) !== 0 && (imm12 & 0xff) === 0;
}

/** The imm12 field i:imm3:imm8 of a 32-bit Thumb data-processing word. */
export function imm12Of(w: number): number {
  return ((w >>> 15) & 0x800) | ((w >>> 4) & 0x700) | (w & 0xff);
}

/** Count leading zeros of a 32-bit value. */
export function clz32(x: number): number { return Math.clz32(x); }

/** Bit-reverse a 32-bit value (RBIT). */
export function rbit32(x: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return (x >>> 16) | (x << 16);
}

/** 64-bit product halves of the last mul64 call (unsigned 32-bit views in lo/hi, as numbers). */
export const mulOut = { lo: 0, hi: 0 };

/** 32x32 -> 64-bit multiply without BigInt; `signed` selects SMULL vs UMULL semantics. Result in mulOut (lo/hi as int32). */
export function mul64(a: number, b: number, signed: boolean): void {
  const ua = a >>> 0, ub = b >>> 0;
  const al = ua & 0xffff, ah = ua >>> 16, bl = ub & 0xffff, bh = ub >>> 16;
  const ll = al * bl, lh = al * bh, hl = ah * bl;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  let hi = ah * bh + (lh >>> 16) + (hl >>> 16) + Math.floor(mid / 0x10000);
  if (signed) {
    if ((a | 0) < 0) hi -= ub;
    if ((b | 0) < 0) hi -= ua;
  }
  mulOut.lo = ((mid << 16) | (ll & 0xffff)) | 0;
  mulOut.hi = hi | 0;
}

/** Add the 64-bit value accHi:accLo to mulOut (SMLAL/UMLAL accumulate, modulo 2^64). */
export function add64(accLo: number, accHi: number): void {
  const lo = (mulOut.lo >>> 0) + (accLo >>> 0);
  const carry = lo > 0xffffffff ? 1 : 0;
  mulOut.lo = lo | 0;
  mulOut.hi = (mulOut.hi + accHi + carry) | 0;
}
