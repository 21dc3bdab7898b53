// `npm start`: VS Code in the browser with the current Tandem installed, on a sample workspace.
// Installs code-server once (scripts/code-server.mjs), builds and installs tandem-<version>.vsix
// into a Tandem-only profile, opens sample-workspaces/trustzone-m-hello on 127.0.0.1, runs until Ctrl-C.
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, ensureCodeServer, prepareProfile, installVsix, freePort, startCodeServer, stopCodeServer } from './code-server.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const usage = 'usage: npm start [-- --port N] [--folder DIR]';
if (args.includes('--help') || args.includes('-h')) { console.log(usage); process.exit(0); }

function fail(message) {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

// The TrustZone sample is the one the README walks through; older checkouts fall back.
const samples = ['trustzone-m-hello', 'mps2-an521', 'cortex-m4-basics'].map((s) => join(repo, 'sample-workspaces', s));
const folder = opt('--folder') ? resolve(opt('--folder')) : samples.find((s) => existsSync(join(s, '.vscode', 'launch.json')));
if (!folder || !existsSync(folder)) fail(`no workspace folder to open (looked for ${opt('--folder') ?? samples.join(', ')})`);
const portArg = opt('--port');
const port = portArg === undefined ? 8080 : Number(portArg);
if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`--port must be a TCP port number, got '${portArg}'. ${usage}`);

let dir;
try { dir = ensureCodeServer(); } catch (e) { fail(e instanceof Error ? e.message : String(e)); }

console.log('Building and packaging the extension...');
const vsce = join(repo, 'node_modules', '.bin', 'vsce');
if (!existsSync(vsce)) fail(`${vsce} is missing; run 'npm run setup' (or npm ci) first`);
const pkg = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repo, encoding: 'utf8' });
if (pkg.status !== 0) fail(`'npm run package' failed:\n${pkg.stdout}${pkg.stderr}`);
const { version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const vsix = join(repo, `tandem-${version}.vsix`);
if (!existsSync(vsix)) fail(`'npm run package' did not produce ${vsix}`);

const profile = prepareProfile(join(cacheRoot(), 'start-profile'));
try { installVsix(dir, profile, vsix); } catch (e) { fail(e instanceof Error ? e.message : String(e)); }

// A busy 8080 is common; take any free port rather than fail, unless one was asked for.
let usePort = port;
if (portArg === undefined) {
  const probe = await import('node:net').then(({ createServer }) => new Promise((r) => {
    const s = createServer().once('error', () => r(false)).listen(port, '127.0.0.1', () => s.close(() => r(true)));
  }));
  if (!probe) usePort = await freePort();
}
const cs = startCodeServer(dir, profile, { port: usePort, folder });
// code-server has its own process group (see startCodeServer): end it whenever this script ends.
process.once('exit', () => { try { process.kill(-cs.child.pid, 'SIGKILL'); } catch { /* already gone */ } });
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping code-server...');
  await stopCodeServer(cs.child);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
cs.child.once('exit', (code, signal) => { if (!stopping) fail(`code-server exited (${signal ?? code}):\n${cs.output()}`); });
try {
  const url = await cs.ready;
  const folderUrl = `${url}?folder=${encodeURIComponent(folder)}`;
  console.log(`\nTandem ${version} in VS Code (code-server), workspace ${folder}`);
  console.log(`Open ${folderUrl}`);
  console.log('Open src/ns.c, click in the gutter to set a breakpoint, press F5. Ctrl-C stops the server.');
  console.log(`(profile: ${profile.root})`);
} catch (e) {
  await stopCodeServer(cs.child);
  fail(e instanceof Error ? e.message : String(e));
}
