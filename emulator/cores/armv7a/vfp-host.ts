// The contract between the Cortex-A9 core (cpu.ts, owned by A9-CORE) and the VFPv3-D32 /
// NEON unit (vfp*.ts, neon*.ts). The core owns decode dispatch, condition checks and
// exceptions; the SIMD unit owns the extension register file, FPSCR/FPEXC and semantics.
//
// Wiring (ARM ARM DDI0406C A5.1 / A6.1 encoding maps):
//  - A32: call decodeSimdA32(insn) for
//      cond != 1111, bits[27:25] = 110 or (bits[27:24] = 1110), bits[11:9] = 101  (coprocessor 10/11: VFP,
//        VMOV core<->scalar, VMRS/VMSR, VDUP core), after the condition check passed;
//      cond == 1111, bits[27:25] = 001                                            (Advanced SIMD data processing);
//      cond == 1111, bits[27:24] = 0100, bit[20] = 0                               (Advanced SIMD element load/store).
//  - T32 (32-bit word = hw1 << 16 | hw2): call decodeSimdT32(word) for
//      hw1 bits[15:13] = 111, bits[11:9] of hw2 = 101 and (hw1 & 0xec00) === 0xec00 or 0xee00 (VFP, cp10/11);
//      (hw1 & 0xef00) === 0xef00                                                    (Advanced SIMD data processing);
//      (hw1 & 0xff10) === 0xf900                                                    (Advanced SIMD element load/store).
//  Both return undefined when the word is not in the SIMD space at all (so the core can treat it as
//  another coprocessor / UNDEFINED); otherwise an executor, which the core may cache per address.
//  Executors never throw for guest-caused conditions except through the host's own methods.
import type { SimdRegs } from './vfp-regs';

/** What an executor needs from the processor. Implemented by CortexA9 (and by small test hosts). */
export interface SimdHost {
  /** The extension register file, FPSCR, FPEXC, FPSID, MVFR0/1 of this core. */
  readonly simd: SimdRegs;
  /**
   * Core register n of the current mode. readReg(15) must return the PC as the instruction
   * sees it (A32: address + 8, T32: address + 4). The unit never writes r15.
   */
  readReg(n: number): number;
  writeReg(n: number, value: number): void;
  /** VMRS APSR_nzcv, FPSCR: set CPSR.N Z C V from bits[3:0] = N Z C V. */
  setNzcv(nzcv: number): void;
  /** True in any mode but User (VMRS/VMSR of FPEXC, FPSID, MVFRx need PL1; B6.1.? / A9 TRM). */
  isPrivileged(): boolean;
  /**
   * CPACR/NSACR (and HCPTR where present) allow coprocessors 10 and 11 at the current privilege
   * and security state (ARM ARM B1.11 "Enabling Advanced SIMD and floating-point support").
   * `neon` is true for Advanced SIMD instructions, which CPACR.ASEDIS / NSACR.NSASEDIS can also disable.
   */
  fpAccessAllowed(neon: boolean): boolean;
  /**
   * Raise the Undefined Instruction exception for the current instruction. `why` is a diagnostic
   * (e.g. 'VFMA/VFMS/VFNMA/VFNMS (VFPv4) (A32 0xeea00a00) is UNDEFINED on Cortex-A9'). The executor returns right after
   * calling this; the host may also throw its own exception-unwinding signal.
   */
  undefinedInstruction(why: string): void;
  /**
   * Data accesses through the current translation regime, little-endian, with the core's
   * alignment checks. On an abort the host must not return normally: it throws its own
   * abort signal (the executor then leaves partially written registers, as the ARM ARM allows).
   * `align` 0 means MemU (unaligned allowed unless SCTLR.A = 1, then the access size applies);
   * align > 0 means MemA-style: an alignment fault unless addr is a multiple of `align`
   * (VLDR/VLDM always pass 4; VLD1 with an :64/:128/:256 qualifier passes 8/16/32).
   */
  read8(addr: number): number;
  read16(addr: number, align: number): number;
  read32(addr: number, align: number): number;
  write8(addr: number, value: number): void;
  write16(addr: number, value: number, align: number): void;
  write32(addr: number, value: number, align: number): void;
  /** Raise an alignment fault (data abort; the host throws) unless addr is a multiple of `align`. */
  alignmentCheck(addr: number, align: number, write: boolean): void;
}

/** An executor for one decoded SIMD/VFP encoding. `insn` is always the A32 form (T32 words are mapped). */
export type SimdExec = (host: SimdHost, insn: number) => void;
