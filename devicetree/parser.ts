// Recursive-descent parser for DTS (Devicetree Specification v0.4 chapter 6, dtc's grammar),
// building the merged tree directly: re-opened nodes and &label overrides apply in source order.
// Fatal mode throws the first DtsError; tolerant mode (for the language server) records it and
// resynchronises at the next ';' or '}' so one typo does not hide the rest of the file.

import { Lexer, type LexMode, type Token } from './lexer.js';
import { BINARY_LEVELS, applyBinary, applyUnary, fitToCell } from './expr.js';
import { finishTree, noteOtherLabel, refErrorFor, resolveRef } from './resolve.js';
import { DtsError, formatLoc, type DtCell, type DtNode, type DtProperty, type DtTree, type DtValue, type ParseOptions, type SourceLoc } from './types.js';

const MAX_NESTING = 200;
const MAX_DIAGNOSTICS = 200;

class StopParsing extends Error {}
const PROP_NAME = /^[a-zA-Z0-9,._+?#-]+$/;
const NODE_PART = /^[a-zA-Z0-9,._+-]+$/;

type LabelOwner = DtNode | DtProperty | DtValue;

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'end of file';
    case 'string': return 'a string';
    case 'label': return `label '${t.text}:'`;
    case 'directive': return `'/${t.text}/'`;
    case 'ref': return `'&${t.text}'`;
    case 'pathref': return `'&{${t.text}}'`;
    case 'char': return 'a character literal';
    default: return `'${t.text}'`;
  }
}

function span(a: SourceLoc, b: SourceLoc | undefined): SourceLoc {
  if (!b || b.file !== a.file) return a;
  return { file: a.file, line: a.line, col: a.col, endLine: b.endLine ?? b.line, endCol: b.endCol ?? b.col };
}

class Parser {
  private readonly lx: Lexer;
  readonly tree: DtTree;
  private readonly labelOwners = new Map<string, { owner: LabelOwner; loc: SourceLoc }>();
  private readonly omit = new Set<DtNode>();
  private plugin = false;
  private depth = 0;
  private eofReported = false;

  constructor(text: string, file: string, opts: ParseOptions | undefined, private readonly tolerant: boolean) {
    this.lx = new Lexer(text, file, opts);
    const root: DtNode = {
      name: '/', fullName: '/', path: '/', labels: [], properties: [], children: [],
      loc: { file, line: 1, col: 1 },
    };
    this.tree = { root, labels: new Map(), memreserves: [], files: this.lx.files, diagnostics: [] };
  }

  // ---- error plumbing ----

  private fail(msg: string, loc: SourceLoc): never {
    throw new DtsError(msg, loc);
  }

  /** An error after which parsing can go on unchanged: collected when tolerant. */
  private soft(e: DtsError): void {
    if (!this.tolerant) throw e;
    this.addDiagnostic(e);
  }

  private recover(e: unknown): void {
    if (!(e instanceof DtsError) || !this.tolerant) throw e;
    this.addDiagnostic(e);
  }

  private addDiagnostic(e: DtsError): void {
    const d = this.tree.diagnostics;
    d.push(e);
    // A garbage file would otherwise produce one diagnostic per token; nobody reads past a few.
    if (d.length >= MAX_DIAGNOSTICS) {
      d.push(new DtsError(`too many errors (${MAX_DIAGNOSTICS}); the rest of the file was not checked`, e.loc));
      throw new StopParsing();
    }
  }

  /** Skips to just after the next ';' (or to a '}' that closes the enclosing node, left unread). */
  private sync(topLevel: boolean): void {
    let depth = 0;
    for (;;) {
      const t = this.lx.peek('normal');
      if (t.kind === 'eof') return;
      if (t.kind === 'error') { this.lx.next(); this.soft(new DtsError(t.text, t.loc)); continue; }
      if (t.kind === 'punct') {
        if (t.text === ';' && depth === 0) { this.lx.next(); return; }
        if (t.text === '{') depth++;
        if (t.text === '}') {
          if (depth === 0) {
            if (!topLevel) return;
            this.lx.next();
            if (this.lx.peek().kind === 'punct' && this.lx.peek().text === ';') this.lx.next();
            return;
          }
          depth--;
        }
      }
      this.lx.next();
    }
  }

  // ---- tokens ----

  private peek(mode: LexMode = 'normal'): Token {
    const t = this.lx.peek(mode);
    if (t.kind === 'error') { this.lx.next(); this.fail(t.text, t.loc); }
    return t;
  }

