// The end-to-end harness: code-server (scripts/code-server.mjs) with Tandem's .vsix installed, driven
// through Debian's Chromium by playwright-core, as a user would drive VS Code. Every wait is bounded;
// close() ends chromium and the code-server process group whatever happened before.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  ensureCodeServer, freePort, installSeconds, installVsix, prepareProfile, startCodeServer, stopCodeServer, type Profile,
} from '../../scripts/code-server.mjs';

export const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
/** Kept by CI, ignored by git: one screenshot per step, the code-server and extension host logs. */
export const ARTIFACTS = join(REPO, '.e2e-artifacts');
export const CHROMIUM = '/usr/bin/chromium';
// The flags that work headless on these machines (TOOLCHAINS.md); playwright adds --headless.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Settings on top of the throwaway profile's: typing in editors must produce exactly what was typed. */
const TEST_SETTINGS = {
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoSurround': 'never',
  'editor.autoIndent': 'none',
  'editor.formatOnType': false,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.minimap.enabled': false,
  'workbench.editor.enablePreview': false,
  'debug.openDebug': 'openOnSessionStart',
  'window.restoreWindows': 'none',
};

/** Newest modification time of the TypeScript sources that go into the bundles (bounded walk). */
function newestSource(): { file: string; mtime: number } {
  let best = { file: '', mtime: 0 };
  let budget = 20_000;
  const walk = (d: string): void => {
    let names: string[];
    try { names = readdirSync(d); } catch { return; }
    for (const n of names) {
      if (--budget < 0 || n === 'node_modules' || n === 'testdata') continue;
      const p = join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (n.endsWith('.ts') && !n.endsWith('.spec.ts') && st.mtimeMs > best.mtime) best = { file: p, mtime: st.mtimeMs };
    }
  };
  for (const d of ['extension', 'debug-adapter', 'emulator', 'dwarf', 'devicetree', 'cli']) walk(join(REPO, d));
  return best;
}

/**
 * Packages tandem-<version>.vsix from dist/ into `outDir` with the project's own vsce. dist/ is
 * not rebuilt here (other specs may be reading it); `npm test` builds first.
 */
export function packageVsix(outDir: string): string {
  for (const b of ['extension.js', 'debug-adapter.js']) {
    const f = join(REPO, 'dist', b);
    if (!existsSync(f)) throw new Error(`${f} is missing: run 'npm run build' (npm test does) before the end-to-end specs`);
    const src = newestSource();
    // A warning, not an error: in a shared checkout a source may change while npm test runs.
    if (statSync(f).mtimeMs + 1000 < src.mtime) process.stderr.write(`[e2e] warning: ${f} is older than ${src.file}; 'npm run build' to test the current sources\n`);
  }
  const vsce = join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
  if (!existsSync(vsce)) throw new Error(`${vsce} is missing: @vscode/vsce is a devDependency, run 'npm ci'`);
  const out = join(outDir, 'tandem.vsix');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out], {
    cwd: REPO, encoding: 'utf8', timeout: 120_000,
  });
  if (r.status !== 0 || !existsSync(out)) throw new Error(`vsce package failed (${r.error?.message ?? `status ${r.status}`}):\n${r.stdout}${r.stderr}`);
  return out;
}

export interface WorkbenchTimes { codeServerInstallS: number; setupS: number; workbenchS: number }

export class Workbench {
  private browser: Browser | undefined;
  private server: { child: ChildProcess; output: () => string } | undefined;
  private shot = 0;
  private killOnExit: (() => void) | undefined;
  page!: Page;
  profile!: Profile;
  /** A copy of the sample, so that nothing the test types or VS Code writes lands in the repository. */
  folder!: string;
  readonly times: WorkbenchTimes = { codeServerInstallS: 0, setupS: 0, workbenchS: 0 };

  private constructor(readonly tmp: string, readonly name: string) {}

  /** Installs what is missing, starts code-server on the sample, opens it in chromium. */
  /** `settings` go on top of the test profile's (e.g. workspace trust turned back on). */
  static async open(sample: string, name: string, settings: Record<string, unknown> = {}): Promise<Workbench> {
    const wb = new Workbench(mkdtempSync(join(tmpdir(), 'tandem-e2e-')), name);
    try {
      await wb.start(sample, settings);
    } catch (e) {
      await wb.close();
      throw e;
    }
    return wb;
  }

