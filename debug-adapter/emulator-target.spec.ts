// EmulatorTarget on the prebuilt sample firmware: breakpoints (qualified by core and world),
// instruction steps through an IT block, pause while running, watchpoints, fault stops,
// banked registers on the M33, qualified memory, and a deterministic breakpoint sequence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ElfFile } from '../dwarf';
import { EmulatorTarget } from './emulator-target';
import { parseQualifiedAddress } from './qualified-address';
import { TargetError, type StoppedEvent } from './target';

const root = join(__dirname, '..', 'sample-workspaces');
const an386 = (n: string) => join(root, 'mps2-an386', 'prebuilt', `${n}.elf`);
const an521 = (n: string) => join(root, 'mps2-an521', 'prebuilt', `${n}.elf`);

function sym(file: string, name: string): number {
  const s = ElfFile.parse(readFileSync(file), file).symbols().find((x) => x.name === name);
  if (s === undefined) throw new Error(`${file}: no symbol ${name}`);
  return s.value >>> 0;
}

async function boot(board: string, files: string[]): Promise<EmulatorTarget> {
  const t = new EmulatorTarget(board);
  for (const f of files) await t.loadImage(0, readFileSync(f), f);
  await t.reset();
  return t;
}

/** The next stop (or exit, as reason 'exited'), failing after a few seconds of wall time. */
function nextStop(t: EmulatorTarget): Promise<StoppedEvent | { reason: 'exited'; code: number | null }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off1(); off2(); reject(new Error('no stop within 10 s')); }, 10_000);
    const off1 = t.on('stopped', (e) => { clearTimeout(timer); off1(); off2(); resolve(e); });
    const off2 = t.on('exited', (code) => { clearTimeout(timer); off1(); off2(); resolve({ reason: 'exited', code }); });
  });
}

async function cont(t: EmulatorTarget): Promise<StoppedEvent> {
  const p = nextStop(t);
  await t.run();
  const e = await p;
  assert.notEqual(e.reason, 'exited', 'the program exited instead of stopping');
  return e as StoppedEvent;
}

test('breakpoint at main, then instruction steps through an ITTEE block', async () => {
  const f = an386('itblocks');
  const t = await boot('mps2-an386', [f]);
  const main = sym(f, 'main');
  const bp = await t.addBreakpoint({ address: main });
  let e = await cont(t);
  assert.equal(e.reason, 'breakpoint');
  assert.deepEqual(e.hitBreakpoints, [bp]);
  assert.equal(await t.readRegister(0, 'pc'), main);
  await t.removeBreakpoint(bp);

  // cmp r4, r5 at 0x196, then ITTEE GE (objdump of itblocks.elf main).
  const cmp = 0x196;
  assert.equal((await t.readMemory({ address: cmp }, 2)).data[1], 0x42, 'cmp r4, r5 is at 0x196 in this build');
  await t.addBreakpoint({ address: cmp });
  e = await cont(t);
  assert.equal(await t.readRegister(0, 'pc'), cmp);
  const r4 = (await t.readRegister(0, 'r4')) | 0, r5 = (await t.readRegister(0, 'r5')) | 0;
  const pcs: number[] = [];
  for (let i = 0; i < 6; i++) {
    e = await t.step(0);
    assert.equal(e.reason, 'step');
    pcs.push(await t.readRegister(0, 'pc'));
  }
  // Every slot of the block is a step of its own, executed or not (A7.3.3).
  assert.deepEqual(pcs, [0x198, 0x19a, 0x19c, 0x1a0, 0x1a2, 0x1a6]);
  const ge = r4 >= r5;
  assert.equal(await t.readRegister(0, 'r11'), ge ? 1 : 0);
  assert.equal((await t.readRegister(0, 'r2')) | 0, ge ? r4 - r5 : r5 - r4);
  const c = (await t.cores())[0];
  assert.equal(c.state, 'halted');
  assert.equal(c.mode, 'Thread');
  assert.equal(c.exceptionName, 'Thread');
  await t.dispose();
});

