// The VMSAv7 short-descriptor MMU of the Cortex-A9 (ARM ARM B3.3-B3.7, B3.13): sections,
// supersections, 64 KiB and 4 KiB pages, domains, AP/APX with the access flag, XN, TEX
// remap, the NS bit, and a small direct-mapped TLB tagged by world and ASID. Faults are
// reported precisely through the core's Data/Prefetch Abort entry.
import * as busMod from '../../bus';
import { BusError } from '../../bus';
import type { CortexA9 } from './cpu';
import {
  FS_ACCESS_FLAG_PAGE, FS_ACCESS_FLAG_SECTION, FS_ALIGNMENT, FS_DOMAIN_PAGE, FS_DOMAIN_SECTION, FS_PERMISSION_PAGE,
  FS_PERMISSION_SECTION, FS_TRANSLATION_PAGE, FS_TRANSLATION_SECTION, FS_WALK_EXTERNAL_L1, FS_WALK_EXTERNAL_L2,
} from './modes';

export const ACC_READ = 0, ACC_WRITE = 1, ACC_FETCH = 2;
/** Local copies (an imported binding is a getter per use under tsx). */
const { ATTR_PRIV, ATTR_SECURE } = busMod;

/** Thrown after a translation fault's abort has been taken (the instruction ends there). */
export class MmuFault { }
const MMU_FAULT = new MmuFault();

/** TLB permission bits. */
const P_PRIV_R = 1, P_PRIV_W = 2, P_USER_R = 4, P_USER_W = 8, P_PRIV_X = 16, P_USER_X = 32;
const TLB_SIZE = 256;

/** One walk's result (reused; no allocation on the hot path). */
interface Walk {
  fault: boolean; fs: number; domain: number;
  pa: number; perms: number; ns: boolean; device: boolean; global: boolean; supersection: boolean; section: boolean;
}

export interface ProbeResult { fault: boolean; fsr: number; pa: number; ns: boolean; ss: boolean }

export class Mmu {
  /** SCTLR.M of the current world. */
  enabled = false;
  /** Bus attributes of the last translated access. */
  lastAttrs = 0;
  private world = 1;
  private asid = 0;
  private readonly tag = new Int32Array(TLB_SIZE).fill(-1);
  private readonly tWorld = new Int8Array(TLB_SIZE);
  private readonly tAsid = new Int16Array(TLB_SIZE);
  private readonly tPa = new Int32Array(TLB_SIZE);
  private readonly tPerm = new Uint8Array(TLB_SIZE);
  private readonly tNs = new Uint8Array(TLB_SIZE);
  private readonly tDev = new Uint8Array(TLB_SIZE);
  private readonly w: Walk = { fault: false, fs: 0, domain: 0, pa: 0, perms: 0, ns: false, device: false, global: true, supersection: false, section: false };

  constructor(private readonly cpu: CortexA9) { }

  /** Forget every TLB entry and re-read SCTLR.M, the world and the ASID. */
  flush(): void {
    this.tag.fill(-1);
    this.flushFetch();
  }
  /** Re-read the translation regime (world, ASID, SCTLR.M) and end the run loop's fetch cache. */
  flushFetch(): void {
    const cp = this.cpu.cp15;
    this.world = this.cpu.isSecure() ? 1 : 0;
    this.cpu.secAttr = this.world === 1 ? ATTR_SECURE : 0;
    this.enabled = (cp.sctlrB[this.world] & 1) !== 0;
    this.asid = cp.contextidr[this.world] & 0xff;
    this.cpu.attention = true;
  }

  /** TLBIALL/TLBIMVA/TLBIASID/TLBIMVAA and their IS forms (B4.2.3): op2 selects the kind. */
  tlbMaintenance(op2: number, v: number): void {
    if (op2 === 0) { this.flush(); return; }
    for (let i = 0; i < TLB_SIZE; i++) {
      if (this.tag[i] < 0 || this.tWorld[i] !== this.world) continue;
      if (op2 === 1 && this.tag[i] === (v >>> 12) && (this.tAsid[i] < 0 || this.tAsid[i] === (v & 0xff))) this.tag[i] = -1;
      else if (op2 === 2 && this.tAsid[i] === (v & 0xff)) this.tag[i] = -1;
      else if (op2 === 3 && this.tag[i] === (v >>> 12)) this.tag[i] = -1;
    }
    this.cpu.attention = true;
  }

  /** Translate a data access; on a fault the Data Abort is taken and MmuFault thrown. */
  translate(va: number, size: number, kind: number, priv: boolean): number {
    const vp = va >>> 12;
    const i = vp & (TLB_SIZE - 1);
    const need = kind === ACC_WRITE ? (priv ? P_PRIV_W : P_USER_W) : (priv ? P_PRIV_R : P_USER_R);
    if (this.tag[i] !== vp || this.tWorld[i] !== this.world || (this.tAsid[i] >= 0 && this.tAsid[i] !== this.asid)
      || (this.tPerm[i] & need) === 0) {
      this.fill(va, kind, priv);
    }
    if (this.tDev[i] !== 0 && (va & (size - 1)) !== 0) {
      this.cpu.dataAbort(FS_ALIGNMENT, va, kind === ACC_WRITE, 0, false);
      throw MMU_FAULT;
    }
    this.lastAttrs = (priv ? ATTR_PRIV : 0) | (this.tNs[i] !== 0 ? 0 : ATTR_SECURE);
    return ((this.tPa[i] << 12) | (va & 0xfff)) >>> 0;
  }