  private next(mode: LexMode = 'normal'): Token {
    const t = this.peek(mode);
    this.lx.next(mode);
    return t;
  }

  private isPunct(t: Token, p: string): boolean {
    return t.kind === 'punct' && t.text === p;
  }

  private expect(p: string, what: string, mode: LexMode = 'normal'): Token {
    const t = this.peek(mode);
    if (!this.isPunct(t, p)) this.fail(`expected '${p}' ${what}, found ${describe(t)}`, t.loc);
    return this.next(mode);
  }

  /** A missing ';' is reported without skipping anything: the next statement usually starts right there. */
  private expectSemi(what: string): SourceLoc | undefined {
    const t = this.peek();
    if (this.isPunct(t, ';')) return this.next().loc;
    this.soft(new DtsError(`expected ';' ${what}, found ${describe(t)}`, t.loc));
    return undefined;
  }

  // ---- labels and nodes ----

  private defineLabel(name: string, owner: LabelOwner, loc: SourceLoc): void {
    const prev = this.labelOwners.get(name);
    if (prev && prev.owner !== owner) {
      this.soft(new DtsError(`duplicate label '${name}': already defined at ${formatLoc(prev.loc)}`, loc));
      return;
    }
    if (!prev) this.labelOwners.set(name, { owner, loc });
    if ('children' in owner) {
      this.tree.labels.set(name, owner);
      if (!owner.labels.includes(name)) owner.labels.push(name);
    } else {
      noteOtherLabel(this.tree, name);
      if ('values' in owner) { if (!owner.labels.includes(name)) owner.labels.push(name); }
      else (owner.labels ??= []).push(name);
    }
  }

  private dropLabels(names: string[] | undefined, owner: LabelOwner): void {
    for (const l of names ?? []) {
      if (this.labelOwners.get(l)?.owner !== owner) continue;
      this.labelOwners.delete(l);
      if (this.tree.labels.get(l) === owner) this.tree.labels.delete(l);
    }
  }

  private dropPropLabels(p: DtProperty): void {
    this.dropLabels(p.labels, p);
    for (const v of p.values) this.dropLabels(v.labels, v);
  }

  private deleteNode(n: DtNode, loc?: SourceLoc): void {
    if (!n.parent) {
      if (loc) this.soft(new DtsError('the root node cannot be deleted', loc));
      return;
    }
    const i = n.parent.children.indexOf(n);
    if (i >= 0) n.parent.children.splice(i, 1);
    this.kids(n.parent).delete(n.fullName);
    const stack = [n];
    while (stack.length) {
      const x = stack.pop()!;
      x.deleted = true;
      this.omit.delete(x);
      this.dropLabels(x.labels, x);
      for (const p of x.properties) this.dropPropLabels(p);
      for (const c of x.children) stack.push(c);
    }
  }

  // Name indexes, so that files with thousands of siblings parse in linear time.
  private readonly childIndex = new WeakMap<DtNode, Map<string, DtNode>>();
  private readonly propIndex = new WeakMap<DtNode, Map<string, DtProperty>>();

  private kids(n: DtNode): Map<string, DtNode> {
    let m = this.childIndex.get(n);
    if (!m) { m = new Map(n.children.map((c) => [c.fullName, c])); this.childIndex.set(n, m); }
    return m;
  }

  private props(n: DtNode): Map<string, DtProperty> {
    let m = this.propIndex.get(n);
    if (!m) { m = new Map(n.properties.map((p) => [p.name, p])); this.propIndex.set(n, m); }
    return m;
  }

  private resolveNow(t: Token): DtNode {
    const ref = t.text;
    const n = resolveRef(this.tree, ref);
    if (n) return n;
    const e = refErrorFor(this.tree, ref, t.loc);
    this.fail(this.plugin && t.kind === 'ref' ? `${e.detail} (overlays that target labels of another tree are not supported)` : e.detail, t.loc);
  }

  private splitNodeName(t: Token): { name: string; unit?: string } {
    const full = t.text;
    const at = full.indexOf('@');
    const name = at < 0 ? full : full.slice(0, at);
    const unit = at < 0 ? undefined : full.slice(at + 1);
    if (name === '') this.fail(`node name '${full}' is missing the part before '@'`, t.loc);
    if (unit !== undefined && unit.includes('@')) this.fail(`node name '${full}' has more than one '@'`, t.loc);
    if (unit === '') this.fail(`node name '${full}' has an empty unit address after '@'`, t.loc);
    for (const part of [name, unit]) {
      if (part !== undefined && !NODE_PART.test(part)) {
        const bad = [...part].find((c) => !/[a-zA-Z0-9,._+-]/.test(c));
        this.fail(`invalid character '${bad}' in node name '${full}' (allowed: letters, digits and , . _ + -)`, t.loc);
      }
    }
    return { name, unit };
  }

