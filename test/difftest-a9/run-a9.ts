// Runs one differential-test case on our Cortex-A9 (code page and data page as in
// test/difftest/wire.ts, SVC with A/I/F masked) and compares the outcome with the
// Unicorn oracle's: registers, CPSR, data-page bytes, and which exception (if any) was taken.
// Both run Non-secure SVC (Unicorn's Cortex-A9 starts Non-secure; see run()).
import { AddressSpace, Memory } from '../../emulator/bus';
import { Clock } from '../../emulator/clock';
import { CortexA9 } from '../../emulator/cores/armv7a/cpu';
import { MODE_SVC } from '../../emulator/cores/armv7a/modes';
import { CODE_AT, CODE_BASE, DATA_BASE, DiffCase, OracleResult, PAGE, ST_EXCEPTION, ST_MEMFAULT, ST_OK, ST_UNDEF } from '../difftest/wire';

/** Vectors sit where no generated branch can reach, so "pc in the vector page" means an exception. */
const VBAR = 0x7f000000;

export interface A9Outcome { ok: boolean; diffs: string[]; /** a known, documented difference from Unicorn */ deviation?: string }

export class A9Runner {
  private readonly code = new Memory('difftest code', PAGE);
  private readonly data = new Memory('difftest data', PAGE);
  private readonly bus = new AddressSpace('difftest-a9');
  readonly cpu: CortexA9;

  constructor(private readonly thumb: boolean) {
    this.bus.mapMemory(CODE_BASE, this.code);
    this.bus.mapMemory(DATA_BASE, this.data);
    this.cpu = new CortexA9('difftest-a9', this.bus, new Clock(), { cpuIndex: 0 });
    this.cpu.reset();
  }

  run(c: DiffCase, page: Uint8Array, theirs: OracleResult): A9Outcome {
    const cpu = this.cpu;
    const cf = this.code.frames[0];
    if (this.thumb) cf.u16.fill(0xde00); else cf.i32.fill(0xe7f000f0 | 0);
    for (let k = 0; k < c.hws.length; k++) cf.u16[((CODE_AT - CODE_BASE) >> 1) + k] = c.hws[k];
    cf.invalidateCode();
    this.data.frames[0].u8.set(page);
    // Unicorn runs its Cortex-A9 Non-secure with SCR.AW/FW clear (NS code cannot change CPSR.A/F); so do we.
    cpu.cp15.scr = 0;
    cpu.setCpsr(0x1d3);
    cpu.cp15.scr = 1;
    cpu.mmu.flush();
    cpu.cp15.vbarB.fill(VBAR);
    cpu.cp15.sctlrB.fill(0x00c50078 | 0x400); // SW: SWP/SWPB enabled, as Unicorn always behaves
    if (c.fpscr === 0x10) cpu.setCpsr(0x1d0); // User mode (see gen-a32.ts USER_GROUPS), before the registers are set
    for (let k = 0; k < 15; k++) cpu.r[k] = c.r[k];
    cpu.setApsrNZCVQ(c.apsr);
    cpu.ge = (c.apsr >>> 16) & 0xf;
    cpu.itstate = 0; cpu.itCur = 0;
    cpu.tbit = this.thumb ? 1 : 0;
    cpu.exclusiveAddr = -1; cpu.sleeping = false; cpu.eventRegister = 0;
    cpu.pc = CODE_AT;
    let exc = -1;
    for (let i = 0; i < c.nInsns; i++) {
      cpu.run(1);
      if ((cpu.pc >>> 0) >= VBAR && (cpu.pc >>> 0) < VBAR + 0x20) { exc = cpu.pc - VBAR; break; }
      if (cpu.sleeping) break;
    }
    const diffs: string[] = [];
    // Unicorn: UDF -> status 1; SVC/BKPT -> exception hook; unmapped/unaligned -> memory fault.
    const ourStatus = exc < 0 ? ST_OK : exc === 0x04 ? ST_UNDEF : exc === 0x0c || exc === 0x10 ? ST_MEMFAULT : ST_EXCEPTION;
    // Unicorn 2.0.1 (QEMU 5.0) does not raise the alignment faults ARMv7 requires for unaligned
    // LDM/STM, LDRD/STRD and exclusives (A3.2.1); those cases are a known deviation, not a mismatch.
    if (ourStatus === ST_MEMFAULT && theirs.status === ST_OK && (cpu.lastFault.fsr & 0x40f) === 1) {
      return { ok: true, diffs: [], deviation: 'alignment' };
    }
    // QEMU's exception numbers reach the oracle's interrupt hook: 1 UDEF, 3 prefetch abort, 4 data abort.
    const theirStatus = theirs.status !== ST_EXCEPTION ? theirs.status
      : theirs.intno === 1 ? ST_UNDEF : theirs.intno === 3 || theirs.intno === 4 ? ST_MEMFAULT : ST_EXCEPTION;
    if (ourStatus !== theirStatus) {
      diffs.push(`status: ours ${ourStatus} (vector 0x${exc.toString(16)}), Unicorn ${theirs.status} (intno ${theirs.intno})`);
      return { ok: false, diffs };
    }
    if (ourStatus !== ST_OK) return { ok: true, diffs };
    for (let k = 0; k < 15; k++) {
      if ((cpu.r[k] >>> 0) !== theirs.r[k]) diffs.push(`r${k}: ours 0x${(cpu.r[k] >>> 0).toString(16)}, Unicorn 0x${theirs.r[k].toString(16)}`);
    }
    if ((cpu.pc >>> 0) !== theirs.r[15]) diffs.push(`pc: ours 0x${(cpu.pc >>> 0).toString(16)}, Unicorn 0x${theirs.r[15].toString(16)}`);
    // CPSR: flags, Q, GE, IT, E, A, I, F, T and mode.
    const mask = 0xfe0fffff;
    const ours = cpu.cpsr() & mask, their = theirs.xpsr & mask;
    if (ours !== their) diffs.push(`cpsr: ours 0x${(ours >>> 0).toString(16)}, Unicorn 0x${(their >>> 0).toString(16)}`);
    const d = this.data.frames[0].u8;
    for (let k = 0; k < PAGE; k++) {
      if (d[k] === page[k]) { if (theirs.mem.has(k)) diffs.push(`mem[0x${(DATA_BASE + k).toString(16)}]: ours unchanged, Unicorn 0x${(theirs.mem.get(k) as number).toString(16)}`); continue; }
      const t = theirs.mem.get(k);
      if (t !== d[k]) diffs.push(`mem[0x${(DATA_BASE + k).toString(16)}]: ours 0x${d[k].toString(16)}, Unicorn ${t === undefined ? 'unchanged' : '0x' + t.toString(16)}`);
      if (diffs.length > 8) break;
    }
    if (cpu.mode !== MODE_SVC && diffs.length === 0 && (theirs.xpsr & 0x1f) !== cpu.mode) diffs.push('mode');
    return { ok: diffs.length === 0, diffs };
  }
}

export function describeCase(c: DiffCase, thumb: boolean): string {
  const words: string[] = [];
  if (thumb) words.push(c.hws.map((h) => h.toString(16).padStart(4, '0')).join(' '));
  else for (let k = 0; k < c.hws.length; k += 2) words.push((((c.hws[k + 1] << 16) | c.hws[k]) >>> 0).toString(16).padStart(8, '0'));
  const regs = Array.from(c.r.slice(0, 15), (v, k) => `r${k}=${v.toString(16)}`).join(' ');
  return `[${c.group}] ${words.join(' ')} apsr=${c.apsr.toString(16)} ${regs}`;
}
