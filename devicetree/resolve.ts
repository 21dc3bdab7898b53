// Resolution after parsing: reference lookup, /omit-if-no-ref/ pruning, phandle assignment,
// and the query helpers (properties as numbers/strings, reg decoding, interrupt parents).
// Phandles follow dtc: explicit `phandle` values are kept, then referenced nodes get the lowest
// free value in the order their first reference appears (depth-first, properties before children).

import { DtsError, formatLoc, type DtNode, type DtProperty, type DtTree, type DtValue, type SourceLoc } from './types.js';

interface TreeState {
  phandles: Map<DtNode, number>;
  byPhandle: Map<number, DtNode>;
  next: number;
  /** Labels that name a property or a value rather than a node (for clearer errors). */
  otherLabels: Set<string>;
}

const states = new WeakMap<DtTree, TreeState>();

function stateOf(tree: DtTree): TreeState {
  let s = states.get(tree);
  if (!s) {
    s = { phandles: new Map(), byPhandle: new Map(), next: 1, otherLabels: new Set() };
    states.set(tree, s);
  }
  return s;
}

/** Depth-first walk (node, then its children in order), iterative so deep trees cannot overflow the stack. */
export function walk(root: DtNode, fn: (n: DtNode) => void): void {
  const stack: DtNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    fn(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}

export function findByPath(root: DtNode, path: string): DtNode | undefined {
  if (!path.startsWith('/')) return undefined;
  let node = root;
  for (const part of path.split('/')) {
    if (part === '') continue;
    let next = node.children.find((c) => c.fullName === part);
    if (!next && !part.includes('@')) {
      // Like Linux's of_find_node_by_path: 'cpu' finds 'cpu@0' when it is the only such child.
      const byName = node.children.filter((c) => c.name === part);
      if (byName.length === 1) next = byName[0];
    }
    if (!next) return undefined;
    node = next;
  }
  return node;
}

/** `ref` is a label name, or a path starting with '/' (from &{/path}). */
export function resolveRef(tree: DtTree, ref: string): DtNode | undefined {
  return ref.startsWith('/') ? findByPath(tree.root, ref) : tree.labels.get(ref);
}

function refError(tree: DtTree, ref: string, loc: SourceLoc): DtsError {
  if (ref.startsWith('/')) return new DtsError(`no node at path '${ref}' (referenced here)`, loc);
  if (stateOf(tree).otherLabels.has(ref)) return new DtsError(`label '${ref}' names a property or value, not a node; only node labels can be referenced`, loc);
  return new DtsError(`unknown label '${ref}' referenced here`, loc);
}

export function refErrorFor(tree: DtTree, ref: string, loc: SourceLoc): DtsError {
  return refError(tree, ref, loc);
}

export function noteOtherLabel(tree: DtTree, label: string): void {
  stateOf(tree).otherLabels.add(label);
}

function eachRef(v: DtValue, fn: (ref: string, loc: SourceLoc) => void): void {
  if (v.kind === 'ref') fn(v.ref, v.loc);
  else if (v.kind === 'cells') for (const c of v.cells) if (typeof c !== 'number') fn(c.ref, c.loc);
}

/**
 * Final pass of a parse. `report` throws in fatal mode and collects in tolerant mode;
 * `deleteNode` is the parser's deletion (it also drops labels).
 */
export function finishTree(
  tree: DtTree, omit: Set<DtNode>, plugin: boolean,
  report: (e: DtsError) => void, deleteNode: (n: DtNode) => void,
): void {
  if (omit.size) {
    const used = new Set<DtNode>();
    walk(tree.root, (n) => {
      for (const p of n.properties) for (const v of p.values) eachRef(v, (r) => { const t = resolveRef(tree, r); if (t) used.add(t); });
    });
    for (const n of omit) if (!n.deleted && !used.has(n)) deleteNode(n);
  }

  const st = stateOf(tree);
  // Explicit phandles first, so automatic ones never collide with them.
  walk(tree.root, (n) => {
    let seen: number | undefined;
    for (const p of n.properties) {
      if (p.name !== 'phandle' && p.name !== 'linux,phandle') continue;
      const v = p.values.length === 1 ? p.values[0] : undefined;
      if (!v || v.kind !== 'cells' || v.bits !== 32 || v.cells.length !== 1 || typeof v.cells[0] !== 'number') {
        if (v && v.kind === 'cells' && v.cells.length === 1 && typeof v.cells[0] !== 'number') continue; // phandle = <&self>
        report(new DtsError(`property '${p.name}' of '${n.path}' must be a single 32-bit cell`, p.loc));
        continue;
      }
      const ph = v.cells[0] as number;
      if (ph === 0 || ph === 0xffffffff) { report(new DtsError(`invalid phandle 0x${ph.toString(16)} in '${n.path}': 0 and 0xffffffff are reserved`, p.loc)); continue; }
      if (seen !== undefined && seen !== ph) { report(new DtsError(`'${n.path}' has two different phandles (0x${seen.toString(16)} and 0x${ph.toString(16)})`, p.loc)); continue; }
      seen = ph;
      const other = st.byPhandle.get(ph);
      if (other && other !== n) { report(new DtsError(`duplicate phandle 0x${ph.toString(16)}: already used by '${other.path}' (${formatLoc(other.loc)})`, p.loc)); continue; }
      st.phandles.set(n, ph);
      st.byPhandle.set(ph, n);
    }
  });

  walk(tree.root, (n) => {
    for (const p of n.properties) {
      for (const v of p.values) {
        eachRef(v, (r, loc) => {
          const t = resolveRef(tree, r);
          if (!t) { if (!plugin) report(refError(tree, r, loc)); return; }
          if (v.kind === 'cells') phandleOf(tree, t);
        });
      }
    }
  });
}

export function phandleOf(tree: DtTree, node: DtNode): number {
  const st = stateOf(tree);
  const have = st.phandles.get(node);
  if (have !== undefined) return have;
  while (st.byPhandle.has(st.next)) st.next++;
  const ph = st.next++;
  st.phandles.set(node, ph);
  st.byPhandle.set(ph, node);
  return ph;
}

export function nodeByPhandle(tree: DtTree, ph: number): DtNode | undefined {
  const n = stateOf(tree).byPhandle.get(ph);
  return n && !n.deleted ? n : undefined;
}

export function getProp(node: DtNode, name: string): DtProperty | undefined {
  return node.properties.find((p) => p.name === name);
}

/** A property's content as 32-bit words (64-bit cells split high word first), or undefined when it is not all cells. */
function words(prop: DtProperty, tree?: DtTree): number[] | undefined {
  const out: number[] = [];
  for (const v of prop.values) {
    if (v.kind !== 'cells' || v.bits < 32) return undefined;
    if (v.bits === 64) {
      for (let i = 0; i < v.cells.length; i++) {
        const w = v.wide ? v.wide[i] : BigInt(v.cells[i] as number);
        out.push(Number(w >> 32n), Number(w & 0xffffffffn));
      }
      continue;
    }
    for (const c of v.cells) {
      if (typeof c === 'number') { out.push(c); continue; }
      if (!tree) return undefined;
      const t = resolveRef(tree, c.ref);
      if (!t) throw refError(tree, c.ref, c.loc);
      out.push(phandleOf(tree, t));
    }
  }
  return out;
}

export function propU32(node: DtNode, name: string): number | undefined {
  const p = getProp(node, name);
  if (!p) return undefined;
  const w = words(p);
  return w && w.length === 1 ? w[0] : undefined;
}

export function propCells(node: DtNode, name: string, tree: DtTree): number[] | undefined {
  const p = getProp(node, name);
  return p ? words(p, tree) : undefined;
}

export function propString(node: DtNode, name: string): string | undefined {
  const p = getProp(node, name);
  return p && p.values.length === 1 && p.values[0].kind === 'string' ? p.values[0].value : undefined;
}

export function propStrings(node: DtNode, name: string): string[] | undefined {
  const p = getProp(node, name);
  if (!p || p.values.length === 0) return undefined;
  const out: string[] = [];
  for (const v of p.values) {
    if (v.kind !== 'string') return undefined;
    out.push(v.value);
  }
  return out;
}

export function findNode(tree: DtTree, pathOrLabel: string): DtNode | undefined {
  let s = pathOrLabel.trim();
  if (s.startsWith('&{') && s.endsWith('}')) s = s.slice(2, -1);
  else if (s.startsWith('&')) s = s.slice(1);
  const n = s.startsWith('/') ? findByPath(tree.root, s) : tree.labels.get(s);
  return n && !n.deleted ? n : undefined;
}

function cellsProp(tree: DtTree, node: DtNode | undefined, name: string, dflt: number): number {
  if (!node) return dflt;
  const p = getProp(node, name);
  if (!p) return dflt;
  const v = propU32(node, name);
  if (v === undefined || v > 4) throw new DtsError(`'${name}' of '${node.path}' must be one cell between 0 and 4`, p.loc);
  return v;
}

function combine(ws: number[], what: string, prop: DtProperty, node: DtNode): number {
  let v = 0n;
  for (const w of ws) v = (v << 32n) | BigInt(w >>> 0);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DtsError(`${what} 0x${v.toString(16)} in 'reg' of '${node.path}' is too large (2^53 or more)`, prop.loc);
  }
  return Number(v);
}

