// The fast loop and compiled blocks against the per-instruction loop (runSlow, forced by a
// trace hook): world switches, SecureFaults on hot code, SAU and memory-map changes made by
// an instruction inside a compiled block, aliased frames and self-modifying code must all
// leave the same state, the same faults and the same instruction count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from './test-asm';
import { makeTestCore, TestSystem, type TestCore } from './test-system';
import { armv8mTable } from './isa-v8m';
import { installSecurity, Sau, SFSR_INVEP, SFSR_INVTRAN } from './security';
import { CFSR_IBUSERR, CFSR_STKOF, type CortexM } from './cpu';
import { TraceBus } from '../../trace';
import type { AccessSize, MmioDevice } from '../../bus';

class SecureSystem extends TestSystem {
  secureFaults: { sfsr: number; pc: number }[] = [];
  secureFault(cpu: CortexM, sfsrBits: number): void {
    this.secureFaults.push({ sfsr: sfsrBits, pc: cpu.curPc >>> 0 });
    this.event = 'secure fault';
    cpu.stop('lockup');
  }
}

type Core = TestCore & { sys: SecureSystem; sau: Sau | null; events: string[] };

/**
 * A Cortex-M33 in Secure state with the SAU layout of security.spec.ts: 0x8000-0xbfff
 * Non-secure, 0x4000-0x40ff Secure NSC, the rest Secure. `v7m` gives a Cortex-M4 instead.
 */
function makeCore(v7m = false): Core {
  const t = makeTestCore(new Uint8Array(0), v7m ? undefined : armv8mTable);
  const sys = new SecureSystem();
  sys.stopOnEvents = true;
  t.cpu.system = sys;
  let sau: Sau | null = null;
  if (!v7m) {
    sau = installSecurity(t.cpu, new Sau(8));
    t.cpu.secure = true;
    sau.writeRnr(0); sau.writeRbar(0x8000); sau.writeRlar(0xbfe0 | 1);
    sau.writeRnr(1); sau.writeRbar(0x4000); sau.writeRlar(0x40e0 | 2 | 1);
    sau.writeCtrl(1);
  }
  const events: string[] = [];
  const trace = new TraceBus();
  trace.subscribe((e) => { if (e.kind === 'world-switch') events.push(`${e.how}@${e.insnAddr.toString(16)}`); });
  t.cpu.trace = trace;
  return { ...t, sys, sau, events };
}

function load(t: TestCore, addr: number, src: string): void {
  t.bus.loadBytes(addr, assemble(src, 'cortex-m33'));
}

/** Everything a run can change that the tests compare between the two loops. */
function snapshot(t: Core): unknown {
  const c = t.cpu;
  return {
    r: Array.from(c.r), pc: c.pc >>> 0, secure: c.secure, instret: c.instret, now: c.clock.now,
    nzcv: [c.n, c.z, c.c, c.v], msp: [c.msp, c.other.msp], faults: t.sys.faults, secureFaults: t.sys.secureFaults,
    event: t.sys.event, events: t.events, ram: Buffer.from(t.ram.bytes).toString('base64'),
  };
}

/**
 * Build a core twice with `setup`, run it on the fast path and with a trace hook (the
 * per-instruction loop), and check that both end alike. Returns the fast core.
 */
function bothWays(setup: (t: Core) => void, steps: (t: Core) => void): Core {
  const fast = makeCore(); setup(fast); steps(fast);
  const slow = makeCore(); setup(slow); slow.cpu.traceHook = () => {}; steps(slow);
  assert.deepEqual(snapshot(fast), snapshot(slow), 'fast loop and per-instruction loop disagree');
  return fast;
}

function hasBlocks(t: TestCore, addr: number): boolean {
  const f = t.bus.frames[addr >>> 12];
  return f !== undefined && f.blocks !== null && f.blocks.some((b) => b !== undefined);
}

