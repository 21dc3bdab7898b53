// Checks package.json's `tandem` debugger contribution against the adapter: the launch schema is
// well-formed JSON Schema and lists exactly the attributes launch-rules.ts reads, the snippets and
// initial configuration pass both the schema and the adapter's rules, and CI needs no vsce.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE_ATTRIBUTES, LAUNCH_ATTRIBUTES, STOP_FUNCTION_RE, validateLaunchArgs, type LaunchHost } from '../debug-adapter/launch-rules';
import { builtinBoards } from '../emulator/machine';
import { initialConfigurations } from './config-provider';

type Schema = Record<string, unknown>;
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, any>;
const dbg = pkg.contributes.debuggers[0] as Record<string, any>;
const launch = dbg.configurationAttributes.launch as Schema;

const KEYWORDS = new Set(['type', 'description', 'markdownDescription', 'default', 'enum', 'enumDescriptions', 'pattern', 'anyOf', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'minimum', 'maximum', 'examples']);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

/** Throws on keywords VS Code's JSON schema support would ignore, so typos do not pass silently. */
function checkShape(s: unknown, at: string, depth = 0): void {
  assert.ok(depth < 12, `${at}: schema nested too deeply`);
  assert.ok(typeof s === 'object' && s !== null && !Array.isArray(s), `${at}: a schema must be an object`);
  const o = s as Schema;
  for (const k of Object.keys(o)) assert.ok(KEYWORDS.has(k), `${at}: unknown schema keyword "${k}"`);
  const types = o.type === undefined ? [] : Array.isArray(o.type) ? o.type : [o.type];
  for (const t of types) assert.ok(TYPES.has(t as string), `${at}: bad type ${String(t)}`);
  if (o.pattern !== undefined) new RegExp(o.pattern as string);
  if (o.enum !== undefined) assert.ok(Array.isArray(o.enum) && o.enum.length > 0, `${at}: enum must be a non-empty array`);
  if (o.enumDescriptions !== undefined) assert.equal((o.enumDescriptions as unknown[]).length, (o.enum as unknown[]).length, `${at}: one enumDescription per enum value`);
  if (o.required !== undefined) for (const r of o.required as string[]) assert.ok(r in (o.properties as Schema), `${at}: required "${r}" is not a property`);
  for (const [k, v] of Object.entries((o.properties ?? {}) as Schema)) {
    checkShape(v, `${at}.${k}`, depth + 1);
    assert.ok(typeof (v as Schema).description === 'string', `${at}.${k}: every attribute needs a description`);
  }
  if (o.items !== undefined) checkShape(o.items, `${at}[]`, depth + 1);
  for (const [i, a] of ((o.anyOf ?? []) as unknown[]).entries()) checkShape(a, `${at}.anyOf[${i}]`, depth + 1);
}

/** The subset of JSON Schema used above, enough to say whether a config matches. */
function matches(s: Schema, v: unknown, depth = 0): boolean {
  if (depth > 12) return false;
  const types = s.type === undefined ? undefined : Array.isArray(s.type) ? s.type : [s.type];
  const kind = Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
  if (types && !types.some((t) => t === kind || (t === 'integer' && Number.isInteger(v)))) return false;
  if (s.enum && !(s.enum as unknown[]).includes(v)) return false;
  if (s.pattern && !(typeof v === 'string' && new RegExp(s.pattern as string).test(v))) return false;
  if (typeof s.minimum === 'number' && typeof v === 'number' && v < s.minimum) return false;
  if (s.anyOf && !(s.anyOf as Schema[]).some((a) => matches(a, v, depth + 1))) return false;
  if (kind === 'array') {
    const a = v as unknown[];
    if (typeof s.minItems === 'number' && a.length < s.minItems) return false;
    if (s.items && !a.every((x) => matches(s.items as Schema, x, depth + 1))) return false;
  }
  if (kind === 'object') {
    const o = v as Record<string, unknown>;
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const r of (s.required ?? []) as string[]) if (!(r in o)) return false;
    for (const [k, x] of Object.entries(o)) {
      if (props[k]) { if (!matches(props[k], x, depth + 1)) return false; } else if (s.additionalProperties === false) return false;
    }
  }
  return true;
}

/** VS Code adds type/request/name (and debugServer, presentation...) to every debugger's schema. */
const VSCODE_ATTRS = new Set(['type', 'request', 'name', 'debugServer', 'preLaunchTask', 'postDebugTask', 'presentation', 'internalConsoleOptions']);
const launchOnly = (c: Record<string, unknown>) => Object.fromEntries(Object.entries(c).filter(([k]) => !VSCODE_ATTRS.has(k)));
const anyFile: LaunchHost = { defaultCwd: () => '/ws', isAbsolute: (p) => p.startsWith('/'), resolve: (b, p) => (p.startsWith('/') ? p : `${b}/${p}`), fileKind: () => 'file' };

/** A snippet body as VS Code inserts it with every placeholder left at its default. */
function expandSnippet(v: unknown): unknown {
  if (typeof v === 'string') {
    const s = v.startsWith('^"') && v.endsWith('"') ? v.slice(2, -1).replace(/\\\$/g, '$') : v;
    return s.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{workspaceFolder\}/g, '/ws');
  }
  if (Array.isArray(v)) return v.map(expandSnippet);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expandSnippet(x)]));
  return v;
}

