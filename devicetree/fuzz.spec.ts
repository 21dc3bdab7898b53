// Robustness: thousands of seeded random mutations (character flips, insertions, deletions,
// truncations, spliced copies) of a valid board file must each parse or fail with a DtsError,
// quickly, in both modes; the query helpers on whatever tree results must behave the same way.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DtsError, decodeReg, interruptParent, parseDts, parseDtsTolerant, propBytes, propCells, walk, type DtTree,
} from './index.js';
import { memFiles } from './test-helpers.js';

const BASE = `/dts-v1/;
/memreserve/ 0x80000000 0x10000;
#include "soc.dtsi"
/ {
	model = "fuzz\\tboard\\x41";
	#address-cells = <1>;
	#size-cells = <1>;
	interrupt-parent = <&intc>;
	cpus { #address-cells = <1>; #size-cells = <0>; cpu0: cpu@0 { reg = <0>; }; };
	intc: interrupt-controller@1000 { #interrupt-cells = <1>; interrupt-controller; reg = <0x1000 0x100>; };
	lbl: serial@2000 {
		compatible = "arm,pl011", "arm,primecell";
		reg = <0x2000 ((1 << 12) - 1)>, <0x3000 0x10>;
		interrupts = <(5 + 2 * 3) 'a'>;
		data = /bits/ 8 <1 2 0xff>, [00 11 22aa], &cpu0;
		/* block
		   comment */ flag; // line comment
		child { sub@0 { reg = <0 1>; }; };
	};
};
&lbl { status = "okay"; v: extra = <&{/cpus/cpu@0}>; };
/ { /delete-node/ junk; gone: junk { }; };
/delete-node/ &gone;
/ { /delete-property/ model; };
`;
const SOC = `/ { soc { dma@4000 { reg = <0x4000 0x100>; }; }; };\n`;

/** xorshift32: deterministic, so a failure can be replayed from its iteration number. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 0x100000000;
  };
}

const ALPHABET = '{}<>[]();=,&/*"\'\\#@:!?-+x0aZ_ \n\t\u00e9\u0000';

function mutate(src: string, r: () => number): string {
  const n = 1 + Math.floor(r() * 4);
  let s = src;
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const op = Math.floor(r() * 6);
    const ch = ALPHABET[Math.floor(r() * ALPHABET.length)];
    if (op === 0) s = s.slice(0, at) + ch + s.slice(at + 1);                 // replace
    else if (op === 1) s = s.slice(0, at) + ch + s.slice(at);                // insert
    else if (op === 2) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 8)); // delete a run
    else if (op === 3) s = s.slice(0, at);                                   // truncate
    else if (op === 4) {                                                      // splice a copied slice
      const from = Math.floor(r() * s.length);
      s = s.slice(0, at) + s.slice(from, from + Math.floor(r() * 40)) + s.slice(at);
    } else s = s.slice(0, at) + String.fromCharCode(s.charCodeAt(at) ^ (1 << Math.floor(r() * 7))) + s.slice(at + 1); // bit flip
  }
  return s;
}

function exercise(t: DtTree): void {
  walk(t.root, (n) => {
    for (const fn of [() => decodeReg(t, n), () => interruptParent(t, n), () => propCells(n, 'reg', t), () => n.properties.forEach((p) => propBytes(t, p))]) {
      try { fn(); } catch (e) { if (!(e instanceof DtsError)) throw e; }
    }
  });
}

function checkLoc(e: DtsError, ctx: string): void {
  assert.ok(e.loc.line >= 1 && e.loc.col >= 1, `bad location ${JSON.stringify(e.loc)} (${ctx})`);
  assert.ok(!/internal error/.test(e.message), `${e.message} (${ctx})`);
}

test('the unmutated fuzz base parses cleanly', () => {
  const fs = memFiles({ 'soc.dtsi': SOC });
  const t = parseDts(BASE, 'fuzz.dts', fs);
  assert.equal(t.diagnostics.length, 0);
  assert.equal(parseDtsTolerant(BASE, 'fuzz.dts', fs).diagnostics.length, 0);
  exercise(t);
});

test('3000 random mutations: DtsError or a tree, never another exception or a hang', () => {
  const r = rng(0x7a4d);
  const fs = memFiles({ 'soc.dtsi': SOC, 'fuzz.dts': BASE });
  let failed = 0;
  let ok = 0;
  let slowest = 0;
  for (let i = 0; i < 3000; i++) {
    const src = mutate(BASE, r);
    const ctx = `iteration ${i}`;
    const t0 = performance.now();
    try {
      exercise(parseDts(src, 'fuzz.dts', fs));
      ok++;
    } catch (e) {
      if (!(e instanceof DtsError)) assert.fail(`${ctx}: threw ${String(e)}`);
      checkLoc(e, ctx);
      failed++;
    }
    let tol: DtTree;
    try {
      tol = parseDtsTolerant(src, 'fuzz.dts', fs);
    } catch (e) {
      assert.fail(`${ctx}: tolerant mode threw ${String(e)}`);
    }
    for (const d of tol.diagnostics) checkLoc(d, ctx);
    exercise(tol);
    slowest = Math.max(slowest, performance.now() - t0);
  }
  // Both outcomes must occur, or the mutations are not testing anything.
  assert.ok(failed > 500 && ok > 50, `ok=${ok} failed=${failed}`);
  assert.ok(slowest < 1000, `slowest parse took ${slowest.toFixed(1)} ms`);
});

test('pathological inputs stay bounded', () => {
  const inputs = [
    '/ {' + ' a {'.repeat(10000),
    '/ { p = <' + '('.repeat(100000),
    '"'.repeat(50001),
    '/*'.repeat(30000),
    '/ { p = [' + '00 '.repeat(100000) + '];};',
    '&'.repeat(20000),
    '}'.repeat(20000),
    '/ { ' + 'a; '.repeat(20000) + '};',
    'x: '.repeat(10000),
  ];
  for (const src of inputs) {
    const t0 = performance.now();
    try { parseDts(src, 'p.dts'); } catch (e) { assert.ok(e instanceof DtsError, String(e)); checkLoc(e, src.slice(0, 20)); }
    const tol = parseDtsTolerant(src, 'p.dts');
    tol.diagnostics.forEach((d) => checkLoc(d, src.slice(0, 20)));
    assert.ok(performance.now() - t0 < 3000, `slow on ${src.slice(0, 20)}`);
  }
});

test('50000 siblings and 50000 properties parse in linear time', () => {
  const kids = '/ { ' + Array.from({ length: 50000 }, (_, i) => `n${i} { };`).join(' ') + ' };';
  const props = '/ { ' + Array.from({ length: 50000 }, (_, i) => `p${i} = <${i}>;`).join(' ') + ' };';
  for (const src of [kids, props]) {
    const t0 = performance.now();
    const t = parseDts(src, 'big.dts');
    assert.equal(t.root.children.length + t.root.properties.length, 50000);
    // Quadratic name lookups took about 15 s here; linear ones take well under 1 s.
    assert.ok(performance.now() - t0 < 5000, `took ${(performance.now() - t0).toFixed(0)} ms`);
  }
});
