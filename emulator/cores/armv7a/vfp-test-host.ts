// A minimal SimdHost for specs and the differential tests: sixteen core registers, NZCV, and
// flat little-endian memory pages. Undefined instructions and aborts are recorded, not taken;
// aborts unwind with a private signal so executors stop at the faulting access.
import type { SimdHost } from './vfp-host';
import { SimdRegs } from './vfp-regs';

class TestAbort { constructor(readonly why: string) { } }

export class SimdTestHost implements SimdHost {
  readonly simd = new SimdRegs();
  readonly r = new Uint32Array(16);
  nzcv = 0;
  privileged = true;
  accessAllowed = true;
  thumb = false;
  /** Address of the instruction being executed (readReg(15) adds 8 or 4). */
  pc = 0;
  /** Set when the instruction raised Undefined Instruction / an abort. */
  undef: string | null = null;
  abort: string | null = null;
  /** Mapped memory: page base -> 4 KB page. */
  readonly pages = new Map<number, Uint8Array>();

  map(base: number, bytes: Uint8Array): void { this.pages.set(base >>> 0, bytes); }

  readReg(n: number): number { return n === 15 ? (this.pc + (this.thumb ? 4 : 8)) >>> 0 : this.r[n]; }
  writeReg(n: number, v: number): void { this.r[n] = v >>> 0; }
  setNzcv(v: number): void { this.nzcv = v & 0xf; }
  isPrivileged(): boolean { return this.privileged; }
  fpAccessAllowed(_neon: boolean): boolean { return this.accessAllowed; }
  undefinedInstruction(why: string): void { this.undef = why; }

  private byteAt(addr: number): { page: Uint8Array; off: number } {
    const a = addr >>> 0;
    const page = this.pages.get((a & ~0xfff) >>> 0);
    if (page === undefined) { this.abort = `unmapped 0x${a.toString(16)}`; throw new TestAbort(this.abort); }
    return { page, off: a & 0xfff };
  }
  private check(addr: number, align: number): void {
    if (align > 0 && (addr % align) !== 0) { this.abort = `alignment 0x${(addr >>> 0).toString(16)} % ${align}`; throw new TestAbort(this.abort); }
  }
  alignmentCheck(addr: number, align: number, _write: boolean): void { this.check(addr, align); }
  read8(addr: number): number { const b = this.byteAt(addr); return b.page[b.off]; }
  read16(addr: number, align: number): number { this.check(addr, align); return this.read8(addr) | (this.read8(addr + 1) << 8); }
  read32(addr: number, align: number): number {
    this.check(addr, align);
    return (this.read8(addr) | (this.read8(addr + 1) << 8) | (this.read8(addr + 2) << 16) | (this.read8(addr + 3) << 24)) >>> 0;
  }
  write8(addr: number, v: number): void { const b = this.byteAt(addr); b.page[b.off] = v & 0xff; }
  write16(addr: number, v: number, align: number): void { this.check(addr, align); this.write8(addr, v); this.write8(addr + 1, v >>> 8); }
  write32(addr: number, v: number, align: number): void {
    this.check(addr, align);
    this.write8(addr, v); this.write8(addr + 1, v >>> 8); this.write8(addr + 2, v >>> 16); this.write8(addr + 3, v >>> 24);
  }

  /** Run one executor; returns 'ok', 'undef' or 'abort'. */
  run(exec: (h: SimdHost, insn: number) => void, insn: number): 'ok' | 'undef' | 'abort' {
    this.undef = null; this.abort = null;
    try { exec(this, insn); } catch (e) { if (!(e instanceof TestAbort)) throw e; return 'abort'; }
    return this.undef !== null ? 'undef' : 'ok';
  }
}
