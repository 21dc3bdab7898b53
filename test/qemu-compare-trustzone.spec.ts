// Runs sample-workspaces/trustzone-m-hello on QEMU and on Tandem's CLI for each value of
// the NS app's demo_choice (0: clean run, 1: AUVIOL SecureFault, 2: INVEP SecureFault) and
// requires the same UART bytes, semihosting bytes and exit status; QEMU is first pinned to
// the reviewed expected/ files. Choices 1 and 2 patch demo_choice's initial value in a copy
// of prebuilt/ns.elf, which is what a user setting the variable in the debugger does.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ElfFile, SHT_PROGBITS } from '../dwarf/elf';
import { REPO_ROOT, TANDEM_CLI, haveTool, type FirmwareRun } from './firmware-run';
import { runPairOnQemu, runPairOnTandem, type ImagePair } from './firmware-run-an521';

const TZ_HELLO_DIR = join(REPO_ROOT, 'sample-workspaces', 'trustzone-m-hello');
const PREBUILT = join(TZ_HELLO_DIR, 'prebuilt');
const CHOICES = [0, 1, 2];
const qemuMissing = haveTool('qemu-system-arm') ? false : 'qemu-system-arm is not installed (scripts/setup.sh)';

/**
 * Where QEMU 7.2 departs from the Armv8-M ARM (see sample-workspaces/mps2-an521/README.md):
 * QEMU's line must still appear in its run, and Tandem must print the architectural one.
 */
const QEMU_DEVIATIONS: Record<number, { qemu: string; arch: string }[]> = {
  1: [{
    qemu: 'secure: SecureFault, SFSR = 0x00000008, SFAR = 0x00000000\n',
    // A NS data access to secure memory sets AUVIOL and SFARVALID, SFAR = the address.
    arch: 'secure: SecureFault, SFSR = 0x00000048, SFAR = 0x38000000\n',
  }],
};

const work = mkdtempSync(join(tmpdir(), 'tandem-tz-hello-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The file offset of the initial value of global `name`, found through its PT_LOAD segment. */
function initialValueOffset(elf: ElfFile, name: string): number {
  const sym = elf.symbols().find((s) => s.name === name);
  assert.ok(sym, `${elf.fileName}: no symbol ${name}`);
  assert.equal(sym.size, 4, `${elf.fileName}: ${name} is not a 4-byte int`);
  assert.equal(elf.sections.find((s) => s.name === sym.section)?.type, SHT_PROGBITS,
    `${elf.fileName}: ${name} is in ${sym.section}, which has no bytes in the file (keep it in .data)`);
  const seg = elf.segments.find((p) => p.type === 1 && sym.value >= p.vaddr && sym.value + 4 <= p.vaddr + p.filesz);
  assert.ok(seg, `${elf.fileName}: no PT_LOAD segment holds ${name} at 0x${sym.value.toString(16)}`);
  return seg.offset + (sym.value - seg.vaddr);
}

/** prebuilt/ns.elf with demo_choice = choice (the prebuilt file itself for 0). */
function nsImageFor(choice: number): string {
  const src = join(PREBUILT, 'ns.elf');
  const bytes = readFileSync(src);
  const at = initialValueOffset(ElfFile.parse(bytes, src), 'demo_choice');
  assert.equal(bytes.readInt32LE(at), 0, `${src}: demo_choice must start at 0 in the prebuilt image`);
  if (choice === 0) return src;
  const copy = Buffer.from(bytes);
  copy.writeInt32LE(choice, at);
  const out = join(work, `ns-choice${choice}.elf`);
  writeFileSync(out, copy);
  return out;
}

const qemuRuns = new Map<number, FirmwareRun>();
function pairFor(choice: number): ImagePair {
  return { secure: join(PREBUILT, 'secure.elf'), nonSecure: nsImageFor(choice) };
}
function qemu(choice: number): FirmwareRun {
  let r = qemuRuns.get(choice);
  if (!r) {
    r = runPairOnQemu(pairFor(choice));
    assert.equal(r.timedOut, false, `choice ${choice}: QEMU did not exit within its timeout`);
    assert.equal(r.diagnostics, '', `choice ${choice}: QEMU printed diagnostics`);
    assert.equal(r.mixedSemihostStreams, false, `choice ${choice}: guest wrote to both semihosting streams`);
    qemuRuns.set(choice, r);
  }
  return r;
}

const expectedStatus = JSON.parse(readFileSync(join(TZ_HELLO_DIR, 'expected', 'status.json'), 'utf8')) as Record<string, number>;

test('trustzone-m-hello ships secure.elf and ns.elf and an expected status per demo_choice', () => {
  const elfs = readdirSync(PREBUILT).filter((f) => f.endsWith('.elf')).sort();
  assert.deepEqual(elfs, ['ns.elf', 'secure.elf']);
  assert.deepEqual(Object.keys(expectedStatus).sort(), CHOICES.map(String));
  const launch = readFileSync(join(TZ_HELLO_DIR, '.vscode', 'launch.json'), 'utf8');
  for (const f of elfs) assert.ok(launch.includes(`\${workspaceFolder}/prebuilt/${f}`), `launch.json does not load prebuilt/${f}`);
});

for (const choice of CHOICES) {
  test(`QEMU runs trustzone-m-hello with demo_choice = ${choice} and prints the reviewed output`, { skip: qemuMissing }, () => {
    const r = qemu(choice);
    const expected = (kind: string) => readFileSync(join(TZ_HELLO_DIR, 'expected', `choice${choice}.${kind}.txt`), 'latin1');
    assert.equal(r.uart, expected('uart'), `choice ${choice}: UART output changed`);
    assert.equal(r.semihost, expected('semihost'), `choice ${choice}: semihosting output changed`);
    assert.equal(r.status, expectedStatus[String(choice)], `choice ${choice}: exit status changed`);
    // The choice really steers the run: only a clean run reaches the end of NS main.
    assert.equal(r.uart.includes('ns: main returns 0\n'), choice === 0, `choice ${choice}: NS main's end`);
    assert.equal(r.uart.includes('secure: SecureFault, SFSR = '), choice !== 0, `choice ${choice}: SecureFault report`);
  });

  test(`Tandem runs trustzone-m-hello with demo_choice = ${choice} exactly like QEMU`, { skip: qemuMissing }, () => {
    assert.ok(existsSync(TANDEM_CLI), `${TANDEM_CLI} is missing: run \`npm run build\` first`);
    let ref = qemu(choice).uart;
    for (const d of QEMU_DEVIATIONS[choice] ?? []) {
      assert.ok(ref.includes(d.qemu), `choice ${choice}: QEMU no longer prints ${JSON.stringify(d.qemu)}; drop the deviation and refresh expected/`);
      ref = ref.replace(d.qemu, d.arch);
    }
    const t = runPairOnTandem(pairFor(choice));
    assert.equal(t.timedOut, false, `choice ${choice}: Tandem did not exit within its timeout`);
    assert.equal(t.uart, ref, `choice ${choice}: UART output differs (Tandem stdout vs QEMU serial); stderr ${JSON.stringify(t.semihost.slice(0, 300))}`);
    assert.equal(t.semihost, qemu(choice).semihost, `choice ${choice}: semihosting output differs`);
    assert.equal(t.status, qemu(choice).status, `choice ${choice}: exit status differs`);
  });
}