  private checkPropName(t: Token): void {
    if (!PROP_NAME.test(t.text)) {
      const bad = [...t.text].find((c) => !/[a-zA-Z0-9,._+?#-]/.test(c));
      this.fail(`invalid character '${bad}' in property name '${t.text}' (allowed: letters, digits and , . _ + ? # -)`, t.loc);
    }
  }

  // ---- top level ----

  parseFile(): void {
    for (;;) {
      const before = this.lx.count;
      try {
        if (this.peek().kind === 'eof') break;
        this.topStatement();
      } catch (e) {
        this.recover(e);
        this.sync(true);
        if (this.lx.count === before && this.lx.peek().kind !== 'eof') this.lx.next();
      }
    }
    finishTree(this.tree, this.omit, this.plugin, (e) => this.soft(e), (n) => this.deleteNode(n));
  }

  private topStatement(): void {
    const t = this.peek();
    if (t.kind === 'directive') {
      switch (t.text) {
        case 'dts-v1': this.next(); this.expectSemi("after '/dts-v1/'"); return;
        case 'plugin': this.next(); this.plugin = true; this.expectSemi("after '/plugin/'"); return;
        case 'memreserve': {
          this.next();
          const a = this.intPrim('/memreserve/ address');
          const b = this.intPrim('/memreserve/ size');
          if (a > BigInt(Number.MAX_SAFE_INTEGER) || b > BigInt(Number.MAX_SAFE_INTEGER)) {
            this.fail('/memreserve/ values of 2^53 or more are not supported', t.loc);
          }
          this.tree.memreserves.push([Number(a), Number(b)]);
          this.expectSemi("after '/memreserve/ <address> <size>'");
          return;
        }
        case 'delete-node':
        case 'omit-if-no-ref': {
          this.next();
          const r = this.next();
          if (r.kind !== 'ref' && r.kind !== 'pathref') this.fail(`expected '&label' or '&{/path}' after '/${t.text}/' at the top level, found ${describe(r)}`, r.loc);
          const n = this.resolveNow(r);
          if (t.text === 'delete-node') this.deleteNode(n, r.loc);
          else this.omit.add(n);
          this.expectSemi(`after '/${t.text}/ ${r.kind === 'ref' ? '&' + r.text : '&{' + r.text + '}'}'`);
          return;
        }
        default:
          this.fail(`'/${t.text}/' is not allowed at the top level`, t.loc);
      }
    }
    const labels: Token[] = [];
    while (this.peek().kind === 'label') labels.push(this.next());
    const h = this.next();
    let node: DtNode;
    if (this.isPunct(h, '/')) node = this.tree.root;
    else if (h.kind === 'ref' || h.kind === 'pathref') {
      const found = resolveRef(this.tree, h.text);
      if (found) node = found;
      else if (!this.tolerant) node = this.resolveNow(h);
      else {
        // For the language server: still check the body, in a node that is not part of the tree.
        this.soft(refErrorFor(this.tree, h.text, h.loc));
        const ref = h.kind === 'ref' ? `&${h.text}` : `&{${h.text}}`;
        node = { name: ref, fullName: ref, path: ref, labels: [], properties: [], children: [], loc: h.loc, deleted: true };
      }
    }
    else {
      this.fail(`expected a root node '/ { ... };', an override '&label { ... };' or a directive like '/dts-v1/;', found ${describe(h)}`, h.loc);
    }
    for (const l of labels) this.defineLabel(l.text, node, l.loc);
    if (node === this.tree.root && !this.rootSeen) { this.rootSeen = true; node.loc = h.loc; }
    this.nodeBody(node);
  }

  private rootSeen = false;

  // ---- node bodies ----

  private nodeBody(node: DtNode): void {
    const open = this.expect('{', `to open node '${node.path}'`);
    if (++this.depth > MAX_NESTING) { this.depth--; this.fail(`nodes are nested more than ${MAX_NESTING} deep`, open.loc); }
    try {
      const block = { props: new Set<string>(), children: new Set<string>(), seenChild: false };
      for (;;) {
        const before = this.lx.count;
        try {
          const t = this.peek();
          if (this.isPunct(t, '}')) break;
          if (t.kind === 'eof') {
            const e = new DtsError(`node '${node.path}' is not closed: missing '}' for the '{' here`, open.loc);
            if (!this.tolerant) throw e;
            if (!this.eofReported) this.addDiagnostic(e);
            this.eofReported = true;
            return;
          }
          this.statement(node, block);
        } catch (e) {
          this.recover(e);
          this.sync(false);
          if (this.lx.count === before && this.lx.peek().kind !== 'eof' && !this.isPunct(this.lx.peek(), '}')) this.lx.next();
        }
      }
      this.next();
      this.expectSemi(`after '}' closing node '${node.path}'`);
    } finally {
      this.depth--;
    }
  }

  private statement(node: DtNode, block: { props: Set<string>; children: Set<string>; seenChild: boolean }): void {
    const t = this.peek();
    if (t.kind === 'directive') {
      if (t.text === 'delete-property') {
        this.next();
        const n = this.next();
        if (n.kind !== 'name') this.fail(`expected a property name after '/delete-property/', found ${describe(n)}`, n.loc);
        this.checkPropName(n);
        const old = this.props(node).get(n.text);
        if (old) {
          this.dropPropLabels(old);
          node.properties.splice(node.properties.indexOf(old), 1);
          this.props(node).delete(n.text);
        }
        block.props.delete(n.text);
        this.expectSemi(`after '/delete-property/ ${n.text}'`);
        return;
      }
      if (t.text === 'delete-node') {
        this.next();
        const n = this.next();
        let target: DtNode | undefined;
        if (n.kind === 'name') target = this.kids(node).get(n.text);
        else if (n.kind === 'ref' || n.kind === 'pathref') target = this.resolveNow(n);
        else this.fail(`expected a node name or '&label' after '/delete-node/', found ${describe(n)}`, n.loc);
        if (target) { this.deleteNode(target, n.loc); block.children.delete(target.fullName); }
        this.expectSemi(`after '/delete-node/ ${n.text}'`);
        return;
      }
      if (t.text === 'omit-if-no-ref') {
        this.next();
        const child = this.childOrProp(node, block, true);
        if (child) this.omit.add(child);
        return;
      }
      this.fail(`'/${t.text}/' is not allowed inside a node`, t.loc);
    }
    this.childOrProp(node, block, false);
  }

  private childOrProp(node: DtNode, block: { props: Set<string>; children: Set<string>; seenChild: boolean }, mustBeNode: boolean): DtNode | undefined {
    const labels: Token[] = [];
    while (this.peek().kind === 'label') labels.push(this.next());
    const n = this.next();
    if (n.kind !== 'name') {
      this.fail(`expected a property or node name${labels.length ? ` after label '${labels[labels.length - 1].text}:'` : ''}, found ${describe(n)}`, n.loc);
    }
    const after = this.peek();
    if (this.isPunct(after, '{')) {
      const { name, unit } = this.splitNodeName(n);
      let child = this.kids(node).get(n.text);
      if (child && block.children.has(n.text)) {
        this.soft(new DtsError(`duplicate node '${n.text}' in '${node.path}': already defined at ${formatLoc(child.loc)} in the same block`, n.loc));
      }
      if (!child) {
        child = {
          name, fullName: n.text, path: node.path === '/' ? '/' + n.text : `${node.path}/${n.text}`,
          labels: [], properties: [], children: [], parent: node, loc: n.loc,
        };
        if (unit !== undefined) child.unitAddress = unit;
        node.children.push(child);
        this.kids(node).set(n.text, child);
      }
      block.children.add(n.text);
      block.seenChild = true;
      for (const l of labels) this.defineLabel(l.text, child, l.loc);
      this.nodeBody(child);
      return child;
    }
    if (mustBeNode) this.fail(`expected '{' after node name '${n.text}' following '/omit-if-no-ref/', found ${describe(after)}`, after.loc);
    if (!this.isPunct(after, '=') && !this.isPunct(after, ';')) {
      this.fail(`expected '=', ';' or '{' after '${n.text}', found ${describe(after)}`, after.loc);
    }
    this.checkPropName(n);
    if (block.seenChild) this.soft(new DtsError(`property '${n.text}' must come before the child nodes of '${node.path}'`, n.loc));
    let values: DtValue[] = [];
    if (this.isPunct(after, '=')) {
      this.next();
      values = this.values(n.text);
    }
    const end = this.expectSemi(`after property '${n.text}'`);
    const loc = span(n.loc, end);
    if (block.props.has(n.text)) this.soft(new DtsError(`duplicate property '${n.text}' in node '${node.path}'`, n.loc));
    block.props.add(n.text);
    let prop = this.props(node).get(n.text);
    if (prop) {
      // Later definitions override earlier ones in place, as dtc's merge does.
      for (const v of prop.values) this.dropLabels(v.labels, v);
      prop.values = values;
      prop.loc = loc;
    } else {
      prop = { name: n.text, values, loc, labels: [] };
      node.properties.push(prop);
      this.props(node).set(n.text, prop);
    }
    for (const l of labels) this.defineLabel(l.text, prop, l.loc);
    for (const v of values) {
      const vl = v.labels ?? [];
      v.labels = undefined;
      for (const l of vl) this.defineLabelAt(l, v);
    }
    return undefined;
  }

  private pendingLabelLocs = new Map<string, SourceLoc>();

  private defineLabelAt(name: string, v: DtValue): void {
    this.defineLabel(name, v, this.pendingLabelLocs.get(name) ?? v.loc);
  }

  // ---- values ----

  private values(prop: string): DtValue[] {
    const out: DtValue[] = [];
    for (;;) {
      const takeLabels = (into: string[]) => {
        while (this.peek().kind === 'label') { const l = this.next(); into.push(l.text); this.pendingLabelLocs.set(l.text, l.loc); }
        return into;
      };
      const pre = takeLabels([]);
      const t = this.peek();
      let v: DtValue;
      if (t.kind === 'string') { this.next(); v = { kind: 'string', value: t.text, loc: t.loc, raw: t.bytes }; }
      else if (t.kind === 'ref' || t.kind === 'pathref') { this.next(); v = { kind: 'ref', ref: t.text, loc: t.loc }; }
      else if (this.isPunct(t, '<')) v = this.cells(prop, 32, t);
      else if (t.kind === 'directive' && t.text === 'bits') {
        this.next();
        const bt = this.peek('cells');
        const b = this.intPrim(`/bits/ size of property '${prop}'`);
        if (b !== 8n && b !== 16n && b !== 32n && b !== 64n) this.fail(`/bits/ must be 8, 16, 32 or 64, not ${b}`, bt.loc);
        const open = this.peek();
        if (!this.isPunct(open, '<')) this.fail(`expected '<' after '/bits/ ${b}' in property '${prop}', found ${describe(open)}`, open.loc);
        v = this.cells(prop, Number(b) as 8 | 16 | 32 | 64, t);
      } else if (this.isPunct(t, '[')) v = this.bytes(prop, t);
      else if (t.kind === 'directive' && t.text === 'incbin') this.fail(`'/incbin/' is not supported (property '${prop}')`, t.loc);
      else this.fail(`expected a value for property '${prop}' ("string", <cells>, [bytes] or &label), found ${describe(t)}`, t.loc);
      const labels = [...pre, ...(v.labels ?? []), ...takeLabels([])];
      if (labels.length) v.labels = labels;
      out.push(v);
      if (!this.isPunct(this.peek(), ',')) return out;
      this.next();
    }
  }

  private cells(prop: string, bits: 8 | 16 | 32 | 64, start: Token): DtValue {
    const open = this.next();
    const cells: DtCell[] = [];
    const wide: bigint[] = [];
    const labels: string[] = [];
    for (;;) {
      const t = this.peek('cells');
      if (this.isPunct(t, '>')) {
        this.next('cells');
        const v: DtValue = { kind: 'cells', bits, cells, loc: span(start.loc, t.loc) };
        if (bits === 64) v.wide = wide;
        if (labels.length) v.labels = labels;
        return v;
      }
      if (t.kind === 'label') { this.next('cells'); labels.push(t.text); this.pendingLabelLocs.set(t.text, t.loc); continue; }
      if (t.kind === 'ref' || t.kind === 'pathref') {
        this.next('cells');
        if (bits !== 32) this.fail(`references like '${describe(t).slice(1, -1)}' are only allowed in 32-bit cell lists (property '${prop}' uses /bits/ ${bits})`, t.loc);
        cells.push({ ref: t.text, loc: t.loc });
        continue;
      }
      if (t.kind === 'int' || t.kind === 'char' || this.isPunct(t, '(')) {
        const v = fitToCell(this.intPrim(`cell of property '${prop}'`), bits, t.loc);
        cells.push(Number(v));
        if (bits === 64) wide.push(v);
        continue;
      }
      if (this.isPunct(t, '-')) this.fail(`negative numbers in a cell list must be in parentheses, like (-1), in property '${prop}'`, t.loc);
      if (t.kind === 'eof') this.fail(`cell list of property '${prop}' is not closed: missing '>' for the '<' here`, open.loc);
      this.fail(`expected a number, '(expression)', '&label' or '>' in the cell list of property '${prop}', found ${describe(t)}`, t.loc);
    }
  }

  private bytes(prop: string, start: Token): DtValue {
    const open = this.next();
    const out: number[] = [];
    for (;;) {
      const t = this.peek();
      if (this.isPunct(t, ']')) {
        this.next();
        return { kind: 'bytes', bytes: Uint8Array.from(out), loc: span(start.loc, t.loc) };
      }
      if (t.kind === 'label') { this.next(); continue; }
      if (t.kind === 'name' && /^([0-9a-fA-F]{2})+$/.test(t.text)) {
        this.next();
        for (let i = 0; i < t.text.length; i += 2) out.push(parseInt(t.text.slice(i, i + 2), 16));
        continue;
      }
      if (t.kind === 'eof') this.fail(`bytestring of property '${prop}' is not closed: missing ']' for the '[' here`, open.loc);
      if (t.kind === 'name') this.fail(`invalid bytestring '${t.text}' in property '${prop}': use pairs of hex digits like [00 1a ff]`, t.loc);
      this.fail(`expected hex bytes or ']' in property '${prop}', found ${describe(t)}`, t.loc);
    }
  }

  // ---- integer expressions (dtc: integer_prim and the C-like expression grammar) ----

  private intPrim(what: string): bigint {
    const t = this.peek('cells');
    if (t.kind === 'int' || t.kind === 'char') { this.next('cells'); return t.value!; }
    if (this.isPunct(t, '(')) {
      this.next('cells');
      const v = this.expr(0);
      this.expect(')', 'to close the expression', 'cells');
      return v;
    }
    this.fail(`expected a number or '(expression)' for the ${what}, found ${describe(t)}`, t.loc);
  }

  private nest(t: Token): void {
    if (++this.depth > MAX_NESTING) this.fail(`expression nested more than ${MAX_NESTING} deep`, t.loc);
  }

  private expr(level: number): bigint {
    const t0 = this.peek('cells');
    this.nest(t0);
    try {
      const cond = this.binary(0);
      if (!this.isPunct(this.peek('cells'), '?')) return cond;
      this.next('cells');
      const a = this.expr(level + 1);
      this.expect(':', "in 'cond ? a : b'", 'cells');
      const b = this.expr(level + 1);
      return cond !== 0n ? a : b;
    } finally {
      this.depth--;
    }
  }

  private binary(level: number): bigint {
    if (level >= BINARY_LEVELS.length) return this.unary();
    let a = this.binary(level + 1);
    for (;;) {
      const t = this.peek('cells');
      if (t.kind !== 'punct' || !BINARY_LEVELS[level].includes(t.text)) return a;
      this.next('cells');
      const b = this.binary(level + 1);
      a = applyBinary(t.text, a, b, t.loc);
    }
  }

  private unary(): bigint {
    const t = this.peek('cells');
    if (t.kind === 'punct' && (t.text === '-' || t.text === '~' || t.text === '!')) {
      this.next('cells');
      this.nest(t);
      try { return applyUnary(t.text, this.unary()); } finally { this.depth--; }
    }
    if (t.kind === 'int' || t.kind === 'char') { this.next('cells'); return t.value!; }
    if (this.isPunct(t, '(')) {
      this.next('cells');
      const v = this.expr(0);
      this.expect(')', 'to close the expression', 'cells');
      return v;
    }
    this.fail(`expected a number, '(' or a unary operator in the expression, found ${describe(t)}`, t.loc);
  }
}

export function parseWith(text: string, file: string, opts: ParseOptions | undefined, tolerant: boolean): DtTree {
  const p = new Parser(text, file, opts, tolerant);
  try {
    p.parseFile();
  } catch (e) {
    if (e instanceof StopParsing) return p.tree;
    if (e instanceof DtsError) throw e;
    // Only a bug gets here (or a stack overflow): still honour the "only DtsError" contract.
    throw new DtsError(`internal error while parsing: ${e instanceof Error ? e.message : String(e)}`, { file, line: 1, col: 1 });
  }
  return p.tree;
}
