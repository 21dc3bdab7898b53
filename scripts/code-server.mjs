// Installs code-server (VS Code in a browser) into a cache folder outside the repository, once:
// `npm start` and the end-to-end tests run Tandem's .vsix in it. Idempotent; prints the entry script.
// Usage: node scripts/code-server.mjs [--quiet]   (env TANDEM_CACHE overrides the cache root)
// The steps follow /work/shared/TOOLCHAINS.md: npm's package needs its native modules rebuilt here.
import { existsSync, mkdirSync, writeFileSync, readFileSync, rmSync, renameSync, copyFileSync, symlinkSync, lstatSync, unlinkSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join, delimiter } from 'node:path';
import { homedir } from 'node:os';
import { createServer } from 'node:net';
import { pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';

export function cacheRoot() {
  const base = process.env.TANDEM_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tandem');
  return base;
}

/** Folder of the finished install; it exists only once every step succeeded. */
export function installDir() {
  return join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
}

/** The node script code-server's `bin` points at; run it with node 20 (process.execPath). */
export function entryScript(dir = installDir()) {
  return join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function which(cmd) {
  for (const d of (process.env.PATH || '').split(delimiter)) {
    const p = join(d, cmd);
    if (d && existsSync(p)) return p;
  }
  return undefined;
}

class InstallError extends Error {}

function run(log, cwd, cmd, args, extraEnv = {}) {
  log(`  $ (cd ${cwd} && ${cmd} ${args.join(' ')})`);
  // Native modules (argon2, kerberos, node-pty...) compile against this node's headers; npm must
  // not prompt; stdout is kept so a failure can show what happened.
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_yes: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...extraEnv },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 15 * 60 * 1000,
  });
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit status ${r.status}`;
    throw new InstallError(`code-server install: '${cmd} ${args.join(' ')}' in ${cwd} failed (${why}):\n${out}`);
  }
}

function relink(target, path) {
  try { if (lstatSync(path)) unlinkSync(path); } catch { /* absent */ }
  symlinkSync(target, path);
}

/**
 * Ensures code-server is installed; returns the install folder. Builds in a sibling folder and
 * renames it into place at the end, so an interrupted install never looks finished.
 */
export function ensureCodeServer({ log = (s) => process.stderr.write(`${s}\n`) } = {}) {
  const dir = installDir();
  const marker = join(dir, '.tandem-complete');
  if (existsSync(marker) && existsSync(entryScript(dir))) return dir;

  const missing = [];
  const rg = which('rg');
  if (!rg) missing.push('ripgrep (rg)');
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  if (!which('make') || !which('g++')) missing.push('make and g++ (build-essential)');
  if (missing.length) {
    throw new InstallError(`code-server install needs ${missing.join(', ')}. Run 'npm run setup' (scripts/setup.sh installs them with apt), then try again.`);
  }

  const started = process.hrtime.bigint();
  mkdirSync(cacheRoot(), { recursive: true });
  const work = `${dir}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  log(`Installing code-server ${CODE_SERVER_VERSION} into ${dir} (about a minute, once)...`);
  try {
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'tandem-code-server', private: true }, null, 2));
    // --ignore-scripts: the package's postinstall expects to fetch things; its steps are done below.
    run(log, work, 'npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--ignore-scripts', '--no-audit', '--no-fund', '--no-save']);
    const pkg = join(work, 'node_modules', 'code-server');
    const vscode = join(pkg, 'lib', 'vscode');
    if (!existsSync(join(vscode, 'package.json'))) throw new InstallError(`code-server install: ${vscode}/package.json is missing; the npm package layout changed`);
    run(log, vscode, 'npm', ['install', '--unsafe-perm', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund']);
    // @vscode/ripgrep downloads its binary in postinstall; Debian's rg is the same program.
    const rgBin = join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin');
    mkdirSync(rgBin, { recursive: true });
    copyFileSync(rg, join(rgBin, 'rg'));
    run(log, vscode, 'npm', ['rebuild', '--unsafe-perm']);
    // code-server's release build ships these links; the npm tarball does not.
    relink('node_modules', join(vscode, 'node_modules.asar'));
    relink('code-linux.sh', join(vscode, 'bin', 'remote-cli', 'code-server'));
    relink('browser-linux.sh', join(vscode, 'bin', 'helpers', 'browser.sh'));
    run(log, join(vscode, 'extensions'), 'npm', ['install', '--unsafe-perm', '--omit=dev', '--no-audit', '--no-fund']);
    // npm hoists argon2 (password hashing, loaded even with --auth none) next to code-server.
    run(log, work, 'npm', ['rebuild', 'argon2', '--unsafe-perm']);
    if (!existsSync(entryScript(work))) throw new InstallError(`code-server install: ${entryScript(work)} is missing after install`);
    // Loading every native module it needs at start is the cheapest proof the install works.
    run(log, work, process.execPath, [entryScript(work), '--version'], { XDG_CONFIG_HOME: work });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    writeFileSync(join(work, '.tandem-complete'), JSON.stringify({ version: CODE_SERVER_VERSION, seconds: Math.round(seconds) }) + '\n');
    if (existsSync(join(dir, '.tandem-complete'))) {
      rmSync(work, { recursive: true, force: true });
      return dir;
    }
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(work, dir);
    } catch (e) {
      // Another process finished the same install first; theirs is as good as ours.
      if (!existsSync(join(dir, '.tandem-complete'))) throw e;
      rmSync(work, { recursive: true, force: true });
    }
    log(`code-server ${CODE_SERVER_VERSION} installed in ${seconds.toFixed(1)} s`);
    return dir;
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw e;
  }
}

