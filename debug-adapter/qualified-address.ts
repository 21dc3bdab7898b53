// Parses the qualified addresses users type in memory references, instruction breakpoints
// and the REPL: `0x1000`, `s:0x10000400`, `ns:0x00200000`, `cpu1:0x20000000`, `m4:0x1fff8000`,
// `cpu1:ns:0x...`. A core is named by its name, its index (`cpu1`, `core1`, `1`) or an alias.
import { QualifiedAddress, TargetError, type CoreId, type World } from './target';

export interface CoreNaming {
  readonly id: CoreId;
  readonly name: string;
  /** Extra names for the core, e.g. 'm4', 'a9' (from the board or the launch config). */
  readonly aliases?: readonly string[];
}

const WORLDS: Record<string, World> = { s: 'secure', secure: 'secure', ns: 'non-secure', 'non-secure': 'non-secure', nonsecure: 'non-secure' };

function parseNumber(text: string, whole: string): number {
  const t = text.trim();
  let v: number;
  if (/^0x[0-9a-f]+$/i.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^[0-9]+$/.test(t)) v = parseInt(t, 10);
  else throw new TargetError(`'${whole}': '${t}' is not an address; write 0x1234 or a decimal number`);
  if (!Number.isSafeInteger(v) || v > 0xffffffff) throw new TargetError(`'${whole}': address ${t} is beyond 32 bits`);
  return v >>> 0;
}

function findCore(word: string, cores: readonly CoreNaming[]): CoreId | undefined {
  const w = word.toLowerCase();
  for (const c of cores) {
    if (c.name.toLowerCase() === w || c.aliases?.some((a) => a.toLowerCase() === w)) return c.id;
  }
  const m = /^(?:cpu|core)?([0-9]+)$/.exec(w);
  if (m !== null) {
    const id = Number(m[1]);
    if (cores.some((c) => c.id === id)) return id;
  }
  return undefined;
}

/**
 * `[core:][world:]address`. Throws TargetError naming the bad part; an unknown core lists
 * the known ones. An optional `+offset` (DAP memory reference arithmetic) is added.
 */
export function parseQualifiedAddress(text: string, cores: readonly CoreNaming[]): QualifiedAddress {
  const whole = text;
  if (text.length > 200) throw new TargetError(`address '${text.slice(0, 40)}...' is too long`);
  const parts = text.trim().split(':');
  if (parts.length > 3) throw new TargetError(`'${whole}': too many ':' — use [core:][s|ns:]address`);
  let core: CoreId | undefined;
  let world: World | undefined;
  const addrText = parts.pop() as string;
  const coreOrThrow = (raw: string): CoreId => {
    const id = findCore(raw.trim(), cores);
    if (id !== undefined) return id;
    const known = cores.map((c) => [c.name, ...(c.aliases ?? [])].join('/')).join(', ');
    throw new TargetError(`'${whole}': no core '${raw.trim()}' (cores: ${known || 'none'}; worlds: s, ns)`);
  };
  const worldOrThrow = (raw: string): World => {
    const w = WORLDS[raw.trim().toLowerCase()];
    if (w === undefined) throw new TargetError(`'${whole}': '${raw.trim()}' is not a world; use s or ns`);
    return w;
  };
  if (parts.some((p) => p.trim() === '')) throw new TargetError(`'${whole}': empty qualifier before ':'`);
  if (parts.length === 2) {
    core = coreOrThrow(parts[0]);
    world = worldOrThrow(parts[1]);
  } else if (parts.length === 1) {
    // A world name wins over a core alias of the same spelling ('s' is always secure).
    if (WORLDS[parts[0].trim().toLowerCase()] !== undefined) world = worldOrThrow(parts[0]);
    else core = coreOrThrow(parts[0]);
  }
  let address: number;
  const plus = addrText.indexOf('+');
  if (plus >= 0) {
    address = (parseNumber(addrText.slice(0, plus), whole) + parseNumber(addrText.slice(plus + 1), whole)) >>> 0;
  } else {
    address = parseNumber(addrText, whole);
  }
  return { core, world, address };
}

/** The canonical text of a qualified address (what memoryReference strings carry). */
export function formatQualifiedAddress(a: QualifiedAddress, cores: readonly CoreNaming[]): string {
  const hex = `0x${(a.address >>> 0).toString(16).padStart(8, '0')}`;
  const core = a.core === undefined ? '' : `${(cores.find((c) => c.id === a.core)?.name ?? `cpu${a.core}`).toLowerCase()}:`;
  const world = a.world === undefined ? '' : a.world === 'secure' ? 's:' : 'ns:';
  return core + world + hex;
}

/**
 * A function breakpoint's name with optional qualifiers: `s:secure_service`, `ns:main`,
 * `cpu1:ns:main`. `::` belongs to the name (C++/Rust paths); a prefix that is neither a world
 * nor a core is an error naming both lists.
 */
export function parseQualifiedName(text: string, cores: readonly CoreNaming[]): { core?: CoreId; world?: World; name: string } {
  let rest = text.trim();
  let core: CoreId | undefined;
  let world: World | undefined;
  for (let i = 0; i < 2; i++) {
    const m = /^([A-Za-z0-9_.-]+):(?!:)/.exec(rest);
    if (m === null) break;
    const w = WORLDS[m[1].toLowerCase()];
    if (w !== undefined && world === undefined) world = w;
    else if (core === undefined && world === undefined && findCore(m[1], cores) !== undefined) core = findCore(m[1], cores);
    else {
      const known = cores.map((c) => [c.name, ...(c.aliases ?? [])].join('/')).join(', ');
      throw new TargetError(`'${text}': '${m[1]}' is not a world (s, ns) or a core (${known || 'none'}); write [core:][s|ns:]function`);
    }
    rest = rest.slice(m[0].length).trim();
  }
  if (rest === '') throw new TargetError(`'${text}': no function name after the qualifiers`);
  return { ...(core !== undefined ? { core } : {}), ...(world !== undefined ? { world } : {}), name: rest };
}