test('pause while running answers within 50 ms', async () => {
  const f = an386('hello');
  const t = await boot('mps2-an386', [f]);
  // Park the core in `b .` at main so it runs forever.
  await t.writeMemory({ address: sym(f, 'main') }, new Uint8Array([0xfe, 0xe7]));
  await t.run();
  assert.equal(t.state, 'running');
  await new Promise((r) => setTimeout(r, 100));
  const before = (await t.cores())[0];
  assert.equal(before.state, 'running');
  const stop = nextStop(t);
  const t0 = process.hrtime.bigint();
  await t.halt();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const e = await stop;
  assert.equal(e.reason, 'pause');
  assert.ok(ms < 50, `halt took ${ms.toFixed(1)} ms`);
  assert.equal(await t.readRegister(0, 'pc'), sym(f, 'main'));
  assert.ok(t.machine.instret > 100_000, 'the guest really ran');
  await assert.rejects(t.step(0).then(() => t.run()).then(() => t.writeRegister(0, 'r0', 1)), TargetError);
  await t.halt();
  await t.dispose();
});

test('watchpoints: a read and a write of lcg_state, with value and pc', async () => {
  const f = an386('itblocks');
  const t = await boot('mps2-an386', [f]);
  const lcgState = sym(f, 'lcg_state');
  const rd = await t.addWatchpoint({ address: lcgState, size: 4, access: 'read' });
  let e = await cont(t);
  assert.equal(e.reason, 'data breakpoint');
  assert.equal(e.watch?.id, rd);
  assert.equal(e.watch?.access, 'read');
  assert.equal(e.watch?.address, lcgState);
  assert.equal(e.watch?.value, 12345, 'the initial seed');
  // The stop is after the access: pc is past the load, the load's destination holds the value.
  const pcAccess = e.watch!.pc;
  assert.ok((await t.readRegister(0, 'pc')) > pcAccess);
  await t.removeWatchpoint(rd);
  const wr = await t.addWatchpoint({ address: lcgState, size: 4, access: 'write' });
  e = await cont(t);
  assert.equal(e.reason, 'data breakpoint');
  assert.equal(e.watch?.id, wr);
  // main's fill loop keeps the state in a register and stores it once, after 2*N = 512 steps.
  let next = 12345;
  for (let i = 0; i < 512; i++) next = (Math.imul(next, 1664525) + 1013904223) >>> 0;
  assert.equal(e.watch?.value, next);
  const mem = (await t.readMemory({ address: lcgState }, 4)).data;
  assert.equal((mem[0] | (mem[1] << 8) | (mem[2] << 16) | (mem[3] << 24)) >>> 0, next);
  // Debugger reads do not trigger it; a watch elsewhere does not stop.
  await t.readMemory({ address: lcgState }, 4);
  await t.removeWatchpoint(wr);
  await t.addWatchpoint({ address: 0x20300000, size: 4, access: 'readWrite' });
  const end = nextStop(t);
  await t.run();
  assert.equal((await end).reason, 'exited');
  await t.dispose();
});

test('fault stops with the decoded cause, per filter', async () => {
  const f = an386('faults');
  const divide = sym(f, 'divide');
  let t = await boot('mps2-an386', [f]);
  await t.setExceptionFilters(['hardfault']);
  let e = await cont(t);
  assert.equal(e.reason, 'exception');
  assert.equal(e.fault?.name, 'HardFault');
  assert.equal(e.fault?.pc, divide, 'stopped at the SDIV');
  assert.equal(await t.readRegister(0, 'pc'), divide);
  assert.ok(e.fault!.status.bits.includes('DIVBYZERO'), e.fault!.status.summary);
  assert.ok((e.fault!.status.hfsr & (1 << 30)) !== 0, 'FORCED');
  assert.match(e.description, /HardFault/);
  // Continuing takes the HardFault: the handler runs and main goes on.
  const fs = await t.readFaultStatus(0);
  assert.equal(fs.cfsr, 1 << 25);
  await t.dispose();

  t = await boot('mps2-an386', [f]);
  await t.setExceptionFilters(['usagefault']);
  e = await cont(t);
  assert.equal(e.fault?.name, 'UsageFault');
  assert.ok(e.fault!.status.bits.includes('UNALIGNED'), e.fault!.status.summary);
  assert.notEqual(e.fault?.pc, divide);
  await assert.rejects(t.setExceptionFilters(['bogus' as never]), /unknown exception filter 'bogus'/);
  await t.dispose();
});

