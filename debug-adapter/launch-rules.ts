// The `tandem` launch-argument rules, free of node, vscode and DAP imports, so the adapter
// (launch-config.ts) and the extension's DebugConfigurationProvider check a launch.json with the
// very same code. File-system and path questions go through a small host the caller supplies.

/** One ELF bound to a core and a security world (ARCHITECTURE.md "Images"). */
export interface ImageConfig {
  /** Absolute path of the ELF. */
  program: string;
  /** Core index or name (e.g. 0, "cpu1", "CPU0"); undefined means the first core. */
  core?: number | string;
  world?: 'secure' | 'non-secure';
  /** false: symbols only, the image is placed at run time by other code. */
  load: boolean;
}

export interface LaunchConfig {
  board: string;
  images: ImageConfig[];
  /** false: run; 'entry': stop at the reset vector; otherwise the function to stop in. */
  stopAtEntry: false | 'entry' | { function: string };
  cwd: string;
}

export class LaunchConfigError extends Error {}

/** What the rules need to know about paths and files; node's path/fs in the adapter. */
export interface LaunchHost {
  /** The directory relative paths are taken from when `cwd` is absent. */
  defaultCwd(): string;
  isAbsolute(path: string): boolean;
  /** An absolute, normalised path for `path` taken relative to `base`. */
  resolve(base: string, path: string): string;
  fileKind(path: string): 'file' | 'other' | 'missing';
}

/**
 * Every launch attribute the adapter reads. The package.json schema must list exactly these
 * (plus VS Code's own type/request/name); extension/package-schema.spec.ts checks both ways.
 */
export const LAUNCH_ATTRIBUTES = ['board', 'program', 'images', 'stopAtEntry', 'cwd'] as const;
/** The attributes of one `images[]` entry. */
export const IMAGE_ATTRIBUTES = ['program', 'core', 'world', 'load'] as const;

/** A C identifier, or a Rust/C++ path such as `app::main`; the schema's pattern is this too. */
export const STOP_FUNCTION_RE = /^[A-Za-z_][\w:$.]*$/;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the raw launch arguments; throws LaunchConfigError naming the bad field. */
export function validateLaunchArgs(raw: unknown, host: LaunchHost): LaunchConfig {
  if (!isObj(raw)) throw new LaunchConfigError('launch arguments must be an object');
  if (raw.cwd !== undefined && typeof raw.cwd !== 'string') throw new LaunchConfigError('launch.json: "cwd" must be a directory path');
  const cwd = typeof raw.cwd === 'string' && raw.cwd !== '' ? host.resolve(host.defaultCwd(), raw.cwd) : host.defaultCwd();
  const at = (p: string) => (host.isAbsolute(p) ? p : host.resolve(cwd, p));

  if (typeof raw.board !== 'string' || raw.board.trim() === '') {
    throw new LaunchConfigError('launch.json: "board" is missing: give a built-in board name (e.g. "mps2-an386") or the path to a .dts file');
  }
  const board = raw.board.endsWith('.dts') || raw.board.includes('/') ? at(raw.board) : raw.board;

  let rawImages: unknown[];
  if (raw.images !== undefined) {
    if (!Array.isArray(raw.images) || raw.images.length === 0) throw new LaunchConfigError('launch.json: "images" must be a non-empty array of { program, core?, world?, load? }');
    if (raw.program !== undefined) throw new LaunchConfigError('launch.json: give either "program" or "images", not both');
    rawImages = raw.images;
  } else if (typeof raw.program === 'string' && raw.program !== '') {
    rawImages = [{ program: raw.program }];
  } else {
    throw new LaunchConfigError('launch.json: "program" (the ELF to debug) or "images" is missing');
  }

  const images = rawImages.map((img, i): ImageConfig => {
    const field = raw.images !== undefined ? `images[${i}]` : 'program';
    if (!isObj(img) || typeof img.program !== 'string' || img.program === '') throw new LaunchConfigError(`launch.json: ${field}.program must be the path of an ELF file`);
    const program = at(img.program);
    const kind = host.fileKind(program);
    if (kind === 'missing') throw new LaunchConfigError(`launch.json: ${field}: ELF file not found: ${program}`);
    if (kind !== 'file') throw new LaunchConfigError(`launch.json: ${field}: ${program} is not a file`);
    const out: ImageConfig = { program, load: img.load !== false };
    if (img.load !== undefined && typeof img.load !== 'boolean') throw new LaunchConfigError(`launch.json: ${field}.load must be true or false`);
    if (img.core !== undefined) {
      if (typeof img.core !== 'number' && typeof img.core !== 'string') throw new LaunchConfigError(`launch.json: ${field}.core must be a core index or name`);
      out.core = img.core;
    }
    if (img.world !== undefined) {
      if (img.world !== 'secure' && img.world !== 'non-secure') throw new LaunchConfigError(`launch.json: ${field}.world must be "secure" or "non-secure"`);
      out.world = img.world;
    }
    return out;
  });

  let stopAtEntry: LaunchConfig['stopAtEntry'];
  const s = raw.stopAtEntry;
  if (s === undefined) stopAtEntry = { function: 'main' };
  else if (s === false) stopAtEntry = false;
  else if (s === true) stopAtEntry = 'entry';
  else if (typeof s === 'string' && STOP_FUNCTION_RE.test(s)) stopAtEntry = { function: s };
  else throw new LaunchConfigError('launch.json: "stopAtEntry" must be false, true (the reset vector) or a function name');

  return { board, images, stopAtEntry, cwd };
}
