// The packaged extension: `vsce package` (as `npm run package` runs it) gives a small .vsix with
// the self-contained bundles, the board files and the README only, a manifest that asks for trust,
// and an adapter that, unpacked on its own, finds its boards and debugs the TrustZone sample.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { packageVsix, REPO } from './workbench';
import { zipEntries, zipRead, type ZipEntry } from './zip';

/** Upper bounds with room to grow; today the .vsix is about 0.45 MB and unpacks to 1.8 MB. */
const MAX_VSIX_BYTES = 1_500_000;
const MAX_UNPACKED_BYTES = 5_000_000;

let tmp = '';
let vsix: Buffer;
let entries: ZipEntry[];
const entry = (name: string): ZipEntry => {
  const e = entries.find((x) => x.name === name);
  assert.ok(e, `the .vsix has no ${name}`);
  return e;
};

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'tandem-vsix-'));
  const file = packageVsix(tmp);
  vsix = readFileSync(file);
  entries = zipEntries(vsix, file);
}, { timeout: 180_000 });

after(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

test('the .vsix holds the bundles, the board files and the README, nothing else', () => {
  const boards = readdirSync(join(REPO, 'emulator', 'boards')).filter((f) => /\.dtsi?$/.test(f)).map((f) => `extension/emulator/boards/${f}`);
  assert.ok(boards.length >= 2, 'emulator/boards has the built-in boards');
  const optional = ['dist/language-server.js', 'LICENSE', 'LICENSE.md']
    .filter((f) => existsSync(join(REPO, f))).map((f) => `extension/${f}`);
  const want = ['[Content_Types].xml', 'extension.vsixmanifest', 'extension/package.json', 'extension/readme.md',
    'extension/dist/extension.js', 'extension/dist/debug-adapter.js', ...boards, ...optional].sort();
  const names = entries.map((e) => e.name).sort();
  const leaked = names.filter((n) => /\.ts$|\.map$|node_modules|sample-workspaces|\.spec\.|\/test\/|\.elf$/.test(n));
  assert.deepEqual(leaked, [], 'sources, maps, tests, samples or dependencies in the .vsix');
  assert.deepEqual(names, want);
});

test('the .vsix stays small', () => {
  const unpacked = entries.reduce((n, e) => n + e.size, 0);
  assert.ok(vsix.length < MAX_VSIX_BYTES, `${vsix.length} bytes packed, bound ${MAX_VSIX_BYTES}`);
  assert.ok(unpacked < MAX_UNPACKED_BYTES, `${unpacked} bytes unpacked, bound ${MAX_UNPACKED_BYTES}`);
  process.stderr.write(`[vsix] ${entries.length} files, ${(vsix.length / 1024).toFixed(0)} KB packed, ${(unpacked / 1024).toFixed(0)} KB unpacked\n`);
});

test('the bundles require only node built-ins (and vscode, provided by VS Code)', () => {
  const builtin = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  for (const [name, allowed] of [['extension/dist/extension.js', ['vscode']], ['extension/dist/debug-adapter.js', []]] as const) {
    const text = zipRead(vsix, entry(name), name).toString('utf8');
    const required = [...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    assert.ok(required.length > 0, `${name} requires something (node:fs at least)`);
    const outside = [...new Set(required.filter((r) => !builtin.has(r) && !(allowed as readonly string[]).includes(r)))];
    assert.deepEqual(outside, [], `${name} requires modules that are not in the .vsix`);
  }
});

test('the packaged manifest: trust required, minimal activation, commands under Tandem', () => {
  const pkg = JSON.parse(zipRead(vsix, entry('extension/package.json')).toString('utf8'));
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, false, 'debugging runs workspace code: trust is required');
  assert.match(String(pkg.capabilities.untrustedWorkspaces.description), /trust/i);
  // Activation only when a tandem debug session is resolved or launch.json is being created.
  for (const ev of pkg.activationEvents as string[]) assert.match(ev, /^onDebug(Resolve|InitialConfigurations|DynamicConfigurations)(:tandem)?$|^onCommand:tandem\./, `activation event ${ev}`);
  assert.ok(!(pkg.activationEvents as string[]).includes('*'));
  for (const c of (pkg.contributes.commands ?? []) as Array<{ command: string; category?: string }>) {
    assert.equal(c.category, 'Tandem', `command ${c.command} sits under the Tandem category`);
  }
  const manifest = zipRead(vsix, entry('extension.vsixmanifest')).toString('utf8');
  assert.match(manifest, new RegExp(`Version="${pkg.version.replace(/\./g, '\\.')}"`));
  assert.match(manifest, /Publisher="tandem-dev"/);
});

test('the unpacked adapter finds its boards and stops at main of trustzone-m-hello', { timeout: 60_000 }, async () => {
  const root = join(tmp, 'unpacked');
  for (const e of entries) {
    const out = join(root, e.name);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, zipRead(vsix, e));
  }
  const prebuilt = join(REPO, 'sample-workspaces', 'trustzone-m-hello', 'prebuilt');
  const dc = new DebugClient(process.execPath, join(root, 'extension', 'dist', 'debug-adapter.js'), 'tandem');
  dc.defaultTimeout = 20_000;
  await dc.start();
  try {
    await dc.initializeRequest({ adapterID: 'tandem', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await Promise.all([
      dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
      // By name: the adapter must find mps2-an521.dts next to its bundle, in the unpacked folder.
      dc.launch({ board: 'mps2-an521', images: [{ program: join(prebuilt, 'secure.elf'), world: 'secure' }, { program: join(prebuilt, 'ns.elf'), world: 'non-secure' }], stopAtEntry: 'main', cwd: dirname(prebuilt) }),
    ]);
    const ev = await stopped;
    const st = await dc.stackTraceRequest({ threadId: ev.body.threadId ?? 0 });
    const top = st.body.stackFrames[0];
    assert.match(top.name, /^main\b/);
    assert.match(top.source?.path ?? '', /[\\/]src[\\/]ns\.c$/);
  } finally {
    await dc.stop();
  }
});
