// Tests the pure DebugConfigurationProvider logic: defaults, variables, validation messages and
// the adapter choice, against an in-memory file system and against the real sample ELF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { LaunchHost } from '../debug-adapter/launch-rules';
import { parseLaunchConfig } from '../debug-adapter/launch-config';
import { chooseAdapter, fillDefaults, initialConfigurations, resolveForLaunch, resolveVariables, validate } from './config-provider';

/** POSIX paths over a set of files, so the tests do not depend on the checkout's location. */
function memHost(files: string[], cwd = '/ws'): LaunchHost {
  const norm = (p: string) => '/' + p.split('/').reduce<string[]>((a, s) => (s === '' || s === '.' ? a : s === '..' ? a.slice(0, -1) : [...a, s]), []).join('/');
  return {
    defaultCwd: () => cwd,
    isAbsolute: (p) => p.startsWith('/'),
    resolve: (base, p) => norm(p.startsWith('/') ? p : `${base}/${p}`),
    fileKind: (p) => (files.includes(p) ? 'file' : files.some((f) => f.startsWith(p + '/')) ? 'other' : 'missing'),
  };
}
const ctx = { workspaceFolder: '/ws', folders: { ws: '/ws', m4: '/other/m4' }, userHome: '/home/u' };

test('F5 without launch.json offers the initial configuration only when a folder is open', () => {
  const r = fillDefaults({}, '${workspaceFolder}');
  assert.ok(r.ok);
  assert.deepEqual(r.value, initialConfigurations()[0]);
  assert.equal(r.value.board, 'mps2-an386');
  const none = fillDefaults({}, undefined);
  assert.ok(!none.ok);
  assert.match(none.message, /open the firmware folder/);
});

test('defaults fill type, request, name and cwd but never the board', () => {
  const r = fillDefaults({ type: 'tandem', name: 'x', program: 'a.elf' }, '/ws');
  assert.ok(r.ok);
  assert.equal(r.value.request, 'launch');
  assert.equal(r.value.cwd, '/ws');
  assert.equal(r.value.board, undefined);
  const keep = fillDefaults({ type: 'tandem', request: 'launch', name: 'x', cwd: '/elsewhere' }, '/ws');
  assert.ok(keep.ok);
  assert.equal(keep.value.cwd, '/elsewhere');
  const attach = fillDefaults({ type: 'tandem', request: 'attach', name: 'x' }, '/ws');
  assert.ok(!attach.ok);
  assert.match(attach.message, /"request": "attach"/);
});

test('variables resolve in nested strings and unknown ones name their field', () => {
  const r = resolveVariables({
    type: 'tandem', request: 'launch', name: '${workspaceFolderBasename}',
    images: [{ program: '${workspaceFolder}/s.elf' }, { program: '${workspaceFolder:m4}/m4.elf', core: 1 }], cwd: '${userHome}/x',
  }, ctx);
  assert.ok(r.ok);
  assert.equal(r.value.name, 'ws');
  assert.deepEqual(r.value.images, [{ program: '/ws/s.elf' }, { program: '/other/m4/m4.elf', core: 1 }]);
  assert.equal(r.value.cwd, '/home/u/x');
  const bad = resolveVariables({ images: [{}, { program: '${env:HOME}/a.elf' }] }, ctx);
  assert.ok(!bad.ok);
  assert.match(bad.message, /images\[1\]\.program: unknown variable \$\{env:HOME\}/);
  const noFolder = resolveVariables({ program: '${workspaceFolder}/a.elf' }, {});
  assert.ok(!noFolder.ok);
  assert.match(noFolder.message, /program: \$\{workspaceFolder\} cannot be resolved/);
  const noName = resolveVariables({ cwd: '${workspaceFolder:nope}' }, ctx);
  assert.ok(!noName.ok);
  assert.match(noName.message, /folders: ws, m4/);
});

