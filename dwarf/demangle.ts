// Symbol demangling for display: Rust v0 (RFC 2603), Rust legacy (`_ZN...17h<hash>E`) and
// C++ (Itanium C++ ABI §5.1). Names that do not parse come back unchanged; the work per name
// is bounded (input length, recursion depth, output size) so hostile symbol tables cannot hang us.

const MAX_DEPTH = 200;
const MAX_OUT = 1 << 14;

class Fail extends Error {}
const fail = (): never => { throw new Fail(); };

/** The display form of a mangled name, or the name itself when it is not one we understand. */
export function demangle(name: string): string {
  if (name.startsWith('_R')) return demangleRustV0(name) ?? name;
  if (name.startsWith('_ZN') || name.startsWith('__ZN')) {
    const legacy = demangleRustLegacy(name);
    if (legacy !== undefined) return legacy;
  }
  if (name.startsWith('_Z')) return demangleCxx(name) ?? name;
  return name;
}

// ---------------------------------------------------------------------------------------------
// Rust legacy: an Itanium-style nested name whose last component is "h" + 16 hex digits, with
// `$..$` escapes for punctuation. The hash is dropped, as rustc-demangle's alternate format does.

const LEGACY_ESCAPES: Record<string, string> = {
  SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',',
};

export function demangleRustLegacy(name: string): string | undefined {
  let s = name.startsWith('__ZN') ? name.slice(1) : name;
  if (!s.startsWith('_ZN')) return undefined;
  // A ".llvm.NNNN" suffix from LTO is not part of the name.
  const dot = s.indexOf('.llvm.');
  if (dot >= 0) s = s.slice(0, dot);
  let i = 3;
  const parts: string[] = [];
  while (i < s.length && s[i] !== 'E') {
    let len = 0;
    const st = i;
    while (i < s.length && s[i] >= '0' && s[i] <= '9') { len = len * 10 + (s.charCodeAt(i) - 48); i++; if (len > s.length) return undefined; }
    if (i === st || len === 0 || i + len > s.length) return undefined;
    parts.push(s.slice(i, i + len));
    i += len;
  }
  if (i !== s.length - 1 || parts.length < 2) return undefined;
  const hash = parts[parts.length - 1];
  if (!/^h[0-9a-f]{16}$/.test(hash)) return undefined;
  const out: string[] = [];
  for (const p of parts.slice(0, -1)) {
    const d = legacyComponent(p);
    if (d === undefined) return undefined;
    out.push(d);
  }
  return out.join('::');
}

