// MPS2 Serial Communication Controller (MPS2 TRM 100112 §4.2 / AN386 §3.8), as QEMU 7.2
// models it in hw/misc/mps2-scc.c: CFG_REG0-4, the SYS_CFG channel to the board's
// oscillators (function 1 = OSCCLK), DLL lock status and the AID/ID registers.
// ID values come from DT properties (arm,scc-id, arm,scc-aid, arm,scc-cfg4, arm,oscclk).
import type { AccessSize } from '../bus';
import { type DeviceContext, type DeviceModel, type DeviceType, warnOnce } from './device';
import { truncate } from './apb-common';

const CFG0 = 0x00;
const CFG1 = 0x04;
const CFG3 = 0x0c;
const CFG4 = 0x10;
const CFGDATA_RTN = 0xa0;
const CFGDATA_OUT = 0xa4;
const CFGCTRL = 0xa8;
const CFGSTAT = 0xac;
const DLL = 0x100;
const AID = 0xff8;
const ID = 0xffc;

const CFGCTRL_DEVICE = 0xfff;
const CFGCTRL_RES1 = 0xff << 12;
const CFGCTRL_FUNCTION_SHIFT = 20;
const CFGCTRL_RES2 = 0xf << 26;
const CFGCTRL_WRITE = 1 << 30;
const CFGCTRL_START = 1 << 31;
const CFGSTAT_DONE = 1;
const CFGSTAT_ERROR = 2;
const FUNCTION_OSCCLK = 1;

/** QEMU 7.2 mps2.c, an385/an386: OSCCLK0 50 MHz, OSCCLK1 24.576 MHz, OSCCLK2 25 MHz (read back from qemu-system-arm). */
const DEFAULT_OSCCLK = [50_000_000, 24_576_000, 25_000_000];

export class Mps2Scc implements DeviceModel {
  readonly size = 0x1000;
  readonly name: string;
  private readonly id: number;
  private readonly aid: number;
  private readonly cfg4: number;
  private readonly cfg0Reset: number;
  private readonly oscclkReset: number[];
  private oscclk: number[] = [];
  private cfg0 = 0;
  private cfg1 = 0;
  private cfgdataRtn = 0;
  private cfgdataOut = 0;
  private cfgctrl = 0;
  private cfgstat = 0;
  private dll = 0;
  private readonly warned = new Set<string>();

  constructor(private readonly ctx: DeviceContext) {
    this.name = ctx.name;
    const p = ctx.props;
    this.id = p.u32('arm,scc-id', 0) ?? 0;
    this.aid = p.u32('arm,scc-aid', 0) ?? 0;
    this.cfg4 = p.u32('arm,scc-cfg4', 0) ?? 0;
    this.cfg0Reset = p.u32('arm,scc-cfg0', 0) ?? 0;
    this.oscclkReset = p.cells('arm,oscclk') ?? DEFAULT_OSCCLK;
    this.reset();
  }

  reset(): void {
    this.cfg0 = this.cfg0Reset;
    this.cfg1 = 0;
    this.cfgdataRtn = 0;
    this.cfgdataOut = 0;
    this.cfgctrl = 0x100000; // FUNCTION = 1 (OSCCLK)
    this.cfgstat = 0;
    this.dll = 0xffff0001; // all DLLs locked
    this.oscclk = this.oscclkReset.slice();
  }

  /** CFG_REG1 drives the board LEDs (bit n = LEDn). */
  get leds(): number { return this.cfg1; }

  read(offset: number, size: AccessSize, _attrs: number): number {
    let r: number;
    switch (offset) {
      case CFG0: r = this.cfg0; break;
      case CFG1: r = this.cfg1; break;
      case CFG3: r = 0; break; // DIP switches, not modelled (QEMU reads 0)
      case CFG4: r = this.cfg4; break;
      case CFGDATA_RTN: r = this.cfgdataRtn; break;
      case CFGDATA_OUT: r = this.cfgdataOut; break;
      case CFGCTRL: r = this.cfgctrl; break;
      case CFGSTAT: r = this.cfgstat; break;
      case DLL: r = this.dll; break;
      case AID: r = this.aid; break;
      case ID: r = this.id; break;
      default:
        warnOnce(this.ctx, this.warned, `r${offset}`, `${this.name}: read of unmodelled offset 0x${offset.toString(16)} returns 0`);
        r = 0;
    }
    return truncate(r, size);
  }

  write(offset: number, _size: AccessSize, value: number, _attrs: number): void {
    value >>>= 0;
    switch (offset) {
      case CFG0: // bit 0 is the ZBT/block-RAM remap, which QEMU does not implement either
        this.cfg0 = value;
        break;
      case CFG1: this.cfg1 = value; break;
      case CFGDATA_OUT: this.cfgdataOut = value; break;
      case CFGCTRL: this.writeCfgCtrl(value); break;
      case DLL: // only the DLL_LOCK_MASK byte is writable; the DLLs are always locked
        this.dll = ((value & 0xff000000) | (this.dll & 0x00ffffff)) >>> 0;
        break;
      default:
        warnOnce(this.ctx, this.warned, `w${offset}`, `${this.name}: write to unmodelled or read-only offset 0x${offset.toString(16)} ignored`);
    }
  }

  // A write with START performs the SYS_CFG transfer at once and sets DONE (plus ERROR
  // for anything but an existing OSCCLK); any CFGCTRL write first clears CFGSTAT.
  private writeCfgCtrl(value: number): void {
    this.cfgstat = 0;
    this.cfgctrl = (value & ~(CFGCTRL_RES1 | CFGCTRL_RES2 | CFGCTRL_START)) >>> 0;
    if ((value & CFGCTRL_START) === 0) return;
    const device = this.cfgctrl & CFGCTRL_DEVICE;
    const fn = (this.cfgctrl >>> CFGCTRL_FUNCTION_SHIFT) & 0x3f;
    this.cfgstat = CFGSTAT_DONE;
    if (fn !== FUNCTION_OSCCLK || device >= this.oscclk.length) {
      warnOnce(this.ctx, this.warned, `cfg${fn}.${device}`, `${this.name}: SYS_CFG access to function ${fn} device ${device} is not supported (CFGSTAT.ERROR set)`);
      this.cfgstat |= CFGSTAT_ERROR;
      return;
    }
    if (this.cfgctrl & CFGCTRL_WRITE) this.oscclk[device] = this.cfgdataOut;
    else this.cfgdataRtn = this.oscclk[device];
  }
}

export const mps2SccType: DeviceType = {
  compatible: ['arm,mps2-scc'],
  description: 'MPS2 serial communication controller (QEMU mps2-scc): CFG registers, SYS_CFG oscillators, IDs',
  create: (ctx) => new Mps2Scc(ctx),
};
