// The ARMv8-M Security Extension's attribution unit and the core-side checks built on it
// (ARM ARM DDI0553 B.a: SAU registers D1.2.x, SecurityCheck() and TTResp() pseudocode,
// SG/BXNS/BLXNS/FunctionReturn). installSecurity() attaches it to a CortexM; a core
// without it (every v7-M core) never loads or pays for any of this.
import {
  ABORT, CFSR_INVPC, CFSR_STKOF, type CortexM, type SecurityHooks,
  SEC_PG_EXEMPT, SEC_PG_MIXED, SEC_PG_NS, SEC_PG_NSC, SEC_PG_S, SEC_PG_UNKNOWN,
} from './cpu';
import { ATTR_PRIV, ATTR_SECURE, PAGE_SHIFT } from '../../bus';

/** SFSR bits (DDI0553 D1.2.xx SFSR). */
export const SFSR_INVEP = 1 << 0, SFSR_INVIS = 1 << 1, SFSR_INVER = 1 << 2, SFSR_AUVIOL = 1 << 3,
  SFSR_INVTRAN = 1 << 4, SFSR_LSPERR = 1 << 5, SFSR_SFARVALID = 1 << 6, SFSR_LSERR = 1 << 7;

/** FNC_RETURN, the LR value BLXNS leaves for the non-secure callee. */
export const FNC_RETURN = 0xfeffffff;
/** The SG encoding (hw1 == hw2 == 0xE97F). */
export const SG_WORD = 0xe97fe97f;

/** What an IDAU says about an address (the IDAUCheck() outputs of the pseudocode). */
export interface IdauResult { secure: boolean; nsc: boolean; exempt: boolean; region: number; regionValid: boolean }
/**
 * Implementation Defined Attribution Unit, supplied by the board. Its answers must be
 * uniform within each 4 KiB page (the attribution cache works per page); AN521's
 * bit-28 split is. With no IDAU the SAU alone decides (reset: SAU off, ALLNS=0, all Secure).
 */
export interface Idau {
  lookup(addr: number): IdauResult;
  /** Optional: register a listener the IDAU calls after its answers change (e.g. an NSCCFG write). */
  onChange?(listener: () => void): void;
}

/** The MPU answer TT needs; implemented by the system (T1b) as CoreSystem.mpuRegionFor. */
export interface MpuRegionInfo { region: number; valid: boolean; r: boolean; rw: boolean; nr?: boolean; nrw?: boolean }

/** SecurityCheck() result. */
export interface SAttributes {
  ns: boolean; nsc: boolean;
  sregion: number; srvalid: boolean;
  iregion: number; irvalid: boolean;
  /** Exempt from attribution (PPB ranges, IDAU exempt): the access takes the requester's state. */
  exempt: boolean;
}

/** Per-page attribution codes kept in the cache (defined in cpu.ts, whose data path reads them). */
const PG_UNKNOWN = SEC_PG_UNKNOWN, PG_NS = SEC_PG_NS, PG_S = SEC_PG_S, PG_NSC = SEC_PG_NSC, PG_EXEMPT = SEC_PG_EXEMPT, PG_MIXED = SEC_PG_MIXED;

/**
 * Exempt address ranges of SecurityCheck() (DDI0553 B8.x, "SAU/IDAU exemptions"): ITM/DWT/FPB,
 * the SCS and its non-secure alias, TPIU/ETM, the ROM table. All are 4 KiB aligned.
 */
function sauExempt(a: number): boolean {
  return (a >= 0xe0000000 && a <= 0xe0002fff) || (a >= 0xe000e000 && a <= 0xe000efff) ||
    (a >= 0xe002e000 && a <= 0xe002efff) || (a >= 0xe0040000 && a <= 0xe0041fff) ||
    (a >= 0xe00ff000 && a <= 0xe00fffff);
}

/**
 * The SAU: CTRL, TYPE, RNR and the per-region RBAR/RLAR (DDI0553 D1.2: SAU_CTRL ENABLE/ALLNS,
 * SAU_RBAR BADDR[31:5], SAU_RLAR LADDR[31:5] NSC[1] ENABLE[0]), plus the attribution cache.
 * The SCS decodes 0xE000EDD0..0xE000EDE0 onto the read/write methods below.
 */
