// Runs one differential-test case on our Cortex-M core: a code page and a data page, a
// TestSystem stub that records faults and stops the core (Unicorn has no NVIC either, so
// only instruction semantics are compared), and a readback in the oracle's terms.
import { AddressSpace, Memory } from '../../emulator/bus';
import { Clock } from '../../emulator/clock';
import { CortexM } from '../../emulator/cores/armv7m/cpu';
import { TestSystem } from '../../emulator/cores/armv7m/test-system';
import type { InsnTable } from '../../emulator/cores/armv7m/insn';
import { CODE_AT, CODE_BASE, DATA_BASE, DiffCase, PAGE } from './wire';

export interface OurResult {
  /** '' when the block ran; otherwise what stopped it ('fault', 'svc', ...). */
  event: string;
  cfsr: number;
  r: Uint32Array;
  apsr: number;
  itstate: number;
  fpscr: number;
  s: Uint32Array;
  mem: Map<number, number>;
  stop: string;
}

export class OurRunner {
  private readonly code = new Memory('difftest code', PAGE);
  private readonly data = new Memory('difftest data', PAGE);
  private readonly bus = new AddressSpace('difftest');
  private readonly sys = new TestSystem();
  readonly cpu: CortexM;

  constructor(table: InsnTable) {
    this.bus.mapMemory(CODE_BASE, this.code);
    this.bus.mapMemory(DATA_BASE, this.data);
    this.cpu = new CortexM('difftest', this.bus, new Clock(), table);
    this.cpu.system = this.sys;
    this.sys.stopOnEvents = true;
  }

  run(c: DiffCase, page: Uint8Array): OurResult {
    const cpu = this.cpu, sys = this.sys;
    const cf = this.code.frames[0];
    cf.u16.fill(0xde00); // the same UDF filler as oracle.py, so literal loads and stray branches agree
    for (let k = 0; k < c.hws.length; k++) cf.u16[((CODE_AT - CODE_BASE) >> 1) + k] = c.hws[k];
    cf.invalidateCode();
    const dbytes = this.data.frames[0].u8;
    dbytes.set(page);
    sys.clear();
    for (let k = 0; k < 15; k++) cpu.r[k] = c.r[k];
    cpu.msp = cpu.r[13]; cpu.psp = 0;
    cpu.setApsrNZCVQ(c.apsr);
    cpu.ge = (c.apsr >>> 16) & 0xf;
    cpu.itstate = 0; cpu.itCur = 0; cpu.tbit = 1; cpu.ipsr = 0; cpu.control = 0;
    cpu.primask = cpu.faultmask = cpu.basepri = 0;
    cpu.exclusiveAddr = -1; cpu.eventRegister = 0; cpu.sleeping = false; cpu.locked = false;
    cpu.fpscr = c.fpscr >>> 0;
    cpu.sBits.set(c.s);
    cpu.pc = CODE_AT; cpu.curPc = CODE_AT; cpu.r[15] = CODE_AT + 4;
    const stop = cpu.run(c.nInsns);
    const r = new Uint32Array(16);
    for (let k = 0; k < 15; k++) r[k] = cpu.r[k] >>> 0;
    r[15] = cpu.pc >>> 0;
    const mem = new Map<number, number>();
    const now32 = this.data.frames[0].i32, was32 = new Int32Array(page.buffer, page.byteOffset, PAGE >> 2);
    for (let w = 0; w < PAGE >> 2; w++) {
      if (now32[w] === was32[w]) continue;
      for (let k = w * 4; k < w * 4 + 4; k++) if (dbytes[k] !== page[k]) mem.set(k, dbytes[k]);
    }
    return {
      event: sys.event, cfsr: sys.cfsr, r, apsr: cpu.getApsr(), itstate: cpu.itstate, fpscr: cpu.fpscr >>> 0,
      s: new Uint32Array(cpu.sBits), mem, stop,
    };
  }
}
