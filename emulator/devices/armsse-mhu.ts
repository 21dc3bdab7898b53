// SSE-200 Message Handling Unit (SSE-200 TRM 101104 §3.8), as QEMU 7.2 models it in
// hw/misc/armsse-mhu.c: two 4-bit doorbell registers, one per CPU. A bit set in CPUnINTR
// raises that CPU's interrupt until cleared. Interrupts, in order: to CPU0, to CPU1
// (armsse.c: MHU n drives IRQ 6+n of each core). Only word accesses are valid.
import type { AccessSize } from '../bus';
import { BusError } from '../bus';
import { type DeviceModel, type DeviceType, type IrqLine, warnOnce } from './device';
import { readId } from './apb-common';
import { hex32, type SseContext } from './sse-common';

const CPU0INTR_STAT = 0x00;
const CPU0INTR_SET = 0x04;
const CPU0INTR_CLR = 0x08;
const CPU1INTR_STAT = 0x10;
const CPU1INTR_SET = 0x14;
const CPU1INTR_CLR = 0x18;
const ID_FIRST = 0xfd0;
const ID_LAST = 0xffc;
const INTR_MASK = 0xf;
const MHU_IDS = [0x04, 0x00, 0x00, 0x00, 0x56, 0xb8, 0x0b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export class ArmSseMhu implements DeviceModel {
  readonly size = 0x1000;
  readonly name: string;
  /** Pending doorbell bits towards CPU0 and CPU1. */
  readonly intr = [0, 0];
  private readonly lines: IrqLine[];
  private readonly levels = [false, false];
  private readonly base: number;
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: SseContext) {
    this.name = ctx.name;
    this.lines = [ctx.irq(0), ctx.irq(1)];
    this.base = ctx.props.cells('reg')?.[0] ?? 0;
  }

  reset(): void {
    this.intr[0] = this.intr[1] = 0;
    this.update();
  }

  read(offset: number, size: AccessSize, _attrs: number): number {
    if (size !== 4) throw new BusError(this.base + offset, false, `${this.name}: the MHU takes word accesses only`);
    switch (offset) {
      case CPU0INTR_STAT: return this.intr[0];
      case CPU1INTR_STAT: return this.intr[1];
    }
    if (offset >= ID_FIRST && offset <= ID_LAST) return readId(MHU_IDS, offset);
    warnOnce(this.ctx, this.warned, `r${offset}`, `${this.name}: read of ${(offset & 0xf) !== 0 && offset < 0x20 ? 'write-only' : 'unmodelled'} offset 0x${offset.toString(16)} returns 0`);
    return 0;
  }

  write(offset: number, size: AccessSize, value: number, _attrs: number): void {
    if (size !== 4) throw new BusError(this.base + offset, true, `${this.name}: the MHU takes word accesses only`);
    const bits = value & INTR_MASK;
    switch (offset) {
      case CPU0INTR_SET: this.ring(0, bits); break;
      case CPU1INTR_SET: this.ring(1, bits); break;
      case CPU0INTR_CLR: this.intr[0] &= ~bits; break;
      case CPU1INTR_CLR: this.intr[1] &= ~bits; break;
      default:
        warnOnce(this.ctx, this.warned, `w${offset}`, `${this.name}: write of ${hex32(value)} to ${offset === CPU0INTR_STAT || offset === CPU1INTR_STAT || offset >= ID_FIRST ? 'read-only' : 'unmodelled'} offset 0x${offset.toString(16)} ignored`);
    }
    this.update();
  }

  private ring(to: number, bits: number): void {
    const fresh = bits & ~this.intr[to];
    this.intr[to] |= bits;
    const c = this.ctx;
    if (fresh === 0 || c.tracing !== true || c.trace === undefined) return;
    // The register says which CPU is signalled, not who wrote it; on a two-CPU SSE the
    // sender is the other core.
    for (let ch = 0; ch < 4; ch++) {
      if ((fresh >>> ch) & 1) c.trace({ kind: 'doorbell', device: this.name, from: 1 - to, to, channel: ch, value: this.intr[to], cycle: c.clock.now });
    }
  }

  private update(): void {
    for (let i = 0; i < 2; i++) {
      const level = this.intr[i] !== 0;
      if (level !== this.levels[i]) {
        this.levels[i] = level;
        this.lines[i].set(level);
      }
    }
  }
}

export const armSseMhuType: DeviceType = {
  compatible: ['arm,armsse-mhu'],
  description: 'SSE-200 message handling unit (QEMU armsse-mhu): doorbells between CPU0 and CPU1',
  create: (ctx) => new ArmSseMhu(ctx),
};
