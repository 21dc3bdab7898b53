// SSE-200 system information block (SSE-200 TRM 101104 §3.7) and the per-CPU
// CPU_IDENTITY block, as QEMU 7.2 models them in hw/misc/iotkit-sysinfo.c and
// hw/misc/armsse-cpuid.c: read-only ID values taken from DT properties.
import type { AccessSize } from '../bus';
import { type DeviceContext, type DeviceModel, type DeviceType, warnOnce } from './device';
import { readId } from './apb-common';

const ID_FIRST = 0xfd0;
const ID_LAST = 0xffc;
const SYSINFO_IDS = [0x04, 0x00, 0x00, 0x00, 0x58, 0xb8, 0x0b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];
const CPUID_IDS = SYSINFO_IDS; // armsse-cpuid reports the same PID/CID bytes (read from QEMU 7.2)

/** A 4 KiB frame of read-only words at fixed offsets, plus the PID/CID block. Writes are ignored. */
class IdBlock implements DeviceModel {
  readonly size = 0x1000;
  readonly name: string;
  private readonly warned = new Set<string>();
  constructor(private readonly ctx: DeviceContext, private readonly words: ReadonlyMap<number, number>, private readonly ids: readonly number[]) {
    this.name = ctx.name;
  }
  read(offset: number, size: AccessSize, _attrs: number): number {
    const off = offset & ~3;
    let r = this.words.get(off);
    if (r === undefined) r = off >= ID_FIRST && off <= ID_LAST ? readId(this.ids, off) : 0;
    return size === 4 ? r >>> 0 : (r >>> ((offset & 3) * 8)) & (size === 2 ? 0xffff : 0xff);
  }
  write(offset: number, _size: AccessSize, _value: number, _attrs: number): void {
    warnOnce(this.ctx, this.warned, `w${offset & ~3}`, `${this.name}: write to read-only offset 0x${(offset & ~3).toString(16)} ignored`);
  }
}

/** SYS_VERSION at 0x0 and SYS_CONFIG at 0x4 (armsse.c: 0x22041743 and 0x223004f4 for the SSE-200). */
export function iotKitSysInfo(ctx: DeviceContext): DeviceModel {
  return new IdBlock(ctx, new Map([
    [0x0, ctx.props.u32('arm,sys-version', 0x22041743) ?? 0],
    [0x4, ctx.props.u32('arm,sys-config', 0x223004f4) ?? 0],
  ]), SYSINFO_IDS);
}

/** CPUID at 0x0: the number of the CPU that reads it. */
export function armSseCpuId(ctx: DeviceContext): DeviceModel {
  return new IdBlock(ctx, new Map([[0x0, ctx.props.u32('arm,cpuid', 0) ?? 0]]), CPUID_IDS);
}

export const iotKitSysInfoType: DeviceType = {
  compatible: ['arm,iotkit-sysinfo'],
  description: 'SSE-200 system information (QEMU iotkit-sysinfo): SYS_VERSION, SYS_CONFIG',
  create: iotKitSysInfo,
};

export const armSseCpuIdType: DeviceType = {
  compatible: ['arm,armsse-cpuid'],
  description: 'SSE-200 per-CPU identity block (QEMU armsse-cpuid): CPUID',
  create: armSseCpuId,
};
