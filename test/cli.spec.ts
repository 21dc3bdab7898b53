// The `tandem` CLI as a user meets it: firmware built here with the real toolchain,
// run through dist/cli.js. Faults the firmware does not recover from are named with
// their cause, PC and encoding; bad input gets one clear line, never a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'tandem-cli-'));

/** Link a bare-metal image for mps2-an386: vector table at 0, `body` as the reset handler. */
function firmware(name: string, body: string, handlers = 'hardfault: b hardfault'): string {
  const s = join(work, `${name}.s`), elf = join(work, `${name}.elf`);
  writeFileSync(s, `.syntax unified\n.thumb\n.section .vectors,"a"\n.word 0x20010000\n.word reset+1\n.word nmi+1\n.word hardfault+1\n.rept 12\n.word hardfault+1\n.endr\n` +
    `.text\n.thumb_func\nreset:\n${body}\n.thumb_func\nnmi: b nmi\n.thumb_func\n${handlers}\n`);
  writeFileSync(join(work, 'l.ld'), 'SECTIONS { . = 0; .text : { KEEP(*(.vectors)) *(.text*) } }\n');
  execFileSync('arm-none-eabi-as', ['-mcpu=cortex-m4', '-o', `${s}.o`, s]);
  execFileSync('arm-none-eabi-ld', ['-T', join(work, 'l.ld'), '-o', elf, `${s}.o`]);
  return elf;
}

function tandem(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at .*:\d+:\d+/, 'no stack trace');

test('--trace N prints N executed instructions with their disassembly', () => {
  const elf = firmware('trace', 'movs r0, #1\nadds r0, r0, #2\nldr r1, =0x20026\nmovs r0, #0x18\nbkpt 0xab');
  const r = tandem('run', '--board', 'mps2-an386', elf, '--trace', '4');
  assert.equal(r.status, 0);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[0], /^0x00000040: 2001 +movs r0, #1$/);
  assert.match(lines[1], /^0x00000042: 3002 +adds r0, #2$/);
  assert.match(lines[2], /^0x00000044: [0-9a-f ]{9} +ldr(.w)? r1, \[pc, #\d+\]/);
});

test('an undefined instruction the firmware cannot recover from is named with PC and encoding', () => {
  const elf = firmware('udf', 'nop\n.short 0xde42');
  const r = tandem('run', '--board', 'mps2-an386', elf, '--max-insns', '1000');
  assert.equal(r.status, 124);
  assert.match(r.stderr, /last fault: UsageFault \(UNDEFINSTR\) at pc 0x00000042 encoding de42/);
  noStack(r.stderr);
});

test('an unmapped access is a precise BusFault with its address', () => {
  const elf = firmware('bus', 'ldr r1, =0x70000000\nldr r0, [r1]');
  const r = tandem('run', '--board', 'mps2-an386', elf, '--max-insns', '1000');
  assert.equal(r.status, 124);
  assert.match(r.stderr, /BusFault \(PRECISERR\) at pc 0x00000044 encoding 6808, address 0x70000000/);
});

test('a fault inside HardFault locks the core up and says so', () => {
  const elf = firmware('lock', '.short 0xde00', 'hardfault: .short 0xde01');
  const r = tandem('run', '--board', 'mps2-an386', elf);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /locked up .* UsageFault \(UNDEFINSTR\) at pc 0x0000004\d encoding de01/);
});

test('WFI with nothing that could ever wake the core ends the run instead of hanging', () => {
  const elf = firmware('wfi', 'cpsid i\nwfi\nb reset');
  const r = tandem('run', '--board', 'mps2-an386', elf);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /sleeping \(WFI\/WFE\) with no interrupt source/);
});

test('bad input: one clear line and a usage-error exit status, never a stack trace', () => {
  const notElf = join(work, 'not.elf');
  writeFileSync(notElf, 'hello');
  const badDts = join(work, 'bad.dts');
  writeFileSync(badDts, '/dts-v1/;\n/ {\n  cpus { cpu@0 { compatible = "arm,cortex-m4f" } };\n};\n');
  const cases: Array<[string[], RegExp]> = [
    [['run', '--board', 'mps2-an386', notElf], /^tandem: .*not\.elf: too short to be an ELF file/],
    [['run', '--board', 'mps2-an386', join(work, 'missing.elf')], /missing\.elf: no such file/],
    [['run', '--board', badDts, notElf], /bad\.dts:3:\d+: .*expected ';'/],
    [['run', '--board', 'no-such-board', notElf], /unknown board 'no-such-board'. Built-in boards: .*mps2-an386/],
    [['run', '--board', 'mps2-an386'], /an ELF file is required/],
    [['run', '--board', 'mps2-an386', notElf, '--max-insns', 'lots'], /--max-insns needs a whole number/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ];
  for (const [args, re] of cases) {
    const r = tandem(...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, re, args.join(' '));
    noStack(r.stderr);
  }
});

test('a board file that does not fit the emulator is reported with its location', () => {
  const dts = join(work, 'odd.dts');
  writeFileSync(dts, '/dts-v1/;\n/ {\n  #address-cells = <1>; #size-cells = <1>;\n  cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { compatible = "arm,cortex-a15"; reg = <0>; }; };\n};\n');
  const r = tandem('run', '--board', dts, firmware('x', 'b reset'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /odd\.dts:4:\d+: \/cpus\/cpu@0: unsupported CPU compatible 'arm,cortex-a15'/);
});

test('runs are deterministic: same output, same instruction and cycle counts', () => {
  const elf = join(root, 'sample-workspaces', 'mps2-an386', 'prebuilt', 'irq.elf');
  const runs = [1, 2].map((i) => {
    const stats = join(work, `stats${i}.json`);
    const r = tandem('run', '--board', 'mps2-an386', elf, '--stats-json', stats);
    return { ...r, stats: readFileSync(stats, 'utf8') };
  });
  assert.equal(runs[0].status, 0);
  assert.ok(runs[0].stdout.length > 0);
  assert.deepEqual(runs[0], runs[1]);
  assert.match(runs[0].stats, /"instructions":\d+,"cycles":\d+/);
});
