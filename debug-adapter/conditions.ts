// Hit-count conditions and logpoint messages as VS Code users write them: `>= N`, `% N`...
// and `text {expr} text`. The expressions themselves belong to evaluate.ts; this file only
// splits and checks the surrounding syntax, so it is testable without a target.

/** A user-facing error in a hit condition or log message (names the text and position). */
export class ConditionError extends Error {
  constructor(message: string) { super(message); this.name = 'ConditionError'; }
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

/** Literal text, or the source of one `{expr}`. */
export type LogPart = string | { expr: string };

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
    if (inner.trim() === '') throw new ConditionError(`log message: empty {} at column ${i + 1}`);
    out.push({ expr: inner });
    i = close;
  }
  if (text !== '') out.push(text);
  return out;
}

/** Formats the interpolated message; an expression that fails shows its error in place. */
export async function formatLogMessage(parts: readonly LogPart[], show: (expr: string) => Promise<string>): Promise<string> {
  let s = '';
  for (const p of parts) {
    if (typeof p === 'string') { s += p; continue; }
    try { s += await show(p.expr); } catch (e) { s += `<${p.expr}: ${(e as Error).message}>`; }
  }
  return s;
}
