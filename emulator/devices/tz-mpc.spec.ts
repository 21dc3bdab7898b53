// Specs for the TrustZone MPC: reset values read from qemu-system-arm 7.2 mps2-an521
// (SSRAM1 MPC: CTRL 0x100, BLK_MAX 0x7f, BLK_CFG 5, INT_EN 1), LUT access with
// auto-increment, and the page mappings it keeps in a real AddressSpace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressSpace, ATTR_DEBUG, ATTR_PRIV, ATTR_SECURE, BusError, Memory } from '../bus';
import { TzMpc } from './tz-mpc';
import { IotKitSecCtl } from './iotkit-secctl';
import { testContext } from './test-context';

const S = ATTR_SECURE | ATTR_PRIV;
const NS = ATTR_PRIV;

function make(size = 0x400000) {
  const ctx = testContext({ 'interrupts-extended': [1, 9, 2, 9], 'tandem,secctl': 'secctl@50080000', 'arm,mpc-status-bit': 16 }, 'mpc@58007000');
  const secCtx = Object.assign(testContext({}, 'secctl@50080000'), { clock: ctx.clock });
  const secctl = new IotKitSecCtl(secCtx);
  const mpc = new TzMpc(ctx);
  const mem = new Memory('ssram1', size);
  const bus0 = new AddressSpace('cpu0');
  const bus1 = new AddressSpace('cpu1');
  mpc.attachMemory({ mem, base: 0x00000000, aliases: [0x10000000], spaces: [bus0, bus1] });
  mpc.reset();
  return { ctx, mpc, mem, bus0, bus1, secctl };
}

test('reset values match QEMU 7.2 (SSRAM1 MPC read with gdb) and IDs', () => {
  const { mpc } = make();
  assert.deepEqual([0x00, 0x10, 0x14, 0x18, 0x1c, 0x20, 0x28, 0x2c, 0x30].map((o) => mpc.read(o, 4, S)), [0x100, 0x7f, 5, 0, 0, 0, 1, 0, 0]);
  assert.deepEqual([0xfd0, 0xfe0, 0xfe4, 0xfe8, 0xff0, 0xffc].map((o) => mpc.read(o, 4, NS)), [0x04, 0x60, 0xb8, 0x1b, 0x0d, 0xb1]);
  assert.equal(make(0x200000).mpc.read(0x10, 4, S), 0x3f, '2 MiB SSRAM2/3: BLK_MAX 0x3f');
  assert.equal(make(0x8000).mpc.read(0x10, 4, S), 0, '32 KiB SRAM bank: BLK_MAX 0');
});

test('NS accesses see only the ID registers', () => {
  const { mpc } = make();
  assert.equal(mpc.read(0, 4, NS), 0);
  mpc.write(0, 4, 0x10, NS);
  assert.equal(mpc.read(0, 4, S), 0x100);
});

test('BLK_LUT auto-increments BLK_IDX on word accesses and wraps at BLK_MAX', () => {
  const { mpc } = make(0x200000);
  mpc.write(0x18, 4, 0x3f, S);
  mpc.write(0x1c, 4, 0xdeadbeef, S);
  assert.equal(mpc.read(0x18, 4, S), 0, 'wrapped to 0');
  mpc.write(0x18, 4, 0x3f, S);
  assert.equal(mpc.read(0x1c, 2, S), 0xbeef, 'halfword read does not increment');
  assert.equal(mpc.read(0x18, 4, S), 0x3f);
  mpc.write(0x00, 4, 0, S); // AUTOINC off
  mpc.write(0x1c, 1, 0x00, S); // byte write merges into the LUT word
  assert.equal(mpc.read(0x1c, 4, S), 0xdeadbe00);
  assert.equal(mpc.read(0x18, 4, S), 0x3f);
  mpc.write(0x18, 4, 0x1000, S);
  assert.equal(mpc.read(0x18, 4, S), 0x1000 % 0x40);
});

test('at reset everything is secure: S alias is RAM, NS accesses to the NS alias are blocked, secure ones pass', () => {
  const { bus0, bus1 } = make();
  bus0.write32(0x10000100, 0x12345678, S);
  assert.ok(bus0.isMemory(0x10000100), 'S alias mapped as frames');
  assert.ok(!bus0.isMemory(0x00000100), 'NS alias not mapped as frames');
  assert.equal(bus1.read32(0x00000100, S), 0x12345678, 'secure access through the NS alias (SAU says secure) reaches RAM');
  assert.equal(bus1.read32(0x00000100, NS), 0, 'NS access is RAZ');
  bus1.write32(0x00000100, 0xffffffff, NS);
  assert.equal(bus0.read32(0x10000100, S), 0x12345678, 'and WI');
  assert.equal(bus0.read32(0x00000100, NS | ATTR_DEBUG), 0x12345678, 'the debugger always reads');
});

