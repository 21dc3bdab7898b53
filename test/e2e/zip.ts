// Reads the entries of a .zip (a .vsix is one) from its central directory, and inflates them, so
// the package spec needs neither `unzip` nor a zip library. APPNOTE.TXT 4.3.12 (central directory
// header), 4.3.16 (end of central directory record), 4.3.7 (local file header).
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry { name: string; method: number; compressedSize: number; size: number; localOffset: number }

export class ZipError extends Error {}

export function zipEntries(buf: Buffer, file = 'zip'): ZipEntry[] {
  // The end record is within the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new ZipError(`${file}: no end of central directory record`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new ZipError(`${file}: bad central directory entry ${n} at offset ${p}`);
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    out.push({
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** The uncompressed bytes of one entry (stored or deflated). */
export function zipRead(buf: Buffer, e: ZipEntry, file = 'zip'): Buffer {
  const h = e.localOffset;
  if (buf.readUInt32LE(h) !== 0x04034b50) throw new ZipError(`${file}: ${e.name}: no local header at offset ${h}`);
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  const out = e.method === 0 ? Buffer.from(data) : e.method === 8 ? inflateRawSync(data) : undefined;
  if (out === undefined) throw new ZipError(`${file}: ${e.name}: compression method ${e.method} is not stored or deflate`);
  if (out.length !== e.size) throw new ZipError(`${file}: ${e.name}: ${out.length} bytes inflated, the directory says ${e.size}`);
  return out;
}
