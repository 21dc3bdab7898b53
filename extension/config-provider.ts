// The pure half of the `tandem` DebugConfigurationProvider: the initial launch.json, the defaults,
// `${workspaceFolder}`-style variables, and validation through the adapter's own rules
// (debug-adapter/launch-rules.ts). No vscode import, so node's test runner covers all of it.
import { validateLaunchArgs, LaunchConfigError, type LaunchHost, type LaunchConfig } from '../debug-adapter/launch-rules';

/** A launch configuration as VS Code hands it over: JSON, with type/request/name. */
export type RawDebugConfiguration = { type?: string; request?: string; name?: string } & Record<string, unknown>;

export const DEBUG_TYPE = 'tandem';

/** What launch.json gets when the user creates it; also package.json's initialConfigurations. */
export function initialConfigurations(): RawDebugConfiguration[] {
  return [{
    type: DEBUG_TYPE,
    request: 'launch',
    name: 'Tandem: debug firmware on mps2-an386',
    board: 'mps2-an386',
    program: '${workspaceFolder}/build/firmware.elf',
    stopAtEntry: 'main',
    cwd: '${workspaceFolder}',
  }];
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Fills what a launch.json may leave out. F5 with no launch.json gives an empty config: it becomes
 * the initial configuration when a folder is open, and an error that says what to do otherwise,
 * so the board is never guessed silently for a launch.json that omitted it.
 */
export function fillDefaults(config: RawDebugConfiguration, workspaceFolder: string | undefined): Resolved<RawDebugConfiguration> {
  const empty = config.type === undefined && config.request === undefined && config.name === undefined;
  if (empty) {
    if (workspaceFolder === undefined) return { ok: false, message: 'Tandem: open the firmware folder first, or create a launch.json with "board" and "program" (Run > Add Configuration…)' };
    return { ok: true, value: initialConfigurations()[0] };
  }
  const out: RawDebugConfiguration = { ...config, type: config.type ?? DEBUG_TYPE, request: config.request ?? 'launch' };
  if (out.request !== 'launch') return { ok: false, message: `launch.json: "request": "${String(out.request)}" is not supported by Tandem yet; use "launch"` };
  if (out.name === undefined) out.name = 'Tandem';
  if (out.cwd === undefined && workspaceFolder !== undefined) out.cwd = workspaceFolder;
  return { ok: true, value: out };
}

/** The values `${...}` may name in a Tandem launch.json. */
export interface VariableContext {
  workspaceFolder?: string;
  /** Other folders of a multi-root workspace by name, for `${workspaceFolder:name}`. */
  folders?: Record<string, string>;
  userHome?: string;
}

const VAR_RE = /\$\{([^}]*)\}/g;

function substitute(text: string, field: string, ctx: VariableContext): string {
  return text.replace(VAR_RE, (whole, name: string) => {
    const base = (v: string | undefined) => {
      if (v === undefined) throw new LaunchConfigError(`launch.json: ${field}: ${whole} cannot be resolved: no folder is open`);
      return v;
    };
    if (name === 'workspaceFolder') return base(ctx.workspaceFolder);
    if (name === 'workspaceFolderBasename') return basename(base(ctx.workspaceFolder));
    if (name === 'userHome') return base(ctx.userHome);
    if (name.startsWith('workspaceFolder:')) {
      const f = ctx.folders?.[name.slice('workspaceFolder:'.length)];
      if (f === undefined) throw new LaunchConfigError(`launch.json: ${field}: ${whole}: no workspace folder has that name (folders: ${Object.keys(ctx.folders ?? {}).join(', ') || 'none'})`);
      return f;
    }
    throw new LaunchConfigError(`launch.json: ${field}: unknown variable ${whole}; Tandem resolves \${workspaceFolder}, \${workspaceFolder:name}, \${workspaceFolderBasename} and \${userHome}`);
  });
}

function basename(p: string): string {
  const parts = p.split(/[\\/]+/).filter((s) => s !== '');
  return parts[parts.length - 1] ?? p;
}

/** Replaces variables in every string of the configuration, naming the field when one is unknown. */
export function resolveVariables(config: RawDebugConfiguration, ctx: VariableContext): Resolved<RawDebugConfiguration> {
  // Launch configs are small JSON; the depth bound keeps a cyclic object from recursing forever.
  const walk = (v: unknown, field: string, depth: number): unknown => {
    if (depth > 16) throw new LaunchConfigError(`launch.json: ${field} is nested too deeply`);
    if (typeof v === 'string') return substitute(v, field, ctx);
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${field}[${i}]`, depth + 1));
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, field === '' ? k : `${field}.${k}`, depth + 1)]));
    }
    return v;
  };
  try {
    return { ok: true, value: walk(config, '', 0) as RawDebugConfiguration };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

/** Runs the adapter's launch rules; the message is what the user sees before any launch. */
export function validate(config: RawDebugConfiguration, host: LaunchHost): Resolved<LaunchConfig> {
  try {
    return { ok: true, value: validateLaunchArgs(config, host) };
  } catch (e) {
    if (e instanceof LaunchConfigError) return { ok: false, message: e.message };
    throw e;
  }
}

/** The whole pre-launch pass: variables, then the rules. Gives the config to send to the adapter. */
export function resolveForLaunch(config: RawDebugConfiguration, ctx: VariableContext, host: LaunchHost): Resolved<RawDebugConfiguration> {
  const r = resolveVariables(config, ctx);
  if (!r.ok) return r;
  const v = validate(r.value, host);
  return v.ok ? r : v;
}

/** How the extension starts the adapter for one session. */
export type AdapterChoice = { kind: 'server'; port: number } | { kind: 'inline' } | { kind: 'process' };

/**
 * `debugServer` (a port, as in VS Code's own convention) connects to an adapter started with
 * `--server=PORT`; the `tandem.debugAdapter.inline` setting runs the session in the extension host;
 * otherwise a separate node process runs dist/debug-adapter.js.
 */
export function chooseAdapter(config: RawDebugConfiguration, inlineSetting: unknown): Resolved<AdapterChoice> {
  const port = config.debugServer;
  if (port !== undefined) {
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      return { ok: false, message: `launch.json: "debugServer" must be the TCP port (1-65535) of an adapter started with --server=PORT, not ${JSON.stringify(port)}` };
    }
    return { ok: true, value: { kind: 'server', port } };
  }
  return { ok: true, value: inlineSetting === true ? { kind: 'inline' } : { kind: 'process' } };
}
