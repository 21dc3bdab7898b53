// Bundles the node entry points into dist/ with esbuild (cjs, vscode external).
// One esbuild call per run; entry points that do not exist yet are skipped so the
// build stays green while layers are added.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = {
  cli: 'cli/tandem.ts',
  extension: 'extension/extension.ts',
  'debug-adapter': 'debug-adapter/main.ts',
  'language-server': 'language-server/server.ts',
};
const entryPoints = Object.fromEntries(Object.entries(entries).filter(([, f]) => existsSync(f)));

await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: ['vscode'],
  logLevel: 'warning',
  banner: { js: '' },
});
