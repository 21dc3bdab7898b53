// i.MX6 CCM analog block (PLLs, PFDs, regulators, misc; i.MX6DQ reference manual §18.7 and
// the PMU chapter) at 0x020C8000, as QEMU 7.2's imx6_ccm "analog" region: the registers
// QEMU gives SET/CLR/TOG aliases at +4/+8/+C, reset values read back from QEMU sabrelite.
// PLLs report locked at once; nothing acts on the values.
import type { AccessSize } from '../bus';
import type { DeviceContext, DeviceModel, DeviceType } from './device';
import { mergeLane, WordRegisterFile } from './imx-common';

/** One word per 4 bytes from 0x000 to 0x260, as QEMU reads them (aliases included). */
const RESET = [
  0x80013042, 0x80013042, 0x80013042, 0x80013042, 0x80012000, 0x80012000, 0x80012000, 0x80012000,
  0x80012000, 0x80012000, 0x80012000, 0x80012000, 0x80013001, 0x80013001, 0x80013001, 0x80013001,
  0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
  0x00000012, 0x00000000, 0x00000000, 0x00000000, 0x80011006, 0x80011006, 0x80011006, 0x80011006,
  0x05f5e100, 0x00000000, 0x00000000, 0x00000000, 0x2964619c, 0x00000000, 0x00000000, 0x00000000,
  0x8001100c, 0x8001100c, 0x8001100c, 0x00000000, 0x00000000, 0x00000000, 0x05f5e100, 0x00000000,
  0x10a24447, 0x00000000, 0x00000000, 0x00000000, 0x80010000, 0x80010000, 0x80010000, 0x80010000,
  0x80011001, 0x80011001, 0x80011001, 0x80011001, 0x1311100c, 0x1311100c, 0x1311100c, 0x1311100c,
  0x1018101b, 0x1018101b, 0x1018101b, 0x1018101b, 0x00001073, 0x00000000, 0x00000000, 0x00000000,
  0x00000f74, 0x00000000, 0x00000000, 0x00000000, 0x00005071, 0x00000000, 0x00000000, 0x00000000,
  0x00402010, 0x00000000, 0x00000000, 0x00000000, 0x04000080, 0x04000080, 0x04000080, 0x04000080,
  0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00272727, 0x00272727, 0x00272727, 0x00272727,
  0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
  0x00000004, 0x00000004, 0x00000004, 0x00000004, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
  0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
  0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000002, 0x00000002, 0x00000002, 0x00000002,
  0x00000004, 0x00000004, 0x00000004, 0x00000004, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
  0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
  0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000002, 0x00000002, 0x00000002, 0x00000002,
  0x00630000,
];
/** Word indices of the plain registers that have SET/CLR/TOG aliases at +1/+2/+3 words. */
const ALIASED = [0, 4, 8, 12, 28, 52, 56, 60, 64, 84, 88, 92, 104, 108, 124, 128, 132, 148];
/**
 * What each alias word does: 1 = SET, 2 = CLR, 3 = TOG, acting on the word that many
 * below. PLL_VIDEO's TOG sits at index 44 rather than 43 in QEMU 7.2 (so it acts on
 * index 41's storage); that is kept, since firmware run on QEMU sees it.
 */
const ALIAS = new Uint8Array(RESET.length);
for (const b of ALIASED) { ALIAS[b + 1] = 1; ALIAS[b + 2] = 2; ALIAS[b + 3] = 3; }
ALIAS[40 + 1] = 1; ALIAS[40 + 2] = 2; ALIAS[44] = 3;

export class ImxAnalog extends WordRegisterFile implements DeviceModel {
  readonly size = 0x1000;

  constructor(ctx: DeviceContext) { super(ctx, RESET); }

  /** QEMU's reset values; alias words have no storage of their own (they read their register). */
  override reset(): void {
    super.reset();
    for (let i = 0; i < ALIAS.length; i++) if (ALIAS[i] !== 0) this.regs[i] = 0;
  }

  protected override source(i: number): number { return i - ALIAS[i]; }

  protected override store(i: number, offset: number, size: AccessSize, value: number): void {
    const v = mergeLane(0, offset, size, value);
    const t = i - ALIAS[i];
    switch (ALIAS[i]) {
      case 1: this.regs[t] |= v; break;
      case 2: this.regs[t] &= ~v; break;
      case 3: this.regs[t] ^= v; break;
      // Plain registers, DIGPROG included, store what is written (QEMU 7.2 imx6_analog_write).
      default: this.regs[t] = mergeLane(this.regs[t], offset, size, value);
    }
  }
}

export const imxAnalogType: DeviceType = {
  compatible: ['fsl,imx6q-anatop'],
  description: 'NXP i.MX6 CCM analog/PMU register file with SET/CLR/TOG aliases (QEMU imx6_ccm analog region)',
  create: (ctx) => new ImxAnalog(ctx),
};
