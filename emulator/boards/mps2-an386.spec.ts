// Checks the board file's text (no DTS parser needed) against the devices QEMU 7.2's
// mps2-an386 maps (from `info mtree -f`), and that no two nodes' reg ranges overlap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findDeviceType } from '../devices/registry';

const text = readFileSync(join(__dirname, 'mps2-an386.dts'), 'utf8');

interface Node { compatible: string[]; base: number; size: number; interrupts?: number[] }
function nodes(): Node[] {
  const out: Node[] = [];
  const re = /compatible\s*=\s*((?:"[^"]*"\s*,?\s*)+);\s*reg\s*=\s*<\s*(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s*>;(?:[^}]*?interrupts\s*=\s*<([^>]*)>)?/gi;
  for (const m of text.matchAll(re)) {
    out.push({
      compatible: [...m[1].matchAll(/"([^"]*)"/g)].map((x) => x[1]),
      base: Number(m[2]), size: Number(m[3]),
      interrupts: m[4]?.trim().split(/\s+/).map(Number),
    });
  }
  return out;
}

// [compatible, base, size, interrupts] as QEMU 7.2 maps them (hw/arm/mps2.c).
const QEMU: [string, number, number, number[]?][] = [
  ['tandem,ram', 0x00000000, 0x400000], ['tandem,ram', 0x01000000, 0x4000],
  ['tandem,ram', 0x20000000, 0x400000], ['tandem,ram', 0x21000000, 0x1000000],
  ['arm,cmsdk-apb-timer', 0x40000000, 0x1000, [8]], ['arm,cmsdk-apb-timer', 0x40001000, 0x1000, [9]],
  ['arm,cmsdk-apb-dualtimer', 0x40002000, 0x1000, [10]],
  ['arm,cmsdk-apb-uart', 0x40004000, 0x1000, [0, 1, 12]], ['arm,cmsdk-apb-uart', 0x40005000, 0x1000, [2, 3, 12]],
  ['arm,cmsdk-apb-uart', 0x40006000, 0x1000, [4, 5, 12]], ['arm,cmsdk-apb-uart', 0x40007000, 0x1000, [18, 19]],
  ['arm,cmsdk-apb-uart', 0x40009000, 0x1000, [20, 21]],
  ['arm,cmsdk-apb-watchdog', 0x40008000, 0x1000],
  ['arm,pl022', 0x40020000, 0x1000, [11]], ['arm,pl022', 0x40021000, 0x1000, [11]], ['arm,pl022', 0x40025000, 0x1000, [22]],
  ['arm,pl022', 0x40026000, 0x1000, [24]], ['arm,pl022', 0x40027000, 0x1000, [24]],
  ['arm,versatile-i2c', 0x40022000, 0x1000], ['arm,versatile-i2c', 0x40023000, 0x1000],
  ['arm,versatile-i2c', 0x40029000, 0x1000], ['arm,versatile-i2c', 0x4002a000, 0x1000],
  ['arm,mps2-fpgaio', 0x40028000, 0x1000], ['arm,mps2-scc', 0x4002f000, 0x1000],
  ['smsc,lan9118', 0x40200000, 0x100, [13]],
  ['tandem,unimplemented', 0x40024000, 0x400], ['tandem,unimplemented', 0x41000000, 0x200000],
  ['tandem,unimplemented', 0x40030000, 0x1d0000], ['tandem,unimplemented', 0x00800000, 0x800000],
  ['tandem,unimplemented', 0x01010000, 0x1eff0000], ['tandem,unimplemented', 0x20800000, 0x800000],
];

test('every region QEMU maps has a node with the same compatible, reg and interrupts', () => {
  const ns = nodes();
  for (const [c, base, size, irqs] of QEMU) {
    const n = ns.find((x) => x.base === base && x.compatible.includes(c));
    assert.ok(n, `no ${c} node at 0x${base.toString(16)}`);
    assert.equal(n.size, size, `${c}@${base.toString(16)} size`);
    if (irqs) assert.deepEqual(n.interrupts, irqs, `${c}@${base.toString(16)} interrupts`);
  }
});

test('the QEMU unimplemented peripheral windows are fully covered, with no overlaps', () => {
  const ns = nodes().sort((a, b) => a.base - b.base);
  for (let i = 1; i < ns.length; i++) {
    assert.ok(ns[i - 1].base + ns[i - 1].size <= ns[i].base, `0x${ns[i - 1].base.toString(16)} overlaps 0x${ns[i].base.toString(16)}`);
  }
  for (const [lo, hi] of [[0x40000000, 0x40030000], [0x40030000, 0x40200000]]) {
    let a = lo;
    for (const n of ns) if (n.base === a && a < hi) a += n.size;
    assert.equal(a, hi, `gap at 0x${a.toString(16)}`);
  }
});

test('every node resolves to a registered model or a memory type, and IDs match QEMU', () => {
  for (const n of nodes()) {
    if (n.compatible[0].startsWith('tandem,r')) continue;
    assert.ok(n.compatible.some((c) => findDeviceType(c)), `no model for ${n.compatible.join(', ')}`);
  }
  assert.match(text, /arm,scc-id = <0x41043860>/);
  assert.match(text, /arm,scc-aid = <0x00200008>/);
  assert.match(text, /arm,num-irqs = <32>/);
  assert.match(text, /stdout-path = &uart0/);
});
