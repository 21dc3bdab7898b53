// TypeScript model of neon-kernels.c: the same loops with int32 wrap-around and float32 rounding
// (Math.fround), giving the 14 result hashes kmain returns. neon.spec.ts (our core) and
// qemu-neon.spec.ts (QEMU sabrelite) both compare against it.

/** The same loops in TypeScript (int32 wrap-around, float32 rounding by Math.fround). */
export function expected(): number[] {
  const N = 67;
  let seed = 12345;
  const rnd = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed >>> 8; };
  const mix = (h: number, v: number) => Math.imul((h ^ v) >>> 0, 16777619) >>> 0;
  const a32 = new Int32Array(N), b32 = new Int32Array(N), c32 = new Int32Array(N), d32 = new Int32Array(N);
  const a16 = new Int16Array(N), b16 = new Int16Array(N), n16 = new Int16Array(N);
  const a8 = new Uint8Array(N), b8 = new Uint8Array(N), rgb = new Uint8Array(3 * N), gray = new Uint8Array(N), eq8 = new Uint8Array(N);
  const fa = new Float32Array(N), fb = new Float32Array(N), fc = new Float32Array(N);
  const il = new Int32Array(2 * N), cv = new Int32Array(N);
  const l64 = new BigInt64Array(N);
  for (let i = 0; i < N; i++) {
    a32[i] = rnd() - 0x400000; b32[i] = (rnd() & 0xffff) - 0x8000; c32[i] = rnd();
    a16[i] = rnd(); b16[i] = rnd(); a8[i] = rnd(); b8[i] = rnd();
    fa[i] = ((rnd() & 0xfffff) - 0x80000) / 256; fb[i] = (rnd() & 0xffff) / 1024;
  }
  for (let i = 0; i < 3 * N; i++) rgb[i] = rnd();
  for (let i = 0; i < N; i++) c32[i] = Math.imul(a32[i], b32[i]) + c32[i];
  for (let i = 0; i < N; i++) a16[i] = a16[i] - b16[i];
  for (let i = 0; i < N; i++) a8[i] = (a8[i] + b8[i]) >> 1;
  for (let i = 0; i < N; i++) fc[i] = Math.fround(fa[i] + Math.fround(fb[i] * 2));
  for (let i = 0; i < N; i++) cv[i] = Math.trunc(fc[i]);
  for (let i = 0; i < N; i++) fb[i] = a32[i];
  for (let i = 0; i < N; i++) n16[i] = c32[i] >> 3;
  for (let i = 0; i < N; i++) d32[i] = a16[i];
  for (let i = 0; i < N; i++) { il[2 * i] = b32[i]; il[2 * i + 1] = b32[i] + 1; }
  for (let i = 0; i < N; i++) gray[i] = Math.floor((rgb[3 * i] + rgb[3 * i + 1] + rgb[3 * i + 2]) / 3);
  for (let i = 0; i < N; i++) eq8[i] = b8[i] === 7 ? 1 : 0;
  for (let i = 0; i < N; i++) l64[i] = BigInt(a32[i]) * BigInt(b32[i]);
  let sum = 0, mx = a32[0];
  for (let i = 0; i < N; i++) sum = (sum + c32[i]) | 0;
  for (let i = 0; i < N; i++) mx = Math.max(mx, a32[i]);
  const f32bits = (f: number) => new Uint32Array(new Float32Array([f]).buffer)[0];
  const hashOf = (xs: ArrayLike<number>, conv: (v: number) => number) => { let h = 2166136261; for (let i = 0; i < xs.length; i++) h = mix(h, conv(xs[i]) >>> 0); return h; };
  const out = [
    hashOf(c32, (v) => v), hashOf(a16, (v) => v & 0xffff), hashOf(a8, (v) => v), hashOf(fc, f32bits), hashOf(cv, (v) => v),
    hashOf(fb, f32bits), hashOf(n16, (v) => v & 0xffff), hashOf(d32, (v) => v), hashOf(il, (v) => v), hashOf(gray, (v) => v), hashOf(eq8, (v) => v),
  ];
  let h = 2166136261;
  for (let i = 0; i < N; i++) { h = mix(h, Number(BigInt.asUintN(32, l64[i]))); h = mix(h, Number(BigInt.asUintN(32, l64[i] >> 32n))); }
  out.push(h, sum >>> 0, mx >>> 0);
  return out;
}