test('M33: world-qualified breakpoints, banked registers and qualified memory', async () => {
  const s = an521('boot-s'), ns = an521('boot-ns');
  const nsMain = sym(ns, 'main');
  let t = await boot('mps2-an521', [s, ns]);
  // Neither a secure-only breakpoint on NS code nor one for the held CPU1 stops the run.
  await t.addBreakpoint({ address: nsMain, world: 'secure' });
  await t.addBreakpoint({ address: nsMain, core: 1 });
  const end = nextStop(t);
  await t.run();
  assert.equal((await end).reason, 'exited');
  await t.dispose();

  t = await boot('mps2-an521', [s, ns]);
  const cores = await t.cores();
  assert.equal(cores.length, 2);
  assert.equal(cores[0].profile, 'v8m');
  assert.equal(cores[0].world, 'secure');
  assert.equal(cores[1].state, 'held');
  const bp = await t.addBreakpoint({ address: nsMain, core: 0, world: 'non-secure' });
  const e = await cont(t);
  assert.deepEqual(e.hitBreakpoints, [bp]);
  const c0 = (await t.cores())[0];
  assert.equal(c0.world, 'non-secure');
  assert.equal(await t.readRegister(0, 'pc'), nsMain);
  // NS Thread mode on MSP: sp is MSP_NS; the secure bank keeps its own stack in secure RAM.
  const sp = await t.readRegister(0, 'sp');
  assert.equal(await t.readRegister(0, 'msp_ns'), sp);
  assert.equal(await t.readRegister(0, 'msp'), sp);
  const mspS = await t.readRegister(0, 'msp_s');
  assert.ok(mspS > 0x38000000 && mspS <= 0x38200000, `MSP_S ${mspS.toString(16)} in secure RAM`);
  assert.ok(sp > 0x28200000 && sp <= 0x28400000, `MSP_NS ${sp.toString(16)} in NS RAM`);
  // Writing the inactive bank leaves the active one alone.
  await t.writeRegister(0, 'psp_s', 0x38001000);
  assert.equal(await t.readRegister(0, 'psp_s'), 0x38001000);
  assert.notEqual(await t.readRegister(0, 'psp'), 0x38001000);
  const regs = await t.readRegisters(0);
  for (const n of ['msplim_s', 'control_ns', 'primask_s', 'basepri_ns', 'faultmask_s']) assert.ok(regs.some((r) => r.name === n), n);
  await assert.rejects(t.readRegister(0, 'r16'), /CPU0 has no register 'r16'/);

  // Memory through qualified addresses: secure code via s:, NS code via cpu0:ns:.
  const names = cores.map((c) => ({ id: c.id, name: c.name }));
  const sBytes = await t.readMemory(parseQualifiedAddress(`s:0x${sym(s, 'main').toString(16)}`, names), 4);
  const nsBytes = await t.readMemory(parseQualifiedAddress(`cpu0:ns:0x${nsMain.toString(16)}`, names), 4);
  const elfAt = (file: string, addr: number) => {
    const elf = ElfFile.parse(readFileSync(file), file);
    const sec = elf.sections.find((x) => x.name === '.text' && addr >= x.addr && addr < x.addr + x.size)!;
    return readFileSync(file).subarray(sec.offset + addr - sec.addr, sec.offset + addr - sec.addr + 4);
  };
  assert.deepEqual([...sBytes.data], [...elfAt(s, sym(s, 'main'))]);
  assert.deepEqual([...nsBytes.data], [...elfAt(ns, nsMain)]);
  // The M4 has no secure world to ask for.
  await t.dispose();
  const m4 = new EmulatorTarget('mps2-an386');
  await assert.rejects(m4.readMemory({ address: 0, world: 'secure' }, 4), /no secure world/);
  await m4.dispose();
});

