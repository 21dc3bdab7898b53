// Types of scripts/code-server.mjs, for the end-to-end specs (test/e2e) that import it.
// The script itself stays plain JavaScript so `npm start` needs no TypeScript loader.
import type { ChildProcess } from 'node:child_process';

export const CODE_SERVER_VERSION: string;
export function cacheRoot(): string;
export function installDir(): string;
export function entryScript(dir?: string): string;
export function ensureCodeServer(options?: { log?: (line: string) => void }): string;
export function installSeconds(dir?: string): number | undefined;
export const PROFILE_SETTINGS: Readonly<Record<string, unknown>>;
export interface Profile { root: string; userDataDir: string; extensionsDir: string; configFile: string }
export function prepareProfile(root: string, extraSettings?: Record<string, unknown>): Profile;
export function installVsix(dir: string, profile: Profile, vsix: string): string;
export function freePort(): Promise<number>;
export function startCodeServer(dir: string, profile: Profile, options: {
  port: number; folder: string; timeoutMs?: number; onOutput?: (text: string) => void;
}): { child: ChildProcess; ready: Promise<string>; output: () => string };
export function stopCodeServer(child: ChildProcess, graceMs?: number): Promise<void>;