function legacyComponent(p: string): string | undefined {
  let r = p.startsWith('_$') ? p.slice(1) : p;
  let out = '';
  while (r.length > 0) {
    if (r.startsWith('..')) { out += '::'; r = r.slice(2); continue; }
    if (r[0] === '$') {
      const end = r.indexOf('$', 1);
      if (end < 0) return undefined;
      const esc = r.slice(1, end);
      if (LEGACY_ESCAPES[esc] !== undefined) out += LEGACY_ESCAPES[esc];
      else if (/^u[0-9a-f]{1,6}$/.test(esc)) {
        const cp = parseInt(esc.slice(1), 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
        out += String.fromCodePoint(cp);
      } else return undefined;
      r = r.slice(end + 1);
      continue;
    }
    out += r[0];
    r = r.slice(1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rust v0 (RFC 2603, "Rust Symbol Mangling (v0)", and the rustc-demangle display conventions).

const RUST_BASIC: Record<string, string> = {
  a: 'i8', b: 'bool', c: 'char', d: 'f64', e: 'str', f: 'f32', h: 'u8', i: 'isize', j: 'usize', l: 'i32', m: 'u32',
  n: 'i128', o: 'u128', s: 'i16', t: 'u16', u: '()', v: '...', x: 'i64', y: 'u64', z: '!', p: '_',
};
const RUST_INT_CONST = new Set(['a', 'h', 'i', 'j', 'l', 'm', 'n', 'o', 's', 't', 'x', 'y']);

export function demangleRustV0(name: string): string | undefined {
  let s = name;
  const dot = s.indexOf('.');
  if (dot >= 0) s = s.slice(0, dot); // ".llvm.*" and similar suffixes
  if (!s.startsWith('_R')) return undefined;
  try {
    const p = new RustV0(s.slice(2));
    if (p.peek() >= '0' && p.peek() <= '9') p.decimal(); // encoding version; only 0 (implicit) exists
    p.path(true);
    // An instantiating-crate path may follow; it is not displayed.
    return p.out;
  } catch (e) {
    if (e instanceof Fail || e instanceof RangeError) return undefined;
    throw e;
  }
}

class RustV0 {
  pos = 0;
  out = '';
  private depth = 0;
  private boundLifetimes = 0;

  constructor(private readonly s: string) {}

  peek(): string { return this.s[this.pos] ?? ''; }
  private next(): string { if (this.pos >= this.s.length) fail(); return this.s[this.pos++]; }
  private eat(c: string): boolean { if (this.s[this.pos] === c) { this.pos++; return true; } return false; }
  private emit(t: string): void { this.out += t; if (this.out.length > MAX_OUT) fail(); }
  private enter(): void { if (++this.depth > MAX_DEPTH) fail(); }

  decimal(): number {
    const st = this.pos;
    if (this.peek() === '0') { this.pos++; return 0; }
    let v = 0;
    while (this.peek() >= '0' && this.peek() <= '9') { v = v * 10 + (this.s.charCodeAt(this.pos++) - 48); if (v > 1e9) fail(); }
    if (this.pos === st) fail();
    return v;
  }

  /** <base-62-number> = {0-9a-zA-Z} "_": "_" is 0, otherwise the digits' value plus one. */
  private base62(): number {
    if (this.eat('_')) return 0;
    let v = 0;
    // Crate disambiguators are 64-bit hashes (11 digits); they are never displayed, so an
    // inexact double is fine. Anything longer is not a valid symbol.
    for (let n = 0; ; n++) {
      const c = this.next();
      if (c === '_') return v + 1;
      const d = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c >= 'a' && c <= 'z' ? c.charCodeAt(0) - 87 : c >= 'A' && c <= 'Z' ? c.charCodeAt(0) - 29 : fail();
      v = v * 62 + d;
      if (n > 12) fail();
    }
  }

  private disambiguator(): number { return this.eat('s') ? this.base62() + 1 : 0; }

  private ident(): { name: string; dis: number } {
    const dis = this.disambiguator();
    return { name: this.undisambiguatedIdent(), dis };
  }

  private undisambiguatedIdent(): string {
    const puny = this.eat('u');
    const len = this.decimal();
    this.eat('_');
    if (this.pos + len > this.s.length) fail();
    const raw = this.s.slice(this.pos, this.pos + len);
    this.pos += len;
    return puny ? punycodeDecode(raw) : raw;
  }

  /** Runs `f` with the cursor at a backref target, then restores it (RFC 2603: "B" <base-62>). */
  private backref(f: () => void): void {
    const at = this.pos - 1;
    const target = this.base62();
    if (target >= at) fail(); // must point strictly backwards, so backrefs cannot loop
    const save = this.pos;
    this.pos = target;
    f();
    this.pos = save;
  }

  path(inValue: boolean): void {
    this.enter();
    const tag = this.next();
    switch (tag) {
      case 'C': this.emit(this.ident().name); break;
      case 'M': this.disambiguator(); this.skipPath(); this.emit('<'); this.type(); this.emit('>'); break;
      case 'X': this.disambiguator(); this.skipPath(); this.emit('<'); this.type(); this.emit(' as '); this.path(false); this.emit('>'); break;
      case 'Y': this.emit('<'); this.type(); this.emit(' as '); this.path(false); this.emit('>'); break;
      case 'N': {
        const ns = this.next();
        this.path(inValue);
        const { name, dis } = this.ident();
        if (ns >= 'A' && ns <= 'Z') {
          this.emit(`::{${ns === 'C' ? 'closure' : ns === 'S' ? 'shim' : ns}${name ? `:${name}` : ''}#${dis}}`);
        } else if (ns >= 'a' && ns <= 'z') {
          if (name) this.emit(`::${name}`);
        } else fail();
        break;
      }
      case 'I': {
        this.path(inValue);
        this.emit(inValue ? '::<' : '<');
        this.list('E', () => this.genericArg());
        this.emit('>');
        break;
      }
      case 'B': this.backref(() => this.path(inValue)); break;
      default: fail();
    }
    this.depth--;
  }

  /** Impl paths are not displayed (rustc-demangle shows only the self type and trait). */
  private skipPath(): void {
    const save = this.out;
    this.path(false);
    this.out = save;
  }

  private list(end: string, item: () => void): void {
    for (let i = 0; !this.eat(end); i++) {
      if (this.pos >= this.s.length) fail();
      if (i > 0) this.emit(', ');
      item();
    }
  }

  private genericArg(): void {
    if (this.eat('L')) this.lifetime(this.base62());
    else if (this.eat('K')) this.constValue();
    else this.type();
  }

  private lifetime(i: number): void {
    if (i === 0) { this.emit("'_"); return; }
    const depth = this.boundLifetimes - i;
    if (depth < 0) fail();
    this.emit(depth < 26 ? `'${String.fromCharCode(97 + depth)}` : `'_${depth}`);
  }

  private binder(f: () => void): void {
    const n = this.eat('G') ? this.base62() + 1 : 0;
    if (n > 64) fail();
    if (n > 0) {
      this.emit('for<');
      for (let i = 0; i < n; i++) { if (i) this.emit(', '); this.boundLifetimes++; this.lifetime(1); }
      this.emit('> ');
    }
    f();
    this.boundLifetimes -= n;
  }

  private type(): void {
    this.enter();
    const c = this.peek();
    if (RUST_BASIC[c] !== undefined) { this.pos++; this.emit(RUST_BASIC[c]); this.depth--; return; }
    this.pos++;
    switch (c) {
      case 'R': case 'Q': {
        this.emit('&');
        if (this.eat('L')) { const l = this.base62(); if (l !== 0) { this.lifetime(l); this.emit(' '); } }
        if (c === 'Q') this.emit('mut ');
        this.type();
        break;
      }
      case 'P': this.emit('*const '); this.type(); break;
      case 'O': this.emit('*mut '); this.type(); break;
      case 'A': this.emit('['); this.type(); this.emit('; '); this.constValue(); this.emit(']'); break;
      case 'S': this.emit('['); this.type(); this.emit(']'); break;
      case 'T': {
        this.emit('(');
        let n = 0;
        this.list('E', () => { n++; this.type(); });
        this.emit(n === 1 ? ',)' : ')');
        break;
      }
      case 'F': this.binder(() => {
        if (this.eat('U')) this.emit('unsafe ');
        if (this.eat('K')) {
          const abi = this.eat('C') ? 'C' : this.undisambiguatedIdent().replace(/_/g, '-');
          this.emit(`extern "${abi}" `);
        }
        this.emit('fn(');
        this.list('E', () => this.type());
        this.emit(')');
        if (this.peek() === 'u') this.pos++;
        else { this.emit(' -> '); this.type(); }
      }); break;
      case 'D': {
        this.emit('dyn ');
        this.binder(() => {
          let i = 0;
          while (!this.eat('E')) {
            if (this.pos >= this.s.length) fail();
            if (i++) this.emit(' + ');
            this.dynTrait();
          }
        });
        if (!this.eat('L')) fail();
        const l = this.base62();
        if (l !== 0) { this.emit(' + '); this.lifetime(l); }
        break;
      }
      case 'B': this.backref(() => this.type()); break;
      default: this.pos--; this.path(false);
    }
    this.depth--;
  }

  private dynTrait(): void {
    // A dyn trait is a path whose generic list may be extended by associated-type bindings.
    const start = this.out.length;
    this.path(false);
    let open = false;
    while (this.eat('p')) {
      if (!open) {
        if (this.out.endsWith('>')) { this.out = this.out.slice(0, -1); this.emit(', '); } else this.emit('<');
        open = true;
      } else this.emit(', ');
      this.emit(`${this.undisambiguatedIdent()} = `);
      this.type();
    }
    if (open) this.emit('>');
    if (this.out.length < start) fail();
  }

  private constValue(): void {
    this.enter();
    if (this.eat('p')) { this.emit('_'); this.depth--; return; }
    if (this.eat('B')) { this.pos--; this.pos++; this.backref(() => this.constValue()); this.depth--; return; }
    const t = this.next();
    if (RUST_INT_CONST.has(t)) {
      const neg = this.eat('n');
      this.emit((neg ? '-' : '') + this.hexValue());
    } else if (t === 'b') {
      const v = this.hexValue();
      this.emit(v === '0' ? 'false' : v === '1' ? 'true' : fail());
    } else if (t === 'c') {
      const v = Number(this.hexValue());
      if (v > 0x10ffff) fail();
      this.emit(`'${String.fromCodePoint(v)}'`);
    } else fail();
    this.depth--;
  }

  private hexValue(): string {
    let v = 0n;
    let n = 0;
    for (;;) {
      const c = this.next();
      if (c === '_') break;
      const d = parseInt(c, 16);
      if (Number.isNaN(d) || ++n > 32) fail();
      v = v * 16n + BigInt(d);
    }
    return v.toString();
  }
}

/** RFC 3492 decoding, with Rust v0's "_" in place of "-" as the basic/extended delimiter. */
function punycodeDecode(input: string): string {
  const base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700;
  const delim = input.lastIndexOf('_');
  const out: number[] = [];
  for (const ch of delim >= 0 ? input.slice(0, delim) : '') out.push(ch.charCodeAt(0));
  let n = 128, i = 0, bias = 72;
  let p = delim >= 0 ? delim + 1 : 0;
  const adapt = (delta: number, numPoints: number, first: boolean) => {
    delta = first ? Math.floor(delta / damp) : delta >> 1;
    delta += Math.floor(delta / numPoints);
    let k = 0;
    while (delta > ((base - tMin) * tMax) >> 1) { delta = Math.floor(delta / (base - tMin)); k += base; }
    return k + Math.floor(((base - tMin + 1) * delta) / (delta + skew));
  };
  while (p < input.length) {
    const oldi = i;
    let w = 1;
    for (let k = base; ; k += base) {
      if (p >= input.length) fail();
      const c = input.charCodeAt(p++);
      const digit = c >= 97 && c <= 122 ? c - 97 : c >= 48 && c <= 57 ? c - 22 : fail();
      i += digit * w;
      const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
      if (digit < t) break;
      w *= base - t;
      if (i > 0x10ffff * (out.length + 1) || w > 2 ** 40) fail();
    }
    bias = adapt(i - oldi, out.length + 1, oldi === 0);
    n += Math.floor(i / (out.length + 1));
    i %= out.length + 1;
    if (n > 0x10ffff || out.length > 1024) fail();
    out.splice(i, 0, n);
    i++;
  }
  return String.fromCodePoint(...out);
}

// ---------------------------------------------------------------------------------------------
// C++ (Itanium C++ ABI §5.1 "External Names"). Covers what embedded C++ symbol tables contain:
// nested and local names, templates, substitutions, ctors/dtors, operators, special names
// (vtables, typeinfo, guards, thunks), function and pointer-to-member types, literals, and the
// common expression forms in template arguments. Anything else leaves the name mangled.

const CXX_BUILTIN: Record<string, string> = {
  v: 'void', w: 'wchar_t', b: 'bool', c: 'char', a: 'signed char', h: 'unsigned char', s: 'short', t: 'unsigned short',
  i: 'int', j: 'unsigned int', l: 'long', m: 'unsigned long', x: 'long long', y: 'unsigned long long', n: '__int128',
  o: 'unsigned __int128', f: 'float', d: 'double', e: 'long double', g: '__float128', z: '...',
};
const CXX_BUILTIN_D: Record<string, string> = {
  d: 'decimal64', e: 'decimal128', f: 'decimal32', h: 'half', i: 'char32_t', s: 'char16_t', u: 'char8_t', a: 'auto',
  c: 'decltype(auto)', n: 'decltype(nullptr)',
};
// [name, arity] per §5.1.5 <operator-name>.
const CXX_OPS: Record<string, [string, number]> = {
  nw: ['new', 1], na: ['new[]', 1], dl: ['delete', 1], da: ['delete[]', 1], ps: ['+', 1], ng: ['-', 1], ad: ['&', 1],
  de: ['*', 1], co: ['~', 1], pl: ['+', 2], mi: ['-', 2], ml: ['*', 2], dv: ['/', 2], rm: ['%', 2], an: ['&', 2],
  or: ['|', 2], eo: ['^', 2], aS: ['=', 2], pL: ['+=', 2], mI: ['-=', 2], mL: ['*=', 2], dV: ['/=', 2], rM: ['%=', 2],
  aN: ['&=', 2], oR: ['|=', 2], eO: ['^=', 2], ls: ['<<', 2], rs: ['>>', 2], lS: ['<<=', 2], rS: ['>>=', 2], eq: ['==', 2],
  ne: ['!=', 2], lt: ['<', 2], gt: ['>', 2], le: ['<=', 2], ge: ['>=', 2], ss: ['<=>', 2], nt: ['!', 1], aa: ['&&', 2],
  oo: ['||', 2], pp: ['++', 1], mm: ['--', 1], cm: [',', 2], pm: ['->*', 2], pt: ['->', 2], cl: ['()', 2], ix: ['[]', 2],
  qu: ['?', 3], st: ['sizeof ', 1], sz: ['sizeof ', 1], at: ['alignof ', 1], az: ['alignof ', 1],
};
const CXX_STD_SUBS: Record<string, string> = {
  t: 'std', a: 'std::allocator', b: 'std::basic_string',
  s: 'std::basic_string<char, std::char_traits<char>, std::allocator<char> >',
  i: 'std::basic_istream<char, std::char_traits<char> >',
  o: 'std::basic_ostream<char, std::char_traits<char> >',
  d: 'std::basic_iostream<char, std::char_traits<char> >',
};
// The names ctors/dtors take inside the abbreviations (§5.1.8: Ss, Si, So, Sd).
const CXX_STD_SUB_LAST: Record<string, string> = {
  a: 'allocator', b: 'basic_string', s: 'basic_string', i: 'basic_istream', o: 'basic_ostream', d: 'basic_iostream',
};

/**
 * A demangled type, kept in parts so that declarators compose: `int (*)[3]`, `void (&)(int)`.
 * `pre` + inner + `post`, where inner is where a declarator (pointer, name) goes.
 */
interface CxxType {
  pre: string;
  post: string;
  /** A function or array type with no declarator yet: one must be parenthesised. */
  fn?: boolean;
  arr?: boolean;
  /** Already holds a parenthesised declarator; further ones go inside it. */
  decl?: boolean;
  /** The outermost declarator is a reference (for reference collapsing). */
  ref?: '&' | '&&';
  /** A template argument pack (J...E), element by element. */
  pack?: CxxType[];
}
const plain = (s: string): CxxType => ({ pre: s, post: '' });
const typeStr = (t: CxxType) => `${t.pre}${t.post}`;

export function demangleCxx(name: string): string | undefined {
  const s = name.startsWith('__Z') ? name.slice(1) : name;
  if (!s.startsWith('_Z') || s.length > 4096) return undefined;
  try {
    const p = new Cxx(s);
    p.pos = 2;
    let r = p.encoding(true);
    // Clone suffixes (§5.1.2): ".constprop.0", ".isra.0", ".part.1", ".cold".
    if (p.pos < s.length) {
      const rest = s.slice(p.pos);
      if (!/^(\.[A-Za-z_]+(\.\d+)*)+$/.test(rest)) return undefined;
      r += ` [clone ${rest}]`.replace(/\]$/, ']');
      r = r.replace(/ \[clone (\.[^\]]*)\]$/, (_m, g: string) => g.split(/(?=\.[A-Za-z_])/).map((c) => ` [clone ${c}]`).join(''));
    }
    return r;
  } catch (e) {
    if (e instanceof Fail) return undefined;
    throw e;
  }
}

class Cxx {
  pos = 0;
  private subs: CxxType[] = [];
  private tmplArgs: CxxType[] = [];
  private depth = 0;
  private outLen = 0;

  constructor(private readonly s: string) {}

  private peek(o = 0): string { return this.s[this.pos + o] ?? ''; }
  private next(): string { if (this.pos >= this.s.length) fail(); return this.s[this.pos++]; }
  private eat(t: string): boolean { if (this.s.startsWith(t, this.pos)) { this.pos += t.length; return true; } return false; }
  private expect(t: string): void { if (!this.eat(t)) fail(); }
  private enter(): void { if (++this.depth > MAX_DEPTH) fail(); }
  private grow(t: string): string { this.outLen += t.length; if (this.outLen > MAX_OUT * 8 || t.length > MAX_OUT) fail(); return t; }

  private number(): number {
    const neg = this.eat('n');
    const st = this.pos;
    let v = 0;
    while (this.peek() >= '0' && this.peek() <= '9') { v = v * 10 + (this.s.charCodeAt(this.pos++) - 48); if (v > 1e9) fail(); }
    if (this.pos === st) fail();
    return neg ? -v : v;
  }

  private seqId(): number {
    // <seq-id> is base 36 with digits 0-9A-Z; "S_" is 0 and "S<n>_" is n+1.
    if (this.eat('_')) return 0;
    let v = 0;
    for (;;) {
      const c = this.next();
      if (c === '_') return v + 1;
      const d = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c >= 'A' && c <= 'Z' ? c.charCodeAt(0) - 55 : fail();
      v = v * 36 + d;
      if (v > 1e6) fail();
    }
  }

  /** <encoding> = <function name> <bare-function-type> | <data name> | <special-name> */
  encoding(top: boolean, showReturn = true): string {
    this.enter();
    if (this.peek() === 'T' || this.peek() === 'G') { const r = this.specialName(); this.depth--; return r; }
    const savedArgs = this.tmplArgs;
    const n = this.name();
    if (n.template) this.tmplArgs = this.lastArgs;
    let r: string;
    if (this.pos >= this.s.length || this.peek() === 'E' || this.peek() === '.') {
      r = n.text;
    } else {
      // Template functions encode their return type first (§5.1.3), except ctors/dtors/conversions.
      // Template parameters in the signature refer to the function's own arguments (§5.1.8),
      // not to whatever template-id a parameter type parsed last.
      const fnArgs = this.tmplArgs;
      let ret = '';
      if (n.template && !n.ctorDtor) { const t = this.type(); if (showReturn) ret = typeStr(t) + ' '; }
      this.tmplArgs = fnArgs;
      const params = this.bareFunctionParams(fnArgs);
      r = `${ret}${n.text}(${params})${n.quals}`;
    }
    if (!top) this.tmplArgs = savedArgs;
    this.depth--;
    return this.grow(r);
  }

  private bareFunctionParams(fnArgs: CxxType[]): string {
    const ps: string[] = [];
    const st = this.pos;
    while (this.pos < this.s.length && this.peek() !== 'E' && this.peek() !== '.') {
      this.tmplArgs = fnArgs;
      const t = typeStr(this.type());
      if (t !== '') ps.push(t);
      if (ps.length > 256) fail();
    }
    if (this.pos === st) fail();
    return ps.length === 1 && ps[0] === 'void' ? '' : ps.join(', ');
  }

  private specialName(): string {
    if (this.eat('TV')) return `vtable for ${typeStr(this.type())}`;
    if (this.eat('TT')) return `VTT for ${typeStr(this.type())}`;
    if (this.eat('TC')) {
      const derived = typeStr(this.type());
      this.number();
      this.expect('_');
      return `construction vtable for ${typeStr(this.type())}-in-${derived}`;
    }
    if (this.eat('TI')) return `typeinfo for ${typeStr(this.type())}`;
    if (this.eat('TS')) return `typeinfo name for ${typeStr(this.type())}`;
    if (this.eat('TH')) return `TLS init function for ${this.name().text}`;
    if (this.eat('TW')) return `TLS wrapper function for ${this.name().text}`;
    if (this.eat('Th')) { this.number(); this.expect('_'); return `non-virtual thunk to ${this.encoding(false)}`; }
    if (this.eat('Tv')) { this.number(); this.expect('_'); this.number(); this.expect('_'); return `virtual thunk to ${this.encoding(false)}`; }
    if (this.eat('Tc')) { for (let k = 0; k < 2; k++) this.callOffset(); return `covariant return thunk to ${this.encoding(false)}`; }
    if (this.eat('GV')) return `guard variable for ${this.name().text}`;
    if (this.eat('GR')) { const n = this.name().text; while (this.peek() !== '_' && this.pos < this.s.length) this.pos++; this.expect('_'); return `reference temporary for ${n}`; }
    if (this.eat('GTt')) return `transaction clone for ${this.encoding(false)}`;
    return fail();
  }

  private callOffset(): void {
    if (this.eat('h')) { this.number(); this.expect('_'); } else if (this.eat('v')) { this.number(); this.expect('_'); this.number(); this.expect('_'); } else fail();
  }

  /** <name>: returns the text, whether it ends in template args, cv/ref qualifiers of a member function. */
  private name(): { text: string; template: boolean; ctorDtor: boolean; quals: string } {
    this.enter();
    let r: { text: string; template: boolean; ctorDtor: boolean; quals: string };
    if (this.peek() === 'N') r = this.nestedName();
    else if (this.peek() === 'Z') r = this.localName();
    else {
      let text: string;
      let isSub = false;
      if (this.peek() === 'S' && this.peek(1) !== 't') { text = typeStr(this.substitution()); isSub = true; }
      else { this.eat('St') ? (text = 'std::' + this.unqualifiedName('').text) : (text = this.unqualifiedName('').text); }
      let template = false;
      if (this.peek() === 'I') {
        if (!isSub) this.subs.push(plain(text));
        text = this.withArgs(text);
        template = true;
      }
      r = { text, template, ctorDtor: false, quals: '' };
    }
    this.depth--;
    return r;
  }

  private cvQuals(): string {
    let q = '';
    if (this.eat('r')) q = ' restrict' + q;
    if (this.eat('V')) q = ' volatile' + q;
    if (this.eat('K')) q = ' const' + q;
    // restrict/volatile/const print in the order const volatile restrict.
    return q.split(' ').filter(Boolean).sort((a, b) => ['const', 'volatile', 'restrict'].indexOf(a) - ['const', 'volatile', 'restrict'].indexOf(b)).map((x) => ' ' + x).join('');
  }

  private nestedName(): { text: string; template: boolean; ctorDtor: boolean; quals: string } {
    this.expect('N');
    let quals = this.cvQuals();
    if (this.eat('R')) quals += ' &'; else if (this.eat('O')) quals += ' &&';
    let prefix = '';
    let last = '';
    let template = false;
    let ctorDtor = false;
    for (let guard = 0; !this.eat('E'); guard++) {
      if (guard > 256 || this.pos >= this.s.length) fail();
      template = false;
      if (this.peek() === 'S' && this.peek(1) === 't') {
        this.pos += 2;
        prefix = prefix ? `${prefix}::std` : 'std';
        last = 'std';
        continue;
      }
      if (this.peek() === 'S') {
        const sub = this.substitution();
        prefix = prefix ? `${prefix}::${typeStr(sub)}` : typeStr(sub);
        last = this.lastStdName ?? lastComponent(typeStr(sub));
        this.lastStdName = undefined;
        continue;
      }
      if (this.peek() === 'I') {
        if (!prefix) fail();
        prefix = this.withArgs(prefix);
        template = true;
        if (this.peek() !== 'E') this.subs.push(plain(prefix));
        continue;
      }
      if (this.peek() === 'T') {
        prefix = prefix ? `${prefix}::${typeStr(this.templateParam())}` : typeStr(this.templateParam());
        this.subs.push(plain(prefix));
        continue;
      }
      if (this.peek() === 'D' && (this.peek(1) === 't' || this.peek(1) === 'T')) {
        prefix = typeStr(this.type());
        continue;
      }
      if (this.eat('M')) continue; // <data-member-prefix> closure-context marker
      const u = this.unqualifiedName(last);
      ctorDtor = u.ctorDtor;
      if (!u.ctorDtor) last = u.text.replace(/<.*$/, '').replace(/\[abi:[^\]]*\]/g, '');
      prefix = prefix ? `${prefix}::${u.text}` : u.text;
      if (this.peek() !== 'E') this.subs.push(plain(prefix));
    }
    return { text: prefix, template, ctorDtor, quals };
  }

  private lastStdName: string | undefined;

  private localName(): { text: string; template: boolean; ctorDtor: boolean; quals: string } {
    this.expect('Z');
    const fn = this.encoding(false, false);
    this.expect('E');
    if (this.eat('s')) { this.discriminator(); return { text: `${fn}::string literal`, template: false, ctorDtor: false, quals: '' }; }
    if (this.eat('d')) { if (this.peek() !== '_') this.number(); this.expect('_'); }
    const n = this.name();
    this.discriminator();
    return { text: `${fn}::${n.text}`, template: n.template, ctorDtor: n.ctorDtor, quals: n.quals };
  }

  private discriminator(): void {
    if (this.eat('__')) { this.number(); this.expect('_'); } else if (this.eat('_')) { this.number(); }
  }

  private unqualifiedName(enclosing: string): { text: string; ctorDtor: boolean } {
    const c = this.peek();
    if (c >= '0' && c <= '9') return { text: this.sourceName(), ctorDtor: false };
    if (c === 'C' && /[1-5I]/.test(this.peek(1))) {
      this.pos++;
      if (this.eat('I')) { this.next(); this.type(); } else this.pos++;
      if (!enclosing) fail();
      return { text: enclosing, ctorDtor: true };
    }
    if (c === 'D' && /[0-5]/.test(this.peek(1))) {
      this.pos += 2;
      if (!enclosing) fail();
      return { text: `~${enclosing}`, ctorDtor: true };
    }
    if (c === 'U' && this.peek(1) === 't') {
      this.pos += 2;
      const n = this.peek() === '_' ? 1 : this.number() + 2;
      this.expect('_');
      return { text: `{unnamed type#${n}}`, ctorDtor: false };
    }
    if (c === 'U' && this.peek(1) === 'l') {
      this.pos += 2;
      const ps: string[] = [];
      while (!this.eat('E')) { ps.push(typeStr(this.type())); if (ps.length > 64) fail(); }
      const n = this.peek() === '_' ? 1 : this.number() + 2;
      this.expect('_');
      return { text: `{lambda(${ps.length === 1 && ps[0] === 'void' ? '' : ps.join(', ')})#${n}}`, ctorDtor: false };
    }
    if (c === 'L') { this.pos++; const t = this.sourceName(); this.discriminator(); return { text: t, ctorDtor: false }; }
    const op = this.operatorName();
    if (op === undefined) fail();
    let text = op!;
    if (this.peek() === 'B') text += this.abiTags();
    return { text, ctorDtor: false };
  }

  private operatorName(): string | undefined {
    if (this.eat('cv')) return `operator ${typeStr(this.type())}`;
    if (this.eat('li')) return `operator"" ${this.sourceName()}`;
    if (this.peek() === 'v' && /[0-9]/.test(this.peek(1))) { this.pos += 2; return `operator ${this.sourceName()}`; }
    const op = CXX_OPS[this.s.slice(this.pos, this.pos + 2)];
    if (op === undefined) return undefined;
    this.pos += 2;
    const o = op[0];
    return /^[a-z]/.test(o) ? `operator ${o.trim()}` : `operator${o}`;
  }

  private sourceName(): string {
    const len = this.number();
    if (len <= 0 || this.pos + len > this.s.length) fail();
    const id = this.s.slice(this.pos, this.pos + len);
    this.pos += len;
    let text = id.startsWith('_GLOBAL__N') ? '(anonymous namespace)' : id;
    if (this.peek() === 'B') text += this.abiTags();
    return text;
  }

  private abiTags(): string {
    let t = '';
    while (this.eat('B')) t += `[abi:${this.sourceName()}]`;
    return t;
  }

  /** `name<args>`; "operator<" and "operator<<" need a space before the list, as c++filt prints. */
  private withArgs(name: string): string {
    const a = this.templateArgs();
    return name.endsWith('<') ? `${name} ${a}` : name + a;
  }

  private lastArgs: CxxType[] = [];

  private templateArgs(): string {
    this.expect('I');
    const args: CxxType[] = [];
    while (!this.eat('E')) {
      if (this.pos >= this.s.length || args.length > 256) fail();
      args.push(this.templateArg());
    }
    this.lastArgs = args;
    const body = args.map(typeStr).join(', ');
    return `<${body}${body.endsWith('>') ? ' ' : ''}>`;
  }

  private templateArg(): CxxType {
    if (this.peek() === 'L') return plain(this.exprPrimary());
    if (this.eat('X')) { const e = this.expression(); this.expect('E'); return plain(e); }
    // Argument packs: J...E, or I...E in older manglings.
    if (this.eat('J') || this.eat('I')) {
      const parts: CxxType[] = [];
      while (!this.eat('E')) { if (this.pos >= this.s.length || parts.length > 256) fail(); parts.push(this.templateArg()); }
      return { pre: parts.map(typeStr).join(', '), post: '', pack: parts };
    }
    return this.type();
  }

  private exprPrimary(): string {
    this.expect('L');
    if (this.eat('_Z')) { const e = this.encoding(false); this.expect('E'); return e; }
    const t = this.type();
    const ts = typeStr(t);
    const st = this.pos;
    while (this.peek() !== 'E') { if (this.pos >= this.s.length) fail(); this.pos++; }
    let v = this.s.slice(st, this.pos);
    this.pos++;
    if (v.startsWith('n')) v = '-' + v.slice(1);
    switch (ts) {
      case 'bool': return v === '0' ? 'false' : v === '1' ? 'true' : `(bool)${v}`;
      case 'int': return v;
      case 'unsigned int': return `${v}u`;
      case 'long': return `${v}l`;
      case 'unsigned long': return `${v}ul`;
      case 'long long': return `${v}ll`;
      case 'unsigned long long': return `${v}ull`;
      case 'decltype(nullptr)': return 'nullptr';
      default: return `(${ts})${v}`;
    }
  }

  private expression(): string {
    this.enter();
    let r: string;
    if (this.peek() === 'L') r = this.exprPrimary();
    else if (this.peek() === 'T') r = typeStr(this.templateParam());
    else if (this.eat('fp')) { this.cvQuals(); r = this.peek() === '_' ? (this.pos++, '{parm#1}') : `{parm#${this.number() + 2}}`; if (r !== '{parm#1}') this.expect('_'); }
    else if (this.eat('sr')) { const t = typeStr(this.type()); r = `${t}::${this.unqualifiedName('').text}`; if (this.peek() === 'I') r = this.withArgs(r); }
    else if (this.peek() >= '1' && this.peek() <= '9') { r = this.sourceName(); if (this.peek() === 'I') r = this.withArgs(r); }
    else if (this.eat('st')) r = `sizeof (${typeStr(this.type())})`;
    else if (this.eat('at')) r = `alignof (${typeStr(this.type())})`;
    else if (this.eat('cv')) { const t = typeStr(this.type()); r = `(${t})(${this.expression()})`; }
    else {
      const code = this.s.slice(this.pos, this.pos + 2);
      const op = CXX_OPS[code];
      if (op === undefined) return fail();
      this.pos += 2;
      if (op[1] === 1) r = `${op[0]}(${this.expression()})`;
      else if (op[1] === 2) { const a = this.expression(); const b = this.expression(); r = `(${a})${op[0]}(${b})`; }
      else { const a = this.expression(); const b = this.expression(); const c = this.expression(); r = `(${a})?(${b}):(${c})`; }
    }
    this.depth--;
    return this.grow(r);
  }

  private templateParam(): CxxType {
    this.expect('T');
    const i = this.seqId();
    const a = this.tmplArgs[i];
    if (a?.pack !== undefined && this.packIndex >= 0) {
      this.packLen = a.pack.length;
      return a.pack[this.packIndex] ?? plain('');
    }
    return a ?? plain(`T${i === 0 ? '' : i - 1}_`);
  }

  private substitution(): CxxType {
    this.expect('S');
    const c = this.peek();
    if (CXX_STD_SUBS[c] !== undefined && !(c >= '0' && c <= '9')) {
      this.pos++;
      this.lastStdName = CXX_STD_SUB_LAST[c];
      return plain(CXX_STD_SUBS[c]);
    }
    const i = this.seqId();
    const t = this.subs[i];
    if (t === undefined) fail();
    return t!;
  }

  type(): CxxType {
    this.enter();
    const t = this.typeInner();
    this.depth--;
    if (t.pre.length + t.post.length > MAX_OUT) fail();
    return t;
  }

  private typeInner(): CxxType {
    const c = this.peek();
    if (CXX_BUILTIN[c] !== undefined) { this.pos++; return plain(CXX_BUILTIN[c]); }
    switch (c) {
      case 'u': { this.pos++; const n = plain(this.sourceName()); this.subs.push(n); return n; }
      case 'D': {
        const d = this.peek(1);
        if (CXX_BUILTIN_D[d] !== undefined) { this.pos += 2; return plain(CXX_BUILTIN_D[d]); }
        if (d === 'p') return this.packExpansion();
        if (d === 't' || d === 'T') { this.pos += 2; const e = this.expression(); this.expect('E'); const r = plain(`decltype (${e})`); this.subs.push(r); return r; }
        if (d === 'F') { this.pos += 2; const n = this.number(); this.eat('x'); return plain(`_Float${n}`); }
        if (d === 'o' || d === 'O' || d === 'w' || d === 'x') {
          // Exception specifications on function types (C++17): noexcept / throw(...).
          this.pos += 2;
          if (d === 'O') { this.expression(); this.expect('E'); }
          if (d === 'w') { while (!this.eat('E')) { if (this.pos >= this.s.length) fail(); this.type(); } }
          const f = this.type();
          return d === 'o' || d === 'O' ? { ...f, post: f.post + ' noexcept' } : f;
        }
        return fail();
      }
      case 'r': case 'V': case 'K': {
        const q = this.cvQuals();
        const t = this.type();
        const r = t.fn ? { ...t, post: t.post + q } : { ...t, pre: t.pre + q };
        this.subs.push(r);
        return r;
      }
      case 'P': case 'R': case 'O': {
        this.pos++;
        const t = this.type();
        const sym = c === 'P' ? '*' : c === 'R' ? '&' : '&&';
        const r = this.declarator(t, sym);
        this.subs.push(r);
        return r;
      }
      case 'F': {
        this.pos++;
        this.eat('Y');
        const ret = this.type();
        const ps: string[] = [];
        let refq = '';
        for (;;) {
          if (this.eat('E')) break;
          if (this.peek() === 'R' && this.peek(1) === 'E') { this.pos += 2; refq = ' &'; break; }
          if (this.peek() === 'O' && this.peek(1) === 'E') { this.pos += 2; refq = ' &&'; break; }
          if (this.pos >= this.s.length || ps.length > 256) fail();
          ps.push(typeStr(this.type()));
        }
        const params = ps.length === 1 && ps[0] === 'void' ? '' : ps.join(', ');
        const r: CxxType = { pre: `${typeStr(ret)} `, post: `(${params})${refq}`, fn: true };
        this.subs.push(r);
        return r;
      }
      case 'A': {
        this.pos++;
        let dim = '';
        if (this.peek() >= '0' && this.peek() <= '9') dim = String(this.number());
        else if (this.peek() !== '_') dim = this.expression();
        this.expect('_');
        const el = this.type();
        const r: CxxType = { pre: el.pre, post: ` [${dim}]${el.post}`, arr: true };
        this.subs.push(r);
        return r;
      }
      case 'M': {
        this.pos++;
        const cls = typeStr(this.type());
        const m = this.type();
        const r = m.fn ? this.declarator(m, `${cls}::*`) : { pre: `${m.pre} ${cls}::*`, post: m.post };
        this.subs.push(r);
        return r;
      }
      case 'T': {
        const t = this.templateParam();
        this.subs.push(t);
        if (this.peek() === 'I') { const r = plain(this.withArgs(typeStr(t))); this.subs.push(r); return r; }
        return t;
      }
      case 'S': {
        if (this.peek(1) === 't') {
          const n = this.name();
          const r = plain(n.text);
          this.subs.push(r);
          return r;
        }
        const sub = this.substitution();
        if (this.peek() === 'I') { const r = plain(this.withArgs(typeStr(sub))); this.subs.push(r); return r; }
        return sub;
      }
      case 'C': this.pos++; { const t = this.type(); const r = plain(`${typeStr(t)} _Complex`); this.subs.push(r); return r; }
      case 'G': this.pos++; { const t = this.type(); const r = plain(`${typeStr(t)} _Imaginary`); this.subs.push(r); return r; }
      default: {
        if ((c >= '0' && c <= '9') || c === 'N' || c === 'Z') {
          const n = this.name();
          const r = plain(n.text);
          // A class name or template-id used as a type is a substitution candidate (§5.1.9).
          this.subs.push(r);
          return r;
        }
        return fail();
      }
    }
  }

  /**
   * Dp <type>: the pattern is printed once per element of the pack it names (as c++filt does),
   * by re-parsing it with each element; substitutions are recorded from the first pass only.
   */
  private packExpansion(): CxxType {
    this.pos += 2;
    const start = this.pos;
    const [saveIdx, saveLen] = [this.packIndex, this.packLen];
    this.packIndex = 0;
    this.packLen = -1;
    const first = this.type();
    const end = this.pos;
    const nSubs = this.subs.length;
    const len = this.packLen;
    const parts: string[] = len === 0 ? [] : [typeStr(first)];
    for (let i = 1; i < len; i++) {
      this.pos = start;
      this.packIndex = i;
      parts.push(typeStr(this.type()));
      this.subs.length = nSubs;
      if (this.pos !== end) fail();
    }
    this.pos = end;
    [this.packIndex, this.packLen] = [saveIdx, saveLen];
    const r = len < 0 ? first : plain(parts.join(', '));
    this.subs.push(r);
    return r;
  }

  /** Applies a pointer/reference/member-pointer declarator, parenthesising around functions and arrays. */
  private declarator(t: CxxType, sym: string): CxxType {
    const ref = sym === '&' || sym === '&&' ? sym : undefined;
    // Reference collapsing (C++11 [dcl.ref]p6): a reference to a reference is & unless both are &&.
    if (ref && t.ref) {
      if (t.ref === '&' || ref === '&&') return t;
      return { ...t, pre: t.pre.slice(0, -2) + '&', ref: '&' };
    }
    if (t.fn || t.arr) return { pre: t.fn ? `${t.pre}(${sym}` : `${t.pre} (${sym}`, post: `)${t.post}`, decl: true, ref };
    return { pre: `${t.pre}${sym}`, post: t.post, decl: t.decl, ref };
  }

  private packIndex = -1;
  private packLen = -1;
}

function lastComponent(s: string): string {
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const ch = s[i];
    if (ch === '>') depth++;
    else if (ch === '<') depth--;
    else if (depth === 0 && ch === ':' && s[i - 1] === ':') return s.slice(i + 1).replace(/<.*$/, '');
  }
  return s.replace(/<.*$/, '');
}
