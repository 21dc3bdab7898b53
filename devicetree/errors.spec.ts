// Error reporting: every error names file:line:col of the offending token with an actionable
// message, fatal mode stops at the first one, and tolerant mode recovers and keeps going.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtsError, findNode, parseDts, parseDtsTolerant, propU32 } from './index.js';

function errorOf(src: string): string {
  try {
    parseDts(src, 'e.dts');
  } catch (e) {
    assert.ok(e instanceof DtsError, `not a DtsError: ${String(e)}`);
    assert.equal(e.message, `${e.loc.file}:${e.loc.line}:${e.loc.col}: ${e.detail}`);
    return e.message;
  }
  assert.fail(`no error for: ${src}`);
}

const cases: Array<[string, string]> = [
  ['/ {\n  reg = <1>\n  x;\n};', "e.dts:3:3: expected ';' after property 'reg', found 'x'"],
  ['/ {\n  a { }\n};', "e.dts:3:1: expected ';' after '}' closing node '/a', found '}'"],
  ['/ { r = <&uart9>; };', "e.dts:1:10: unknown label 'uart9' referenced here"],
  ['/ { r = &{/nowhere}; };', "e.dts:1:9: no node at path '/nowhere' (referenced here)"],
  ['&uart9 { };', "e.dts:1:1: unknown label 'uart9' referenced here"],
  ['/ { a: x { }; a: y { }; };', 'e.dts:1:15: duplicate label \'a\': already defined at e.dts:1:5'],
  ['/ { x { }; x { }; };', "e.dts:1:12: duplicate node 'x' in '/': already defined at e.dts:1:5 in the same block"],
  ['/ { p; p = <1>; };', "e.dts:1:8: duplicate property 'p' in node '/'"],
  ['/ {\n  x {};\n  p;\n};', "e.dts:3:3: property 'p' must come before the child nodes of '/'"],
  ['/ { s = "abc; };\n', 'e.dts:1:9: unterminated string: missing closing \'"\''],
  ['/ {\n /* open\n x; };', "e.dts:2:2: unterminated comment: '/*' has no matching '*/'"],
  ['/ {\n  a {\n    x;\n', "e.dts:2:5: node '/a' is not closed: missing '}' for the '{' here"],
  ['/ { p = <1 2; };', "e.dts:1:13: expected a number, '(expression)', '&label' or '>' in the cell list of property 'p', found ';'"],
  ['/ { p = <1 2', "e.dts:1:9: cell list of property 'p' is not closed: missing '>' for the '<' here"],
  ['/ { p = [0 1]; };', "e.dts:1:10: invalid bytestring '0' in property 'p': use pairs of hex digits like [00 1a ff]"],
  ['/ { p = <-1>; };', "e.dts:1:10: negative numbers in a cell list must be in parentheses, like (-1), in property 'p'"],
  ['/ { p = <(1 / 0)>; };', "e.dts:1:13: division by zero in '/'"],
  ['/ { p = <(5 % (2 - 2))>; };', "e.dts:1:13: division by zero in '%'"],
  ['/ { p = <0x100000000>; };', 'e.dts:1:10: value 0x100000000 does not fit in a 32-bit cell'],
  ['/ { p = /bits/ 8 <256>; };', 'e.dts:1:19: value 0x100 does not fit in a 8-bit cell'],
  ['/ { p = /bits/ 12 <1>; };', 'e.dts:1:16: /bits/ must be 8, 16, 32 or 64, not 12'],
  ['/ { p = /bits/ 16 <&a>; a: x { }; };', "e.dts:1:20: references like '&a' are only allowed in 32-bit cell lists (property 'p' uses /bits/ 16)"],
  ['/ { p = <0x1g>; };', "e.dts:1:10: invalid integer literal '0x1g'"],
  ['/ { p = <09>; };', "e.dts:1:10: invalid octal literal '09': digits 8 and 9 are not octal"],
  ['/ { p = <99999999999999999999>; };', "e.dts:1:10: integer literal '99999999999999999999' does not fit in 64 bits"],
  ['/ { p = <FOO>; };', "e.dts:1:10: unexpected 'FOO' in a cell list: macros are not expanded here (run the file through cpp first)"],
  ['/ { foo#bar { }; };', "e.dts:1:5: invalid character '#' in node name 'foo#bar' (allowed: letters, digits and , . _ + -)"],
  ['/ { a@1@2 { }; };', "e.dts:1:5: node name 'a@1@2' has more than one '@'"],
  ['/ { @1 { }; };', "e.dts:1:5: node name '@1' is missing the part before '@'"],
  ['/ { pro*p; };', "e.dts:1:5: invalid character '*' in property name 'pro*p' (allowed: letters, digits and , . _ + ? # -)"],
  ['/ { 1bad: x { }; };', "e.dts:1:5: invalid label '1bad': labels use only letters, digits and '_' and do not start with a digit"],
  ['/ { p = ; };', 'e.dts:1:9: expected a value for property \'p\' ("string", <cells>, [bytes] or &label), found \';\''],
  ['/ { x y; };', "e.dts:1:7: expected '=', ';' or '{' after 'x', found 'y'"],
  ['/dts-v1/;\nfoo { };', "e.dts:2:1: expected a root node '/ { ... };', an override '&label { ... };' or a directive like '/dts-v1/;', found 'foo'"],
  ['/ { /foo/; };', "e.dts:1:5: unknown directive '/foo/'"],
  ['/ { p = <1>; }; /delete-node/ &{/};', 'e.dts:1:31: the root node cannot be deleted'],
  ['/ { a { phandle = <1>; }; b { phandle = <1>; }; };', "e.dts:1:31: duplicate phandle 0x1: already used by '/a' (e.dts:1:5)"],
  ['/ { p = <(1 ? 2 3)>; };', "e.dts:1:17: expected ':' in 'cond ? a : b', found '3'"],
  ['/ { p = <(1 + )>; };', "e.dts:1:15: expected a number, '(' or a unary operator in the expression, found ')'"],
  ["/ { p = <'ab'>; };", "e.dts:1:10: invalid character literal: expected one character between single quotes, like 'a'"],
  ['/ { p = <1>; };\n/ { $ };', "e.dts:2:5: unexpected character '$'"],
];