test('a hot BLXNS -> SG veneer -> BXNS -> FNC_RETURN loop runs in blocks with the same result and world switches', () => {
  const t = bothWays((t) => {
    load(t, 0, 'movs r6, #0\nmovs r4, #100\nloop: movw r0, #0x8000\nblxns r0\nadds r6, r6, r5\nsubs r4, #1\nbne loop\nbkpt #1');
    load(t, 0x8000, 'push {lr}\nmovw r3, #0x4001\nblx r3\nmov r5, r1\nadds r7, #1\npop {pc}'); // NS caller
    load(t, 0x4000, 'sg\nmovw ip, #0x201\nbx ip'); // NSC veneer
    load(t, 0x200, 'adds r1, r1, #3\nbxns lr'); // Secure service
    t.cpu.r[13] = 0x3000; t.cpu.msp = 0x3000;
    t.cpu.other.msp = 0x9800;
  }, (t) => { t.cpu.run(5000); });
  assert.equal(t.sys.event, 'debug event');
  assert.deepEqual(t.sys.secureFaults, []);
  assert.equal(t.cpu.r[7], 100);
  assert.equal(t.cpu.r[6], 3 * (100 * 101) / 2, 'each call returned r1 + 3');
  assert.equal(t.events.length, 400, 'four world switches per call');
  assert.ok(hasBlocks(t, 0) && hasBlocks(t, 0x8000), 'Secure and Non-secure code ran compiled');
});

test('hot Non-secure code branching into Secure or NSC memory without SG faults INVEP at the target', () => {
  for (const target of [0x201, 0x4009]) {
    const t = bothWays((t) => {
      load(t, 0x4000, 'sg\nbx lr\nnop\nnop\nnop\nnop');
      load(t, 0x8000, `movs r4, #60\nloop: adds r5, #2\nsubs r4, #1\nbne loop\nmovw r3, #${target}\nbx r3`);
      t.cpu.setSecurityState(false);
      t.cpu.pc = 0x8000;
    }, (t) => { t.cpu.run(1000); });
    assert.deepEqual(t.sys.secureFaults, [{ sfsr: SFSR_INVEP, pc: target & ~1 }]);
    assert.equal(t.cpu.r[5], 120);
    assert.ok(hasBlocks(t, 0x8000));
  }
});

test('hot Secure code branching into Non-secure memory without BXNS faults INVTRAN', () => {
  const t = bothWays((t) => {
    load(t, 0, 'movs r4, #60\nloop: adds r5, #2\nsubs r4, #1\nbne loop\nmovw r0, #0x8001\nbx r0');
    load(t, 0x8000, 'nop');
  }, (t) => { t.cpu.run(1000); });
  assert.deepEqual(t.sys.secureFaults, [{ sfsr: SFSR_INVTRAN, pc: 0x8000 }]);
  assert.ok(hasBlocks(t, 0));
});

/** A device that calls `hook` with each value written to it. */
function mapHookDevice(t: TestCore, hook: (v: number) => void): void {
  const dev: MmioDevice = {
    name: 'hook', read: () => 0,
    write: (_o: number, _s: AccessSize, v: number) => hook(v),
  };
  t.bus.mapDevice(0x40000000, 0x1000, dev);
}

const HOT_STORE_LOOP = 'movw r1, #0\nmovt r1, #0x4000\nloop: adds r4, #1\nstr r4, [r1]\nadds r5, #1\nadds r6, #1\nb loop';

test('an SAU change made inside a compiled block applies to the very next fetch', () => {
  const t = bothWays((t) => {
    load(t, 0x1000, HOT_STORE_LOOP);
    t.cpu.pc = 0x1000;
    // On the 40th store the page the loop runs from becomes Non-secure.
    mapHookDevice(t, (v) => { if (v === 40) { t.sau!.writeRnr(2); t.sau!.writeRbar(0x1000); t.sau!.writeRlar(0x1fe0 | 1); } });
  }, (t) => { t.cpu.run(1000); });
  assert.deepEqual(t.sys.secureFaults, [{ sfsr: SFSR_INVTRAN, pc: 0x100c }], 'the ADDS after the STR');
  assert.deepEqual([t.cpu.r[4], t.cpu.r[5]], [40, 39]);
  assert.ok(hasBlocks(t, 0x1000));
});

test('a device write that unmaps the running page (an MPC closing it) stops a compiled block', () => {
  const t = bothWays((t) => {
    load(t, 0x1000, HOT_STORE_LOOP);
    t.cpu.pc = 0x1000;
    mapHookDevice(t, (v) => { if (v === 40) t.bus.unmapMemory(0x1000, 0x1000); });
  }, (t) => {
    t.cpu.run(1000);
    // The frame is gone from the map, not from memory: look for the blocks there.
    t.bus.mapMemory(0x1000, t.ram, 0x1000, 0x1000);
  });
  assert.deepEqual(t.sys.faults, [{ cfsr: CFSR_IBUSERR, address: 0, pc: 0x100c }]);
  assert.deepEqual([t.cpu.r[4], t.cpu.r[5]], [40, 39]);
  assert.ok(hasBlocks(t, 0x1000));
});

