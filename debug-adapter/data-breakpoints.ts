// Data breakpoints (watchpoints) for the session: what can be watched (a local in memory, a
// global, an address), the opaque dataId DAP round-trips between dataBreakpointInfo and
// setDataBreakpoints, and the user-facing text of a watch hit.
import type { DebugInfo } from '../dwarf';
import type { FrameModel } from './stack';
import type { CoreId, WatchAccess, WatchHit, World } from './target';
import { globalSymbol } from './breakpoint-rules';

/** A resolved watch target. */
export interface DataTarget {
  core?: CoreId;
  world?: World;
  address: number;
  size: number;
  /** What the user asked to watch, for messages ('systick_count', '0x20000000'). */
  label: string;
}

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
/** The DWT compares up to 4 bytes per comparator on real parts; we allow up to a small struct. */
const MAX_WATCH = 4096;

/** dataId: 'core|world|address|size|label' (core and world may be empty). */
export function encodeDataId(t: DataTarget): string {
  return [t.core ?? '', t.world ?? '', t.address >>> 0, t.size, t.label].join('|');
}

export function decodeDataId(id: string): DataTarget {
  const [core, world, address, size, ...label] = id.split('|');
  const a = Number(address), n = Number(size);
  if (!Number.isInteger(a) || a < 0 || a > 0xffffffff || !Number.isInteger(n) || n < 1 || n > MAX_WATCH) {
    throw new Error(`data breakpoint id '${id}' is malformed: ask dataBreakpointInfo for a new one`);
  }
  if (world !== '' && world !== 'secure' && world !== 'non-secure') throw new Error(`data breakpoint id '${id}': unknown world '${world}'`);
  return {
    ...(core !== '' && core !== undefined ? { core: Number(core) } : {}),
    ...(world !== '' ? { world: world as World } : {}),
    address: a, size: n, label: label.join('|'),
  };
}

/** A local of `frame` that lives in memory: its address and size, or why it cannot be watched. */
export function localTarget(frame: FrameModel, name: string, read: (a: number, n: number) => Uint8Array | undefined): DataTarget | string {
  const info = frame.info;
  if (info === undefined || frame.exception !== undefined) return `no debug info for this frame: '${name}' cannot be watched`;
  const pc = frame.lookupPc;
  const readReg = (r: number) => { const v = frame.regs.get(r); return v === undefined ? undefined : BigInt(v >>> 0); };
  const readMem = (a: bigint, n: number) => (a < 0n || a > 0xffffffffn ? undefined : read(Number(a), n));
  for (const s of info.scopesAt(pc)) {
    const v = s.variables.find((x) => x.name === name);
    if (v === undefined) continue;
    const val = info.scopes.evaluateVariable(v, pc, { readReg, readMem, cfa: () => info.cfaAt(pc, readReg, readMem) });
    const loc = val.location;
    if (loc === undefined || loc.kind !== 'memory') {
      const where = loc?.kind === 'register' ? `in register r${loc.reg}` : loc?.kind === 'optimized-out' ? 'optimized out' : `a ${loc?.kind ?? 'missing'} location`;
      return `'${name}' is ${where} here, not in memory: it cannot be watched (watch a global or an address instead)`;
    }
    const size = val.type?.size ?? val.bytes?.length ?? 4;
    return { address: Number(loc.addr), size: Math.max(1, Math.min(size, MAX_WATCH)), label: name };
  }
  return `no variable '${name}' in this frame`;
}

/** A global (data symbol) of any image, with the core and world the image is bound to. */
export function globalTarget(images: readonly { info: DebugInfo; core: CoreId; world?: World }[], name: string): DataTarget | undefined {
  for (const img of images) {
    const g = globalSymbol(img.info, name);
    if (g === undefined) continue;
    return { core: img.core, ...(img.world ? { world: img.world } : {}), address: g.value, size: Math.max(1, Math.min(g.size || 4, MAX_WATCH)), label: name };
  }
  return undefined;
}

/** Stop description of a watch hit: `systick_count: write 0x00000003 (4 bytes at 0x20000010)`. */
export function describeWatchHit(hit: WatchHit, label: string | undefined): string {
  const what = hit.access === 'write' ? `write ${hex(hit.value)}` : `read ${hex(hit.value)}`;
  return `${label ?? hex(hit.address)}: ${what} (${hit.size} byte(s) at ${hex(hit.address)})`;
}

export function accessOf(a: string | undefined): WatchAccess {
  if (a === 'read' || a === 'readWrite') return a;
  return 'write';
}
