// Tokenizer for DTS source (Devicetree Specification v0.4 chapter 6, plus dtc's extensions).
// Includes (/include/ and cpp-style #include) are expanded here as a stack of sources, so the
// parser sees one token stream while every token keeps the file it came from.
// The lexer never throws: bad input becomes an 'error' token, and every call advances or ends.

import type { ParseOptions, SourceLoc } from './types.js';

/** 'normal' is node/property context; 'cells' is inside < > where numbers and operators live. */
export type LexMode = 'normal' | 'cells';

export type TokKind =
  | 'eof' | 'error' | 'name' | 'label' | 'string' | 'char' | 'int'
  | 'punct' | 'directive' | 'ref' | 'pathref';

export interface Token {
  kind: TokKind;
  /** punct/operator text, name, label name (without ':'), directive without slashes, ref target. */
  text: string;
  loc: SourceLoc;
  value?: bigint;
  bytes?: Uint8Array;
}

interface Source {
  file: string;
  text: string;
  pos: number;
  line: number;
  col: number;
  /** Only whitespace since the last newline: where a cpp '#' directive may start. */
  atLineStart: boolean;
}

const DIRECTIVES = new Set([
  'dts-v1', 'plugin', 'memreserve', 'bits', 'delete-node', 'delete-property', 'omit-if-no-ref', 'incbin',
]);
const CPP_DIRECTIVES = new Set([
  'define', 'undef', 'if', 'ifdef', 'ifndef', 'elif', 'else', 'endif', 'error', 'warning', 'pragma', 'line',
]);
// Three-character operators do not exist in DTS; two-character ones must win over one-character.
const OPS2 = ['<<', '>>', '<=', '>=', '==', '!=', '&&', '||'];
const OPS1 = '+-*/%&|^~!?:()<>';
const MAX_INCLUDES = 1000;

