// Breakpoint conditions, hit-count conditions and logpoint messages: a small C-like expression
// language over registers ($r0..$pc), locals and globals, evaluated synchronously against a
// stop's cached memory. Kept apart from the session so it is testable without a target.

/** A user-facing error in a condition, hit condition or log message (names the text and position). */
export class ConditionError extends Error {
  constructor(message: string) { super(message); this.name = 'ConditionError'; }
}

export type Expr =
  | { kind: 'num'; value: bigint }
  | { kind: 'reg'; name: string }
  | { kind: 'ident'; name: string }
  | { kind: 'unary'; op: string; arg: Expr }
  | { kind: 'binary'; op: string; left: Expr; right: Expr };

/** What an expression may read at a stop. `undefined` means "no such name here". */
export interface ValueContext {
  register(name: string): bigint | undefined;
  /** A local (innermost scope first) or a global, as an integer; throws ConditionError when unreadable. */
  variable(name: string): bigint | undefined;
  /** Little-endian bytes at addr, undefined when unreadable. */
  readMemory(addr: number, size: number): Uint8Array | undefined;
}

/** Binary operators by precedence, loosest first (C's order, without assignment and comma). */
const LEVELS: readonly (readonly string[])[] = [
  ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%'],
];
const PUNCT = ['||', '&&', '==', '!=', '<=', '>=', '<<', '>>', '|', '^', '&', '<', '>', '+', '-', '*', '/', '%', '!', '~', '(', ')'];
/** Bounds recursion on hostile input like '((((((...'. */
const MAX_DEPTH = 64;

interface Token { text: string; pos: number; kind: 'num' | 'reg' | 'ident' | 'punct' | 'end' }

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (/\s/.test(ch)) { i++; continue; }
    const rest = src.slice(i);
    const num = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|\d+)[uUlL]*/.exec(rest);
    if (num) { out.push({ text: num[1], pos: i, kind: 'num' }); i += num[0].length; continue; }
    const reg = /^\$[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (reg) { out.push({ text: reg[0].slice(1).toLowerCase(), pos: i, kind: 'reg' }); i += reg[0].length; continue; }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (id) { out.push({ text: id[0], pos: i, kind: 'ident' }); i += id[0].length; continue; }
    const p = PUNCT.find((x) => rest.startsWith(x));
    if (p === undefined) throw new ConditionError(`unexpected '${ch}' at column ${i + 1} of '${src}'`);
    out.push({ text: p, pos: i, kind: 'punct' });
    i += p.length;
  }
  out.push({ text: '', pos: src.length, kind: 'end' });
  return out;
}

/** Parses a C-like integer expression; throws ConditionError naming the column. */
export function parseExpression(src: string): Expr {
  const toks = tokenize(src);
  let k = 0;
  const peek = () => toks[k];
  const fail = (what: string): never => {
    const t = peek();
    throw new ConditionError(`${what} at column ${t.pos + 1} of '${src}'${t.kind === 'end' ? ' (the expression ended)' : ` (found '${t.text}')`}`);
  };
  const primary = (depth: number): Expr => {
    if (depth > MAX_DEPTH) fail('expression nested too deeply');
    const t = peek();
    if (t.kind === 'num') { k++; return { kind: 'num', value: BigInt(t.text) }; }
    if (t.kind === 'reg') { k++; return { kind: 'reg', name: t.text }; }
    if (t.kind === 'ident') {
      k++;
      if (t.text === 'true') return { kind: 'num', value: 1n };
      if (t.text === 'false') return { kind: 'num', value: 0n };
      return { kind: 'ident', name: t.text };
    }
    if (t.text === '(') {
      k++;
      const e = binary(0, depth + 1);
      if (peek().text !== ')') fail("expected ')'");
      k++;
      return e;
    }
    if (t.text === '-' || t.text === '!' || t.text === '~' || t.text === '*' || t.text === '+') {
      k++;
      return { kind: 'unary', op: t.text, arg: primary(depth + 1) };
    }
    return fail('expected a number, register or name');
  };
  const binary = (level: number, depth: number): Expr => {
    if (level >= LEVELS.length) return primary(depth);
    let left = binary(level + 1, depth);
    for (let guard = 0; guard < 10_000; guard++) {
      const t = peek();
      if (t.kind !== 'punct' || !LEVELS[level].includes(t.text)) break;
      k++;
      left = { kind: 'binary', op: t.text, left, right: binary(level + 1, depth) };
    }
    return left;
  };
  if (src.trim() === '') throw new ConditionError('empty expression');
  const e = binary(0, 0);
  if (peek().kind !== 'end') fail('unexpected text after the expression');
  return e;
}

const U32 = (v: bigint) => v & 0xffffffffn;

