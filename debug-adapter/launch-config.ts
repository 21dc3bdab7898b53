// Validates and normalises the `tandem` launch arguments (board, images/program, stopAtEntry)
// before anything is built, so a bad launch.json answers with a readable error that names the
// field and what to do, instead of a stack trace from deep inside the emulator.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

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

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the raw launch arguments; throws LaunchConfigError naming the bad field. */
export function parseLaunchConfig(raw: unknown): LaunchConfig {
  if (!isObj(raw)) throw new LaunchConfigError('launch arguments must be an object');
  const cwd = typeof raw.cwd === 'string' && raw.cwd !== '' ? resolve(raw.cwd) : process.cwd();
  const at = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));

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
    if (!existsSync(program)) throw new LaunchConfigError(`launch.json: ${field}: ELF file not found: ${program}`);
    if (!statSync(program).isFile()) throw new LaunchConfigError(`launch.json: ${field}: ${program} is not a file`);
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
  else if (typeof s === 'string' && /^[A-Za-z_][\w:$.]*$/.test(s)) stopAtEntry = { function: s };
  else throw new LaunchConfigError('launch.json: "stopAtEntry" must be false, true (the reset vector) or a function name');

  return { board, images, stopAtEntry, cwd };
}