function isNameChar(c: string): boolean {
  // dtc's PROPNODECHAR: the union of node and property name characters; the parser narrows it.
  return /[a-zA-Z0-9,._+*#?@-]/.test(c);
}
function isLabelStart(c: string): boolean {
  return /[a-zA-Z_]/.test(c);
}
function isLabelChar(c: string): boolean {
  return /[a-zA-Z0-9_]/.test(c);
}
export function isValidLabel(s: string): boolean {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(s);
}

function utf8(cp: number, out: number[]): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

export class Lexer {
  private stack: Source[] = [];
  readonly files: string[] = [];
  private includeCount = 0;
  private readonly maxDepth: number;
  private peeked?: { tok: Token; mode: LexMode; trivia?: boolean; src: Source; pos: number; line: number; col: number; atLineStart: boolean };

  constructor(text: string, file: string, private readonly opts?: ParseOptions) {
    this.maxDepth = opts?.maxIncludeDepth ?? 16;
    this.stack.push({ file, text, pos: 0, line: 1, col: 1, atLineStart: true });
    this.files.push(file);
  }

  peek(mode: LexMode = 'normal'): Token {
    const p = this.peeked;
    if (p) {
      if (p.mode === mode || p.trivia || p.tok.kind === 'eof' || p.src !== this.top()) return p.tok;
      // Same start position, different context: re-read the characters in the new mode.
      const src = p.src;
      src.pos = p.pos; src.line = p.line; src.col = p.col; src.atLineStart = p.atLineStart;
      const tok = this.lexIn(src, mode);
      this.peeked = { ...p, tok, mode };
      return tok;
    }
    for (;;) {
      const src = this.top();
      const err = this.skipTrivia(src);
      if (err) { this.peeked = { tok: err, mode, trivia: true, src, pos: src.pos, line: src.line, col: src.col, atLineStart: src.atLineStart }; return err; }
      if (this.top() !== src) continue; // an include was pushed
      if (src.pos >= src.text.length) {
        if (this.stack.length > 1) { this.stack.pop(); continue; }
        const tok: Token = { kind: 'eof', text: '', loc: this.here(src) };
        this.peeked = { tok, mode, src, pos: src.pos, line: src.line, col: src.col, atLineStart: src.atLineStart };
        return tok;
      }
      const saved = { pos: src.pos, line: src.line, col: src.col, atLineStart: src.atLineStart };
      const tok = this.lexIn(src, mode);
      this.peeked = { tok, mode, src, ...saved };
      return tok;
    }
  }

  /** How many tokens have been consumed: lets callers prove that a recovery loop advanced. */
  count = 0;

  next(mode: LexMode = 'normal'): Token {
    const t = this.peek(mode);
    this.peeked = undefined;
    this.count++;
    return t;
  }

  private top(): Source {
    return this.stack[this.stack.length - 1];
  }

  private here(src: Source): SourceLoc {
    return { file: src.file, line: src.line, col: src.col, endLine: src.line, endCol: src.col };
  }

  private advance(src: Source, n: number): void {
    const end = Math.min(src.pos + n, src.text.length);
    for (; src.pos < end; src.pos++) {
      const c = src.text[src.pos];
      if (c === '\n') { src.line++; src.col = 1; src.atLineStart = true; }
      else { src.col++; if (c !== ' ' && c !== '\t' && c !== '\r') src.atLineStart = false; }
    }
  }

  private span(src: Source, start: { line: number; col: number }): SourceLoc {
    return { file: src.file, line: start.line, col: start.col, endLine: src.line, endCol: src.col };
  }

  private errTok(msg: string, loc: SourceLoc): Token {
    return { kind: 'error', text: msg, loc };
  }

  /** Skips whitespace, comments and include directives. Returns an error token for bad trivia. */
  private skipTrivia(src: Source): Token | undefined {
    const t = src.text;
    while (src.pos < t.length) {
      const c = t[src.pos];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v') { this.advance(src, 1); continue; }
      if (c === '/' && t[src.pos + 1] === '/') {
        const nl = t.indexOf('\n', src.pos);
        this.advance(src, (nl < 0 ? t.length : nl) - src.pos);
        continue;
      }
      if (c === '/' && t[src.pos + 1] === '*') {
        const start = { line: src.line, col: src.col };
        const close = t.indexOf('*/', src.pos + 2);
        if (close < 0) {
          const loc = this.span(src, start);
          this.advance(src, t.length - src.pos);
          return this.errTok("unterminated comment: '/*' has no matching '*/'", loc);
        }
        this.advance(src, close + 2 - src.pos);
        continue;
      }
      if (c === '/' && t.startsWith('/include/', src.pos)) {
        const start = { line: src.line, col: src.col };
        this.advance(src, 9);
        return this.include(src, start, false);
      }
      if (c === '#' && src.atLineStart) {
        const word = /#[ \t]*([a-zA-Z_]+|[0-9]+)(?![a-zA-Z0-9_,.+*#?@-])/y;
        word.lastIndex = src.pos;
        const w = word.exec(t);
        if (w) {
          const start = { line: src.line, col: src.col };
          if (w[1] === 'include') {
            this.advance(src, w[0].length);
            return this.include(src, start, true);
          }
          if (/^[0-9]+$/.test(w[1]) || CPP_DIRECTIVES.has(w[1])) {
            // '# 12 "file"' is a cpp line marker and is skipped like dtc does; other cpp
            // directives mean the file needed the preprocessor, which we do not run.
            const nl = t.indexOf('\n', src.pos);
            const isMarker = /^[0-9]+$/.test(w[1]);
            const loc = { ...this.span(src, start), endCol: start.col + w[0].length };
            this.advance(src, (nl < 0 ? t.length : nl) - src.pos);
            if (isMarker) continue;
            return this.errTok(`C preprocessor directive '#${w[1]}' is not supported; run the file through cpp first or remove it`, loc);
          }
        }
      }
      return undefined;
    }
    return undefined;
  }

  private include(src: Source, start: { line: number; col: number }, cpp: boolean): Token | undefined {
    const t = src.text;
    while (src.pos < t.length && (t[src.pos] === ' ' || t[src.pos] === '\t')) this.advance(src, 1);
    const open = t[src.pos];
    const close = open === '"' ? '"' : open === '<' && cpp ? '>' : '';
    if (!close) {
      return this.errTok(cpp ? "expected \"file\" or <file> after '#include'" : "expected \"file\" after '/include/'", this.span(src, start));
    }
    const end = t.indexOf(close, src.pos + 1);
    const nl = t.indexOf('\n', src.pos + 1);
    if (end < 0 || (nl >= 0 && nl < end)) {
      const loc = this.span(src, start);
      this.advance(src, (nl < 0 ? t.length : nl) - src.pos);
      return this.errTok('unterminated include file name', loc);
    }
    const name = t.slice(src.pos + 1, end);
    this.advance(src, end + 1 - src.pos);
    const loc = this.span(src, start);
    if (!this.opts) return this.errTok(`cannot include '${name}': no readFile was given to the parser`, loc);
    if (this.stack.length > this.maxDepth) {
      return this.errTok(`cannot include '${name}': includes are nested deeper than ${this.maxDepth} levels`, loc);
    }
    if (++this.includeCount > MAX_INCLUDES) return this.errTok(`cannot include '${name}': more than ${MAX_INCLUDES} includes in one parse`, loc);
    let found: { path: string; text: string } | undefined;
    try {
      found = this.opts.readFile(name, src.file);
    } catch (e) {
      return this.errTok(`cannot read include file '${name}': ${e instanceof Error ? e.message : String(e)}`, loc);
    }
    if (!found) return this.errTok(`cannot find include file '${name}'`, loc);
    const cycle = this.stack.findIndex((s) => s.file === found!.path);
    if (cycle >= 0) {
      const chain = [...this.stack.slice(cycle).map((s) => s.file), found.path].join(' -> ');
      return this.errTok(`include cycle: ${chain}`, loc);
    }
    if (!this.files.includes(found.path)) this.files.push(found.path);
    this.stack.push({ file: found.path, text: found.text, pos: 0, line: 1, col: 1, atLineStart: true });
    return undefined;
  }

  private lexIn(src: Source, mode: LexMode): Token {
    const t = src.text;
    if (src.pos >= t.length) return { kind: 'eof', text: '', loc: this.here(src) };
    const c = t[src.pos];
    const start = { line: src.line, col: src.col };
    if (c === '"') return this.lexString(src);
    if (c === "'") return this.lexChar(src);
    if (c === '&') {
      if (t[src.pos + 1] === '{') {
        const end = t.indexOf('}', src.pos + 2);
        const m = /[^a-zA-Z0-9,._+*#?@/-]/g;
        m.lastIndex = src.pos + 2;
        const bad = m.exec(t);
        if (end < 0 || (bad && bad.index < end)) {
          this.advance(src, 2);
          return this.errTok("unterminated path reference: '&{' must be followed by a path and '}'", this.span(src, start));
        }
        const path = t.slice(src.pos + 2, end);
        this.advance(src, end + 1 - src.pos);
        return { kind: 'pathref', text: path, loc: this.span(src, start) };
      }
      if (isLabelStart(t[src.pos + 1] ?? '')) {
        let e = src.pos + 1;
        while (e < t.length && isLabelChar(t[e])) e++;
        const name = t.slice(src.pos + 1, e);
        this.advance(src, e - src.pos);
        return { kind: 'ref', text: name, loc: this.span(src, start) };
      }
    }
    return mode === 'cells' ? this.lexCells(src, start) : this.lexNormal(src, start);
  }

  private lexNormal(src: Source, start: { line: number; col: number }): Token {
    const t = src.text;
    const c = t[src.pos];
    if (c === '/') {
      const m = /\/([a-z0-9-]+)\//y;
      m.lastIndex = src.pos;
      const d = m.exec(t);
      if (d && DIRECTIVES.has(d[1])) {
        this.advance(src, d[0].length);
        return { kind: 'directive', text: d[1], loc: this.span(src, start) };
      }
      if (d && /[a-z]/.test(d[1][0])) {
        this.advance(src, d[0].length);
        return this.errTok(`unknown directive '${d[0]}'`, this.span(src, start));
      }
    }
    // A leading ',' is the value separator, never the start of a name (no valid name begins with one).
    if (isNameChar(c) && c !== ',') {
      let e = src.pos;
      while (e < t.length && isNameChar(t[e])) e++;
      const name = t.slice(src.pos, e);
      if (t[e] === ':') {
        this.advance(src, e + 1 - src.pos);
        const loc = this.span(src, start);
        if (!isValidLabel(name)) return this.errTok(`invalid label '${name}': labels use only letters, digits and '_' and do not start with a digit`, loc);
        return { kind: 'label', text: name, loc };
      }
      this.advance(src, e - src.pos);
      return { kind: 'name', text: name, loc: this.span(src, start) };
    }
    if ('{};=<>[],/()&'.includes(c)) {
      this.advance(src, 1);
      return { kind: 'punct', text: c, loc: this.span(src, start) };
    }
    const cp = t.codePointAt(src.pos) ?? 0;
    this.advance(src, cp > 0xffff ? 2 : 1);
    return this.errTok(`unexpected character '${String.fromCodePoint(cp)}'`, this.span(src, start));
  }

  private lexCells(src: Source, start: { line: number; col: number }): Token {
    const t = src.text;
    const c = t[src.pos];
    if (/[0-9]/.test(c)) {
      const m = /(0[xX][0-9a-fA-F]+|[0-9]+)([uUlL]*)/y;
      m.lastIndex = src.pos;
      const d = m.exec(t)!;
      let e = src.pos + d[0].length;
      const tail = /[a-zA-Z0-9_]*/y;
      tail.lastIndex = e;
      const extra = tail.exec(t)![0];
      e += extra.length;
      const raw = t.slice(src.pos, e);
      this.advance(src, e - src.pos);
      const loc = this.span(src, start);
      if (extra || !/^(u|l|ul|lu|ll|ull|llu)?$/i.test(d[2])) return this.errTok(`invalid integer literal '${raw}'`, loc);
      const digits = d[1];
      let value: bigint;
      if (/^0[xX]/.test(digits)) value = BigInt(digits);
      else if (digits.length > 1 && digits[0] === '0') {
        if (/[89]/.test(digits)) return this.errTok(`invalid octal literal '${raw}': digits 8 and 9 are not octal`, loc);
        value = BigInt('0o' + digits.slice(1));
      } else value = BigInt(digits);
      if (value > 0xffffffffffffffffn) return this.errTok(`integer literal '${raw}' does not fit in 64 bits`, loc);
      return { kind: 'int', text: raw, loc, value };
    }
    if (isLabelStart(c)) {
      let e = src.pos;
      while (e < t.length && isLabelChar(t[e])) e++;
      const name = t.slice(src.pos, e);
      if (t[e] === ':') {
        this.advance(src, e + 1 - src.pos);
        return { kind: 'label', text: name, loc: this.span(src, start) };
      }
      this.advance(src, e - src.pos);
      return this.errTok(`unexpected '${name}' in a cell list: macros are not expanded here (run the file through cpp first)`, this.span(src, start));
    }
    for (const op of OPS2) {
      if (t.startsWith(op, src.pos)) {
        this.advance(src, 2);
        return { kind: 'punct', text: op, loc: this.span(src, start) };
      }
    }
    if (OPS1.includes(c) || ';,{}[]='.includes(c)) {
      this.advance(src, 1);
      return { kind: 'punct', text: c, loc: this.span(src, start) };
    }
    const cp = t.codePointAt(src.pos) ?? 0;
    this.advance(src, cp > 0xffff ? 2 : 1);
    return this.errTok(`unexpected character '${String.fromCodePoint(cp)}' in a cell list`, this.span(src, start));
  }

  /** Reads one escape after a backslash at src.pos; returns the byte value. */
  private escape(src: Source): number {
    const t = src.text;
    const c = t[src.pos + 1] ?? '';
    const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '\\': 92, '"': 34, "'": 39 };
    if (c in simple) { this.advance(src, 2); return simple[c]; }
    if (c === 'x') {
      const m = /[0-9a-fA-F]{1,2}/y;
      m.lastIndex = src.pos + 2;
      const d = m.exec(t);
      if (d) { this.advance(src, 2 + d[0].length); return parseInt(d[0], 16); }
      this.advance(src, 2);
      return 'x'.charCodeAt(0);
    }
    if (/[0-7]/.test(c)) {
      const m = /[0-7]{1,3}/y;
      m.lastIndex = src.pos + 1;
      const d = m.exec(t)!;
      this.advance(src, 1 + d[0].length);
      return parseInt(d[0], 8) & 0xff;
    }
    // dtc keeps an unknown escaped character as itself.
    this.advance(src, 1);
    return -1;
  }

  private lexString(src: Source): Token {
    const t = src.text;
    const start = { line: src.line, col: src.col };
    const startLoc = this.here(src);
    this.advance(src, 1);
    const bytes: number[] = [];
    while (src.pos < t.length) {
      const c = t[src.pos];
      if (c === '"') {
        this.advance(src, 1);
        const raw = Uint8Array.from(bytes);
        return { kind: 'string', text: new TextDecoder().decode(raw), loc: this.span(src, start), bytes: raw };
      }
      if (c === '\\') {
        if (src.pos + 1 >= t.length) break;
        const b = this.escape(src);
        if (b >= 0) { bytes.push(b); continue; }
      }
      const cp = t.codePointAt(src.pos)!;
      utf8(cp, bytes);
      this.advance(src, cp > 0xffff ? 2 : 1);
    }
    return this.errTok('unterminated string: missing closing \'"\'', { ...startLoc, endCol: startLoc.col + 1 });
  }

  private lexChar(src: Source): Token {
    const t = src.text;
    const start = { line: src.line, col: src.col };
    const startLoc = this.here(src);
    this.advance(src, 1);
    let value = -1;
    if (t[src.pos] === '\\' && src.pos + 1 < t.length) {
      value = this.escape(src);
      if (value < 0) { value = t.charCodeAt(src.pos); this.advance(src, 1); }
    } else if (src.pos < t.length && t[src.pos] !== "'" && t[src.pos] !== '\n') {
      value = t.codePointAt(src.pos)!;
      this.advance(src, value > 0xffff ? 2 : 1);
    }
    if (t[src.pos] !== "'" || value < 0) {
      // Stop at the end of the line so one bad quote does not swallow the file.
      const nl = t.indexOf('\n', src.pos);
      const q = t.indexOf("'", src.pos);
      const stop = q >= 0 && (nl < 0 || q < nl) ? q + 1 : nl < 0 ? t.length : nl;
      this.advance(src, stop - src.pos);
      return this.errTok("invalid character literal: expected one character between single quotes, like 'a'", { ...startLoc, endCol: startLoc.col + 1 });
    }
    this.advance(src, 1);
    return { kind: 'char', text: String.fromCodePoint(value), loc: this.span(src, start), value: BigInt(value) };
  }
}
