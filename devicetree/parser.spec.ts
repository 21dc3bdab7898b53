// Feature tests for the DTS parser: syntax of chapter 6 of the Devicetree Specification v0.4
// and dtc's extensions, merging of re-opened nodes, overrides, deletes, labels and includes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtsError, findNode, getProp, parseDts, propBytes, propCells, propString, propStrings, propU32, type DtValue } from './index.js';
import { memFiles, paths } from './test-helpers.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
function bytesOf(src: string, path: string, prop: string): string {
  const t = parseDts(src, 't.dts');
  const n = findNode(t, path);
  assert.ok(n, `node ${path}`);
  const p = getProp(n, prop);
  assert.ok(p, `property ${prop}`);
  return hex(propBytes(t, p));
}

test('header directives, memreserve and comments', () => {
  const t = parseDts(`/dts-v1/; /plugin/;
    // line comment
    /memreserve/ 0x10000000 0x4000; /* block
    comment */ /memreserve/ (1 << 20) 4096;
    / { a; };`, 'h.dts');
  assert.deepEqual(t.memreserves, [[0x10000000, 0x4000], [1 << 20, 4096]]);
  assert.deepEqual(t.files, ['h.dts']);
  assert.equal(t.root.properties[0].name, 'a');
  assert.deepEqual(t.root.properties[0].values, []);
});

test('nodes, unit addresses, labels and paths', () => {
  const t = parseDts(`/dts-v1/;
    / { soc { a: b: uart@4000c000 { x; }; cpus { cpu@0 { }; cpu@1 { }; }; }; };`, 'n.dts');
  assert.deepEqual(paths(t.root), ['/', '/soc', '/soc/uart@4000c000', '/soc/cpus', '/soc/cpus/cpu@0', '/soc/cpus/cpu@1']);
  const u = findNode(t, '&a')!;
  assert.equal(u.name, 'uart');
  assert.equal(u.unitAddress, '4000c000');
  assert.equal(u.fullName, 'uart@4000c000');
  assert.deepEqual(u.labels, ['a', 'b']);
  assert.equal(findNode(t, 'b'), u);
  assert.equal(findNode(t, '/soc/uart@4000c000'), u);
  assert.equal(findNode(t, '/soc/uart'), u, 'unique name without unit address');
  assert.equal(findNode(t, '/soc/cpus/cpu'), undefined, 'ambiguous without unit address');
  assert.equal(u.parent?.path, '/soc');
  assert.deepEqual([u.loc.line, u.loc.col, u.loc.endCol], [2, 21, 34], 'location of the node name');
});

test('strings with escapes, string lists', () => {
  assert.equal(bytesOf(String.raw`/ { s = "a\n\t\\\"\x41\x7\101\0z"; };`, '/', 's'), '610a095c22410741007a00');
  const t = parseDts(`/ { c = "arm,pl011", "arm,primecell"; u = "h\u00e9"; };`, 's.dts');
  assert.deepEqual(propStrings(t.root, 'c'), ['arm,pl011', 'arm,primecell']);
  assert.equal(propString(t.root, 'c'), undefined, 'two strings are not one string');
  assert.equal(propString(t.root, 'u'), 'h\u00e9');
  assert.equal(hex(propBytes(t, getProp(t.root, 'u')!)), '68c3a900', 'UTF-8 source encodes as UTF-8');
});

test('cell lists: radixes, char literals, /bits/, bytestrings, mixed values', () => {
  assert.equal(bytesOf(`/ { p = <10 0x10 010 'a' '\\n' 0xffffffff 7U 8ull>; };`, '/', 'p'),
    '0000000a' + '00000010' + '00000008' + '00000061' + '0000000a' + 'ffffffff' + '00000007' + '00000008');
  assert.equal(bytesOf(`/ { p = /bits/ 8 <1 0xff (-1)>, /bits/ 16 <0x1234>, /bits/ 64 <0x123456789abcdef0>; };`, '/', 'p'),
    '01ffff' + '1234' + '123456789abcdef0');
  assert.equal(bytesOf(`/ { p = [00 1a FFee], [ ], "x", <1>; };`, '/', 'p'), '001affee' + '7800' + '00000001');
  const t = parseDts(`/ { w = /bits/ 64 <0xffffffffffffffff>; };`, 'w.dts');
  const v = getProp(t.root, 'w')!.values[0] as Extract<DtValue, { kind: 'cells' }>;
  assert.deepEqual(v.wide, [0xffffffffffffffffn], 'exact 64-bit value kept');
  assert.equal(propU32(t.root, 'w'), undefined, 'a 64-bit cell is two words, not one');
  assert.deepEqual(propCells(t.root, 'w', t), [0xffffffff, 0xffffffff]);
});

