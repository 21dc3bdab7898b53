// Differential test against dtc (Debian package device-tree-compiler): each source is compiled
// by dtc to a DTB, whose node paths, property order and exact bytes (and memreserves) must equal
// ours. dtc's own `-O dts` output is also fed back through our parser and must give the same bytes.
// Skipped, with the reason, only when dtc is not installed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DtsError, findNode, getProp, parseDts, phandleOf, propBytes, type DtNode, type DtTree } from './index.js';

const haveDtc = spawnSync('dtc', ['--version'], { encoding: 'utf8' }).status === 0;
const skip = haveDtc ? false : 'dtc is not installed (apt-get install device-tree-compiler; see scripts/setup.sh)';

interface FlatTree { nodes: Array<{ path: string; props: Array<[string, string]> }>; memreserves: Array<[number, number]> }

/** Reads a DTB (Devicetree Specification v0.4 chapter 5) into paths and hex property values. */
function readDtb(buf: Buffer): FlatTree {
  assert.equal(buf.readUInt32BE(0), 0xd00dfeed, 'DTB magic');
  const offStruct = buf.readUInt32BE(8);
  const offStrings = buf.readUInt32BE(12);
  const offRsv = buf.readUInt32BE(16);
  const memreserves: Array<[number, number]> = [];
  for (let o = offRsv; ; o += 16) {
    const a = Number(buf.readBigUInt64BE(o));
    const s = Number(buf.readBigUInt64BE(o + 8));
    if (a === 0 && s === 0) break;
    memreserves.push([a, s]);
  }
  const nodes: FlatTree['nodes'] = [];
  const stack: string[] = [];
  let o = offStruct;
  const align = (x: number) => (x + 3) & ~3;
  for (let guard = 0; guard < 1e6; guard++) {
    const tok = buf.readUInt32BE(o); o += 4;
    if (tok === 1) {
      const end = buf.indexOf(0, o);
      const name = buf.toString('utf8', o, end);
      o = align(end + 1);
      const path = stack.length === 0 ? '/' : (stack.length === 1 ? '' : stack.slice(1).map((x) => '/' + x).join('')) + '/' + name;
      stack.push(name);
      nodes.push({ path, props: [] });
    } else if (tok === 2) stack.pop();
    else if (tok === 3) {
      const len = buf.readUInt32BE(o);
      const nameoff = buf.readUInt32BE(o + 4);
      const name = buf.toString('utf8', offStrings + nameoff, buf.indexOf(0, offStrings + nameoff));
      nodes[nodes.length - 1].props.push([name, buf.subarray(o + 8, o + 8 + len).toString('hex')]);
      o = align(o + 8 + len);
    } else if (tok === 4) continue;
    else if (tok === 9) break;
    else assert.fail(`bad DTB token ${tok}`);
  }
  return { nodes, memreserves };
}

function flatten(t: DtTree): FlatTree {
  const nodes: FlatTree['nodes'] = [];
  const visit = (n: DtNode) => {
    nodes.push({ path: n.path, props: n.properties.map((p) => [p.name, Buffer.from(propBytes(t, p)).toString('hex')]) });
    n.children.forEach(visit);
  };
  visit(t.root);
  return { nodes, memreserves: t.memreserves };
}

/** dtc adds `phandle` to every referenced node; ours keeps phandles aside, so check those via phandleOf. */
function compare(ours: DtTree, theirs: FlatTree, what: string): number {
  const mine = flatten(ours);
  let phandles = 0;
  assert.deepEqual(mine.nodes.map((n) => n.path), theirs.nodes.map((n) => n.path), `${what}: node paths`);
  assert.deepEqual(mine.memreserves, theirs.memreserves, `${what}: memreserves`);
  theirs.nodes.forEach((tn, i) => {
    const node = findNode(ours, tn.path)!;
    const added = tn.props.filter(([name]) => (name === 'phandle' || name === 'linux,phandle') && !getProp(node, name));
    for (const [, hex] of added) { phandles++; assert.equal(parseInt(hex, 16), phandleOf(ours, node), `${what}: phandle of ${tn.path}`); }
    const rest = tn.props.filter((p) => !added.includes(p));
    assert.deepEqual(mine.nodes[i].props, rest, `${what}: properties of ${tn.path}`);
  });
  return phandles;
}