test('a breakpoint sequence is deterministic (SysTick handler and main)', async () => {
  const f = an386('irq');
  const handler = sym(f, 'SysTick_Handler');
  const record = async () => {
    const t = await boot('mps2-an386', [f]);
    await t.addBreakpoint({ address: handler });
    const seq: string[] = [];
    for (let i = 0; i < 5; i++) {
      const e = await cont(t);
      const c = (await t.cores())[0];
      seq.push(`${e.reason}@${c.pc.toString(16)}:${c.exceptionName}:${t.machine.clock.now}:${await t.readRegister(0, 'lr')}`);
    }
    await t.dispose();
    return seq;
  };
  const a = await record();
  const b = await record();
  assert.equal(a.length, 5);
  assert.ok(a.every((x) => x.startsWith(`breakpoint@${handler.toString(16)}:SysTick:`)), a.join('\n'));
  assert.equal(new Set(a).size, 5, 'each hit is at a later instant');
  assert.deepEqual(a, b);
});

test('two M33s: reset release stop, per-core breakpoints, all-stop steps', async () => {
  const s = an521('mhu-s'), ns = an521('mhu-ns');
  const handler = sym(s, 'MHU0_Handler');
  let t = await boot('mps2-an521', [s, ns]);
  await t.setExceptionFilters(['reset-release']);
  let e = await cont(t);
  assert.equal(e.reason, 'reset released');
  assert.equal(e.core, 1);
  let cores = await t.cores();
  assert.equal(cores[1].state, 'halted');
  assert.equal(cores[1].pc, sym(s, 'cpu1_reset'));
  assert.equal(cores[1].world, 'secure');
  // A step on CPU1 leaves CPU0 where it is.
  const pc0 = cores[0].pc, n0 = t.machine.cores[0].cpu.instret;
  e = await t.step(1);
  assert.equal(e.reason, 'step');
  assert.equal(e.core, 1);
  cores = await t.cores();
  assert.equal(cores[0].pc, pc0);
  assert.equal(t.machine.cores[0].cpu.instret, n0);
  assert.notEqual(cores[1].pc, sym(s, 'cpu1_reset'));
  await t.dispose();

  // MHU0_Handler runs on both CPUs: a breakpoint for CPU1 stops only CPU1's entries.
  for (const want of [1, 0]) {
    t = await boot('mps2-an521', [s, ns]);
    await t.addBreakpoint({ address: handler, core: want });
    for (let i = 0; i < 3; i++) {
      e = await cont(t);
      assert.equal(e.reason, 'breakpoint');
      assert.equal(e.core, want);
      cores = await t.cores();
      assert.equal(cores[want].pc, handler);
      assert.equal(cores[want].exceptionName, 'IRQ6');
      assert.ok(cores.every((c) => c.state !== 'running'), 'all-stop');
    }
    await t.dispose();
  }
});

test('world-switch stop on BLXNS into the non-secure reset handler', async () => {
  const s = an521('boot-s'), ns = an521('boot-ns');
  const t = await boot('mps2-an521', [s, ns]);
  await t.setExceptionFilters(['world-switch']);
  const e = await cont(t);
  assert.equal(e.reason, 'world switch');
  assert.equal(e.trace?.kind, 'world-switch');
  assert.match(e.description, /secure → non-secure \(blxns\)/);
  const c = (await t.cores())[0];
  assert.equal(c.world, 'non-secure');
  assert.equal(c.pc, sym(ns, 'ns_reset'));
  // The return through FNC_RETURN is the next switch.
  const back = await cont(t);
  assert.equal(back.reason, 'world switch');
  assert.equal((await t.cores())[0].world, 'secure');
  await t.dispose();
});
