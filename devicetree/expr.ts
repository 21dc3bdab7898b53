// Integer expression semantics for parenthesised DTS cell expressions, as dtc evaluates them:
// every value is an unsigned 64-bit integer (C uint64_t), comparisons and logic yield 0 or 1,
// and the result is fitted to the cell size at the end (fitToCell).

import { DtsError, type SourceLoc } from './types.js';

const M64 = 0xffffffffffffffffn;

export const u64 = (v: bigint): bigint => v & M64;

/** Binary operators by C precedence, lowest first (?: is handled by the parser). */
export const BINARY_LEVELS: string[][] = [
  ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%'],
];

export function applyBinary(op: string, a: bigint, b: bigint, loc: SourceLoc): bigint {
  switch (op) {
    case '+': return u64(a + b);
    case '-': return u64(a - b);
    case '*': return u64(a * b);
    case '/':
    case '%':
      if (b === 0n) throw new DtsError(`division by zero in '${op}'`, loc);
      return op === '/' ? a / b : a % b;
    // A shift by 64 or more is undefined in C; dtc defines it as 0, and so do we.
    case '<<': return b >= 64n ? 0n : u64(a << b);
    case '>>': return b >= 64n ? 0n : a >> b;
    case '<': return a < b ? 1n : 0n;
    case '>': return a > b ? 1n : 0n;
    case '<=': return a <= b ? 1n : 0n;
    case '>=': return a >= b ? 1n : 0n;
    case '==': return a === b ? 1n : 0n;
    case '!=': return a !== b ? 1n : 0n;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '&&': return a !== 0n && b !== 0n ? 1n : 0n;
    case '||': return a !== 0n || b !== 0n ? 1n : 0n;
  }
  throw new DtsError(`unknown operator '${op}'`, loc);
}

export function applyUnary(op: string, a: bigint): bigint {
  if (op === '-') return u64(-a);
  if (op === '~') return u64(~a);
  return a === 0n ? 1n : 0n; // '!'
}

/**
 * Truncates a 64-bit value to `bits`. Like dtc, a value is accepted when it fits unsigned or
 * is a sign-extended negative number (so (-1) gives 0xffffffff in a 32-bit cell).
 */
export function fitToCell(v: bigint, bits: number, loc: SourceLoc): bigint {
  if (bits === 64) return v;
  const mask = (1n << BigInt(bits)) - 1n;
  if (v > mask && (v | mask) !== M64) {
    throw new DtsError(`value 0x${v.toString(16)} does not fit in a ${bits}-bit cell`, loc);
  }
  return v & mask;
}
