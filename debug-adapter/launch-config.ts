// Validates and normalises the `tandem` launch arguments (board, images/program, stopAtEntry)
// before anything is built, so a bad launch.json answers with a readable error that names the
// field and what to do. The rules live in launch-rules.ts (pure) so the extension shares them.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { validateLaunchArgs, type LaunchHost, type LaunchConfig } from './launch-rules';

export { LaunchConfigError, type ImageConfig, type LaunchConfig } from './launch-rules';

/** Paths and files as node sees them from the adapter's process. */
export const nodeLaunchHost: LaunchHost = {
  defaultCwd: () => process.cwd(),
  isAbsolute: (p) => isAbsolute(p),
  resolve: (base, p) => resolve(base, p),
  fileKind: (p) => (!existsSync(p) ? 'missing' : statSync(p).isFile() ? 'file' : 'other'),
};

/** Checks the raw launch arguments; throws LaunchConfigError naming the bad field. */
export function parseLaunchConfig(raw: unknown): LaunchConfig {
  return validateLaunchArgs(raw, nodeLaunchHost);
}
