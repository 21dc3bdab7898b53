// i.MX6 CCM analog block (PLLs, PFDs, regulators, misc; i.MX6DQ reference manual §18.7 and
// the PMU chapter) at 0x020C8000, as QEMU 7.2's imx6_ccm "analog" region: registers with
// SET/CLR/TOG aliases at +4/+8/+C, reset values read back from QEMU sabrelite. PLLs report
// locked at once; nothing else acts on the values. USB_ANALOG_DIGPROG (0x260) is read-only.
import type { AccessSize } from '../bus';
import { type DeviceContext, type DeviceModel, type DeviceType, warnOnce } from './device';
import { truncate } from './apb-common';

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
/** Bit n set: the 16-byte group at n*16 is one register with SET/CLR/TOG aliases. */
const SCT_GROUPS = 0x3fffe1e0bfn;
const DIGPROG = 0x260;

export class ImxAnalog implements DeviceModel {
  readonly size = 0x1000;
  readonly name: string;
  private readonly regs = new Uint32Array(RESET.length);
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.reset();
  }

  reset(): void { this.regs.set(RESET); }

  private static sct(offset: number): boolean {
    return offset < DIGPROG && ((SCT_GROUPS >> BigInt(offset >> 4)) & 1n) === 1n;
  }

  read(offset: number, size: AccessSize, _attrs: number): number {
    if (offset >= this.regs.length * 4) {
      warnOnce(this.ctx, this.warned, `r${offset}`, `read of unmodelled offset 0x${offset.toString(16)} returns 0`);
      return 0;
    }
    const word = ImxAnalog.sct(offset) ? offset & ~0xf : offset & ~3;
    return truncate(this.regs[word >> 2] >>> ((offset & 3) * 8), size);
  }

  write(offset: number, size: AccessSize, value: number, _attrs: number): void {
    if (offset >= this.regs.length * 4 || (offset & ~3) === DIGPROG) {
      warnOnce(this.ctx, this.warned, `w${offset}`, `write to ${(offset & ~3) === DIGPROG ? 'read-only DIGPROG' : 'unmodelled offset'} 0x${offset.toString(16)} ignored`);
      return;
    }
    const v = size === 4 ? value >>> 0 : (value << ((offset & 3) * 8)) >>> 0;
    if (!ImxAnalog.sct(offset)) {
      const i = offset >> 2;
      const mask = size === 4 ? 0xffffffff : ((size === 2 ? 0xffff : 0xff) << ((offset & 3) * 8)) >>> 0;
      this.regs[i] = ((this.regs[i] & ~mask) | (v & mask)) >>> 0;
      return;
    }
    const i = (offset & ~0xf) >> 2;
    switch (offset & 0xc) {
      case 0x0: this.regs[i] = v; break;
      case 0x4: this.regs[i] |= v; break;
      case 0x8: this.regs[i] &= ~v; break;
      default: this.regs[i] ^= v;
    }
  }
}

export const imxAnalogType: DeviceType = {
  compatible: ['fsl,imx6q-anatop'],
  description: 'NXP i.MX6 CCM analog/PMU register file with SET/CLR/TOG aliases (QEMU imx6_ccm analog region)',
  create: (ctx) => new ImxAnalog(ctx),
};