/** reg as (address, size) pairs, using the parent's #address-cells/#size-cells (spec defaults 2 and 1, section 2.3.5). */
export function decodeReg(tree: DtTree, node: DtNode): Array<{ address: number; size: number }> {
  const p = getProp(node, 'reg');
  if (!p) return [];
  const ac = cellsProp(tree, node.parent, '#address-cells', 2);
  const sc = cellsProp(tree, node.parent, '#size-cells', 1);
  const ws = words(p, tree);
  if (!ws) throw new DtsError(`'reg' of '${node.path}' must be a list of cells like <address size>`, p.loc);
  const per = ac + sc;
  if (per === 0 || ws.length % per !== 0) {
    throw new DtsError(`'reg' of '${node.path}' has ${ws.length} cells, which is not a multiple of #address-cells (${ac}) + #size-cells (${sc}) of its parent`, p.loc);
  }
  const out: Array<{ address: number; size: number }> = [];
  for (let i = 0; i < ws.length; i += per) {
    out.push({
      address: combine(ws.slice(i, i + ac), 'address', p, node),
      size: combine(ws.slice(i + ac, i + per), 'size', p, node),
    });
  }
  return out;
}

/**
 * The interrupt controller a node's interrupts go to (spec section 2.4): follow interrupt-parent
 * phandles or tree parents until a node with #interrupt-cells is found.
 */
