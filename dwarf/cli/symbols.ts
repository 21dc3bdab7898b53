// `tandem elf symbols <elf> [--all] [--no-demangle]`: the symbol table in address order, one
// line per symbol: `0xADDR SIZE TYPE BIND SECTION MODE NAME`, MODE being T32/A32/data/-.
// Mangled names are shown demangled, with the raw name after " = " so both can be searched.
import type { ElfCommandContext } from '../cli-elf';
import { inflateSync } from 'node:zlib';
import { ElfError, ElfFile, SHN_ABS, SHN_COMMON, SHN_UNDEF, STT_FILE, STT_SECTION, mappingKindOf, symbolBindName, symbolTypeName } from '../elf';
import { demangle } from '../demangle';
import { DwarfError } from '../reader';

export const usage = '<elf> [--all] [--no-demangle]';

export function run(ctx: ElfCommandContext): number {
  const all = ctx.args.includes('--all');
  const noDemangle = ctx.args.includes('--no-demangle');
  const unknown = ctx.args.filter((a) => a !== '--all' && a !== '--no-demangle');
  if (unknown.length) {
    ctx.err(`tandem: elf symbols: unknown option '${unknown[0]}'\nusage: tandem elf symbols ${usage}\n`);
    return 2;
  }
  try {
    list(ctx, all, noDemangle);
    return 0;
  } catch (e) {
    // ElfError already names the file; DwarfError names the section and offset.
    if (e instanceof ElfError) { ctx.err(`tandem: ${e.message}\n`); return 1; }
    if (e instanceof DwarfError) { ctx.err(`tandem: ${ctx.file}: ${e.message}\n`); return 1; }
    throw e;
  }
}

function list(ctx: ElfCommandContext, all: boolean, noDemangle: boolean): void {
  const elf = ElfFile.parse(ctx.bytes, ctx.file, { inflate: (d) => new Uint8Array(inflateSync(d)) });
  // Mapping symbols only place code in linked images; in a relocatable object every section starts at 0.
  const linked = elf.type !== 1;
  const syms = elf.symbols().filter((s) => all || (s.name !== '' && s.type !== STT_SECTION && s.type !== STT_FILE && mappingKindOf(s.name) === undefined));
  const order = syms.map((s, i) => i).sort((a, b) => syms[a].value - syms[b].value || (syms[a].name < syms[b].name ? -1 : syms[a].name > syms[b].name ? 1 : a - b));
  const width = elf.is64 ? 16 : 8;
  for (const i of order) {
    const s = syms[i];
    // `section` first: an extended (SHN_XINDEX) index can equal a reserved value such as SHN_ABS.
    const sec = s.section ?? (s.shndx === SHN_UNDEF ? 'UND' : s.shndx === SHN_ABS ? 'ABS' : s.shndx === SHN_COMMON ? 'COM' : String(s.shndx));
    const kind = s.shndx === SHN_UNDEF || !linked ? undefined : elf.mappingAt(s.value);
    const mode = s.thumb ? 'T32' : kind === 'a' ? 'A32' : kind === 'd' ? 'data' : '-';
    const shown = noDemangle ? s.name : demangle(s.name);
    const name = shown === s.name ? s.name : `${shown} = ${s.name}`;
    ctx.out(`0x${s.value.toString(16).padStart(width, '0')} ${String(s.size).padStart(6)} ${symbolTypeName(s.type).padEnd(7)} ${symbolBindName(s.bind).padEnd(6)} ${sec.padEnd(12)} ${mode.padEnd(4)} ${name}\n`);
  }
}
