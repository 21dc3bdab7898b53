// ARMv7-M bit-band alias (ARM ARM B3.1 / Cortex-M4 TRM 3.7): each word of the alias
// window maps to one bit of the 1 MiB target region. Reads return 0/1; writes do a
// read-modify-write of the target byte, as the bus matrix does.
import type { AccessSize } from '../bus';
import type { DeviceContext, DeviceModel, DeviceType } from './device';

export class BitBand implements DeviceModel {
  readonly name: string;
  readonly size = 0x2000000;
  private readonly target: number;
  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.target = ctx.props.u32('tandem,target') ?? 0;
    if (ctx.memory === undefined) ctx.warn('bit-band alias has no bus to reach its target; reads return 0');
  }
  private locate(offset: number): [number, number] {
    return [(this.target + (offset >>> 5)) >>> 0, (offset >>> 2) & 7];
  }
  read(offset: number, _size: AccessSize): number {
    const mem = this.ctx.memory;
    if (mem === undefined) return 0;
    const [addr, bit] = this.locate(offset);
    return (mem.read8(addr) >>> bit) & 1;
  }
  write(offset: number, _size: AccessSize, value: number): void {
    const mem = this.ctx.memory;
    if (mem === undefined) return;
    const [addr, bit] = this.locate(offset);
    const b = mem.read8(addr);
    mem.write8(addr, (value & 1) !== 0 ? b | (1 << bit) : b & ~(1 << bit));
  }
}

export const bitBandType: DeviceType = {
  compatible: ['arm,bitband'],
  description: 'ARMv7-M bit-band alias region (32 MiB window onto a 1 MiB region)',
  create: (ctx) => new BitBand(ctx),
};