test('validation reports each bad field with the adapter\'s wording', () => {
  const host = memHost(['/ws/build/fw.elf', '/ws/board.dts']);
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ program: 'build/fw.elf' }, /"board" is missing/],
    [{ board: 'mps2-an386' }, /"program" \(the ELF to debug\) or "images" is missing/],
    [{ board: 'mps2-an386', program: 'build/nope.elf' }, /program: ELF file not found: \/ws\/build\/nope\.elf/],
    [{ board: 'mps2-an386', program: 'build' }, /\/ws\/build is not a file/],
    [{ board: 'mps2-an386', program: 'build/fw.elf', images: [{ program: 'build/fw.elf' }] }, /either "program" or "images"/],
    [{ board: 'mps2-an386', images: [] }, /non-empty array/],
    [{ board: 'mps2-an386', images: [{ program: 'build/fw.elf', world: 'normal' }] }, /images\[0\]\.world must be "secure" or "non-secure"/],
    [{ board: 'mps2-an386', images: [{ program: 'build/fw.elf', load: 'yes' }] }, /images\[0\]\.load must be true or false/],
    [{ board: 'mps2-an386', images: [{ program: 'build/fw.elf', core: true }] }, /images\[0\]\.core must be a core index or name/],
    [{ board: 'mps2-an386', program: 'build/fw.elf', stopAtEntry: 'not a name' }, /"stopAtEntry" must be false, true/],
    [{ board: 'mps2-an386', program: 'build/fw.elf', cwd: 3 }, /"cwd" must be a directory path/],
  ];
  for (const [cfg, re] of cases) {
    const r = validate(cfg, host);
    assert.ok(!r.ok, JSON.stringify(cfg));
    assert.match(r.message, re);
  }
  const good = validate({ board: 'board.dts', images: [{ program: '/ws/build/fw.elf', core: 'cpu1', world: 'non-secure', load: false }], stopAtEntry: true }, host);
  assert.ok(good.ok);
  assert.deepEqual(good.value, { board: '/ws/board.dts', images: [{ program: '/ws/build/fw.elf', core: 'cpu1', world: 'non-secure', load: false }], stopAtEntry: 'entry', cwd: '/ws' });
});

test('resolveForLaunch gives the substituted config, and the adapter accepts it unchanged', () => {
  const ws = resolve('sample-workspaces/mps2-an386');
  const nodeHost: LaunchHost = { defaultCwd: () => ws, isAbsolute, resolve, fileKind: (p) => (!existsSync(p) ? 'missing' : statSync(p).isFile() ? 'file' : 'other') };
  const cfg = { type: 'tandem', request: 'launch', name: 'n', board: 'mps2-an386', program: '${workspaceFolder}/prebuilt/hello.elf', cwd: '${workspaceFolder}' };
  const r = resolveForLaunch(cfg, { workspaceFolder: ws }, nodeHost);
  assert.ok(r.ok, r.ok ? '' : r.message);
  assert.equal(r.value.program, `${ws}/prebuilt/hello.elf`);
  assert.deepEqual(parseLaunchConfig(r.value).images, [{ program: `${ws}/prebuilt/hello.elf`, load: true }]);
  const missing = resolveForLaunch({ ...cfg, program: '${workspaceFolder}/prebuilt/none.elf' }, { workspaceFolder: ws }, nodeHost);
  assert.ok(!missing.ok);
  assert.match(missing.message, /none\.elf/);
});

test('the adapter runs as a process, inline on request, or over debugServer', () => {
  assert.deepEqual(chooseAdapter({}, undefined), { ok: true, value: { kind: 'process' } });
  assert.deepEqual(chooseAdapter({}, true), { ok: true, value: { kind: 'inline' } });
  assert.deepEqual(chooseAdapter({ debugServer: 4711 }, true), { ok: true, value: { kind: 'server', port: 4711 } });
  for (const bad of ['4711', 0, 70000, 1.5]) {
    const r = chooseAdapter({ debugServer: bad }, false);
    assert.ok(!r.ok);
    assert.match(r.message, /"debugServer" must be the TCP port/);
  }
});
