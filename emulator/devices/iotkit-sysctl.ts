// SSE-200 system control register block (SSE-200 TRM 101104 §3.6), as QEMU 7.2 models it
// in hw/misc/iotkit-sysctl.c: CPUWAIT releases a waiting CPU, INITSVTOR0/1 set the reset
// vector table of each CPU, SWRESET.SWRESETREQ resets the system; the clock, power and
// wake-up registers read back what was written, as in QEMU.
import type { AccessSize } from '../bus';
import { type DeviceModel, type DeviceType, warnOnce } from './device';
import { readId } from './apb-common';
import { hex32, type SseContext } from './sse-common';

const SECDBGSTAT = 0x000;
const SECDBGSET = 0x004;
const SECDBGCLR = 0x008;
const SCSECCTRL = 0x00c;
const FCLK_DIV = 0x010;
const SYSCLK_DIV = 0x014;
const CLOCK_FORCE = 0x018;
const RESET_SYNDROME = 0x100;
const RESET_MASK = 0x104;
const SWRESET = 0x108;
const GRETREG = 0x10c;
const INITSVTOR0 = 0x110;
const INITSVTOR1 = 0x114;
const CPUWAIT = 0x118;
const NMI_ENABLE = 0x11c;
const WICCTRL = 0x120;
const EWCTRL = 0x124;
const PDCM_PD_SYS_SENSE = 0x200;
const PDCM_PD_SRAM0_SENSE = 0x20c;
const PDCM_PD_SRAM3_SENSE = 0x218;
const ID_FIRST = 0xfd0;
const ID_LAST = 0xffc;

const SWRESETREQ = 1 << 9;
const SYSCTL_IDS = [0x04, 0x00, 0x00, 0x00, 0x54, 0xb8, 0x0b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

/** Registers that simply read back what was written (QEMU models them so). */
const PLAIN = new Set([SCSECCTRL, FCLK_DIV, SYSCLK_DIV, CLOCK_FORCE, RESET_SYNDROME, RESET_MASK, GRETREG,
  NMI_ENABLE, WICCTRL, EWCTRL, PDCM_PD_SYS_SENSE, 0x20c, 0x210, 0x214, PDCM_PD_SRAM3_SENSE]);

export class IotKitSysCtl implements DeviceModel {
  readonly size = 0x1000;
  readonly name: string;
  private readonly regs = new Map<number, number>();
  private secureDebug = 0;
  private initsvtor = [0, 0];
  private cpuwait = 0;
  private readonly cpuwaitReset: number;
  private readonly initsvtorReset: number[];
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: SseContext) {
    this.name = ctx.name;
    const p = ctx.props;
    this.cpuwaitReset = p.u32('arm,cpuwait-reset', 2) ?? 2; // armsse.c sse200 cpuwait_rst: CPU1 waits
    this.initsvtorReset = [p.u32('arm,initsvtor0-reset', 0x10000000) ?? 0x10000000, p.u32('arm,initsvtor1-reset', 0x10000000) ?? 0x10000000];
    this.reset();
  }

  reset(): void {
    this.regs.clear();
    for (const r of PLAIN) this.regs.set(r, 0);
    this.regs.set(RESET_SYNDROME, 1); // power-on reset
    this.regs.set(PDCM_PD_SYS_SENSE, 0x7f);
    this.secureDebug = 0;
    this.initsvtor = [...this.initsvtorReset];
    this.cpuwait = this.cpuwaitReset;
    const cpus = this.ctx.cpus;
    if (cpus !== undefined) {
      for (let i = 0; i < Math.min(2, cpus.count); i++) {
        cpus.setInitialVtor(i, this.initsvtor[i] & ~0x7f);
        cpus.setHeld(i, ((this.cpuwait >>> i) & 1) !== 0);
      }
    }
  }

  /** CPUWAIT bit n: CPU n is held (for a UI and the machine's thread names). */
  isWaiting(cpu: number): boolean { return ((this.cpuwait >>> cpu) & 1) !== 0; }

  read(offset: number, size: AccessSize, _attrs: number): number {
    const off = offset & ~3;
    let r: number;
    if (PLAIN.has(off)) r = this.regs.get(off) ?? 0;
    else {
      switch (off) {
        case SECDBGSTAT: r = this.secureDebug; break;
        case INITSVTOR0: r = this.initsvtor[0]; break;
        case INITSVTOR1: r = this.initsvtor[1]; break;
        case CPUWAIT: r = this.cpuwait; break;
        default:
          if (off >= ID_FIRST && off <= ID_LAST) { r = readId(SYSCTL_IDS, off); break; }
          warnOnce(this.ctx, this.warned, `r${off}`, `${this.name}: read of ${off === SECDBGSET || off === SECDBGCLR || off === SWRESET ? 'write-only' : 'unmodelled'} offset 0x${off.toString(16)} returns 0`);
          r = 0;
      }
    }
    // The block is word-wide; narrower reads take their lanes of the word (QEMU impl size 4).
    return size === 4 ? r >>> 0 : (r >>> ((offset & 3) * 8)) & (size === 2 ? 0xffff : 0xff);
  }

  write(offset: number, size: AccessSize, value: number, _attrs: number): void {
    const off = offset & ~3;
    // Narrower writes are zero-padded to the word, not merged (QEMU impl size 4).
    value = size === 4 ? value >>> 0 : ((value & (size === 2 ? 0xffff : 0xff)) << ((offset & 3) * 8)) >>> 0;
    if (PLAIN.has(off)) { this.regs.set(off, value); return; }
    switch (off) {
      case SECDBGSET: this.secureDebug = (this.secureDebug | value) >>> 0; return;
      case SECDBGCLR: this.secureDebug = (this.secureDebug & ~value) >>> 0; return;
      case SWRESET:
        if (value & SWRESETREQ) this.ctx.requestReset();
        return;
      case INITSVTOR0:
      case INITSVTOR1: {
        const i = off === INITSVTOR0 ? 0 : 1;
        this.initsvtor[i] = value;
        // Takes effect at the CPU's next reset or release, as on QEMU.
        this.ctx.cpus?.setInitialVtor(i, value & ~0x7f);
        return;
      }
      case CPUWAIT: this.writeCpuWait(value); return;
    }
    warnOnce(this.ctx, this.warned, `w${off}`, `${this.name}: write of ${hex32(value)} to ${off >= ID_FIRST && off <= ID_LAST || off === SECDBGSTAT ? 'read-only' : 'unmodelled'} offset 0x${off.toString(16)} ignored`);
  }

  /** A CPU whose CPUWAIT bit goes 1 -> 0 is reset and starts; setting a bit again stops nothing (QEMU cpuwait_write). */
  private writeCpuWait(value: number): void {
    const cpus = this.ctx.cpus;
    for (let i = 0; i < 2; i++) {
      const m = 1 << i;
      if ((this.cpuwait & m) !== 0 && (value & m) === 0) {
        if (cpus === undefined || i >= cpus.count) {
          warnOnce(this.ctx, this.warned, `cpu${i}`, `${this.name}: CPUWAIT releases CPU${i}, but this machine has no such core`);
          continue;
        }
        cpus.resetCore(i);
        cpus.setHeld(i, false);
      }
    }
    this.cpuwait = value;
  }
}

export const iotKitSysCtlType: DeviceType = {
  compatible: ['arm,iotkit-sysctl'],
  description: 'SSE-200 system control registers (QEMU iotkit-sysctl): CPUWAIT, INITSVTOR0/1, SWRESET',
  create: (ctx) => new IotKitSysCtl(ctx),
};
