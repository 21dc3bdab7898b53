// i.MX6 System Reset Controller (i.MX6DQ reference manual §60 "SRC") as QEMU 7.2's imx6_src
// models it: SRC_SCR core-enable bits start cores 1-3 at the entry address in GPR3/5/7
// (argument in GPR4/6/8) and stop them again; the core reset bits reset a core and
// self-clear, as do the GPU and IPU2 reset bits. Other registers keep what is written.
import type { AccessSize } from '../bus';
import { type DeviceContext, type DeviceModel, type DeviceType, warnOnce } from './device';
import { truncate } from './apb-common';
import { unmodelledRead, unmodelledWrite } from './imx-common';

const SCR = 0x00;
const SBMR1 = 0x04;
const SRSR = 0x08;
const SISR = 0x14;
const SIMR = 0x18;
const SBMR2 = 0x1c;
const GPR1 = 0x20;
const GPR10 = 0x44;

const SCR_CORE0_RST = 13;
const SCR_CORE1_ENABLE = 22;
/**
 * Bits that read back 0 because the reset they request completes at once: the GPU and
 * IPU2 resets and the core resets (checked on QEMU 7.2, which clears the core reset bits
 * once the target core has run; here that is immediate).
 */
const SCR_SELF_CLEAR = (1 << 3) | (1 << 12) | (0xf << SCR_CORE0_RST);

/** Reset values read from QEMU 7.2 sabrelite (SRC_SCR 0x521, SRSR 1 = power-on reset, SIMR 0x1f). */
const RESET: ReadonlyArray<[number, number]> = [[SCR, 0x521], [SBMR1, 0], [SRSR, 1], [SISR, 0], [SIMR, 0x1f], [SBMR2, 0]];

export class ImxSrc implements DeviceModel {
  readonly size = 0x4000;
  readonly name: string;
  private readonly regs = new Uint32Array(0x48 / 4);
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
  }

  reset(): void {
    this.regs.fill(0);
    for (const [o, v] of RESET) this.regs[o >> 2] = v;
  }

  read(offset: number, size: AccessSize, _attrs: number): number {
    if (offset > GPR10 + 3) return unmodelledRead(this.ctx, this.warned, offset);
    return truncate(this.regs[offset >> 2] >>> ((offset & 3) * 8), size);
  }

  write(offset: number, _size: AccessSize, value: number, _attrs: number): void {
    value >>>= 0;
    const word = offset & ~3;
    if (word === SCR) { this.writeScr(value); return; }
    // QEMU 7.2 stores every other register as written, the boot mode and status
    // registers included (read back 0xffffffff after writing it); so do we.
    if (word <= GPR10) { this.regs[word >> 2] = value; return; }
    unmodelledWrite(this.ctx, this.warned, offset);
  }

  private writeScr(value: number): void {
    const old = this.regs[SCR >> 2];
    const changed = old ^ value;
    const cpus = this.ctx.cpus;
    for (let core = 3; core >= 1; core--) {
      const en = SCR_CORE1_ENABLE + core - 1;
      const rst = SCR_CORE0_RST + core;
      if ((changed >>> en) & 1) {
        if ((value >>> en) & 1) this.startCore(core);
        else if (cpus !== undefined && core < cpus.count) cpus.setHeld(core, true);
      } else if ((value >>> rst) & 1) {
        // QEMU arm_reset_cpu: the core restarts from its reset vector, not from the GPR entry.
        if (cpus !== undefined && core < cpus.count) cpus.resetCore(core);
      }
    }
    if ((value >>> SCR_CORE0_RST) & 1) cpus?.resetCore(0);
    this.regs[SCR >> 2] = value & ~SCR_SELF_CLEAR;
  }

  /** Start core `core` at GPR(2*core+1), with GPR(2*core+2) in r0, as QEMU's arm_set_cpu_on. */
  private startCore(core: number): void {
    const cpus = this.ctx.cpus;
    if (cpus === undefined || core >= cpus.count) {
      warnOnce(this.ctx, this.warned, `core${core}`, `SRC_SCR enables core ${core}, which this board does not have; ignored`);
      return;
    }
    const entry = this.regs[(GPR1 >> 2) + 2 * core];
    const arg = this.regs[(GPR1 >> 2) + 2 * core + 1];
    if (cpus.powerOn === undefined) {
      warnOnce(this.ctx, this.warned, 'poweron', `this machine cannot start a core at an address; core ${core} stays held`);
      return;
    }
    cpus.powerOn(core, entry, arg);
  }
}

export const imxSrcType: DeviceType = {
  compatible: ['fsl,imx6q-src', 'fsl,imx51-src'],
  description: 'NXP i.MX6 System Reset Controller (QEMU imx6_src): SCR core enable/reset release cores 1-3 at GPR3/5/7',
  create: (ctx) => new ImxSrc(ctx),
};
