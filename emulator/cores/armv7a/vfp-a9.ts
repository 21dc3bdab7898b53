// Wires the VFP/NEON unit into CortexA9: a SimdHost over the core (registers, CPACR/NSACR,
// FPEXC, memory through the MMU) and the SimdDecoder that isa-arm.ts / isa-thumb.ts call.
// installSimd(cpu) is all a board needs; simdRegsOf(cpu) gives the debugger D0-D31/FPSCR.
import { A9_ABORT, type CortexA9 } from './cpu';
import type { A9Op, SimdDecoder } from './isa-arm';
import { FS_ALIGNMENT } from './modes';
import type { SimdExec, SimdHost } from './vfp-host';
import { SimdRegs } from './vfp-regs';
import { decodeSimdA32, decodeSimdT32, thumbToA32 } from './vfp-decode';

class A9SimdHost implements SimdHost {
  readonly simd = new SimdRegs();
  constructor(readonly cpu: CortexA9) { }
  readReg(n: number): number { return this.cpu.r[n] >>> 0; } // the run loop keeps r[15] = PC + 8 / + 4
  writeReg(n: number, v: number): void { this.cpu.r[n] = v | 0; }
  setNzcv(v: number): void {
    const c = this.cpu;
    c.n = (v >>> 3) & 1; c.z = (v >>> 2) & 1; c.c = (v >>> 1) & 1; c.v = v & 1;
  }
  isPrivileged(): boolean { return this.cpu.isPrivileged(); }
  /** B1.11.? / B4.1.40 CPACR, B4.1.111 NSACR: cp10 decides (cp11 must match it). */
  fpAccessAllowed(neon: boolean): boolean {
    const cpu = this.cpu;
    const cpacr = cpu.cp15.cpacr;
    const cp10 = (cpacr >>> 20) & 3;
    if (cp10 === 0 || cp10 === 2) return false;
    if (cp10 === 1 && !cpu.isPrivileged()) return false;
    if (neon && (cpacr & 0x80000000) !== 0) return false;            // CPACR.ASEDIS
    if (!cpu.isSecure()) {
      const nsacr = cpu.cp15.nsacr;
      if ((nsacr & (1 << 10)) === 0) return false;                   // NSACR.CP10
      if (neon && (nsacr & (1 << 15)) !== 0) return false;           // NSACR.NSASEDIS
    }
    return true;
  }
  /** Encodings already reported (bounded, like the core's own unknown-encoding report). */
  private readonly reported = new Set<string>();
  undefinedInstruction(why: string): void {
    const cpu = this.cpu;
    // Disabled-FPU traps (FPEXC.EN, CPACR, NSACR) are normal: kernels switch FP context lazily.
    // UNDEFINED/UNPREDICTABLE encodings are reported once each, naming the encoding.
    if (cpu.onUnknownEncoding !== null && !/FPEXC|CPACR|needs PL1/.test(why) && this.reported.size < 256 && !this.reported.has(why)) {
      this.reported.add(why);
      cpu.onUnknownEncoding(`${cpu.name}: ${why} at 0x${(cpu.curPc >>> 0).toString(16)}`);
    }
    cpu.undefinedInstruction();
  }
  alignmentCheck(a: number, align: number, write: boolean): void { this.checkAlign(a, align, write); }
  private checkAlign(a: number, align: number, write: boolean): void {
    if (align > 0 && (a % align) !== 0) { this.cpu.dataAbort(FS_ALIGNMENT, a >>> 0, write, 0, false); throw A9_ABORT; }
  }
  read8(a: number): number { return this.cpu.read8(a >>> 0); }
  read16(a: number, align: number): number { this.checkAlign(a, align, false); return this.cpu.read16(a >>> 0); }
  read32(a: number, align: number): number { this.checkAlign(a, align, false); return this.cpu.read32(a >>> 0) >>> 0; }
  write8(a: number, v: number): void { this.cpu.write8(a >>> 0, v); }
  write16(a: number, v: number, align: number): void { this.checkAlign(a, align, true); this.cpu.write16(a >>> 0, v); }
  write32(a: number, v: number, align: number): void { this.checkAlign(a, align, true); this.cpu.write32(a >>> 0, v); }
}

const hosts = new WeakMap<CortexA9, A9SimdHost>();
let lastCpu: CortexA9 | null = null;
let lastHost: A9SimdHost | null = null;
function hostOf(cpu: CortexA9): A9SimdHost {
  if (cpu === lastCpu && lastHost !== null) return lastHost;
  let h = hosts.get(cpu);
  if (h === undefined) { h = new A9SimdHost(cpu); hosts.set(cpu, h); }
  lastCpu = cpu; lastHost = h;
  return h;
}

// One A9Op per executor and state, so decoding allocates nothing after warm-up.
const armOps = new Map<SimdExec, A9Op>();
const thumbOps = new Map<SimdExec, A9Op>();

/** The SimdDecoder for CortexA9.simdDecoder. */
export const a9SimdDecoder: SimdDecoder = (insn: number, thumb: boolean): A9Op | undefined => {
  const x = thumb ? decodeSimdT32(insn) : decodeSimdA32(insn);
  if (x === undefined) return undefined;
  const cache = thumb ? thumbOps : armOps;
  let op = cache.get(x);
  if (op === undefined) {
    op = thumb
      ? { name: 'simd', size: 4, arm: false, exec: (cpu, w) => x(hostOf(cpu), thumbToA32(w)) }
      : { name: 'simd', size: 4, arm: true, exec: (cpu, w) => x(hostOf(cpu), w >>> 0) };
    cache.set(x, op);
  }
  return op;
};

/** Give `cpu` a VFPv3-D32/NEON unit (FPEXC.EN = 0 and CPACR closed at reset, as on hardware). */
export function installSimd(cpu: CortexA9): SimdRegs {
  const regs = hostOf(cpu).simd;
  if (cpu.simdDecoder !== a9SimdDecoder) {
    cpu.simdDecoder = a9SimdDecoder;
    // A core reset also resets FPEXC (EN = 0) and FPSCR (B1.? reset: the registers become UNKNOWN;
    // zero is what QEMU gives), so a restarted program sees the FPU as the first run did.
    const coreReset = cpu.reset.bind(cpu);
    cpu.reset = () => { coreReset(); regs.reset(); };
  }
  return regs;
}

/** The extension registers of `cpu` (for the debugger and tests). */
export function simdRegsOf(cpu: CortexA9): SimdRegs { return hostOf(cpu).simd; }