test('LUT bits move whole 4 KiB pages between aliases; mixed pages go through the checker', () => {
  const { mpc, bus0 } = make();
  mpc.write(0x18, 4, 1, S); // blocks 32..63 = 0x8000..0xffff
  mpc.write(0x1c, 4, 0xfffffff0, S); // blocks 36..63 NS, 32..35 S (page 0x8000 stays S, pages 0x9000.. NS)
  assert.ok(bus0.isMemory(0x10008000) && !bus0.isMemory(0x00008000));
  assert.ok(bus0.isMemory(0x00009000) && !bus0.isMemory(0x10009000));
  mpc.write(0x18, 4, 1, S);
  mpc.write(0x1c, 4, 0xfffffff2, S); // block 33 (0x8400..0x87ff) NS too: page 0x8000 is mixed
  assert.ok(!bus0.isMemory(0x10008000) && !bus0.isMemory(0x00008000));
  bus0.write32(0x00008400, 0xaabbccdd, NS);
  assert.equal(bus0.read32(0x00008400, NS), 0xaabbccdd);
  assert.equal(bus0.read32(0x10008400, S), 0, 'secure access to an NS block is blocked');
  bus0.write32(0x10008000, 0x11223344, S);
  assert.equal(bus0.read32(0x10008000, S), 0x11223344);
  assert.equal(bus0.read32(0x00008000, NS), 0);
  mpc.reset();
  assert.ok(bus0.isMemory(0x10009000) && !bus0.isMemory(0x00009000), 'reset makes it all secure again');
});

test('a blocked access captures INT_INFO, raises IRQ 9 on both cores and SECMPCINTSTATUS; SEC_RESP makes it a bus error', () => {
  const { ctx, mpc, bus0, secctl } = make();
  bus0.read32(0x00000404, NS);
  assert.equal(mpc.read(0x20, 4, S), 1);
  assert.equal(mpc.read(0x2c, 4, S), 0x404);
  assert.equal(mpc.read(0x30, 4, S), 1 << 16, 'HNONSEC=1, CFG_NS=0');
  assert.equal(ctx.irqs[0].level && ctx.irqs[1].level, true);
  assert.equal(secctl.read(0x1c, 4, S), 1 << 16);
  bus0.read32(0x00000800, NS);
  assert.equal(mpc.read(0x2c, 4, S), 0x404, 'later blocks are not captured');
  mpc.write(0x24, 4, 1, S); // INT_CLEAR
  assert.equal(ctx.irqs[0].level, false);
  assert.equal(secctl.read(0x1c, 4, S), 0);
  mpc.write(0x00, 4, 0x10, S); // SEC_RESP
  assert.throws(() => bus0.read32(0x00000800, NS), (e: unknown) => e instanceof BusError && e.address === 0x800);
  mpc.write(0x28, 4, 0, S);
  mpc.write(0x34, 4, 1, S); // INT_SET with INT_EN=0: status only
  assert.equal(mpc.read(0x20, 4, S), 1);
  assert.equal(ctx.irqs[0].level, false);
});

test('LOCKDOWN freezes CTRL, BLK_LUT and INT_EN until reset', () => {
  const { mpc } = make();
  mpc.write(0x00, 4, 0x80000000, S);
  mpc.write(0x1c, 4, 0xffffffff, S);
  mpc.write(0x00, 4, 0, S);
  assert.equal(mpc.read(0x1c, 4, S), 0);
  assert.equal(mpc.read(0x00, 4, S), 0x80000000);
  mpc.reset();
  assert.equal(mpc.read(0x00, 4, S), 0x100);
});

test('a write through the checker invalidates decoded code in that frame', () => {
  const { mpc, mem, bus0 } = make();
  mpc.write(0x18, 4, 0, S);
  mpc.write(0x1c, 4, 0x2, S); // block 1 NS: page 0 mixed
  const f = mem.frames[0];
  f.code = [];
  let seen = 0;
  bus0.onCodeWrite = () => { seen++; };
  bus0.write16(0x00000400, 0xbf00, NS);
  assert.equal(f.code, null);
  assert.equal(seen, 1);
  assert.equal(mem.bytes[0x400], 0x00);
  assert.equal(mem.bytes[0x401], 0xbf);
});

test('an image loads into an alias the LUT closes (QEMU loads with secure attributes) without touching INT_STAT', () => {
  const { mpc, bus0 } = make();
  assert.ok(!bus0.isMemory(0x00200000) && bus0.isLoadable(0x00200000), 'the ELF loader\'s probe accepts the closed alias');
  assert.ok(!bus0.isLoadable(0x00400000));
  assert.equal(bus0.loadBytes(0x00200000, Uint8Array.of(1, 2, 3, 4)), 4);
  assert.equal(bus0.read32(0x10200000, S), 0x04030201);
  assert.equal(mpc.read(0x20, 4, S), 0);
  assert.throws(() => bus0.loadBytes(0x00400000, Uint8Array.of(1)), BusError, 'outside the RAM nothing answers');
});
