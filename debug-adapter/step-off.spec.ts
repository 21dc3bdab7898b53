// Resuming from a breakpoint with an interrupt pending (gdb-diff difference 5): continue and
// step run the breakpointed instruction before the exception, as gdb's stub does, and a step
// that enters a handler stops at a breakpoint on the handler's first instruction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ElfFile } from '../dwarf';
import { EmulatorTarget } from './emulator-target';
import type { StoppedEvent } from './target';

const irq = join(__dirname, '..', 'sample-workspaces', 'mps2-an386', 'prebuilt', 'irq.elf');
/** ICSR.PENDSTSET (ARMv7-M B3.2.4): pends SysTick. */
const ICSR = 0xe000ed04, PENDSTSET = 1 << 26;

function sym(name: string): number {
  const s = ElfFile.parse(readFileSync(irq), irq).symbols().find((x) => x.name === name);
  if (s === undefined) throw new Error(`${irq}: no symbol ${name}`);
  return (s.value & ~1) >>> 0;
}

async function boot(): Promise<EmulatorTarget> {
  const t = new EmulatorTarget('mps2-an386');
  await t.loadImage(0, readFileSync(irq), irq);
  await t.reset();
  return t;
}

async function cont(t: EmulatorTarget): Promise<StoppedEvent> {
  const p = new Promise<StoppedEvent>((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error('no stop within 10 s')); }, 10_000);
    const off = t.on('stopped', (e) => { clearTimeout(timer); off(); resolve(e); });
  });
  await t.run();
  return p;
}

const word = async (t: EmulatorTarget, a: number) => Buffer.from((await t.readMemory({ address: a }, 4)).data).readUInt32LE(0);
const pendSysTick = (t: EmulatorTarget) => t.writeMemory({ address: ICSR }, new Uint8Array(new Uint32Array([PENDSTSET]).buffer));
const core = async (t: EmulatorTarget) => Promise.all(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'sp', 'lr', 'pc'].map((r) => t.readRegister(0, r)));

test('continue from a breakpoint with SysTick pending on every resume makes progress each time', async () => {
  const t = await boot();
  try {
    const bp = await t.addBreakpoint({ address: sym('uart_puts') });
    const count = sym('systick_count');
    let e = await cont(t);
    assert.deepEqual(e.hitBreakpoints, [bp]);
    let prev = await core(t);
    for (let i = 0; i < 12; i++) {
      await pendSysTick(t);
      const before = await word(t, count);
      e = await cont(t);
      assert.deepEqual(e.hitBreakpoints, [bp], `continue ${i}: ${e.description}`);
      const now = await core(t);
      assert.notDeepEqual(now, prev, `continue ${i}: stopped at the same breakpoint again with nothing changed`);
      // The pended interrupt was still taken (the timer may add its own ticks early on).
      assert.ok((await word(t, count)) > before, `continue ${i}: the pended SysTick never ran`);
      prev = now;
    }
  } finally {
    await t.dispose();
  }
});

test('a step with SysTick pending stops at a breakpoint on the handler entry', async () => {
  const t = await boot();
  try {
    const puts = await t.addBreakpoint({ address: sym('uart_puts') });
    const handler = sym('SysTick_Handler');
    await cont(t);
    const hb = await t.addBreakpoint({ address: handler });
    // From the breakpoint: the breakpointed instruction runs first, then the handler is entered.
    const pc0 = await t.readRegister(0, 'pc');
    await pendSysTick(t);
    let e = await t.step(0);
    assert.equal(e.reason, 'breakpoint', e.description);
    assert.deepEqual(e.hitBreakpoints, [hb]);
    assert.equal(await t.readRegister(0, 'pc'), handler);
    const stackedPc = await word(t, (await t.readRegister(0, 'sp')) + 24);
    assert.notEqual(stackedPc, pc0, 'the breakpointed instruction ran before the exception');
    // Back in thread mode, away from any breakpoint: a pended SysTick during a step stops at the
    // handler's breakpoint instead of running its first instruction.
    await t.removeBreakpoint(puts);
    e = await cont(t);
    assert.equal(await t.readRegister(0, 'pc'), handler, e.description);
    await t.removeBreakpoint(hb);
    for (let i = 0; i < 200 && (await t.readRegister(0, 'ipsr')) !== 0; i++) await t.step(0);
    assert.equal(await t.readRegister(0, 'ipsr'), 0, 'the handler returned within 200 steps');
    await t.addBreakpoint({ address: handler });
    await pendSysTick(t);
    e = await t.step(0);
    assert.equal(e.reason, 'breakpoint', e.description);
    assert.equal(await t.readRegister(0, 'pc'), handler);
  } finally {
    await t.dispose();
  }
});
