// Resolver helpers: reg decoding per the parent's #address-cells/#size-cells (spec 2.3.5),
// phandle lookup both ways, interrupt-parent walking (spec 2.4), and the built-in board file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  DtsError, decodeReg, findNode, interruptParent, nodeByPhandle, parseDts, phandleOf, propCells, propU32, walk,
} from './index.js';

test('reg with 1/1, 2/2, 2/1 (defaults), 1/0 and 3/2 cells', () => {
  const t = parseDts(`/ {
    a { #address-cells = <1>; #size-cells = <1>; d@1000 { reg = <0x1000 0x100 0x2000 0x20>; }; };
    b { #address-cells = <2>; #size-cells = <2>; d@100000000 { reg = <0x1 0x00000000 0x0 0x80000000>; }; };
    c { d@0 { reg = <0x0 0x40000000 0x1000>; }; };
    cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { reg = <0>; }; cpu@1 { reg = <1>; }; };
    e { #address-cells = <3>; #size-cells = <2>; d { reg = <0 0x1f 0xfffff000 0 0x1000>; }; };
    f { #address-cells = <2>; #size-cells = <1>; d { reg = /bits/ 64 <0x123456789>, <0x10>; }; };
  };`, 'reg.dts');
  assert.deepEqual(decodeReg(t, findNode(t, '/a/d@1000')!), [{ address: 0x1000, size: 0x100 }, { address: 0x2000, size: 0x20 }]);
  assert.deepEqual(decodeReg(t, findNode(t, '/b/d@100000000')!), [{ address: 0x100000000, size: 0x80000000 }]);
  assert.deepEqual(decodeReg(t, findNode(t, '/c/d@0')!), [{ address: 0x40000000, size: 0x1000 }]);
  assert.deepEqual(decodeReg(t, findNode(t, '/cpus/cpu@1')!), [{ address: 1, size: 0 }]);
  assert.deepEqual(decodeReg(t, findNode(t, '/e/d')!), [{ address: 0x1ffffff000, size: 0x1000 }]);
  assert.deepEqual(decodeReg(t, findNode(t, '/f/d')!), [{ address: 0x123456789, size: 0x10 }]);
  assert.deepEqual(decodeReg(t, findNode(t, '/cpus')!), [], 'no reg');
});

test('reg errors: wrong multiple, too large, not cells', () => {
  const t = parseDts(`/ {
    #address-cells = <1>; #size-cells = <1>;
    odd { reg = <1 2 3>; };
    s { reg = "x"; };
    w { #address-cells = <2>; #size-cells = <1>; big { reg = <0x00200000 0 1>; }; ok { reg = <0x001fffff 0xffffffff 1>; }; };
    bad { #address-cells = <9>; x { reg = <1>; }; };
  };`, 'reg.dts');
  assert.throws(() => decodeReg(t, findNode(t, '/odd')!),
    (e: unknown) => e instanceof DtsError && e.message === "reg.dts:3:11: 'reg' of '/odd' has 3 cells, which is not a multiple of #address-cells (1) + #size-cells (1) of its parent");
  assert.throws(() => decodeReg(t, findNode(t, '/s')!), /'reg' of '\/s' must be a list of cells/);
  assert.throws(() => decodeReg(t, findNode(t, '/w/big')!), /address 0x20000000000000 in 'reg' of '\/w\/big' is too large/);
  assert.deepEqual(decodeReg(t, findNode(t, '/w/ok')!), [{ address: Number.MAX_SAFE_INTEGER, size: 1 }]);
  assert.throws(() => decodeReg(t, findNode(t, '/bad/x')!), /'#address-cells' of '\/bad' must be one cell between 0 and 4/);
});

test('phandleOf and nodeByPhandle agree, and assignment is deterministic', () => {
  const src = `/ { a: a { }; b: b { }; c { }; u { r = <&b>; }; };`;
  const t1 = parseDts(src, 'p.dts');
  const t2 = parseDts(src, 'p.dts');
  const b = findNode(t1, '&b')!;
  assert.equal(phandleOf(t1, b), 1, 'the referenced node got phandle 1 during parsing');
  const c = findNode(t1, '/c')!;
  const pc = phandleOf(t1, c);
  assert.equal(pc, 2);
  assert.equal(phandleOf(t1, c), pc, 'stable');
  assert.equal(nodeByPhandle(t1, pc), c);
  assert.equal(nodeByPhandle(t1, 99), undefined);
  assert.equal(phandleOf(t2, findNode(t2, '/c')!), 2, 'same order gives the same numbers in another parse');
  let all = 0;
  walk(t1.root, (n) => { all++; assert.equal(nodeByPhandle(t1, phandleOf(t1, n)), n); });
  assert.equal(all, 5);
});

test('interruptParent: own property, inherited from an ancestor, interrupt-map nexus, none', () => {
  const t = parseDts(`/ {
    interrupt-parent = <&gic>;
    gic: gic { #interrupt-cells = <3>; interrupt-controller; };
    nvic: nvic { #interrupt-cells = <1>; interrupt-controller; };
    soc { interrupt-parent = <&nvic>; uart { interrupts = <5>; }; timer { interrupt-parent = <&gic>; }; };
    dev { interrupts = <0 1 4>; };
    pcie: pcie { #interrupt-cells = <1>; interrupt-map = <0 &gic 0 1 4>; ep { interrupts = <1>; }; };
  };`, 'i.dts');
  assert.equal(interruptParent(t, findNode(t, '/soc/uart')!)?.path, '/nvic');
  assert.equal(interruptParent(t, findNode(t, '/soc/timer')!)?.path, '/gic');
  assert.equal(interruptParent(t, findNode(t, '/dev')!)?.path, '/gic');
  assert.equal(interruptParent(t, findNode(t, '/pcie/ep')!)?.path, '/pcie');
  const t2 = parseDts(`/ { x { interrupts = <1>; }; };`, 'i2.dts');
  assert.equal(interruptParent(t2, findNode(t2, '/x')!), undefined);
  const t3 = parseDts(`/ { x { interrupt-parent = <7>; }; };`, 'i3.dts');
  assert.throws(() => interruptParent(t3, findNode(t3, '/x')!), /i3\.dts:1:9: 'interrupt-parent' of '\/x' points to phandle 0x7, which no node has/);
});

test('interruptParent terminates on an interrupt-parent cycle without controllers', () => {
  const t = parseDts(`/ { a: a { interrupt-parent = <&b>; }; b: b { interrupt-parent = <&a>; }; };`, 'c.dts');
  assert.equal(interruptParent(t, findNode(t, '/a')!), undefined);
});

test('the built-in mps2-an386 board parses and resolves', () => {
  const file = fileURLToPath(new URL('../emulator/boards/mps2-an386.dts', import.meta.url));
  const t = parseDts(readFileSync(file, 'utf8'), file);
  const uart0 = findNode(t, 'uart0')!;
  assert.deepEqual(decodeReg(t, uart0), [{ address: 0x40004000, size: 0x1000 }]);
  assert.equal(interruptParent(t, uart0), findNode(t, 'nvic'));
  assert.deepEqual(propCells(uart0, 'interrupts', t), [0, 1, 12]);
  assert.equal(propU32(findNode(t, '/watchdog@40008000')!, 'interrupts'), 0xfffffff2, '(-14) as a 32-bit cell');
  assert.equal(decodeReg(t, findNode(t, '/cpus/cpu@0')!)[0].size, 0);
});
