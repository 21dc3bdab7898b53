// Runs every *.spec.ts next to the code with node's own test runner (through tsx).
// Usage: node scripts/test.mjs [substring filter...]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = ['cli', 'devicetree', 'dwarf', 'emulator', 'debug-adapter', 'language-server', 'extension', 'webviews', 'test'];
const skip = new Set(['node_modules', 'dist', '.out']);
const found = [];
function walk(dir) {
  let names;
  try { names = readdirSync(dir); } catch { return; }
  for (const n of names) {
    if (skip.has(n)) continue;
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.spec.ts')) found.push(p);
  }
}
roots.forEach(walk);
const filters = process.argv.slice(2);
const files = filters.length ? found.filter((f) => filters.some((s) => f.includes(s))) : found;
if (files.length === 0) { console.error('no spec files matched'); process.exit(1); }
// A test that hangs fails after 10 minutes instead of holding CI until its own limit.
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=600000', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
