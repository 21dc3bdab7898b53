// Checks the mps2-an521 board file against QEMU 7.2: every region in QEMU's `info mtree -f`
// flat view (testdata/mps2-an521-mtree-f.txt, re-captured here when qemu-system-arm is
// installed) has a node of the right model and PPC port, no node maps what QEMU does not,
// and interrupts and IDs are those of hw/arm/mps2-tz.c and hw/arm/armsse.c.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { decodeReg, getProp, nodeByPhandle, parseDts, propCells, propStrings, propU32, walk, type DtNode } from '../../devicetree';
import { findDeviceType } from '../devices/registry';

const file = join(__dirname, 'mps2-an521.dts');
const tree = parseDts(readFileSync(file, 'utf8'), file);
const listing = readFileSync(join(__dirname, 'testdata', 'mps2-an521-mtree-f.txt'), 'utf8');

interface QRange { start: number; end: number; name: string }
interface DRange { start: number; end: number; node: DtNode; compat: string[] }

/** The flat view of one CPU's address space: [start, end] inclusive, region name. */
function qemuView(text: string, as: string): QRange[] {
  const at = text.indexOf(`AS "${as}"`);
  assert.ok(at >= 0, `no address space ${as} in the listing`);
  const out: QRange[] = [];
  for (const line of text.slice(at).split('\n').slice(1)) {
    if (/^\s*AS "/.test(line) && out.length > 0) break;
    const m = /^\s+([0-9a-f]{16})-([0-9a-f]{16}) \(prio -?\d+, [\w/]+\): (.+?)(?: @[0-9a-f]+)?$/.exec(line);
    if (m) out.push({ start: parseInt(m[1], 16), end: parseInt(m[2], 16), name: m[3] });
    else if (out.length > 0 && line.trim() === '') break;
  }
  return out;
}

function dtsRanges(): DRange[] {
  const out: DRange[] = [];
  walk(tree.root, (n) => {
    const compat = propStrings(n, 'compatible');
    if (!compat || (n.path === '/cpus' || n.path.startsWith('/cpus/')) || compat.includes('arm,v7m-nvic')) return;
    const reg = decodeReg(tree, n)[0];
    if (!reg) return;
    for (const b of [reg.address, ...(propCells(n, 'tandem,aliases', tree) ?? [])]) out.push({ start: b, end: b + reg.size - 1, node: n, compat });
  });
  return out.sort((a, b) => a.start - b.start);
}

/** QEMU region names that say which model must answer there. */
const MODEL_OF: Record<string, string> = {
  'tz-mpc-upstream': 'tandem,ram', 'mps.ram': 'tandem,ram',
  'iotkit-secctl-s-regs': 'arm,iotkit-secctl', 'iotkit-secctl-ns-regs': 'arm,iotkit-secctl-ns',
  'cmsdk-apb-watchdog': 'arm,cmsdk-apb-watchdog', 'armsse-cpuid': 'arm,armsse-cpuid',
  'iotkit-sysinfo': 'arm,iotkit-sysinfo', 'iotkit-sysctl': 'arm,iotkit-sysctl', 'tz-mpc-regs': 'arm,tz-mpc',
};

const SCS_BASE = 0xe0000000; // the cores' own system space, not board nodes

test('every region of QEMU\'s flat view has a node with the right model and PPC port', () => {
  const ds = dtsRanges();
  const qs = qemuView(listing, 'cpu-memory-0').filter((q) => q.start < SCS_BASE);
  assert.ok(qs.length > 100, 'the listing was parsed');
  for (const q of qs) {
    const where = `QEMU ${q.name} at 0x${q.start.toString(16)}`;
    const d = ds.find((r) => r.start <= q.start && q.end <= r.end);
    assert.ok(d, `${where}: no DTS node covers it`);
    const port = /^tz-ppc-port\[(\d+)\]$/.exec(q.name);
    if (port) {
      const ppc = propCells(d.node, 'tandem,ppc', tree);
      assert.ok(ppc, `${where}: ${d.node.path} is not behind a PPC`);
      assert.equal(ppc[1] & 0xff, Number(port[1]), `${where}: ${d.node.path} PPC port`);
      assert.equal(nodeByPhandle(tree, ppc[0])?.path, '/secctl@50080000');
    } else if (MODEL_OF[q.name] !== undefined) {
      assert.ok(d.compat.includes(MODEL_OF[q.name]), `${where}: ${d.node.path} is ${d.compat.join(', ')}`);
    } else {
      assert.match(q.name, /^(cachectrl0|CPUSECCTRL0|\w+_PPU|FPGA NS PC)$/, `${where}: unexpected QEMU region`);
      assert.ok(d.compat.includes('tandem,unimplemented'), `${where}: ${d.node.path} should be unimplemented`);
    }
  }
});

test('no node maps anything QEMU leaves unmapped, and no two nodes overlap', () => {
  const ds = dtsRanges();
  const qs = qemuView(listing, 'cpu-memory-0');
  for (const d of ds) {
    let covered = 0;
    for (const q of qs) covered += Math.max(0, Math.min(d.end, q.end) - Math.max(d.start, q.start) + 1);
    assert.equal(covered, d.end - d.start + 1, `${d.node.path} at 0x${d.start.toString(16)} maps 0x${(d.end - d.start + 1 - covered).toString(16)} bytes QEMU does not`);
  }
  // Nodes private to different cores (tandem,cpu) may share an address: each core sees one.
  const cpuOf = (n: (typeof ds)[number]['node']) => propCells(n, 'tandem,cpu', tree)?.[0];
  for (let i = 1; i < ds.length; i++) {
    const a = ds[i - 1], b = ds[i];
    const privateToOthers = cpuOf(a.node) !== undefined && cpuOf(b.node) !== undefined && cpuOf(a.node) !== cpuOf(b.node);
    assert.ok(a.end < b.start || privateToOthers, `${a.node.path} overlaps ${b.node.path}`);
  }
});

test('both CPUs see the same map in QEMU (so one set of nodes serves both cores)', () => {
  const strip = (v: QRange[]) => v.map((q) => `${q.start}-${q.end}:${q.name.replace(/[01]$/, '')}`);
  assert.equal(qemuView(listing, 'cpu-memory-1').length, 120);
  assert.deepEqual(strip(qemuView(listing, 'cpu-memory-1')), strip(qemuView(listing, 'cpu-memory-0')));
});

test('every node has a registered model or is memory', () => {
  for (const d of dtsRanges()) {
    if (d.compat.includes('tandem,ram')) continue;
    assert.ok(d.compat.some((c) => findDeviceType(c)), `no model for ${d.node.path} (${d.compat.join(', ')})`);
  }
});

function node(path: string): DtNode {
  let found: DtNode | undefined;
  walk(tree.root, (n) => { if (n.path === path) found = n; });
  assert.ok(found, path);
  return found;
}

/** [node, PPC index (ppc << 8 | port), interrupts per core as QEMU wires them]. */
const WIRING: Array<[string, number | undefined, number[]]> = [
  ['/timer@40000000', 0x0000, [3]], ['/timer@40001000', 0x0001, [3 + 1]], ['/timer@40002000', 0x0002, [5]],
  ['/mhu@40003000', 0x0003, [6]], ['/mhu@40004000', 0x0004, [7]], ['/timer@4002f000', 0x0100, [2]],
  ['/serial@40200000', 0x0505, [32, 33, 47, 42]], ['/serial@40204000', 0x0509, [40, 41, 47, 46]],
  ['/spi@40205000', 0x0500, [51]], ['/spi@4020b000', 0x0504, [55]],
  ['/scc@40300000', 0x0600, []], ['/fpgaio@40302000', 0x0602, []],
  ['/ethernet@42000000', 0x1405, [48]], ['/dma@40113000', 0x1503, [67, 65, 66]],
  ['/mpc@58007000', 0x0400, [9]], ['/mpc@50086000', undefined, [9]], ['/secctl@50080000', undefined, [10]],
  ['/watchdog@40081000', undefined, [1]], ['/watchdog@50081000', undefined, [-14]],
];

test('PPC slots and interrupts match mps2-tz.c and armsse.c', () => {
  for (const [path, ppc, irqs] of WIRING) {
    const n = node(path);
    const p = propCells(n, 'tandem,ppc', tree);
    assert.equal(p?.[1], ppc, `${path} tandem,ppc`);
    const ext = propCells(n, 'interrupts-extended', tree);
    const plain = propCells(n, 'interrupts', tree)?.map((x) => x | 0) ?? [];
    const got = ext ? ext.filter((_, i) => i % 4 === 1).map((x) => x | 0) : plain;
    assert.deepEqual(got, irqs, `${path} interrupts`);
    if (ext) {
      // A shared SSE interrupt goes to both cores' NVICs with the same number.
      for (let i = 0; i < ext.length; i += 4) {
        assert.equal(ext[i + 1], ext[i + 3], `${path}: same input on both cores`);
        assert.deepEqual([nodeByPhandle(tree, ext[i])?.path, nodeByPhandle(tree, ext[i + 2])?.path], ['/interrupt-controller@0', '/interrupt-controller@1']);
      }
    }
  }
});

test('CPU and ID properties match QEMU 7.2 an521', () => {
  const cpu0 = node('/cpus/cpu@0');
  const cpu1 = node('/cpus/cpu@1');
  assert.equal(propU32(cpu0, 'clock-frequency'), 20_000_000);
  assert.equal(propU32(cpu0, 'arm,num-irqs'), 124);
  for (const c of [cpu0, cpu1]) {
    assert.ok(propStrings(c, 'compatible')?.includes('arm,cortex-m33'));
    assert.equal(propU32(c, 'arm,sau-regions'), 8);
    assert.equal(propU32(c, 'arm,mpu-regions'), 8);
  }
  assert.ok(getProp(cpu1, 'tandem,held-at-reset'));
  assert.equal(getProp(cpu0, 'tandem,held-at-reset'), undefined);
  assert.equal(propU32(node('/scc@40300000'), 'arm,scc-id'), 0x41045210);
  assert.equal(propU32(node('/sysinfo@40020000'), 'arm,sys-version'), 0x22041743);
  assert.equal(propU32(node('/sysinfo@40020000'), 'arm,sys-config'), 0x223004f4);
  const chosen = readFileSync(file, 'utf8');
  assert.match(chosen, /stdout-path = &uart0;/);
});

/**
 * `info mtree -f` from a live qemu-system-arm, or undefined when QEMU 7.2 cannot be run.
 * The monitor is read until its next prompt: sending `quit` right away can cut the
 * listing short, because QEMU exits before the pipe drains.
 */
function liveListing(): Promise<string | undefined> {
  return new Promise((resolvePromise) => {
    const child = spawn('qemu-system-arm', ['-machine', 'mps2-an521', '-cpu', 'cortex-m33', '-S', '-display', 'none', '-serial', 'null', '-monitor', 'stdio'],
      { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    let done = false;
    let sent = false;
    const finish = (v: string | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill();
      resolvePromise(v);
    };
    const timer = setTimeout(() => finish(undefined), 20_000);
    child.on('error', () => finish(undefined));
    child.on('exit', () => finish(undefined));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!/QEMU 7\.2/.test(out)) return;
      if (!sent) { sent = true; child.stdin.write('info mtree -f\n'); return; }
      // eslint-disable-next-line no-control-regex
      const clean = out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
      const at = clean.indexOf('AS "cpu-memory-1"');
      if (at >= 0 && clean.indexOf('(qemu)', at) >= 0) finish(clean);
    });
  });
}

test('the committed listing is what qemu-system-arm 7.2 prints', async (t) => {
  const live = await liveListing();
  if (live === undefined) {
    t.diagnostic('qemu-system-arm 7.2 could not be run; checked the committed listing only');
    return;
  }
  for (const as of ['cpu-memory-0', 'cpu-memory-1']) assert.deepEqual(qemuView(live, as), qemuView(listing, as), as);
});