/** Seconds the finished install took, as recorded in its marker (undefined if unknown). */
export function installSeconds(dir = installDir()) {
  try { return JSON.parse(readFileSync(join(dir, '.tandem-complete'), 'utf8')).seconds; } catch { return undefined; }
}

/**
 * Settings of a throwaway profile: no trust prompt (restricted mode would silently disable Tandem),
 * nothing that phones home, no welcome page or tips that cover the editor.
 */
export const PROFILE_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

/** Creates (or refreshes) a profile folder: user data, extensions and config file for code-server. */
export function prepareProfile(root, extraSettings = {}) {
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  const configFile = join(root, 'config.yaml');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...PROFILE_SETTINGS, ...extraSettings }, null, 2) + '\n');
  // An explicit config file, so code-server never writes a password into ~/.config.
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  return { root, userDataDir, extensionsDir, configFile };
}

function commonArgs(profile) {
  // Trust stays a setting of the profile (PROFILE_SETTINGS), so a test can turn it back on.
  return ['--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, '--config', profile.configFile];
}

/** Installs a .vsix into the profile's extensions folder (replacing an older copy). */
export function installVsix(dir, profile, vsix) {
  const r = spawnSync(process.execPath, [entryScript(dir), ...commonArgs(profile), '--install-extension', vsix, '--force'], {
    encoding: 'utf8', timeout: 120_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`code-server could not install ${vsix} into ${profile.extensionsDir} (${r.error?.message ?? `status ${r.status}`}):\n${out.trim()}`);
  }
  return out.trim();
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts code-server on 127.0.0.1:port with the profile, opening `folder`. Resolves once it
 * listens (or rejects after timeoutMs with its output); the caller owns the child and kills it.
 */
export function startCodeServer(dir, profile, { port, folder, timeoutMs = 60_000, onOutput }) {
  const child = spawn(process.execPath, [entryScript(dir), ...commonArgs(profile), '--bind-addr', `127.0.0.1:${port}`, folder], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that killing it also ends the extension host and file watchers.
    detached: true,
  });
  let log = '';
  const ready = new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not listen on 127.0.0.1:${port} within ${timeoutMs} ms. Its output:\n${log}`)), timeoutMs);
    const onData = (buf) => {
      const text = buf.toString();
      log += text;
      onOutput?.(text);
      if (/HTTP server listening on/.test(log)) { clearTimeout(timer); resolveReady(`http://127.0.0.1:${port}/`); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`code-server exited (${signal ?? code}) before listening. Its output:\n${log}`)); });
  });
  return { child, ready, output: () => log };
}

/** Ends a code-server started by startCodeServer: its whole process group, TERM then KILL. */
export async function stopCodeServer(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((r) => child.once('exit', r));
  const kill = (sig) => { try { process.kill(-child.pid, sig); } catch { /* gone */ } };
  kill('SIGTERM');
  const t = await Promise.race([exited.then(() => 'exited'), new Promise((r) => setTimeout(() => r('late'), graceMs))]);
  if (t === 'late') { kill('SIGKILL'); await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]); }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quiet = process.argv.includes('--quiet');
  try {
    const dir = ensureCodeServer({ log: quiet ? () => {} : undefined });
    process.stdout.write(`${entryScript(dir)}\n`);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