export class Sau {
  ctrl = 0;
  rnr = 0;
  readonly rbar: Uint32Array;
  readonly rlar: Uint32Array;
  /** The board's IDAU; set it with setIdau() so that the attribution cache follows its changes. */
  idau: Idau | null;
  /**
   * Attribution per 4 KiB page; PG_UNKNOWN until first looked up (then pageCode fills it).
   * The array itself never changes, so the core's data path can read it directly.
   */
  readonly cache = new Uint8Array(1 << (32 - PAGE_SHIFT));
  /**
   * Called after every invalidation. installSecurity() sets it to raise the core's attention,
   * so that its fast loop drops the page it has proved fetchable and compiled blocks stop
   * at the instruction that changed the attribution.
   */
  onInvalidate: (() => void) | null = null;

  constructor(readonly regions = 8, idau: Idau | null = null) {
    if (regions < 0 || regions > 255) throw new Error(`SAU: ${regions} regions is out of range (0..255)`);
    this.rbar = new Uint32Array(regions);
    this.rlar = new Uint32Array(regions);
    this.idau = null;
    this.setIdau(idau);
  }

  /** Attach the board's IDAU; cached attribution is dropped now and whenever the IDAU reports a change. */
  setIdau(idau: Idau | null): void {
    this.idau = idau;
    if (idau !== null && idau.onChange !== undefined) idau.onChange(() => this.invalidate());
    this.invalidate();
  }

  /** Reset values: SAU disabled with ALLNS=0 (everything Secure), all regions disabled. */
  reset(): void {
    this.ctrl = 0; this.rnr = 0;
    this.rbar.fill(0); this.rlar.fill(0);
    this.invalidate();
  }

  /** Forget cached attribution (after any SAU write, or when the board changes its IDAU). */
  invalidate(): void {
    this.cache.fill(PG_UNKNOWN);
    if (this.onInvalidate !== null) this.onInvalidate();
  }

  readCtrl(): number { return this.ctrl & 3; }
  writeCtrl(v: number): void { this.ctrl = v & 3; this.invalidate(); }
  readType(): number { return this.regions & 0xff; }
  readRnr(): number { return this.rnr; }
  /** RNR values beyond the implemented regions are UNPREDICTABLE; we keep them and ignore region accesses. */
  writeRnr(v: number): void { this.rnr = v & 0xff; }
  readRbar(): number { return this.rnr < this.regions ? this.rbar[this.rnr] : 0; }
  writeRbar(v: number): void { if (this.rnr < this.regions) { this.rbar[this.rnr] = v & ~0x1f; this.invalidate(); } }
  readRlar(): number { return this.rnr < this.regions ? this.rlar[this.rnr] : 0; }
  writeRlar(v: number): void { if (this.rnr < this.regions) { this.rlar[this.rnr] = v & ~0x1c; this.invalidate(); } }

  /** SecurityCheck(address, isinstrfetch, isSecure) (DDI0553 pseudocode, B-profile chapter "Security attribution"). */
  check(addr: number, isInstrFetch: boolean, isSecure: boolean): SAttributes {
    const a = addr >>> 0;
    const res: SAttributes = { ns: false, nsc: false, sregion: 0, srvalid: false, iregion: 0, irvalid: false, exempt: false };
    // Without an IDAU nothing is imposed from outside: the SAU alone decides (its reset state is all Secure).
    let idauNs = true, idauNsc = false, idauExempt = false, idauRegion = -1;
    if (this.idau !== null) {
      const i = this.idau.lookup(a);
      idauNs = !i.secure; idauNsc = i.nsc; idauExempt = i.exempt;
      if (i.regionValid) idauRegion = i.region & 0xff;
    }
    if (idauExempt || (isInstrFetch && a >= 0xe0000000) || sauExempt(a)) {
      // Exempt addresses report neither an SAU nor an IDAU region.
      res.exempt = true;
      res.ns = !isSecure;
      return res;
    }
    if (idauRegion >= 0) { res.iregion = idauRegion; res.irvalid = true; }
    if ((this.ctrl & 1) === 0) {
      res.ns = (this.ctrl & 2) !== 0; // ALLNS
    } else {
      let hits = 0;
      for (let r = 0; r < this.regions; r++) {
        const lar = this.rlar[r];
        if ((lar & 1) === 0) continue;
        const base = this.rbar[r] & ~0x1f, limit = (lar | 0x1f) >>> 0;
        if (a >= base >>> 0 && a <= limit) {
          hits++;
          if (hits === 1) { res.sregion = r; res.srvalid = true; res.nsc = (lar & 2) !== 0; res.ns = (lar & 2) === 0; }
        }
      }
      // An address in several SAU regions is Secure (not NSC) and reports no region.
      if (hits > 1) { res.ns = false; res.nsc = false; res.sregion = 0; res.srvalid = false; }
    }
    // The IDAU and the SAU combine with the more secure answer winning.
    if (!idauNs && (res.ns || (!idauNsc && res.nsc))) { res.ns = false; res.nsc = idauNsc; }
    return res;
  }

