// Semihosting calls as the guest makes them (r0 = op, r1 = parameter block), checked
// against the Arm semihosting spec and the QEMU 7.2 answers recorded in the comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeKit } from './cores/armv7m/system-test-kit';
import { Semihosting, SYS_OPEN, SYS_WRITE, SYS_WRITE0, SYS_WRITEC, SYS_READ, SYS_READC, SYS_CLOSE, SYS_FLEN, SYS_ISTTY,
  SYS_ERRNO, SYS_GET_CMDLINE, SYS_HEAPINFO, SYS_EXIT, SYS_EXIT_EXTENDED, SYS_CLOCK, SYS_ELAPSED, SYS_TICKFREQ, SYS_SEEK } from './semihosting';

function setup(stdin?: string) {
  const kit = makeKit();
  const out: number[] = [];
  let exit: number | null = null;
  const sh = new Semihosting({
    write: (b) => out.push(...b), stdin: stdin === undefined ? undefined : new TextEncoder().encode(stdin),
    cmdline: 'fw.elf', heapInfo: () => [0x21000000, 0x22000000, 0x22000000, 0x21000000], exit: (c) => { exit = c; },
  });
  const cpu = kit.cpu;
  const BLOCK = 0x20001000, BUF = 0x20002000;
  const call = (op: number, args: number[] | number): number => {
    if (Array.isArray(args)) { args.forEach((w, i) => kit.bus.write32(BLOCK + 4 * i, w)); cpu.r[1] = BLOCK; } else cpu.r[1] = args;
    cpu.r[0] = op;
    sh.call(cpu);
    return cpu.r[0];
  };
  const str = (a: number, s: string) => { [...new TextEncoder().encode(s), 0].forEach((b, i) => kit.bus.write8(a + i, b)); };
  return { kit, cpu, call, str, out: () => new TextDecoder().decode(Uint8Array.from(out)), exit: () => exit, BLOCK, BUF };
}

test('console: handles count from 1 in open order; WRITE returns bytes not written', () => {
  const s = setup();
  s.str(s.BUF, ':tt');
  assert.equal(s.call(SYS_OPEN, [s.BUF, 4, 3]), 1); // stdout (QEMU: 1)
  assert.equal(s.call(SYS_OPEN, [s.BUF, 0, 3]), 2); // stdin  (QEMU: 2)
  assert.equal(s.call(SYS_OPEN, [s.BUF, 8, 3]), 3); // stderr (QEMU: 3)
  s.str(s.BUF + 0x100, 'hello\n');
  assert.equal(s.call(SYS_WRITE, [1, s.BUF + 0x100, 6]), 0);
  s.kit.bus.write8(s.BUF + 0x200, 0x41);
  s.call(SYS_WRITEC, s.BUF + 0x200);
  s.str(s.BUF + 0x300, 'zero\n');
  s.call(SYS_WRITE0, s.BUF + 0x300);
  assert.equal(s.out(), 'hello\nAzero\n');
  assert.equal(s.call(SYS_WRITE, [2, s.BUF, 1]), -1, 'writing stdin is EBADF');
  assert.equal(s.call(SYS_ERRNO, 0), 9);
  assert.equal(s.call(SYS_ISTTY, [1]), 1);
  assert.equal(s.call(SYS_FLEN, [1]), 0);
  assert.equal(s.call(SYS_CLOSE, [1]), 0);
  assert.equal(s.call(SYS_CLOSE, [1]), -1, 'double close is EBADF');
});

test('host files are not reachable from the guest', () => {
  const s = setup();
  s.str(s.BUF, '/etc/passwd');
  assert.equal(s.call(SYS_OPEN, [s.BUF, 0, 11]), -1);
  assert.equal(s.call(SYS_ERRNO, 0), 2);
});