test('references: phandles in cells and paths as values', () => {
  const t = parseDts(`/dts-v1/;
    / { a: alpha { }; b: beta@1 { };
        gamma { r = <&b 5 &a &{/alpha}>; p = &b; q = &{/beta@1}; };
    };`, 'r.dts');
  const g = findNode(t, '/gamma')!;
  // Phandles are handed out in order of first reference, from 1, like dtc.
  assert.deepEqual(propCells(g, 'r', t), [1, 5, 2, 2]);
  assert.equal(new TextDecoder().decode(propBytes(t, getProp(g, 'p')!)), '/beta@1\0');
  assert.equal(new TextDecoder().decode(propBytes(t, getProp(g, 'q')!)), '/beta@1\0');
});

test('explicit phandles are kept and automatic ones avoid them', () => {
  const t = parseDts(`/ { a: x { phandle = <1>; }; b: y { }; z { r = <&b &a>; }; };`, 'p.dts');
  assert.deepEqual(propCells(findNode(t, '/z')!, 'r', t), [2, 1]);
});

test('re-opened nodes merge: later properties override, children merge, labels accumulate', () => {
  const t = parseDts(`/dts-v1/;
    / { n: node { a = <1>; b = "x"; c { k = <1>; }; }; };
    / { node { a = <2>; d; c { l; }; e { }; }; };
    &n { b = "y"; };
    l2: &n { f; };
    &{/node/c} { m; };`, 'm.dts');
  const n = findNode(t, '/node')!;
  assert.deepEqual(n.properties.map((p) => p.name), ['a', 'b', 'd', 'f'], 'overrides keep their place');
  assert.equal(propU32(n, 'a'), 2);
  assert.equal(propString(n, 'b'), 'y');
  assert.deepEqual(n.children.map((c) => c.fullName), ['c', 'e']);
  assert.deepEqual(findNode(t, '/node/c')!.properties.map((p) => p.name), ['k', 'l', 'm']);
  assert.deepEqual(n.labels, ['n', 'l2']);
  assert.equal(getProp(n, 'a')!.loc.line, 3, 'property location follows the winning definition');
});

test('delete-node and delete-property', () => {
  const t = parseDts(`/ {
      keep { a; b; sub { }; };
      lbl: gone { inner: x { }; };
      other@1 { };
    };
    / { keep { /delete-property/ a; /delete-node/ sub; }; /delete-node/ other@1; };
    /delete-node/ &lbl;
    / { again { }; };`, 'd.dts');
  assert.deepEqual(paths(t.root), ['/', '/keep', '/again']);
  assert.deepEqual(findNode(t, '/keep')!.properties.map((p) => p.name), ['b']);
  assert.equal(t.labels.has('lbl'), false);
  assert.equal(t.labels.has('inner'), false, 'labels inside a deleted subtree go too');
  // A deleted label can be defined again.
  const t2 = parseDts(`/ { a: x { }; }; /delete-node/ &a; / { a: y { }; };`, 'd2.dts');
  assert.equal(findNode(t2, '&a')!.path, '/y');
});

test('a reference to a deleted node is an error', () => {
  assert.throws(() => parseDts(`/ { a: x { }; y { r = <&a>; }; }; /delete-node/ &a;`, 'd3.dts'),
    (e: unknown) => e instanceof DtsError && e.message === "d3.dts:1:24: unknown label 'a' referenced here");
});