/** Evaluates to a (signed, unbounded) integer; comparisons and logic give 0 or 1. */
export function evaluate(e: Expr, ctx: ValueContext): bigint {
  switch (e.kind) {
    case 'num': return e.value;
    case 'reg': {
      const v = ctx.register(e.name);
      if (v === undefined) throw new ConditionError(`no register '$${e.name}' (try $r0-$r12, $sp, $lr, $pc, $xpsr)`);
      return v;
    }
    case 'ident': {
      const v = ctx.variable(e.name);
      if (v === undefined) throw new ConditionError(`no variable '${e.name}' in scope or among the globals`);
      return v;
    }
    case 'unary': {
      const a = evaluate(e.arg, ctx);
      switch (e.op) {
        case '-': return -a;
        case '+': return a;
        case '!': return a === 0n ? 1n : 0n;
        case '~': return U32(~a);
        default: {
          // '*addr': a 32-bit word, as gdb reads `*(int *)addr` on this target.
          const addr = Number(U32(a));
          const b = ctx.readMemory(addr, 4);
          if (b === undefined) throw new ConditionError(`cannot read memory at 0x${addr.toString(16).padStart(8, '0')}`);
          return BigInt((b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0);
        }
      }
    }
    case 'binary': {
      // Short-circuit like C: the right side of && / || may name something unreadable.
      if (e.op === '&&') return evaluate(e.left, ctx) !== 0n && evaluate(e.right, ctx) !== 0n ? 1n : 0n;
      if (e.op === '||') return evaluate(e.left, ctx) !== 0n || evaluate(e.right, ctx) !== 0n ? 1n : 0n;
      const a = evaluate(e.left, ctx), b = evaluate(e.right, ctx);
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': case '%':
          if (b === 0n) throw new ConditionError('division by zero');
          return e.op === '/' ? a / b : a % b;
        case '<<': return b < 0n || b > 63n ? 0n : a << b;
        case '>>': return b < 0n || b > 63n ? 0n : a >> b;
        case '&': return a & b;
        case '|': return a | b;
        case '^': return a ^ b;
        case '==': return a === b ? 1n : 0n;
        case '!=': return a !== b ? 1n : 0n;
        case '<': return a < b ? 1n : 0n;
        case '<=': return a <= b ? 1n : 0n;
        case '>': return a > b ? 1n : 0n;
        default: return a >= b ? 1n : 0n;
      }
    }
  }
}

/**
 * A hit condition as VS Code users write it: `N` or `>= N` (from the Nth hit on), `== N` / `= N`
 * (only the Nth), `> N`, `< N`, `<= N`, `% N` (every Nth). Returns the test on the hit count.
 */
export function parseHitCondition(src: string): (hits: number) => boolean {
  const m = /^\s*(>=|<=|==|=|>|<|%)?\s*(\d+)\s*$/.exec(src);
  if (m === null) throw new ConditionError(`hit count '${src}' is not understood: write N, >= N, == N, > N, < N, <= N or % N`);
  const n = Number(m[2]);
  switch (m[1]) {
    case '==': case '=': return (h) => h === n;
    case '>': return (h) => h > n;
    case '<': return (h) => h < n;
    case '<=': return (h) => h <= n;
    case '%':
      if (n === 0) throw new ConditionError(`hit count '${src}': % 0 never matches`);
      return (h) => h % n === 0;
    default: return (h) => h >= n;
  }
}

export type LogPart = string | { expr: Expr; text: string };

/** Splits a logpoint message into text and `{expr}` parts; `{{` and `}}` are literal braces. */
export function parseLogMessage(src: string): LogPart[] {
  const out: LogPart[] = [];
  let text = '';
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if ((ch === '{' || ch === '}') && src[i + 1] === ch) { text += ch; i++; continue; }
    if (ch === '}') throw new ConditionError(`log message: unmatched '}' at column ${i + 1}`);
    if (ch !== '{') { text += ch; continue; }
    const close = src.indexOf('}', i + 1);
    if (close < 0) throw new ConditionError(`log message: '{' at column ${i + 1} is never closed`);
    if (text !== '') { out.push(text); text = ''; }
    const inner = src.slice(i + 1, close);
    out.push({ expr: parseExpression(inner), text: inner });
    i = close;
  }
  if (text !== '') out.push(text);
  return out;
}

/** Formats the interpolated message; an expression that fails shows its error in place. */
export function formatLogMessage(parts: readonly LogPart[], ctx: ValueContext): string {
  let s = '';
  for (const p of parts) {
    if (typeof p === 'string') { s += p; continue; }
    try { s += evaluate(p.expr, ctx).toString(); } catch (e) { s += `<${p.text}: ${(e as Error).message}>`; }
  }
  return s;
}

/** Integer value of `size` little-endian bytes, sign-extended when `signed`. */
export function integerOf(bytes: Uint8Array, signed: boolean): bigint {
  let v = 0n;
  const n = Math.min(bytes.length, 8);
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  if (signed && n > 0 && (bytes[n - 1] & 0x80) !== 0) v -= 1n << BigInt(8 * n);
  return v;
}