test('feature file reports EXIT_EXTENDED and STDOUT_STDERR', () => {
  const s = setup();
  s.str(s.BUF, ':semihosting-features');
  const h = s.call(SYS_OPEN, [s.BUF, 0, 21]);
  assert.ok(h > 0);
  assert.equal(s.call(SYS_FLEN, [h]), 5);
  assert.equal(s.call(SYS_READ, [h, s.BUF + 0x100, 8]), 3, 'returns the count NOT read');
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => s.kit.bus.read8(s.BUF + 0x100 + i)), [0x53, 0x48, 0x46, 0x42, 0x03]);
  assert.equal(s.call(SYS_SEEK, [h, 4]), 0);
  assert.equal(s.call(SYS_READ, [h, s.BUF + 0x200, 1]), 0);
  assert.equal(s.kit.bus.read8(s.BUF + 0x200), 3);
});

test('stdin: READ and READC consume the given input, then report EOF', () => {
  const s = setup('ab');
  s.str(s.BUF, ':tt');
  const h = s.call(SYS_OPEN, [s.BUF, 0, 3]);
  assert.equal(s.call(SYS_READC, 0), 0x61);
  assert.equal(s.call(SYS_READ, [h, s.BUF + 0x100, 4]), 3);
  assert.equal(s.kit.bus.read8(s.BUF + 0x100), 0x62);
  assert.equal(s.call(SYS_READC, 0), -1);
});

test('cmdline, heapinfo, and time from the virtual clock only', () => {
  const s = setup();
  assert.equal(s.call(SYS_GET_CMDLINE, [s.BUF, 64]), 0);
  assert.equal(s.kit.bus.read32(s.BLOCK + 4), 6);
  assert.equal(String.fromCharCode(...[0, 1, 2, 3, 4, 5].map((i) => s.kit.bus.read8(s.BUF + i))), 'fw.elf');
  assert.equal(s.call(SYS_GET_CMDLINE, [s.BUF, 3]), -1, 'buffer too small');
  assert.equal(s.call(SYS_HEAPINFO, [s.BUF]), 0);
  assert.deepEqual([0, 1, 2, 3].map((i) => s.kit.bus.read32(s.BUF + 4 * i)), [0x21000000, 0x22000000, 0x22000000, 0x21000000]);
  s.kit.clock.now = 25_000_000 * 3; // 3 s of virtual time at 25 MHz
  assert.equal(s.call(SYS_CLOCK, 0), 300);
  assert.equal(s.call(SYS_TICKFREQ, 0), 25_000_000);
  assert.equal(s.call(SYS_ELAPSED, s.BUF), 0);
  assert.equal(s.kit.bus.read32(s.BUF), 75_000_000);
  assert.equal(s.kit.bus.read32(s.BUF + 4), 0);
});

test('exit codes: SYS_EXIT is 0 only for ApplicationExit; EXIT_EXTENDED carries the code', () => {
  let s = setup();
  s.call(SYS_EXIT, 0x20026);
  assert.equal(s.exit(), 0);
  s = setup();
  s.call(SYS_EXIT, 0x20024); // QEMU 7.2 exits with status 1 for this
  assert.equal(s.exit(), 1);
  s = setup();
  s.call(SYS_EXIT_EXTENDED, [0x20026, 42]);
  assert.equal(s.exit(), 42);
});

test('wild guest pointers fail the call, not the emulator', () => {
  const s = setup();
  assert.equal(s.call(SYS_WRITE0, 0xf0000000), -1);
  assert.equal(s.call(SYS_OPEN, 0xdead0000), -1);
  assert.equal(s.call(SYS_ERRNO, 0), 14);
  s.str(s.BUF, ':tt');
  assert.equal(s.call(SYS_OPEN, [s.BUF, 4, 3]), 1);
  assert.equal(s.call(SYS_WRITE, [1, 0x20000000, 0x7fffffff]), -1, 'huge lengths are refused');
  assert.equal(s.call(SYS_ERRNO, 0), 14);
  assert.equal(s.call(0x99, 0), -1, 'unknown operation');
});