export function interruptParent(tree: DtTree, node: DtNode): DtNode | undefined {
  let cur: DtNode | undefined = node;
  // Each step moves to a different node; a phandle cycle cannot loop more than once per node.
  const seen = new Set<DtNode>();
  let first = true;
  while (cur && !seen.has(cur)) {
    seen.add(cur);
    if (!first && getProp(cur, '#interrupt-cells')) return cur;
    first = false;
    const ip = getProp(cur, 'interrupt-parent');
    if (ip) {
      const ws = words(ip, tree);
      if (!ws || ws.length !== 1) throw new DtsError(`'interrupt-parent' of '${cur.path}' must be a single phandle like <&gic>`, ip.loc);
      const target = nodeByPhandle(tree, ws[0]);
      if (!target) throw new DtsError(`'interrupt-parent' of '${cur.path}' points to phandle 0x${ws[0].toString(16)}, which no node has`, ip.loc);
      cur = target;
      if (getProp(cur, '#interrupt-cells')) return cur;
      continue;
    }
    cur = cur.parent;
  }
  return undefined;
}

/** The bytes a property holds in a flattened tree (big-endian cells, NUL-terminated strings). */
export function propBytes(tree: DtTree, prop: DtProperty): Uint8Array {
  const out: number[] = [];
  const str = (raw: Uint8Array) => { for (const b of raw) out.push(b); out.push(0); };
  for (const v of prop.values) {
    if (v.kind === 'string') str(v.raw ?? new TextEncoder().encode(v.value));
    else if (v.kind === 'bytes') for (const b of v.bytes) out.push(b);
    else if (v.kind === 'ref') {
      const t = resolveRef(tree, v.ref);
      if (!t) throw refError(tree, v.ref, v.loc);
      str(new TextEncoder().encode(t.path));
    } else {
      const n = v.bits / 8;
      v.cells.forEach((c, i) => {
        let x: bigint;
        if (typeof c === 'number') x = v.wide ? v.wide[i] : BigInt(c);
        else {
          const t = resolveRef(tree, c.ref);
          if (!t) throw refError(tree, c.ref, c.loc);
          x = BigInt(phandleOf(tree, t));
        }
        for (let k = n - 1; k >= 0; k--) out.push(Number((x >> BigInt(8 * k)) & 0xffn));
      });
    }
  }
  return Uint8Array.from(out);
}