test('a frame mapped at two addresses never runs a block with the other alias\'s PC (M4 and M33)', () => {
  for (const v7m of [true, false]) {
    const t = makeCore(v7m);
    t.bus.mapMemory(0x20000, t.ram, 0, 0x2000); // alias of the first two pages
    load(t, 0x100, 'loop: mov r0, pc\nadds r4, #1\nadds r5, #1\nb loop');
    t.cpu.pc = 0x100;
    t.cpu.run(3000);
    assert.equal(t.cpu.r[0], 0x104);
    assert.ok(hasBlocks(t, 0x100), 'hot at the first alias');
    t.cpu.pc = 0x20100;
    t.cpu.run(100);
    assert.equal(t.cpu.r[0], 0x20104, `${v7m ? 'M4' : 'M33'}: PC as seen at the second alias`);
    t.cpu.run(3000);
    assert.equal(t.cpu.r[0], 0x20104, 'still right once the second alias is hot too');
    assert.deepEqual(t.sys.faults, []);
  }
});

test('a store that rewrites a later instruction of a compiled block takes effect at once', () => {
  assert.deepEqual(Array.from(assemble('adds r5, #1', 'cortex-m33')), [0x01, 0x35]);
  const compiled: boolean[] = [];
  const t = bothWays((t) => {
    // r1 points at scratch RAM until the 50th pass, then at the ADDS r6 (0x100c) after the STRH.
    load(t, 0x1000, 'loop: adds r4, #1\ncmp r4, #50\nbne 1f\nmovw r1, #0x100c\n1: strh r2, [r1]\nadds r6, #1\nb loop');
    t.cpu.pc = 0x1000;
    t.cpu.r[1] = 0x3000;
    t.cpu.r[2] = 0x3501;
  }, (t) => {
    t.cpu.run(200); // about 33 passes
    compiled.push(hasBlocks(t, 0x1000));
    t.cpu.run(2000);
  });
  assert.deepEqual(compiled, [true, false], 'compiled before the patch (the slow run compiles nothing)');
  assert.equal(t.cpu.r[6], 49, 'ADDS r6 stopped at the 50th pass, right after the store');
  assert.ok([49, 50].includes(t.cpu.r[4] - t.cpu.r[5]), 'ADDS r5 ran from the 50th pass on (the run may end mid-pass)');
  assert.ok(t.cpu.r[5] > 100);
});

test('a block compiled while its page was all Secure does not run across an SAU boundary set later', () => {
  const compiled: boolean[] = [];
  const t = bothWays((t) => {
    // Straight-line code from 0x1030 to 0x104a: it crosses 0x1040.
    load(t, 0x1030, `loop: adds r4, #1\n${'adds r5, #1\n'.repeat(10)}b loop`);
    t.cpu.pc = 0x1030;
  }, (t) => {
    t.cpu.run(600);
    compiled.push(hasBlocks(t, 0x1000));
    t.sau!.writeRnr(2); t.sau!.writeRbar(0x1040); t.sau!.writeRlar(0x10e0 | 1); // 0x1040-0x10ff Non-secure
    t.cpu.run(200);
  });
  assert.deepEqual(compiled, [true, false]);
  assert.deepEqual(t.sys.secureFaults, [{ sfsr: SFSR_INVTRAN, pc: 0x1040 }]);
});

test('a PUSH in a compiled block that would go below MSPLIM raises STKOF at the same instruction', () => {
  const t = bothWays((t) => {
    load(t, 0x1000, 'loop: adds r4, #1\npush {r4}\nadds r5, #1\nb loop');
    t.cpu.pc = 0x1000;
    t.cpu.r[13] = 0x3000; t.cpu.msp = 0x3000;
    t.cpu.msplim = 0x2f00; // room for 64 words
  }, (t) => { t.cpu.run(1000); });
  assert.deepEqual(t.sys.faults.map((f) => [f.cfsr, f.pc]), [[CFSR_STKOF, 0x1002]]);
  assert.deepEqual([t.cpu.r[4], t.cpu.r[5], t.cpu.r[13]], [65, 64, 0x2f00], 'SP kept at the limit');
  assert.ok(hasBlocks(t, 0x1000));
});