test('/omit-if-no-ref/ drops only unreferenced nodes', () => {
  const t = parseDts(`/ { /omit-if-no-ref/ a: used { }; /omit-if-no-ref/ unused { }; b: c { }; }; /omit-if-no-ref/ &b;`, 'o.dts');
  assert.deepEqual(paths(t.root), ['/']);
  const t2 = parseDts(`/ { r = <&a>; /omit-if-no-ref/ a: used { }; /omit-if-no-ref/ unused { }; };`, 'o2.dts');
  assert.deepEqual(paths(t2.root), ['/', '/used']);
});

test('labels on properties and values are kept', () => {
  const t = parseDts(`/ { pl: p = v1: <1 c1: 2> v2:, v3: "s"; };`, 'l.dts');
  const p = getProp(t.root, 'p')!;
  assert.deepEqual(p.labels, ['pl']);
  assert.deepEqual(p.values.map((v) => v.labels), [['v1', 'c1', 'v2'], ['v3']]);
  assert.throws(() => parseDts(`/ { pl: p; x { r = <&pl>; }; };`, 'l2.dts'), /names a property or value, not a node/);
});

test('includes: /include/, #include "..." and #include <...> are expanded in place', () => {
  const fs = memFiles({
    'board.dts': `/dts-v1/;\n/include/ "soc.dtsi"\n#include <dt/common.dtsi>\n&uart { status = "okay"; };\n`,
    'soc.dtsi': `/ { uart: serial@1000 { status = "disabled";\n#include "props.dtsi"\n}; };\n`,
    'props.dtsi': `reg = <0x1000 0x100>;\n`,
    'inc/dt/common.dtsi': `/ { model = "m"; };\n`,
  });
  const t = parseDts(fs.readFile('board.dts', '')!.text, 'board.dts', fs);
  assert.deepEqual(t.files, ['board.dts', 'soc.dtsi', 'props.dtsi', 'inc/dt/common.dtsi']);
  const u = findNode(t, 'uart')!;
  assert.equal(propString(u, 'status'), 'okay');
  assert.deepEqual(propCells(u, 'reg', t), [0x1000, 0x100]);
  assert.equal(getProp(u, 'reg')!.loc.file, 'props.dtsi');
  assert.equal(u.loc.file, 'soc.dtsi');
  assert.equal(propString(t.root, 'model'), 'm');
});

test('include errors: missing file, cycle, depth limit, no readFile', () => {
  const missing = memFiles({});
  assert.throws(() => parseDts(`/dts-v1/;\n  /include/ "nope.dtsi"\n`, 'a.dts', missing),
    (e: unknown) => e instanceof DtsError && e.message === "a.dts:2:3: cannot find include file 'nope.dtsi'");
  const cyc = memFiles({ 'a.dtsi': '#include "b.dtsi"\n', 'b.dtsi': '/include/ "a.dtsi"\n' });
  assert.throws(() => parseDts('#include "a.dtsi"\n', 'm.dts', cyc),
    (e: unknown) => e instanceof DtsError && e.loc.file === 'b.dtsi' && /include cycle: a\.dtsi -> b\.dtsi -> a\.dtsi/.test(e.message));
  const deep: Record<string, string> = {};
  for (let i = 0; i < 30; i++) deep[`f${i}.dtsi`] = `/include/ "f${i + 1}.dtsi"\n`;
  deep['f30.dtsi'] = '';
  assert.throws(() => parseDts('/include/ "f0.dtsi"', 'm.dts', memFiles(deep)), /nested deeper than 16 levels/);
  assert.doesNotThrow(() => parseDts('/include/ "f20.dtsi"', 'm.dts', memFiles(deep)), 'depth 11 is fine');
  assert.throws(() => parseDts('/include/ "x.dtsi"', 'm.dts'), /no readFile/);
});

test('cpp line markers are skipped; other cpp directives are reported', () => {
  const t = parseDts('# 1 "board.dts"\n# 3 "x.h" 1\n/ { #address-cells = <1>; };\n', 'pp.dts');
  assert.equal(propU32(t.root, '#address-cells'), 1);
  assert.throws(() => parseDts('#define FOO 1\n/ { };', 'pp.dts'), /pp\.dts:1:1: C preprocessor directive '#define'/);
});