  /** Cached attribution code for a data access or fetch below the system region. */
  pageCode(addr: number): number {
    const c = this.cache;
    const p = (addr >>> PAGE_SHIFT);
    let code = c[p];
    if (code === PG_UNKNOWN) code = c[p] = this.computePage(p);
    return code;
  }

  private computePage(p: number): number {
    const base = (p << PAGE_SHIFT) >>> 0, last = (base + (1 << PAGE_SHIFT) - 1) >>> 0;
    if ((this.ctrl & 1) !== 0) {
      // A region edge strictly inside the page makes it mixed: look those addresses up one by one.
      for (let r = 0; r < this.regions; r++) {
        if ((this.rlar[r] & 1) === 0) continue;
        const b = this.rbar[r] >>> 0, l = (this.rlar[r] | 0x1f) >>> 0;
        if ((b > base && b <= last) || (l >= base && l < last)) return PG_MIXED;
      }
    }
    const s = this.check(base, false, true);
    return s.exempt ? PG_EXEMPT : s.ns ? PG_NS : s.nsc ? PG_NSC : PG_S;
  }

  /** Attribution of one address as a page code (resolving mixed pages). */
  codeAt(addr: number): number {
    const code = this.pageCode(addr);
    if (code !== PG_MIXED) return code;
    const s = this.check(addr, false, true);
    return s.exempt ? PG_EXEMPT : s.ns ? PG_NS : s.nsc ? PG_NSC : PG_S;
  }
}

// ---------------------------------------------------------------- TT

/** TT_RESP fields (DDI0553 TT, TTT, TTA, TTAT). */
export const TT_MRVALID = 1 << 16, TT_SRVALID = 1 << 17, TT_R = 1 << 18, TT_RW = 1 << 19,
  TT_NSR = 1 << 20, TT_NSRW = 1 << 21, TT_S = 1 << 22, TT_IRVALID = 1 << 23;

/**
 * TTResp(address, alt, forceunpriv): the security attribution is reported only to Secure
 * callers; the MPU region only to privileged callers or with A (the other state's MPU).
 */
export function ttResponse(cpu: CortexM, addr: number, alt: boolean, forceUnpriv: boolean): number {
  let resp = 0;
  let addrSecure = false;
  const isSecure = cpu.secure;
  const sau = cpu.security instanceof SecurityUnit ? cpu.security.sau : null;
  if (isSecure && sau !== null) {
    const s = sau.check(addr, false, true);
    if (s.srvalid) resp |= TT_SRVALID | (s.sregion << 8);
    if (s.irvalid) resp |= TT_IRVALID | (s.iregion << 24);
    addrSecure = !s.ns;
    if (addrSecure) resp |= TT_S;
  }
  const curPriv = cpu.isPrivileged();
  if (curPriv || alt) {
    const mpuSecure = alt ? !isSecure : isSecure;
    let priv: boolean;
    if (forceUnpriv) priv = false;
    else if (alt) priv = cpu.handlerMode() || (cpu.other.control & 1) === 0;
    else priv = curPriv;
    const m = cpu.system.mpuRegionFor?.(addr >>> 0, mpuSecure, priv) ?? { region: 0, valid: false, r: true, rw: true };
    if (m.valid) resp |= TT_MRVALID | (m.region & 0xff);
    if (m.r) resp |= TT_R;
    if (m.rw) resp |= TT_RW;
    if (isSecure && !addrSecure) {
      if (m.r) resp |= TT_NSR;
      if (m.rw) resp |= TT_NSRW;
    }
  }
  return resp >>> 0;
}

// ---------------------------------------------------------------- core-side behaviour