  /** Translate an instruction fetch; on a fault the Prefetch Abort is taken and MmuFault thrown. */
  translateFetch(va: number): number {
    const priv = this.cpu.isPrivileged();
    const vp = va >>> 12;
    const i = vp & (TLB_SIZE - 1);
    const need = priv ? P_PRIV_X : P_USER_X;
    if (this.tag[i] !== vp || this.tWorld[i] !== this.world || (this.tAsid[i] >= 0 && this.tAsid[i] !== this.asid)
      || (this.tPerm[i] & need) === 0) {
      this.fill(va, ACC_FETCH, priv);
    }
    return ((this.tPa[i] << 12) | (va & 0xfff)) >>> 0;
  }

  /** Walk, check, and fill the TLB slot of `va`, or take the abort. */
  private fill(va: number, kind: number, priv: boolean): void {
    const w = this.w;
    this.walk(va, this.world === 1);
    const fs = w.fault ? w.fs : this.check(w, kind, priv);
    if (fs !== 0) {
      if (kind === ACC_FETCH) this.cpu.prefetchAbort(fs, va, fs === FS_WALK_EXTERNAL_L1 || fs === FS_WALK_EXTERNAL_L2);
      else this.cpu.dataAbort(fs, va, kind === ACC_WRITE, w.domain, fs === FS_WALK_EXTERNAL_L1 || fs === FS_WALK_EXTERNAL_L2);
      throw MMU_FAULT;
    }
    const i = (va >>> 12) & (TLB_SIZE - 1);
    this.tag[i] = va >>> 12;
    this.tWorld[i] = this.world;
    this.tAsid[i] = w.global ? -1 : this.asid;
    this.tPa[i] = w.pa >>> 12;
    this.tPerm[i] = w.perms;
    this.tNs[i] = w.ns ? 1 : 0;
    this.tDev[i] = w.device ? 1 : 0;
  }

  /** Permission check of a completed walk for one access (B3.7); 0 when allowed, else the fault status. */
  private check(w: Walk, kind: number, priv: boolean): number {
    const need = kind === ACC_WRITE ? (priv ? P_PRIV_W : P_USER_W)
      : kind === ACC_FETCH ? (priv ? P_PRIV_X : P_USER_X) : (priv ? P_PRIV_R : P_USER_R);
    if ((w.perms & need) !== 0) return 0;
    // Distinguish domain, access-flag and permission faults (the walk stored them in perms = 0 and fs).
    return w.fs !== 0 ? w.fs : (w.section ? FS_PERMISSION_SECTION : FS_PERMISSION_PAGE);
  }

