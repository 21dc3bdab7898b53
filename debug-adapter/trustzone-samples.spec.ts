// DebugClient checks that the TrustZone-M sample workspaces (trustzone-m-hello, trustzone-m-rust)
// work on F5: each configuration of their .vscode/launch.json (comments stripped,
// ${workspaceFolder} substituted as VS Code does) launches and stops in the function it names,
// in that image's source file; and trustzone-m-hello's demo_choice, set from the debugger, steers
// the run into its SecureFault.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { adapterServer } from './test-adapter';

const samples = resolve(__dirname, '..', 'sample-workspaces');
const helloWs = resolve(samples, 'trustzone-m-hello');

const { client } = adapterServer();

type LaunchArgs = DebugProtocol.LaunchRequestArguments & { name: string; stopAtEntry?: unknown };

/** The configurations of a workspace's launch.json as VS Code hands them to the adapter. */
function launchConfigs(ws: string): LaunchArgs[] {
  const text = readFileSync(resolve(ws, '.vscode', 'launch.json'), 'utf8')
    .replace(/^\s*\/\/.*$/gm, '')
    .replaceAll('${workspaceFolder}', ws);
  return (JSON.parse(text) as { configurations: LaunchArgs[] }).configurations;
}

/** Launches `config`; resolves with the first stop. */
async function launch(dc: DebugClient, config: LaunchArgs): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
    dc.launch(config),
  ]);
  return stopped;
}

async function topFrame(dc: DebugClient, e: DebugProtocol.StoppedEvent): Promise<DebugProtocol.StackFrame> {
  return (await dc.stackTraceRequest({ threadId: e.body.threadId! })).body.stackFrames[0];
}

test('trustzone-m-hello: F5 stops in the non-secure main in ns.c', async () => {
  const [both] = launchConfigs(helloWs);
  assert.equal(both.stopAtEntry, 'main');
  const dc = await client();
  try {
    const e = await launch(dc, both);
    assert.equal(e.body.reason, 'entry');
    const f = await topFrame(dc, e);
    assert.match(f.name, /^main( \[NS\])?$/, 'NS main, labelled with its world or not');
    assert.equal(f.source?.path, resolve(helloWs, 'src', 'ns.c'));
    const want = readFileSync(resolve(helloWs, 'src', 'ns.c'), 'utf8').split('\n')
      .findIndex((l) => l.includes("int failures = 0;")) + 1;
    assert.equal(f.line, want, `the first statement of NS main (${JSON.stringify(f)})`);
  } finally { await dc.stop(); }
});

/** Every register row under the Registers scope (and its groups), by lower-case name. */
async function registerRows(dc: DebugClient, frameId: number): Promise<Map<string, string>> {
  const scope = (await dc.scopesRequest({ frameId })).body.scopes.find((s) => s.name === 'Registers');
  assert.ok(scope, 'no Registers scope');
  const out = new Map<string, string>();
  const walk = async (ref: number, depth: number): Promise<void> => {
    for (const v of (await dc.variablesRequest({ variablesReference: ref })).body.variables) {
      if (!out.has(v.name.toLowerCase())) out.set(v.name.toLowerCase(), v.value);
      if (v.variablesReference !== 0 && depth < 1 && v.name !== 'FPU') await walk(v.variablesReference, depth + 1);
    }
  };
  await walk(scope.variablesReference, 0);
  return out;
}

test('trustzone-m-hello: at NS main the banked registers hold what secure boot set and printed', async () => {
  // secure_main prints "secure: <REG> = 0x..." for each register it configured (expected/).
  const printed = new Map([...readFileSync(resolve(helloWs, 'expected', 'choice0.uart.txt'), 'latin1')
    .matchAll(/^secure: (\w+) = (0x[0-9a-f]{8})$/gm)].map((m) => [m[1].toLowerCase(), m[2]]));
  // The stack pointers themselves have moved on by NS main; limits, PSP_NS and VTOR_NS have not.
  const fixed = ['msplim_s', 'psp_ns', 'msplim_ns', 'psplim_ns', 'vtor_ns'];
  for (const r of fixed) assert.ok(printed.has(r), `expected/choice0.uart.txt does not print ${r}`);
  const [both] = launchConfigs(helloWs);
  const dc = await client();
  try {
    const f = await topFrame(dc, await launch(dc, both));
    const regs = await registerRows(dc, f.id);
    for (const r of fixed) assert.equal(regs.get(r), printed.get(r), `${r} in the Registers scope`);
    assert.equal(regs.get('msp_ns'), regs.get('sp'), 'NS Thread mode runs on MSP_NS');
  } finally { await dc.stop(); }
});

test('trustzone-m-hello: the second configuration stops in secure_main in secure.c', async () => {
  const config = launchConfigs(helloWs).find((c) => c.stopAtEntry === 'secure_main');
  assert.ok(config, 'no configuration stops in secure_main');
  const dc = await client();
  try {
    const f = await topFrame(dc, await launch(dc, config));
    assert.match(f.name, /^secure_main( \[S\])?$/);
    assert.equal(f.source?.path, resolve(helloWs, 'src', 'secure.c'));
  } finally { await dc.stop(); }
});

test('trustzone-m-hello: demo_choice = 2 set at the first stop ends the run with the INVEP status', async () => {
  const [both] = launchConfigs(helloWs);
  const dc = await client();
  try {
    const f = await topFrame(dc, await launch(dc, both));
    await dc.evaluateRequest({ expression: 'demo_choice = 2', frameId: f.id, context: 'repl' });
    assert.equal((await dc.evaluateRequest({ expression: 'demo_choice', frameId: f.id })).body.result, '2');
    const exited = dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
    await dc.continueRequest({ threadId: 0 });
    assert.equal((await exited).body.exitCode, 72);
  } finally { await dc.stop(); }
});

const rustWs = resolve(samples, 'trustzone-m-rust');

test('trustzone-m-rust: F5 stops in the non-secure main in ns.rs, the second configuration in reset_handler', async () => {
  const [both, boot] = launchConfigs(rustWs);
  for (const [config, fn, file] of [[both, 'main', 'ns.rs'], [boot, 'reset_handler', 'secure.rs']] as const) {
    assert.equal(config.stopAtEntry, fn);
    const dc = await client();
    try {
      const e = await launch(dc, config);
      assert.equal(e.body.reason, 'entry', `${config.name}: ${e.body.description}`);
      const f = await topFrame(dc, e);
      assert.match(f.name, new RegExp(`(^|::)${fn}( \\[N?S\\])?$`), `${config.name}: ${JSON.stringify(f)}`);
      assert.equal(f.source?.path, resolve(rustWs, 'src', 'bin', file), `${config.name}: ${JSON.stringify(f)}`);
    } finally { await dc.stop(); }
  }
});