test('the launch schema is well-formed and lists exactly the attributes the adapter reads', () => {
  checkShape(launch, 'launch');
  assert.deepEqual(Object.keys(launch.properties as Schema).sort(), [...LAUNCH_ATTRIBUTES].sort());
  const image = (launch.properties as Record<string, Schema>).images.items as Schema;
  assert.deepEqual(Object.keys(image.properties as Schema).sort(), [...IMAGE_ATTRIBUTES].sort());
  assert.deepEqual(image.required, ['program']);
  const board = (launch.properties as Record<string, Schema>).board;
  const names = (board.anyOf as Schema[]).find((a) => a.enum)!.enum as string[];
  assert.deepEqual([...names].sort(), [...builtinBoards()].sort(), 'board enum must name every built-in board');
  const stop = (launch.properties as Record<string, Schema>).stopAtEntry;
  assert.equal((stop.anyOf as Schema[]).find((a) => a.pattern)!.pattern, STOP_FUNCTION_RE.source);
});

test('the schema and the adapter agree on good and bad configurations', () => {
  const good = [
    { board: 'mps2-an386', program: 'a.elf' },
    { board: 'x/board.dts', images: [{ program: 'a.elf', core: 1, world: 'secure', load: false }, { program: 'b.elf', core: 'cpu0' }], stopAtEntry: false, cwd: '/ws' },
    { board: 'mps2-an521', program: 'a.elf', stopAtEntry: 'app::main' },
  ];
  for (const c of good) {
    assert.ok(matches(launch, c), `schema rejects ${JSON.stringify(c)}`);
    assert.doesNotThrow(() => validateLaunchArgs(c, anyFile));
  }
  const bad = [
    { program: 'a.elf' },
    { board: 'mps2-an386', images: [] },
    { board: 'mps2-an386', images: [{ program: 'a.elf', world: 'normal' }] },
    { board: 'mps2-an386', images: [{ program: 'a.elf', load: 1 }] },
    { board: 'mps2-an386', program: 'a.elf', stopAtEntry: '1x' },
    { board: 'mps2-an386', program: 'a.elf', cwd: 5 },
  ];
  for (const c of bad) {
    assert.ok(!matches(launch, c), `schema accepts ${JSON.stringify(c)}`);
    assert.throws(() => validateLaunchArgs(c, anyFile));
  }
});

test('initial configuration and snippets pass the schema and the adapter', () => {
  assert.deepEqual(dbg.initialConfigurations, initialConfigurations());
  const bodies = [...(dbg.initialConfigurations as unknown[]).map(expandSnippet), ...(dbg.configurationSnippets as { body: unknown }[]).map((s) => expandSnippet(s.body))];
  assert.equal(bodies.length, 1 + dbg.configurationSnippets.length);
  for (const b of bodies) {
    const c = b as Record<string, unknown>;
    assert.equal(c.type, 'tandem');
    assert.equal(c.request, 'launch');
    assert.ok(!JSON.stringify(c).includes('${'), `placeholder left in ${JSON.stringify(c)}`);
    assert.ok(matches(launch, launchOnly(c)), `schema rejects ${JSON.stringify(c)}`);
    assert.doesNotThrow(() => validateLaunchArgs(c, anyFile));
  }
});

test('every sample launch.json matches the schema', () => {
  const found: string[] = [];
  for (const d of readdirSync('sample-workspaces')) {
    const f = join('sample-workspaces', d, '.vscode', 'launch.json');
    if (!existsSync(f)) continue;
    // launch.json allows comments; strip line comments, which is all the samples use.
    const json = JSON.parse(readFileSync(f, 'utf8').replace(/^\s*\/\/.*$/gm, '')) as { configurations: Record<string, unknown>[] };
    for (const c of json.configurations) {
      assert.equal(c.type, 'tandem', f);
      assert.ok(matches(launch, launchOnly(c)), `${f}: "${String(c.name)}" does not match the schema`);
      found.push(`${f}:${String(c.name)}`);
    }
  }
  assert.ok(found.some((f) => f.includes('cortex-m4-basics')), 'cortex-m4-basics has a launch.json');
});

test('the manifest wires the extension, setting, activation and trust', () => {
  assert.equal(pkg.main, './dist/extension.js');
  assert.equal(dbg.type, 'tandem');
  assert.equal(dbg.program, './dist/debug-adapter.js');
  assert.ok(pkg.activationEvents.includes('onDebugResolve:tandem'));
  const inline = pkg.contributes.configuration.properties['tandem.debugAdapter.inline'];
  assert.deepEqual([inline.type, inline.default], ['boolean', false]);
  // Debugging runs the workspace's firmware and board files: no activation in restricted mode.
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, false);
  const engine = String(pkg.engines.vscode).replace(/^[\^~]/, '');
  const types = String(pkg.devDependencies['@types/vscode']).replace(/^[\^~]/, '');
  assert.equal(types.split('.').slice(0, 2).join('.'), engine.split('.').slice(0, 2).join('.'), '@types/vscode must match engines.vscode');
  assert.ok(existsSync('extension/extension.ts'));
});

test('npm run package builds the .vsix with the pinned vsce, bundles only (test/e2e/vsix.spec.ts checks its contents)', () => {
  assert.match(pkg.scripts.package, /\bbuild\.mjs\b.*&&\s*vsce package\b.*--no-dependencies/);
  for (const dep of ['@vscode/vsce', 'playwright-core']) {
    assert.match(String(pkg.devDependencies[dep]), /^\d+\.\d+\.\d+$/, `${dep} is pinned to an exact version`);
  }
});
