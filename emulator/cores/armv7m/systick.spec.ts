// SysTick (ARM ARM B3.3): wrap times in cycles for both clock sources, COUNTFLAG
// read-to-clear, CVR writes, RVR = 0, and the exception it pends through the run loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTR_DEBUG } from '../../bus';
import { EXC_SYSTICK } from './cpu';
import { makeKit, scsRead, scsWrite } from './system-test-kit';

const CSR = 0xe000e010, RVR = 0xe000e014, CVR = 0xe000e018, CALIB = 0xe000e01c;

/** Advance virtual time to `cycle` and dispatch due clock events, as the run loop does. */
function at(k: ReturnType<typeof makeKit>, cycle: number): void { k.clock.now = cycle; k.clock.fireDue(); }

test('processor clock: the counter reloads on the tick after zero and wraps every RVR+1 cycles', () => {
  const k = makeKit();
  scsWrite(k, RVR, 99);
  scsWrite(k, CSR, 0b111); // ENABLE, TICKINT, CLKSOURCE = processor
  assert.equal(k.clock.nextDeadline(), 100, 'CVR starts at 0: reload at tick 1, zero at tick 100');
  at(k, 1);
  assert.equal(scsRead(k, CVR), 99);
  at(k, 50);
  assert.equal(scsRead(k, CVR), 50);
  at(k, 99);
  assert.equal(k.sys.nvic.pending[EXC_SYSTICK], 0);
  at(k, 100);
  assert.equal(k.sys.nvic.pending[EXC_SYSTICK], 1);
  assert.equal(scsRead(k, CVR), 0);
  assert.equal(k.clock.nextDeadline(), 200);
  assert.equal(scsRead(k, CSR) >>> 16, 1, 'COUNTFLAG set');
  assert.equal(scsRead(k, CSR) >>> 16, 0, 'and cleared by the read');
  at(k, 101);
  assert.equal(scsRead(k, CVR), 99);
});

test('external reference clock: one tick every refClockDivider cycles', () => {
  const k = makeKit({ refClockDivider: 25 });
  scsWrite(k, RVR, 9);
  scsWrite(k, CSR, 0b011); // CLKSOURCE = external
  assert.equal(k.clock.nextDeadline(), 250);
  at(k, 125);
  assert.equal(scsRead(k, CVR), 5);
  at(k, 250);
  assert.equal(k.sys.nvic.pending[EXC_SYSTICK], 1);
  assert.equal(k.clock.nextDeadline(), 500);
  assert.equal(scsRead(k, CALIB), 9999, '10 ms at 1 MHz, exact so SKEW = 0');
});

test('writing CVR clears it and COUNTFLAG; RVR changes apply at the next reload; RVR = 0 stops', () => {
  const k = makeKit();
  scsWrite(k, RVR, 9);
  scsWrite(k, CSR, 0b101); // no TICKINT
  at(k, 10);
  assert.equal(k.sys.nvic.pending[EXC_SYSTICK], 0, 'TICKINT clear: no exception');
  at(k, 13);
  scsWrite(k, CVR, 0x1234);
  assert.equal(scsRead(k, CSR) >>> 16, 0);
  assert.equal(scsRead(k, CVR), 0);
  assert.equal(k.clock.nextDeadline(), 13 + 10);
  scsWrite(k, RVR, 4);
  at(k, 14);
  assert.equal(scsRead(k, CVR), 4, 'new reload value used at the reload after the change');
  at(k, 18);
  assert.equal(scsRead(k, CVR), 0);
  scsWrite(k, RVR, 0);
  at(k, 40);
  assert.equal(scsRead(k, CVR), 0);
  assert.equal(k.clock.nextDeadline(), Infinity, 'RVR = 0 disables the counter at the wrap');
});

test('disabling freezes the count; SysTick is taken through the run loop while WFI skips time', () => {
  const k = makeKit();
  scsWrite(k, RVR, 999);
  scsWrite(k, CSR, 0b101);
  at(k, 301);
  scsWrite(k, CSR, 0b100);
  const frozen = scsRead(k, CVR);
  assert.equal(frozen, 699, "reload at tick 1, then 300 decrements");
  at(k, 5000);
  assert.equal(scsRead(k, CVR), frozen);
  assert.equal(k.clock.nextDeadline(), Infinity);

  const k2 = makeKit();
  k2.bus.write16(0x400, 0xbf30); // WFI at the reset PC
  scsWrite(k2, RVR, 4999);
  scsWrite(k2, CSR, 0b111);
  k2.cpu.run(3);
  assert.equal(k2.cpu.ipsr, EXC_SYSTICK);
  assert.equal(k2.clock.now >= 5000 && k2.clock.now < 5000 + 3, true, `entered at cycle ${k2.clock.now}`);
});

test('a debugger read of CSR leaves COUNTFLAG set; PENDSTSET/PENDSTCLR drive the pending bit', () => {
  const k = makeKit();
  scsWrite(k, RVR, 9);
  scsWrite(k, CSR, 0b101);
  at(k, 10);
  assert.equal(k.bus.read32(CSR, ATTR_DEBUG) >>> 16, 1);
  assert.equal(scsRead(k, CSR) >>> 16, 1, 'still set for the guest');
  scsWrite(k, 0xe000ed04, 1 << 26);
  assert.equal(scsRead(k, 0xe000ed04) & (1 << 26), 1 << 26);
  scsWrite(k, 0xe000ed04, 1 << 25);
  assert.equal(k.sys.nvic.pending[EXC_SYSTICK], 0);
});
