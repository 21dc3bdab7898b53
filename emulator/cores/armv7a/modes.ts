// ARMv7-A processor modes and exception vectors (ARM ARM B1.3.1, B1.8.1): the mode
// encodings, which register bank each mode uses, and the names shown in diagnostics.

export const MODE_USR = 0x10, MODE_FIQ = 0x11, MODE_IRQ = 0x12, MODE_SVC = 0x13, MODE_MON = 0x16,
  MODE_ABT = 0x17, MODE_UND = 0x1b, MODE_SYS = 0x1f;

/** Bank indices: usr and sys share bank 0. */
export const BANK_USR = 0, BANK_FIQ = 1, BANK_IRQ = 2, BANK_SVC = 3, BANK_ABT = 4, BANK_UND = 5, BANK_MON = 6;

/** Bank index of a mode, or -1 for an encoding that is not a mode (B1.3.1 table B1-1). */
export function bankOf(mode: number): number {
  switch (mode & 0x1f) {
    case MODE_USR: case MODE_SYS: return BANK_USR;
    case MODE_FIQ: return BANK_FIQ;
    case MODE_IRQ: return BANK_IRQ;
    case MODE_SVC: return BANK_SVC;
    case MODE_ABT: return BANK_ABT;
    case MODE_UND: return BANK_UND;
    case MODE_MON: return BANK_MON;
    default: return -1;
  }
}

export function modeName(mode: number): string {
  switch (mode & 0x1f) {
    case MODE_USR: return 'usr';
    case MODE_FIQ: return 'fiq';
    case MODE_IRQ: return 'irq';
    case MODE_SVC: return 'svc';
    case MODE_MON: return 'mon';
    case MODE_ABT: return 'abt';
    case MODE_UND: return 'und';
    case MODE_SYS: return 'sys';
    default: return `mode 0x${(mode & 0x1f).toString(16)}`;
  }
}

/** Vector offsets (B1.8.1, table B1-3). */
export const VEC_RESET = 0x00, VEC_UNDEF = 0x04, VEC_SVC = 0x08, VEC_PABT = 0x0c, VEC_DABT = 0x10,
  VEC_IRQ = 0x18, VEC_FIQ = 0x1c;

/** Short-descriptor fault status codes FS[4:0] (B3.13.3, table B3-23). */
export const FS_ALIGNMENT = 0x01, FS_DEBUG = 0x02, FS_ACCESS_FLAG_SECTION = 0x03, FS_TRANSLATION_SECTION = 0x05,
  FS_ACCESS_FLAG_PAGE = 0x06, FS_TRANSLATION_PAGE = 0x07, FS_SYNC_EXTERNAL = 0x08, FS_DOMAIN_SECTION = 0x09,
  FS_DOMAIN_PAGE = 0x0b, FS_WALK_EXTERNAL_L1 = 0x0c, FS_PERMISSION_SECTION = 0x0d, FS_WALK_EXTERNAL_L2 = 0x0e,
  FS_PERMISSION_PAGE = 0x0f;

/** A human-readable decoding of a short-descriptor DFSR/IFSR value (for traces and the CLI). */
export function describeFsr(fsr: number): string {
  const fs = (fsr & 0xf) | ((fsr >>> 6) & 0x10);
  const dom = (fsr >>> 4) & 0xf;
  const wnr = (fsr & 0x800) !== 0;
  let what: string;
  switch (fs) {
    case FS_ALIGNMENT: what = 'alignment fault'; break;
    case FS_DEBUG: what = 'debug event'; break;
    case FS_ACCESS_FLAG_SECTION: what = 'access flag fault (section)'; break;
    case FS_ACCESS_FLAG_PAGE: what = 'access flag fault (page)'; break;
    case FS_TRANSLATION_SECTION: what = 'translation fault (section)'; break;
    case FS_TRANSLATION_PAGE: what = 'translation fault (page)'; break;
    case FS_SYNC_EXTERNAL: what = 'synchronous external abort'; break;
    case FS_DOMAIN_SECTION: what = `domain fault (section, domain ${dom})`; break;
    case FS_DOMAIN_PAGE: what = `domain fault (page, domain ${dom})`; break;
    case FS_WALK_EXTERNAL_L1: what = 'external abort on translation table walk (first level)'; break;
    case FS_WALK_EXTERNAL_L2: what = 'external abort on translation table walk (second level)'; break;
    case FS_PERMISSION_SECTION: what = `permission fault (section, domain ${dom})`; break;
    case FS_PERMISSION_PAGE: what = `permission fault (page, domain ${dom})`; break;
    default: what = `fault status 0x${fs.toString(16)}`; break;
  }
  return wnr ? `${what} on write` : what;
}

/** Thrown inside an instruction after the exception it raised has been taken (the instruction ends). */
export class A9Abort { }
export const A9_ABORT = new A9Abort();
