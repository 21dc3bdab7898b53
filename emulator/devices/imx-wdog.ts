// i.MX watchdog (i.MX6DQ reference manual §70 "WDOG"), 16-bit registers as QEMU 7.2's
// imx2.wdt models them: WCR, the WSR service sequence (0x5555 then 0xAAAA), WRSR, the
// WICR pre-timeout interrupt and WMCR. With WCR.WDE set and WT > 0 a time-out of WT/2 s
// counts in virtual time; expiry resets the system, as QEMU's default watchdog action does.
// Where QEMU departs from the reference manual (WCR bits are not write-once, the time-out
// is WT/2 s rather than (WT+1)/2 s, a system reset clears WRSR) this model follows QEMU,
// so that firmware sees the same on both.
import type { AccessSize } from '../bus';
import type { ClockEvent } from '../clock';
import type { DeviceContext, DeviceModel, DeviceType } from './device';
import { truncate } from './apb-common';
import { LevelIrq, unmodelledRead, unmodelledWrite } from './imx-common';

const WCR = 0x00;
const WSR = 0x02;
const WRSR = 0x04;
const WICR = 0x06;
const WMCR = 0x08;

const WCR_WDE = 1 << 2;
const WCR_SRS = 1 << 4;
const WCR_WDA = 1 << 5;
const WICR_WIE = 1 << 15;
const WICR_WTIS = 1 << 14;
const WRSR_SFTW = 1 << 0;
const WRSR_TOUT = 1 << 1;

export class ImxWdog implements DeviceModel {
  readonly size = 0x4000;
  readonly name: string;
  private wcr = 0x0030;
  private wicr = 0x0004;
  private wmcr = 0x0001;
  private wrsr = 0;
  /** Last value written to WSR (QEMU reads it back). */
  private wsr = 0;
  private wicrLocked = false;
  private readonly timeout: ClockEvent;
  private readonly pretimeout: ClockEvent;
  private readonly irq: LevelIrq;
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    this.irq = new LevelIrq(ctx.irq(0));
    this.timeout = ctx.clock.event(() => this.expire());
    this.pretimeout = ctx.clock.event(() => { this.wicr |= WICR_WTIS; this.update(); });
  }

  reset(): void {
    this.wcr = 0x0030;
    this.wsr = 0;
    this.wicr = 0x0004;
    this.wmcr = 0x0001;
    this.wrsr = 0; // QEMU 7.2 clears TOUT and SFTW on reset, so the cause does not survive
    this.wicrLocked = false;
    this.ctx.clock.cancel(this.timeout);
    this.ctx.clock.cancel(this.pretimeout);
    this.update();
  }

  private reg16(offset: number): number {
    switch (offset) {
      case WCR: return this.wcr;
      case WSR: return this.wsr;
      case WRSR: return this.wrsr;
      case WICR: return this.wicr;
      case WMCR: return this.wmcr;
      default: return unmodelledRead(this.ctx, this.warned, offset);
    }
  }

  read(offset: number, size: AccessSize, _attrs: number): number {
    const base = offset & ~1;
    const v = size === 4 ? this.reg16(base) | (this.reg16(base + 2) << 16) : this.reg16(base);
    return truncate(v >>> ((offset & 1) * 8), size);
  }

  write(offset: number, size: AccessSize, value: number, _attrs: number): void {
    if (size === 4) {
      this.write16(offset & ~1, value & 0xffff);
      this.write16((offset & ~1) + 2, (value >>> 16) & 0xffff);
      return;
    }
    this.write16(offset & ~1, size === 1 ? (value & 0xff) << ((offset & 1) * 8) : value & 0xffff);
  }

  private write16(offset: number, v: number): void {
    switch (offset) {
      case WCR:
        this.wcr = v | WCR_SRS;
        if ((v & WCR_SRS) === 0) this.wrsr = WRSR_SFTW;
        // Clearing both SRS and WDA, or enabling with WT = 0, resets the system at once
        // (QEMU 7.2 imx2_wdt_write); otherwise writing WCR restarts the time-out.
        if ((v & (WCR_SRS | WCR_WDA)) === 0 || ((v & 0xff00) === 0 && (v & WCR_WDE) !== 0)) {
          this.ctx.requestReset();
          return;
        }
        this.service();
        return;
      case WSR:
        // The counter reloads after 0x5555 followed by 0xAAAA.
        if (this.wsr === 0x5555 && v === 0xaaaa) this.service();
        this.wsr = v;
        return;
      case WRSR: return; // read-only
      case WICR:
        // WIE and WICT are write-once (reference manual §70.7.4; QEMU 7.2 ignores later writes).
        if (!this.wicrLocked) {
          this.wicr = (this.wicr & ~(WICR_WIE | 0xff)) | (v & (WICR_WIE | 0xff));
          this.wicrLocked = true;
        }
        if ((v & WICR_WTIS) !== 0) this.wicr &= ~WICR_WTIS; // write 1 to clear
        this.update();
        return;
      case WMCR: this.wmcr = v & 1; return;
      default:
        unmodelledWrite(this.ctx, this.warned, offset);
    }
  }

  /** Reload the time-out counter: WT half seconds, the pre-timeout WICT half seconds earlier. */
  private service(): void {
    const clock = this.ctx.clock;
    const wt = (this.wcr >>> 8) & 0xff;
    if ((this.wcr & WCR_WDE) === 0 || wt === 0) { clock.cancel(this.timeout); clock.cancel(this.pretimeout); return; }
    const half = clock.hz / 2;
    const at = clock.now + wt * half;
    clock.schedule(this.timeout, at);
    const pre = (this.wicr & 0xff) * half;
    if ((this.wicr & WICR_WIE) !== 0 && pre > 0 && at - pre > clock.now) clock.schedule(this.pretimeout, at - pre);
    else clock.cancel(this.pretimeout);
  }

  private expire(): void {
    this.wrsr = WRSR_TOUT;
    if ((this.wcr & WCR_WDE) === 0) return;
    this.ctx.warn('watchdog time-out: resetting the system (WRSR.TOUT)');
    this.ctx.requestReset();
  }

  private update(): void {
    this.irq.set((this.wicr & (WICR_WIE | WICR_WTIS)) === (WICR_WIE | WICR_WTIS));
  }
}

export const imxWdogType: DeviceType = {
  compatible: ['fsl,imx6q-wdt', 'fsl,imx21-wdt'],
  description: 'NXP i.MX watchdog (QEMU imx2.wdt): WCR/WSR service sequence/WRSR/WICR/WMCR; time-out resets the system',
  create: (ctx) => new ImxWdog(ctx),
};
