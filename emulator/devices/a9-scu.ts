// Cortex-A9 MPCore Snoop Control Unit registers (Cortex-A9 MPCore TRM r4p1 §2.2): control,
// configuration (CPU count and SMP bits), per-CPU power status, invalidate-all, filtering
// and access control. Coherency itself needs no model: all cores share one memory.
// Behaviour as QEMU 7.2's a9_scu: the configuration register reads 0xF3 with 4 CPUs.
import type { AccessSize } from '../bus';
import { type DeviceContext, type DeviceModel, type DeviceType, warnOnce } from './device';
import { truncate } from './apb-common';

const CONTROL = 0x00;
const CONFIG = 0x04;
const POWER_STATUS = 0x08;
const INVALIDATE_ALL = 0x0c;
const FILTER_START = 0x40;
const FILTER_END = 0x44;
const SAC = 0x50;
const SNSAC = 0x54;

export class A9Scu implements DeviceModel {
  readonly size = 0x100;
  readonly name: string;
  private control = 0;
  private status = 0;
  private readonly numCpu: number;
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.numCpu = Math.min(Math.max(ctx.props.u32('arm,num-cpus', ctx.cpus?.count ?? 1) ?? 1, 1), 4);
  }

  reset(): void { this.control = 0; this.status = 0; }

  read(offset: number, size: AccessSize, _attrs: number): number {
    let r: number;
    switch (offset & ~3) {
      case CONTROL: r = this.control; break;
      // [7:4] CPUs in SMP mode (QEMU reports every CPU), [1:0] number of CPUs - 1.
      case CONFIG: r = (((1 << this.numCpu) - 1) << 4) | (this.numCpu - 1); break;
      case POWER_STATUS: r = this.status; break;
      case INVALIDATE_ALL: case FILTER_START: case FILTER_END: case SAC: case SNSAC: r = 0; break;
      default:
        warnOnce(this.ctx, this.warned, `r${offset}`, `read of unmodelled offset 0x${offset.toString(16)} returns 0`);
        r = 0;
    }
    return truncate(r >>> ((offset & 3) * 8), size);
  }

  write(offset: number, size: AccessSize, value: number, _attrs: number): void {
    switch (offset & ~3) {
      case CONTROL: this.control = value & 1; return;
      case POWER_STATUS: {
        // One byte per CPU; a narrow write changes only its CPUs' bytes.
        const shift = (offset & 3) * 8;
        const mask = (size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff) << shift;
        this.status = ((this.status & ~mask) | ((value << shift) & mask)) >>> 0;
        return;
      }
      case CONFIG: case INVALIDATE_ALL: case FILTER_START: case FILTER_END: case SAC: case SNSAC: return;
      default:
        warnOnce(this.ctx, this.warned, `w${offset}`, `write to unmodelled offset 0x${offset.toString(16)} ignored`);
    }
  }
}

export const a9ScuType: DeviceType = {
  compatible: ['arm,cortex-a9-scu'],
  description: 'Cortex-A9 MPCore Snoop Control Unit registers (QEMU a9_scu)',
  create: (ctx) => new A9Scu(ctx),
};