for (const [src, want] of cases) {
  test(`error: ${want.slice(want.indexOf(': ') + 2, want.indexOf(': ') + 60)}`, () => {
    assert.equal(errorOf(src), want);
  });
}

test('error locations point into the included file', () => {
  const files: Record<string, string> = { 'sub.dtsi': '/ {\n\tgood;\n\tbad = <1>\n};\n' };
  const opts = { readFile: (p: string) => (p in files ? { path: p, text: files[p] } : undefined) };
  assert.throws(() => parseDts('/dts-v1/;\n#include "sub.dtsi"\n', 'main.dts', opts),
    (e: unknown) => e instanceof DtsError && e.message === "sub.dtsi:4:1: expected ';' after property 'bad', found '}'");
});

test('tolerant mode collects every error and still builds the rest of the tree', () => {
  const src = [
    '/dts-v1/;',
    '/ {',
    '  a = <1>',           // missing ';' (reported at line 4, parsing goes on)
    '  b = <2 x>;',        // bad cell, skipped to ';'
    '  c@@ { y; };',       // bad node name, whole node skipped
    '  d = <&nope>;',      // unresolved reference (reported after parsing)
    '  ok { v = <7>; };',
    '  e = "open',         // unterminated string swallows the rest
    '};',
  ].join('\n');
  const t = parseDtsTolerant(src, 't.dts');
  assert.deepEqual(t.diagnostics.map((d) => d.message), [
    "t.dts:4:3: expected ';' after property 'a', found 'b'",
    "t.dts:4:10: unexpected 'x' in a cell list: macros are not expanded here (run the file through cpp first)",
    "t.dts:5:3: node name 'c@@' has more than one '@'",
    "t.dts:8:3: property 'e' must come before the child nodes of '/'",
    't.dts:8:7: unterminated string: missing closing \'"\'',
    "t.dts:2:3: node '/' is not closed: missing '}' for the '{' here",
    "t.dts:6:8: unknown label 'nope' referenced here",
  ]);
  assert.equal(propU32(t.root, 'a'), 1);
  assert.equal(propU32(findNode(t, '/ok')!, 'v'), 7);
  assert.equal(findNode(t, '/c@@'), undefined);
});

test('tolerant mode recovers from a stray top-level brace and bad top-level tokens', () => {
  const t = parseDtsTolerant('/dts-v1/;\n}; junk;\n/ { fine; };\n', 't.dts');
  assert.deepEqual(t.diagnostics.map((d) => `${d.loc.line}:${d.loc.col}`), ['2:1', '2:4']);
  assert.equal(t.root.properties[0]?.name, 'fine');
});

test('fatal mode reports only the first error', () => {
  assert.throws(() => parseDts('/ { a = <1>\n b = <x>; };', 'f.dts'), /f\.dts:2:2: expected ';'/);
});

test('tolerant mode still checks the body of an override whose label is unknown', () => {
  const t = parseDtsTolerant('/dts-v1/;\n&missing {\n\tstatus = "okay"\n\tok;\n};\n/ { fine; };\n', 'o.dts');
  assert.deepEqual(t.diagnostics.map((d) => d.message), [
    "o.dts:2:1: unknown label 'missing' referenced here",
    "o.dts:4:2: expected ';' after property 'status', found 'ok'",
  ]);
  assert.deepEqual(t.root.properties.map((p) => p.name), ['fine'], 'the detached body does not leak into the tree');
});
