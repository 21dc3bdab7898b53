// Test corpus for the DWARF specs: builds dwarf/testdata/*.c with arm-none-eabi-gcc into
// os.tmpdir(), one linked ELF per (optimization x DWARF version x -g/-g3) variant, cached by a
// hash of the sources, flags and compiler version so repeated test runs do not rebuild.
// Node-only (child_process, fs): specs and benchmarks use it, the reader itself never does.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type OptLevel = '-O0' | '-O2' | '-Os';
export type DwarfVersion = 4 | 5;

export interface CorpusVariant {
  readonly opt: OptLevel;
  readonly dwarf: DwarfVersion;
  /** -g3: also emit .debug_macro. */
  readonly g3: boolean;
  /**
   * -gno-as-loc-support: GCC writes .debug_line itself. By default the assembler writes it, and
   * this binutils emits a version 3 line table even under -gdwarf-5; these variants give real
   * version 5 line headers (directory/file entry formats, line_strp, file 0).
   */
  readonly gccLines?: boolean;
}

export interface CorpusElf extends CorpusVariant {
  /** Short stable name, e.g. `O2-dwarf5-g3`, for test titles. */
  readonly name: string;
  /** Absolute path of the linked ELF in the cache directory. */
  readonly path: string;
  /** Directory the sources were compiled from (the DW_AT_comp_dir of the corpus units). */
  readonly sourceDir: string;
  /** Source file names relative to sourceDir. */
  readonly sources: readonly string[];
}

export const OPT_LEVELS: readonly OptLevel[] = ['-O0', '-O2', '-Os'];
export const DWARF_VERSIONS: readonly DwarfVersion[] = [4, 5];

/** Flags every corpus ELF is built with (the issue's target: a Cortex-M4 Thumb image). */
export const BASE_FLAGS: readonly string[] = ['-mcpu=cortex-m4', '-mthumb', '-ffunction-sections', '--specs=nosys.specs'];

export const GCC = 'arm-none-eabi-gcc';

const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
export const TESTDATA_DIR = join(here, 'testdata');

/** Every variant: 3 optimization levels x DWARF 4/5 x (-g, -g3), plus DWARF 5 with GCC-written line tables per level. */
export function corpusVariants(): CorpusVariant[] {
  const out: CorpusVariant[] = [];
  for (const opt of OPT_LEVELS) {
    for (const dwarf of DWARF_VERSIONS) for (const g3 of [false, true]) out.push({ opt, dwarf, g3 });
    out.push({ opt, dwarf: 5, g3: false, gccLines: true });
  }
  return out;
}

export function variantName(v: CorpusVariant): string {
  return `${v.opt.slice(1)}-dwarf${v.dwarf}${v.g3 ? '-g3' : ''}${v.gccLines ? '-gcclines' : ''}`;
}

export function variantFlags(v: CorpusVariant): string[] {
  return [v.opt, `-gdwarf-${v.dwarf}`, ...(v.g3 ? ['-g3'] : []), ...(v.gccLines ? ['-gno-as-loc-support'] : [])];
}

/** True when arm-none-eabi-gcc can be run; specs skip the corpus with a message otherwise. */
export function haveGcc(): boolean {
  try {
    execFileSync(GCC, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let gccVersion: string | undefined;
function compilerVersion(): string {
  gccVersion ??= execFileSync(GCC, ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? '';
  return gccVersion;
}

export function cacheDir(): string {
  const d = join(tmpdir(), 'tandem-dwarf-corpus');
  mkdirSync(d, { recursive: true });
  return d;
}

/**
 * Compiles and links `sources` (relative to `sourceDir`, which becomes the compile cwd so the
 * DWARF names files relatively) with BASE_FLAGS plus `flags`. The output is cached under a hash
 * of the source contents, flags and compiler version. Concurrent builders write to a private
 * temporary name and rename, so two test processes never see a half-written ELF.
 */
export function buildElf(sourceDir: string, sources: readonly string[], flags: readonly string[], tag = 'elf'): string {
  const h = createHash('sha256');
  h.update(compilerVersion()).update('\0').update(sourceDir).update('\0');
  for (const f of [...BASE_FLAGS, ...flags]) h.update(f).update('\0');
  for (const s of sources) h.update(s).update('\0').update(readFileSync(join(sourceDir, s))).update('\0');
  const out = join(cacheDir(), `${tag}-${h.digest('hex').slice(0, 16)}.elf`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    execFileSync(GCC, [...BASE_FLAGS, ...flags, '-o', tmp, ...sources], { cwd: sourceDir, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 16 << 20 });
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { force: true });
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`test corpus: ${GCC} ${flags.join(' ')} in ${sourceDir} failed: ${stderr || (e as Error).message}`);
  }
  return out;
}

/** The committed corpus sources (dwarf/testdata/*.c), sorted so the link order is stable. */
export function corpusSources(): string[] {
  return readdirSync(TESTDATA_DIR).filter((n) => n.endsWith('.c')).sort();
}

/** One ELF for one variant: every corpus source linked together (several CUs per ELF). */
export function corpusElf(v: CorpusVariant): CorpusElf {
  const sources = corpusSources();
  const name = variantName(v);
  const path = buildElf(TESTDATA_DIR, sources, variantFlags(v), `corpus-${name}`);
  return { ...v, name, path, sourceDir: TESTDATA_DIR, sources };
}

/** Builds (or finds in the cache) every variant; `filter` keeps a subset, e.g. only DWARF 5. */
export function corpusElfs(filter?: (v: CorpusVariant) => boolean): CorpusElf[] {
  return corpusVariants().filter((v) => !filter || filter(v)).map(corpusElf);
}
