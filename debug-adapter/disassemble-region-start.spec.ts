// The disassembly around code just above the start of a memory region (the AN521 secure flash
// alias at 0x10000000 has nothing mapped under it): VS Code asks for hundreds of instructions
// before the pc, and the ones inside the region must still decode (found by test/e2e).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disassemble } from './disassemble';

const REGION = 0x1000_0000;
const SIZE = 0x400;
// Every halfword is a 16-bit `movs r0, #n` (0x20nn), so each decoded address is known.
const mem = new Uint8Array(SIZE);
for (let a = 0; a < SIZE; a += 2) { mem[a] = (a >> 1) & 0xff; mem[a + 1] = 0x20; }

/** Like EmulatorTarget.readMemory: the bytes up to the first unreadable one. */
async function read(addr: number, n: number): Promise<Uint8Array> {
  if (addr < REGION || addr >= REGION + SIZE) return new Uint8Array(0);
  return mem.slice(addr - REGION, Math.min(addr - REGION + n, SIZE));
}

test('instructions above a region start decode when the request reaches below it', async () => {
  const pc = REGION + 0x15a;
  let reads = 0;
  const out = await disassemble({
    address: pc, instructionOffset: -200, count: 400,
    decode: (hw1) => ({ size: 2, text: `movs r0, #${hw1 & 0xff}`, valid: true }),
    read: (a, n) => { reads++; return read(a, n); },
    image: () => undefined,
  });
  assert.equal(out.length, 400);
  const below = out.filter((l) => l.address < REGION);
  const inside = out.filter((l) => l.address >= REGION && l.address < REGION + SIZE);
  assert.ok(below.length > 0 && below.every((l) => l.text === '??' && l.invalid), 'addresses under the region are invalid');
  assert.ok(inside.length >= (pc - REGION) / 2, `the ${(pc - REGION) / 2} instructions from the region start to the pc decode`);
  for (const l of inside) assert.equal(l.text, `movs r0, #${((l.address - REGION) >> 1) & 0xff}`, `instruction at 0x${l.address.toString(16)}`);
  assert.equal(out[200].address, pc, 'the pc is at instructionOffset 200');
  assert.ok(reads <= 20, `bounded reads (${reads})`);
});
