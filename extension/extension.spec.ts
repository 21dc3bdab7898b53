// Loads the bundled extension against a stand-in `vscode` module and checks what activate()
// registers: the provider's defaults and error path, and the three adapter descriptors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

type Fn = (...a: unknown[]) => unknown;
class DebugAdapterServer { constructor(readonly port: number, readonly host?: string) {} }
class DebugAdapterExecutable { constructor(readonly command: string, readonly args: string[], readonly options?: { env?: Record<string, string> }) {} }
class DebugAdapterInlineImplementation { constructor(readonly implementation: { handleMessage: Fn; dispose: Fn; onDidSendMessage: (cb: (m: Record<string, unknown>) => void) => unknown }) {} }

const registered: Record<string, unknown> = {};
const errors: string[] = [];
const settings: Record<string, unknown> = {};
const fakeVscode = {
  DebugAdapterServer, DebugAdapterExecutable, DebugAdapterInlineImplementation,
  debug: {
    registerDebugConfigurationProvider: (type: string, p: unknown) => { registered[`provider:${type}`] = p; return { dispose() {} }; },
    registerDebugAdapterDescriptorFactory: (type: string, f: unknown) => { registered[`factory:${type}`] = f; return { dispose() {} }; },
  },
  workspace: {
    workspaceFolders: [{ name: 'basics', uri: { fsPath: resolve('sample-workspaces/cortex-m4-basics') } }],
    getConfiguration: (section: string) => ({ get: (k: string) => settings[`${section}.${k}`] }),
  },
  window: { showErrorMessage: async (m: string) => { errors.push(m); return undefined; } },
  commands: { executeCommand: async () => undefined },
};

function loadExtension(): { activate: (ctx: unknown) => void; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-ext-'));
  const out = join(dir, 'extension.js');
  buildSync({ entryPoints: ['extension/extension.ts'], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'error' });
  const M = Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown };
  const orig = M._load;
  M._load = (req: string, ...rest: unknown[]) => (req === 'vscode' ? fakeVscode : orig(req, ...rest));
  try {
    return { activate: (Module.createRequire(out)(out) as { activate: (ctx: unknown) => void }).activate, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  } finally {
    M._load = orig;
  }
}

test('activate registers a provider and a factory that follow launch.json and the setting', { timeout: 30_000 }, async () => {
  const ext = loadExtension();
  try {
    const subs: unknown[] = [];
    ext.activate({ subscriptions: subs, extensionPath: '/opt/tandem' });
    assert.equal(subs.length, 2);
    const provider = registered['provider:tandem'] as Record<string, Fn>;
    const factory = registered['factory:tandem'] as Record<string, Fn>;
    assert.ok(provider && factory);

    const folder = fakeVscode.workspace.workspaceFolders[0];
    const filled = await provider.resolveDebugConfiguration(folder, {}) as Record<string, unknown>;
    assert.equal(filled.board, 'mps2-an386');
    const ok = await provider.resolveDebugConfigurationWithSubstitutedVariables(folder, { type: 'tandem', request: 'launch', name: 'n', board: 'mps2-an386', program: '${workspaceFolder}/prebuilt/basics.elf' }) as Record<string, unknown>;
    assert.equal(ok.program, `${folder.uri.fsPath}/prebuilt/basics.elf`);
    assert.deepEqual(errors, []);
    const bad = await provider.resolveDebugConfigurationWithSubstitutedVariables(folder, { type: 'tandem', request: 'launch', name: 'n', board: 'mps2-an386', program: 'prebuilt/missing.elf' });
    assert.equal(bad, undefined, 'a bad config cancels the launch');
    assert.equal(errors.length, 1);
    assert.match(errors[0], /program: ELF file not found: .*prebuilt\/missing\.elf/);

    const proc = factory.createDebugAdapterDescriptor({ configuration: {} }) as DebugAdapterExecutable;
    assert.ok(proc instanceof DebugAdapterExecutable);
    assert.deepEqual(proc.args, ['/opt/tandem/dist/debug-adapter.js']);
    assert.equal(proc.options?.env?.ELECTRON_RUN_AS_NODE, '1');
    const server = factory.createDebugAdapterDescriptor({ configuration: { debugServer: 4711 } }) as DebugAdapterServer;
    assert.ok(server instanceof DebugAdapterServer);
    assert.equal(server.port, 4711);
    assert.throws(() => factory.createDebugAdapterDescriptor({ configuration: { debugServer: 'x' } }), /"debugServer" must be the TCP port/);
    settings['tandem.debugAdapter.inline'] = true;
    const inline = factory.createDebugAdapterDescriptor({ configuration: {} }) as DebugAdapterInlineImplementation;
    assert.ok(inline instanceof DebugAdapterInlineImplementation);
    // The inline session answers in-process: an initialize request gets its capabilities back.
    const sent: Record<string, unknown>[] = [];
    inline.implementation.onDidSendMessage((m) => sent.push(m));
    inline.implementation.handleMessage({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'tandem', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' } });
    for (let i = 0; i < 50 && sent.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const reply = sent.find((m) => m.type === 'response' && m.command === 'initialize');
    assert.ok(reply, `no initialize response; got ${JSON.stringify(sent)}`);
    assert.equal(reply.success, true, JSON.stringify(reply));
    assert.equal((reply.body as Record<string, unknown>).supportsConfigurationDoneRequest, true);
    inline.implementation.dispose();
  } finally {
    ext.cleanup();
  }
});