/** Emit a world-switch trace event (one compare when nobody listens). */
function traceSwitch(cpu: CortexM, how: 'sg' | 'bxns' | 'blxns' | 'fnc-return', fromSecure: boolean, toPc: number): void {
  if (cpu.trace === null) return;
  cpu.trace.emit({
    kind: 'world-switch', core: cpu.coreIndex, how,
    from: fromSecure ? 'secure' : 'non-secure', to: cpu.secure ? 'secure' : 'non-secure',
    insnAddr: cpu.curPc >>> 0, fromPc: cpu.curPc >>> 0, toPc: toPc >>> 0, cycle: cpu.clock.now,
  });
}

/** The stack limit of the active stack (MSPLIM/PSPLIM of the current state). */
export function activeSpLimit(cpu: CortexM): number {
  return (cpu.usingPsp() ? cpu.psplim : cpu.msplim) >>> 0;
}

class SecurityUnit implements SecurityHooks {
  readonly pageCodes: Uint8Array;
  constructor(readonly sau: Sau) { this.pageCodes = sau.cache; }

  fetchCheck(cpu: CortexM, pc: number): boolean {
    if ((pc >>> 0) >= 0xe0000000) return true; // the system region is XN: decode raises IACCVIOL
    const code = this.sau.codeAt(pc);
    if (cpu.secure) {
      if (code !== PG_NS) return true;
      // Secure state reaching Non-secure memory other than through BXNS/BLXNS.
      cpu.curPc = pc;
      cpu.secureFault(SFSR_INVTRAN, 0);
      return false;
    }
    if (code === PG_NS || code === PG_EXEMPT) return true;
    // Non-secure state entering Secure memory: only an SG at an NSC address is an entry point.
    if (code === PG_NSC && cpu.bus.isMemory(pc) && cpu.bus.isMemory(pc + 2) &&
        cpu.bus.read16(pc) === 0xe97f && cpu.bus.read16(pc + 2) === 0xe97f) return true;
    cpu.curPc = pc;
    cpu.secureFault(SFSR_INVEP, 0);
    return false;
  }

  fetchPageAllowed(cpu: CortexM, pc: number): boolean {
    if ((pc >>> 0) >= 0xe0000000) return true; // as fetchCheck: decode raises the XN fault
    const code = this.sau.pageCode(pc);
    // Mixed pages are decided per address; NSC pages in Non-secure state only at an SG.
    return cpu.secure ? code !== PG_NS && code !== PG_MIXED : code === PG_NS || code === PG_EXEMPT;
  }

  dataAttrs(cpu: CortexM, addr: number, priv: boolean): number {
    const code = this.sau.codeAt(addr);
    const at = priv ? ATTR_PRIV : 0;
    if (code === PG_EXEMPT) return cpu.secure ? at | ATTR_SECURE : at;
    if (code === PG_NS) return at; // a Secure access to Non-secure memory is a Non-secure bus access
    if (!cpu.secure) {
      cpu.secureFault(SFSR_AUVIOL | SFSR_SFARVALID, addr);
      throw ABORT;
    }
    return at | ATTR_SECURE;
  }

  /**
   * FunctionReturn(): pop the return address and partial xPSR that BLXNS pushed on the
   * Secure stack of the current mode, check the IPSR consistency, go back to Secure.
   */
  functionReturn(cpu: CortexM): void {
    const handler = cpu.handlerMode();
    const wasSecure = cpu.secure;
    // The Secure stack of the current mode, read before switching state.
    const sCtrl = wasSecure ? cpu.control : cpu.other.control;
    const usePsp = !handler && (sCtrl & 2) !== 0;
    let frame: number;
    if (wasSecure) frame = usePsp ? cpu.getPsp() : cpu.getMsp();
    else frame = usePsp ? cpu.other.psp : cpu.other.msp;
    frame >>>= 0;
    if ((frame & 7) !== 0) { /* UNPREDICTABLE; we take the frame as it is */ }
    const attrs = ATTR_SECURE | (handler || (sCtrl & 1) === 0 ? ATTR_PRIV : 0);
    const newPc = cpu.bus.read32(frame, attrs) >>> 0;
    const newPsr = cpu.bus.read32(frame + 4, attrs) >>> 0;
    const exc = newPsr & 0x1ff;
    if (!((cpu.ipsr === 0 && exc === 0) || (cpu.ipsr === 1 && exc !== 0))) {
      cpu.abort(CFSR_INVPC, 0);
    }
    cpu.setSecurityState(true);
    if (usePsp) cpu.setPsp((frame + 8) | 0); else cpu.setMsp((frame + 8) | 0);
    if (cpu.ipsr !== exc) cpu.switchStack(exc, cpu.control);
    // SFPA comes back from the frame (bit 20 of the partial xPSR).
    cpu.control = (cpu.control & ~8) | ((newPsr >>> 20) & 1 ? 8 : 0);
    cpu.itstate = 0;
    cpu.tbit = newPc & 1;
    if (cpu.tbit === 0) cpu.attention = true;
    cpu.pc = newPc & ~1;
    cpu.attention = true;
    traceSwitch(cpu, 'fnc-return', wasSecure, cpu.pc);
  }
}