function dtc(dir: string, file: string, out: 'dtb' | 'dts'): Buffer {
  const r = spawnSync('dtc', ['-q', '-I', 'dts', '-O', out, '-i', dir, join(dir, file)], { maxBuffer: 1 << 24 });
  assert.equal(r.status, 0, `dtc failed on ${file}: ${r.stderr?.toString()}`);
  return r.stdout;
}

/** Returns how many dtc-assigned phandles were checked. */
function differential(files: Record<string, string>, main: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-dtc-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const opts = { readFile: (p: string) => (p in files ? { path: p, text: files[p] } : undefined) };
    const ours = parseDts(files[main], main, opts);
    const dtb = readDtb(dtc(dir, main, 'dtb'));
    const n = compare(ours, dtb, main);
    const dts = dtc(dir, main, 'dts').toString('utf8');
    compare(parseDts(dts, 'dtc-output.dts'), dtb, `${main} via dtc -O dts`);
    return n;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const FEATURES = `/dts-v1/;
/memreserve/ 0x80000000 0x100000;
/memreserve/ (0x1 << 32) 0x1000;
/include/ "soc.dtsi"
/ {
	model = "tab\\there \\"q\\" \\x41\\101 \\\\ end";
	compatible = "vendor,board", "vendor,soc";
	#address-cells = <1>;
	#size-cells = <1>;
	nums = <10 0x10 010 'a' '\\n' (-1) (3 * 4 + 5 / 2 - 1) (1 << 31 | 0x7) (6 ? 7 : 8) (~0 >> 36)>;
	small = /bits/ 8 <1 0xff (-2) 'z'>, /bits/ 16 <0xbeef (-1)>, /bits/ 64 <0x123456789abcdef0 (-1)>;
	raw = [00 11 22aabb], "s", <1>;	// no empty [] here: dtc 1.6.1 -O dts prints it as '[' alone
	refs = <&uart0 &intc 0 &{/soc/serial@2000}>;
	empty;
	pl: labelled = lv: <1 lc: 2> le:;
	chosen { stdout-path = &uart0; alt = &{/soc/serial@1000}; };
	expl: explicit { phandle = <1>; };
	/omit-if-no-ref/ dropped { };
	/omit-if-no-ref/ kept: kept { };
	users { r = <&kept &expl>; };
};
&uart0 { status = "okay"; current-speed = <115200>; };
&{/soc/serial@2000} { status = "disabled"; };
extra: &intc { added; };
/ { soc { serial@1000 { clock-names = "apb"; }; tmp { }; }; };
/ { soc { /delete-node/ tmp; serial@2000 { /delete-property/ status; }; }; };
/delete-node/ &gone;
`;
const SOC = `/ {
	soc {
		#address-cells = <1>;
		#size-cells = <1>;
		intc: interrupt-controller@100 { reg = <0x100 0x100>; #interrupt-cells = <1>; interrupt-controller; };
		uart0: serial@1000 { compatible = "arm,pl011", "arm,primecell"; reg = <0x1000 0x1000>; interrupt-parent = <&intc>; interrupts = <5>; status = "disabled"; };
		serial@2000 { reg = <0x2000 0x1000>; status = "fail"; };
		gone: gone@3000 { reg = <0x3000 0x10>; child { }; };
	};
};
`;

test('dtc agrees on a file using every supported feature', { skip }, () => {
  const phandles = differential({ 'board.dts': FEATURES, 'soc.dtsi': SOC }, 'board.dts');
  assert.equal(phandles, 4, 'uart0, intc, serial@2000 (path ref) and kept get automatic phandles; expl has its own');
});

test('dtc agrees on the built-in mps2-an386 board', { skip }, () => {
  const text = readFileSync(fileURLToPath(new URL('../emulator/boards/mps2-an386.dts', import.meta.url)), 'utf8');
  differential({ 'mps2-an386.dts': text }, 'mps2-an386.dts');
});

/** Random fully-parenthesised-or-not expressions; divisors are forced odd so none is zero. */
function randomExpr(r: () => number, depth: number): string {
  const lit = () => {
    const k = Math.floor(r() * 4);
    const v = Math.floor(r() * 0x100000000);
    return k === 0 ? String(v % 1000) : k === 1 ? '0x' + v.toString(16) : k === 2 ? '0' + (v % 512).toString(8) : String(v % 70);
  };
  if (depth <= 0 || r() < 0.25) return lit();
  const ops = ['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '<', '>', '<=', '>=', '==', '!=', '&&', '||'];
  const k = Math.floor(r() * 22);
  if (k < ops.length) {
    const op = ops[k];
    let rhs = randomExpr(r, depth - 1);
    if (op === '/' || op === '%') rhs = `((${rhs}) | 1)`;
    if (op === '<<' || op === '>>') rhs = `((${rhs}) & 63)`;
    return `${randomExpr(r, depth - 1)} ${op} ${rhs}`;
  }
  if (k === 18) return `(${randomExpr(r, depth - 1)})`;
  if (k === 19) return `${randomExpr(r, depth - 1)} ? ${randomExpr(r, depth - 1)} : ${randomExpr(r, depth - 1)}`;
  return `${['-', '~', '!'][Math.floor(r() * 3)]}${r() < 0.5 ? lit() : `(${randomExpr(r, depth - 1)})`}`;
}

test('dtc agrees on 300 random 64-bit integer expressions', { skip }, () => {
  let s = 0x2545f491;
  const r = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 0x100000000; };
  const lines = ['/dts-v1/;', '/ {'];
  for (let i = 0; i < 300; i++) lines.push(`\te${i} = /bits/ 64 <(${randomExpr(r, 4)})>;`);
  lines.push('};', '');
  differential({ 'expr.dts': lines.join('\n') }, 'expr.dts');
});

// Both must refuse these. (We are stricter than dtc 1.6.1 in three places it only warns about:
// '*' in property names, an empty node name like '@1', and /delete-node/ of the root.)
const REJECTED = [
  '/ { p = <(1/0)>; };', '/ { p = <0x100000000>; };', '/ { a: x {}; a: y {}; };', '/ { x {}; x {}; };',
  '/ { r = <&nope>; };', '/ { p = <-1>; };', '/ { p = /bits/ 16 <&a>; a: x {}; };', '/ { foo#bar {}; };',
  '/ { x {}; p; };', '&nope { };', '/ { p = [0 1]; };', '/ { a { phandle = <1>; }; b { phandle = <1>; }; };',
  '/ { p; p; };', '/ { p = <FOO>; };', '/ { p = /bits/ 12 <1>; };', '/ { pl: p; x { r = <&pl>; }; };',
  '/ { a@1@2 {}; };', '/ { p = "abc; };', "/ { p = <'ab'>; };", '/ { p = <09>; };', '/ { r = &{/nowhere}; };',
  '/ { s = "x" };', '/ { a { phandle = <0>; }; };', '/ { p = /bits/ 8 <0x100>; };',
];

test('dtc and we reject the same malformed sources', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-dtc-'));
  try {
    REJECTED.forEach((body, i) => {
      const src = `/dts-v1/;\n${body}\n`;
      writeFileSync(join(dir, `r${i}.dts`), src);
      const r = spawnSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-o', '/dev/null', join(dir, `r${i}.dts`)]);
      assert.notEqual(r.status, 0, `dtc accepted ${body}`);
      assert.throws(() => parseDts(src, `r${i}.dts`), DtsError, `we accepted ${body}`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