  private async start(sample: string, settings: Record<string, unknown>): Promise<void> {
    const t0 = performance.now();
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: the end-to-end tests drive Debian's chromium. Run 'npm run setup' (scripts/setup.sh installs it with apt).`);
    }
    const installT0 = performance.now();
    const dir = ensureCodeServer({ log: (s: string) => process.stderr.write(`[code-server install] ${s}\n`) });
    this.times.codeServerInstallS = (performance.now() - installT0) / 1000;
    const recorded = installSeconds(dir);
    if (recorded !== undefined) process.stderr.write(`[e2e] code-server install (cached) took ${recorded} s when it ran\n`);

    const src = join(REPO, 'sample-workspaces', sample);
    if (!existsSync(join(src, '.vscode', 'launch.json'))) throw new Error(`sample ${src} has no .vscode/launch.json`);
    this.folder = join(this.tmp, sample);
    cpSync(src, this.folder, { recursive: true, filter: (p) => !p.includes(`${sample}/build`) });
    this.profile = prepareProfile(join(this.tmp, 'profile'), { ...TEST_SETTINGS, ...settings });
    installVsix(dir, this.profile, packageVsix(this.tmp));
    mkdirSync(this.shotDir(), { recursive: true });

    const port = await freePort();
    const cs = startCodeServer(dir, this.profile, { port, folder: this.folder, timeoutMs: 60_000 });
    this.server = cs;
    // code-server runs in its own process group; if this process ends without close() (a runner
    // timeout, an uncaught error), take the group down with it.
    const pid = cs.child.pid;
    this.killOnExit = () => { if (pid !== undefined) try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } };
    process.once('exit', this.killOnExit);
    const url = await cs.ready;
    this.times.setupS = (performance.now() - t0) / 1000;

    const w0 = performance.now();
    this.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
    this.page = await this.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    this.page.setDefaultTimeout(30_000);
    await this.page.goto(`${url}?folder=${encodeURIComponent(this.folder)}`, { timeout: 60_000 });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The explorer lists the folder once the remote file system answers.
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    this.times.workbenchS = (performance.now() - w0) / 1000;
  }

  shotDir(): string { return join(ARTIFACTS, this.name); }

  async screenshot(label: string): Promise<string> {
    const file = join(this.shotDir(), `${String(++this.shot).padStart(2, '0')}-${label.replace(/[^\w-]+/g, '-')}.png`);
    try { await this.page.screenshot({ path: file, timeout: 10_000 }); } catch { /* a failed screenshot must not hide the failure */ }
    return file;
  }

  /** The server's output and the newest extension host log, for a failure message. */
  diagnostics(): string {
    const parts = [`--- code-server output (tail) ---\n${(this.server?.output() ?? '').split('\n').slice(-40).join('\n')}`];
    for (const f of this.extensionHostLogs()) parts.push(`--- ${f} (tail) ---\n${readFileSync(f, 'utf8').split('\n').slice(-40).join('\n')}`);
    return parts.join('\n');
  }

  /** Extension host logs of this profile (code-server writes them under the user data dir). */
  extensionHostLogs(): string[] {
    const found: string[] = [];
    const walk = (d: string, depth: number): void => {
      if (depth > 6) return;
      let names: string[];
      try { names = readdirSync(d); } catch { return; }
      for (const n of names) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p, depth + 1);
        else if (/exthost\.log$/.test(n)) found.push(p);
      }
    };
    walk(join(this.profile.userDataDir, 'logs'), 0);
    return found.sort();
  }

  /** Error notifications seen so far (toast text → the first step that showed it). */
  readonly errorToasts = new Map<string, string>();

  private async noteErrorToasts(label: string): Promise<void> {
    try {
      const texts = await this.page.locator('.notifications-toasts .notification-list-item:has(.codicon-error) .notification-list-item-message')
        .evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
      for (const t of texts) if (!this.errorToasts.has(t)) this.errorToasts.set(t, label);
    } catch { /* the page is gone */ }
  }

  /** Runs one step; on failure adds the logs; in every case leaves a screenshot. */
  async step<T>(label: string, fn: () => Promise<T>): Promise<T> {
    try {
      const r = await fn();
      await this.noteErrorToasts(label);
      await this.screenshot(label);
      return r;
    } catch (e) {
      await this.noteErrorToasts(label);
      const shot = await this.screenshot(`${label}-FAILED`);
      const msg = e instanceof Error ? e.message : String(e);
      throw new Error(`${label}: ${msg}\nscreenshot: ${shot}\n${this.diagnostics()}`, { cause: e });
    }
  }

  // ---------------------------------------------------------------- workbench actions

  /** F1, type the command's label, run the entry whose label is exactly that. */
  async command(label: string): Promise<void> {
    const p = this.page;
    await p.keyboard.press('F1');
    const input = p.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${label}`);
    const row = p.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ state: 'visible' });
    await p.keyboard.press('Enter');
    await p.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Quick open (Ctrl+P) a workspace file by its relative path; waits until its tab is active. */
  async openFile(relPath: string): Promise<void> {
    const p = this.page;
    const base = relPath.split('/').pop() ?? relPath;
    await p.keyboard.press('Control+P');
    const input = p.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(relPath);
    await p.locator('.quick-input-list .monaco-list-row', { hasText: base }).first().waitFor({ state: 'visible' });
    await p.keyboard.press('Enter');
    await this.waitFor(async () => (await this.activeTab()) === base, `the editor tab of ${relPath}`);
    await p.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
  }

  /** Go to line (Ctrl+G) in the active editor. */
  async goToLine(line: number): Promise<void> {
    const p = this.page;
    await p.keyboard.press('Control+G');
    const input = p.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}`);
    await p.keyboard.press('Enter');
    await this.waitFor(async () => (await this.cursor())?.line === line, `the cursor on line ${line}`);
  }

  /** The active editor tab's file name. */
  async activeTab(): Promise<string | undefined> {
    const t = this.page.locator('.editor-group-container.active .tab.active .label-name').first();
    if ((await t.count()) === 0) return undefined;
    return (await t.textContent({ timeout: 2000 }))?.trim();
  }

  /** The cursor position from the status bar ("Ln 55, Col 5"). */
  async cursor(): Promise<{ line: number; col: number } | undefined> {
    const s = this.page.locator('[id="status.editor.selection"]').first();
    if ((await s.count()) === 0) return undefined;
    const m = /Ln (\d+), Col (\d+)/.exec((await s.textContent({ timeout: 2000 })) ?? '');
    return m ? { line: Number(m[1]), col: Number(m[2]) } : undefined;
  }

  /**
   * The line that the debugger's top-stack-frame decoration marks in the active editor, read off
   * the line number drawn at the same height (undefined if there is no such decoration).
   */
  async stoppedLine(): Promise<number | undefined> {
    return this.page.locator('.editor-group-container.active .monaco-editor').first().evaluate((ed) => {
      const deco = ed.querySelector('.debug-top-stack-frame-line');
      if (deco === null) return undefined;
      const top = deco.getBoundingClientRect().top;
      for (const n of ed.querySelectorAll('.margin-view-overlays .line-numbers')) {
        if (Math.abs(n.getBoundingClientRect().top - top) < 3) return Number((n.textContent ?? '').trim());
      }
      return undefined;
    }).catch(() => undefined);
  }

  /** Polls `cond` until it holds or `timeoutMs` passes; the error names what was awaited. */
  async waitFor(cond: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    let last: unknown;
    while (performance.now() < deadline) {
      try { if (await cond()) return; } catch (e) { last = e; }
      await this.page.waitForTimeout(200);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}`);
  }

  /** Rows (label text) of a list or tree inside `container`. */
  async rows(container: string): Promise<string[]> {
    return this.page.locator(`${container} .monaco-list-row`).evaluateAll((els) => els.map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()));
  }

  /** Stack frames of the Call Stack view as `function file`, from its label and file-name parts. */
  async stackFrames(): Promise<string[]> {
    return this.page.locator('.debug-call-stack .monaco-list-row .stack-frame').evaluateAll((els) => els.map((e) =>
      `${e.querySelector('.label')?.textContent?.trim() ?? ''} ${e.querySelector('.file-name')?.textContent?.trim() ?? ''}`));
  }

  async close(): Promise<void> {
    try { await this.browser?.close(); } catch { /* already gone */ }
    if (this.server) await stopCodeServer(this.server.child);
    if (this.killOnExit) process.removeListener('exit', this.killOnExit);
    // Keep the logs next to the screenshots for CI; the rest of the temp folder goes.
    try {
      if (this.profile && existsSync(this.shotDir())) {
        const logs = this.extensionHostLogs().map((f) => `=== ${f}\n${readFileSync(f, 'utf8')}`).join('\n');
        writeFileSync(join(this.shotDir(), 'exthost.log'), logs);
        writeFileSync(join(this.shotDir(), 'code-server.log'), this.server?.output() ?? '');
      }
    } catch { /* best effort */ }
    rmSync(this.tmp, { recursive: true, force: true });
  }
}