/**
 * Attach the Security Extension to a v8-M core: from now on fetches and data accesses are
 * attributed, SG/BXNS/BLXNS work and FNC_RETURN is recognised. Returns the SAU for the SCS.
 */
export function installSecurity(cpu: CortexM, sau: Sau = new Sau(8)): Sau {
  cpu.arch = 'v8m';
  cpu.hasSecurity = true;
  cpu.security = new SecurityUnit(sau);
  sau.onInvalidate = () => { cpu.attention = true; };
  return sau;
}

// ---------------------------------------------------------------- instructions' helpers

/** SG (DDI0553 SG): from Non-secure state (the fetch check already proved NSC + SG), enter Secure. */
export function execSg(cpu: CortexM): void {
  // A NOP in Secure state, without the extension, and when the SG itself sits in Non-secure memory.
  if (!(cpu.security instanceof SecurityUnit) || cpu.secure) return;
  if (cpu.security.sau.codeAt(cpu.curPc) !== PG_NSC) return;
  cpu.r[14] &= ~1;
  cpu.setSecurityState(true);
  cpu.control &= ~8; // CONTROL_S.SFPA: no Secure FP context yet
  cpu.itstate = 0;
  traceSwitch(cpu, 'sg', false, cpu.pc);
}

/** BXNS: branch, and go Non-secure when bit 0 of the target is 0 (magic values return). */
export function execBxns(cpu: CortexM, target: number): void {
  if (cpu.security === null || !cpu.secure) cpu.undefinedInstruction();
  const t = target >>> 0;
  if ((t >>> 24) === 0xff && cpu.handlerMode()) { cpu.bxWritePC(t); return; }
  if ((t >>> 1) === (FNC_RETURN >>> 1)) { cpu.bxWritePC(t); return; }
  if ((t & 1) === 0) {
    cpu.control &= ~8; // SFPA
    cpu.setSecurityState(false);
    cpu.pc = t;
    traceSwitch(cpu, 'bxns', true, t);
  } else {
    cpu.pc = t & ~1;
  }
}

/** BLXNS: call; to Non-secure the return address and partial xPSR go on the Secure stack. */
export function execBlxns(cpu: CortexM, target: number): void {
  if (cpu.security === null || !cpu.secure) cpu.undefinedInstruction();
  const next = (cpu.pc | 1) >>> 0;
  const t = target >>> 0;
  if ((t & 1) !== 0) { cpu.r[14] = next; cpu.pc = t & ~1; return; }
  const sp = (cpu.r[13] - 8) | 0;
  if ((sp >>> 0) < activeSpLimit(cpu)) cpu.abort(CFSR_STKOF, 0);
  const psr = (cpu.ipsr & 0x1ff) | ((cpu.control & 8) !== 0 ? 1 << 20 : 0);
  cpu.write32Aligned(sp, next);
  cpu.write32Aligned(sp + 4, psr);
  cpu.r[13] = sp;
  cpu.r[14] = FNC_RETURN | 0;
  if (cpu.handlerMode()) cpu.switchStack(1, cpu.control); // hide the Secure exception number
  cpu.control &= ~8;
  cpu.setSecurityState(false);
  cpu.pc = t;
  traceSwitch(cpu, 'blxns', true, t);
}

/** The page attribution codes of Sau.codeAt(), for tests and diagnostics. */
export const PAGE_CODES = { PG_NS, PG_S, PG_NSC, PG_EXEMPT, PG_MIXED } as const;