  /**
   * The translation table walk (B3.5) for `va` in the given world's regime. Leaves the
   * result in this.w: on success perms are the accesses allowed (0 with fs set when a
   * domain or access-flag fault blocks every access).
   */
  private walk(va: number, secure: boolean): void {
    const cp = this.cpu.cp15;
    const b = secure ? 1 : 0;
    const w = this.w;
    w.fault = false; w.fs = 0; w.domain = 0; w.ns = !secure; w.device = false; w.global = true; w.supersection = false; w.section = false;
    const ttbcr = cp.ttbcr[b];
    const n = ttbcr & 7;
    let l1: number;
    if (n === 0 || (va >>> (32 - n)) === 0) {
      if ((ttbcr & 0x10) !== 0) { w.fault = true; w.fs = FS_TRANSLATION_SECTION; return; }
      const base = cp.ttbr0[b] & (~0 << (14 - n));
      l1 = (base | (((va << n) >>> (n + 20)) << 2)) >>> 0;
    } else {
      if ((ttbcr & 0x20) !== 0) { w.fault = true; w.fs = FS_TRANSLATION_SECTION; return; }
      l1 = ((cp.ttbr1[b] & ~0x3fff) | ((va >>> 20) << 2)) >>> 0;
    }
    const walkAttrs = ATTR_PRIV | (secure ? ATTR_SECURE : 0);
    let d1: number;
    try { d1 = this.cpu.bus.read32(l1, walkAttrs); } catch (e) {
      if (e instanceof BusError) { w.fault = true; w.fs = FS_WALK_EXTERNAL_L1; return; }
      throw e;
    }
    const sctlr = cp.sctlrB[b];
    const tre = (sctlr & (1 << 28)) !== 0, afe = (sctlr & (1 << 29)) !== 0;
    let ap: number, xn: boolean, tex: number, cb: number;
    switch (d1 & 3) {
      case 1: { // page table
        w.domain = (d1 >>> 5) & 0xf;
        if (secure && (d1 & 8) !== 0) w.ns = true;
        const l2 = ((d1 & ~0x3ff) | (((va >>> 12) & 0xff) << 2)) >>> 0;
        let d2: number;
        try { d2 = this.cpu.bus.read32(l2, walkAttrs); } catch (e) {
          if (e instanceof BusError) { w.fault = true; w.fs = FS_WALK_EXTERNAL_L2; return; }
          throw e;
        }
        if ((d2 & 3) === 0) { w.fault = true; w.fs = FS_TRANSLATION_PAGE; return; }
        if ((d2 & 3) === 1) { // 64 KiB large page
          w.pa = ((d2 & 0xffff0000) | (va & 0xffff)) >>> 0;
          xn = (d2 & 0x8000) !== 0; tex = (d2 >>> 12) & 7;
        } else { // 4 KiB small page
          w.pa = ((d2 & 0xfffff000) | (va & 0xfff)) >>> 0;
          xn = (d2 & 1) !== 0; tex = (d2 >>> 6) & 7;
        }
        ap = ((d2 >>> 4) & 3) | ((d2 >>> 7) & 4);
        cb = (d2 >>> 2) & 3;
        w.global = (d2 & 0x800) === 0;
        break;
      }
      case 2: {
        w.section = true;
        if ((d1 & (1 << 18)) !== 0) { // supersection: 16 MiB, domain 0
          w.supersection = true;
          w.pa = ((d1 & 0xff000000) | (va & 0x00ffffff)) >>> 0;
        } else {
          w.domain = (d1 >>> 5) & 0xf;
          w.pa = ((d1 & 0xfff00000) | (va & 0x000fffff)) >>> 0;
        }
        if (secure && (d1 & (1 << 19)) !== 0) w.ns = true;
        ap = ((d1 >>> 10) & 3) | ((d1 >>> 13) & 4);
        xn = (d1 & 0x10) !== 0; tex = (d1 >>> 12) & 7; cb = (d1 >>> 2) & 3;
        w.global = (d1 & (1 << 17)) === 0;
        break;
      }
      default:
        w.fault = true; w.fs = FS_TRANSLATION_SECTION; return;
    }
    // Memory type: Strongly-ordered and Device memory fault unaligned accesses (A3.5.x).
    if (tre) {
      const nIdx = ((tex & 1) << 2) | cb;
      const ty = (cp.prrr[b] >>> (2 * nIdx)) & 3;
      w.device = ty !== 2;
    } else {
      w.device = (tex === 0 && (cb & 2) === 0) || (tex === 2 && cb === 0);
    }
    // Domain (B3.12.3): 00/10 no access, 01 client (AP checked), 11 manager.
    const dom = (cp.dacr[b] >>> (2 * w.domain)) & 3;
    if (dom === 0 || dom === 2) { w.perms = 0; w.fs = w.section ? FS_DOMAIN_SECTION : FS_DOMAIN_PAGE; return; }
    if (dom === 3) { w.perms = 0x3f; return; }
    let perms: number;
    if (afe) {
      // AP[0] is the access flag (B3.7.3); AP[2:1] the simplified permission model.
      if ((ap & 1) === 0) { w.perms = 0; w.fs = w.section ? FS_ACCESS_FLAG_SECTION : FS_ACCESS_FLAG_PAGE; return; }
      switch (ap >>> 1) {
        case 0: perms = P_PRIV_R | P_PRIV_W; break;
        case 1: perms = P_PRIV_R | P_PRIV_W | P_USER_R | P_USER_W; break;
        case 2: perms = P_PRIV_R; break;
        default: perms = P_PRIV_R | P_USER_R; break;
      }
    } else {
      switch (ap) { // B3.7.1, table B3-8
        case 1: perms = P_PRIV_R | P_PRIV_W; break;
        case 2: perms = P_PRIV_R | P_PRIV_W | P_USER_R; break;
        case 3: perms = P_PRIV_R | P_PRIV_W | P_USER_R | P_USER_W; break;
        case 5: perms = P_PRIV_R; break;
        case 6: case 7: perms = P_PRIV_R | P_USER_R; break;
        default: perms = 0; break;
      }
    }
    // Execute permission follows read permission unless XN; fetches from Device memory never execute.
    if (!xn) perms |= ((perms & P_PRIV_R) !== 0 ? P_PRIV_X : 0) | ((perms & P_USER_R) !== 0 ? P_USER_X : 0);
    w.perms = perms;
    w.fs = 0;
  }

  /** ATS1C*: translate without the TLB or side effects; returns PAR's ingredients. */
  probe(va: number, write: boolean, priv: boolean, secure: boolean): ProbeResult {
    const w = this.w;
    this.walk(va, secure);
    const fs = w.fault ? w.fs : this.check(w, write ? ACC_WRITE : ACC_READ, priv);
    return { fault: fs !== 0, fsr: fs, pa: w.pa, ns: w.ns, ss: w.supersection && !w.fault };
  }
}
