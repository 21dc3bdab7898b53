// Loads the PT_LOAD segments of a 32-bit little-endian ARM ELF into an address space,
// at their physical addresses (p_paddr), as QEMU's -kernel does. This is only the
// loader; symbols and DWARF belong to dwarf/, which the emulator does not import.
import type { AddressSpace } from './bus';

export class ElfError extends Error {
  constructor(readonly file: string, readonly field: string, message: string) {
    super(`${file}: ${message} (${field})`);
  }
}

export interface LoadedSegment { paddr: number; vaddr: number; fileSize: number; memSize: number; flags: number }
export interface LoadedElf { entry: number; segments: LoadedSegment[]; machine: number }

const PT_LOAD = 1;
const EM_ARM = 40;

/** Validate and describe an ELF's loadable segments without touching memory. */
export function parseElfSegments(data: Uint8Array, file: string): LoadedElf {
  const bad = (field: string, msg: string): never => { throw new ElfError(file, field, msg); };
  if (data.length < 52) bad('e_ident', `too short to be an ELF file (${data.length} bytes)`);
  if (data[0] !== 0x7f || data[1] !== 0x45 || data[2] !== 0x4c || data[3] !== 0x46) bad('e_ident', 'not an ELF file (bad magic)');
  if (data[4] !== 1) bad('e_ident[EI_CLASS]', `expected a 32-bit ELF (class 1), found class ${data[4]}`);
  if (data[5] !== 1) bad('e_ident[EI_DATA]', 'expected little-endian ELF');
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const machine = dv.getUint16(18, true);
  if (machine !== EM_ARM) bad('e_machine', `expected an ARM ELF (EM_ARM=40), found machine ${machine}`);
  const entry = dv.getUint32(24, true);
  const phoff = dv.getUint32(28, true);
  const phentsize = dv.getUint16(42, true);
  const phnum = dv.getUint16(44, true);
  if (phnum === 0) bad('e_phnum', 'no program headers: nothing to load (was the file linked?)');
  if (phentsize < 32) bad('e_phentsize', `program header size ${phentsize} is smaller than 32`);
  if (phoff + phnum * phentsize > data.length) bad('e_phoff', `program headers (offset 0x${phoff.toString(16)}, ${phnum} x ${phentsize}) run past the end of the file`);
  const segments: LoadedSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (dv.getUint32(o, true) !== PT_LOAD) continue;
    const offset = dv.getUint32(o + 4, true);
    const vaddr = dv.getUint32(o + 8, true);
    const paddr = dv.getUint32(o + 12, true);
    const fileSize = dv.getUint32(o + 16, true);
    const memSize = dv.getUint32(o + 20, true);
    const flags = dv.getUint32(o + 24, true);
    if (offset + fileSize > data.length) bad(`program header ${i}`, `segment data (offset 0x${offset.toString(16)}, 0x${fileSize.toString(16)} bytes) runs past the end of the file`);
    if (memSize < fileSize) bad(`program header ${i}`, `p_memsz 0x${memSize.toString(16)} is smaller than p_filesz 0x${fileSize.toString(16)}`);
    if (memSize > 0x10000000) bad(`program header ${i}`, `segment of 0x${memSize.toString(16)} bytes is implausibly large`);
    if (memSize === 0) continue;
    segments.push({ paddr, vaddr, fileSize, memSize, flags });
    (segments[segments.length - 1] as LoadedSegment & { offset: number }).offset = offset;
  }
  return { entry, segments, machine };
}

/** Load an ELF into `bus`. Throws ElfError naming the segment when it does not fit the board's memory. */
export function loadElf(bus: AddressSpace, data: Uint8Array, file: string): LoadedElf {
  const elf = parseElfSegments(data, file);
  for (const [i, s] of elf.segments.entries()) {
    const offset = (s as LoadedSegment & { offset: number }).offset;
    const image = new Uint8Array(s.memSize);
    image.set(data.subarray(offset, offset + s.fileSize));
    for (let a = 0; a < s.memSize; a += 0x1000) {
      const probe = (s.paddr + a) >>> 0;
      if (!bus.isLoadable(probe)) {
        throw new ElfError(file, `segment ${i}`, `segment at 0x${s.paddr.toString(16).padStart(8, '0')} (0x${s.memSize.toString(16)} bytes) does not fit the board's RAM/ROM: nothing at 0x${probe.toString(16).padStart(8, '0')}. Check the linker script against the board's memory map`);
      }
    }
    if (!bus.isLoadable((s.paddr + s.memSize - 1) >>> 0)) {
      throw new ElfError(file, `segment ${i}`, `segment at 0x${s.paddr.toString(16)} ends past the board's memory`);
    }
    bus.loadBytes(s.paddr, image);
  }
  return elf;
}
