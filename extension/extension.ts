// VS Code entry of Tandem (dist/extension.js): registers the `tandem` launch.json provider and the
// factory that starts the debug adapter, as a node process, inline in the extension host, or by
// connecting to `--server=PORT`. Decisions live in config-provider.ts, which has no vscode import.
import * as vscode from 'vscode';
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { LaunchHost } from '../debug-adapter/launch-rules';
import { TandemSession } from '../debug-adapter/session';
import { emulatorTargetFactory } from '../debug-adapter/main';
import { DEBUG_TYPE, chooseAdapter, fillDefaults, initialConfigurations, resolveForLaunch, type RawDebugConfiguration } from './config-provider';

function nodeHost(cwd: string): LaunchHost {
  return {
    defaultCwd: () => cwd,
    isAbsolute: (p) => isAbsolute(p),
    resolve: (base, p) => resolve(base, p),
    fileKind: (p) => (!existsSync(p) ? 'missing' : statSync(p).isFile() ? 'file' : 'other'),
  };
}

async function reportError(message: string): Promise<undefined> {
  // Returning undefined cancels the launch; the message names the field, so say it where seen.
  const open = 'Open launch.json';
  const pick = await vscode.window.showErrorMessage(message, open);
  if (pick === open) await vscode.commands.executeCommand('workbench.action.debug.configure');
  return undefined;
}

class TandemConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return initialConfigurations() as vscode.DebugConfiguration[];
  }

  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    const ws = folder ?? vscode.workspace.workspaceFolders?.[0];
    // Before variables are substituted: a folder's path stays `${workspaceFolder}` so VS Code
    // resolves it the usual way for the default too.
    const r = fillDefaults(config as RawDebugConfiguration, ws === undefined ? undefined : '${workspaceFolder}');
    if (!r.ok) return reportError(r.message);
    return r.value as vscode.DebugConfiguration;
  }

  async resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    const ws = folder ?? vscode.workspace.workspaceFolders?.[0];
    const folders = Object.fromEntries((vscode.workspace.workspaceFolders ?? []).map((f) => [f.name, f.uri.fsPath]));
    const base = ws?.uri.fsPath ?? process.cwd();
    const r = resolveForLaunch(config as RawDebugConfiguration, { workspaceFolder: ws?.uri.fsPath, folders, userHome: homedir() }, nodeHost(base));
    if (!r.ok) return reportError(r.message);
    return r.value as vscode.DebugConfiguration;
  }
}

class TandemAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly extensionPath: string) {}

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const inline = vscode.workspace.getConfiguration('tandem').get<boolean>('debugAdapter.inline');
    const choice = chooseAdapter(session.configuration as RawDebugConfiguration, inline);
    if (!choice.ok) throw new Error(choice.message);
    switch (choice.value.kind) {
      case 'server':
        return new vscode.DebugAdapterServer(choice.value.port, '127.0.0.1');
      case 'inline':
        // @vscode/debugadapter's sessions implement the inline adapter contract (handleMessage,
        // onDidSendMessage, dispose); the two packages declare it separately.
        return new vscode.DebugAdapterInlineImplementation(new TandemSession(emulatorTargetFactory) as unknown as vscode.DebugAdapter);
      case 'process':
        // The extension host's own binary runs as plain node, so users need no node install.
        return new vscode.DebugAdapterExecutable(process.execPath, [join(this.extensionPath, 'dist', 'debug-adapter.js')], { env: { ELECTRON_RUN_AS_NODE: '1' } });
    }
  }
}

export function activate(context: vscode.ExtensionContext): void {
  const provider = new TandemConfigurationProvider();
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new TandemAdapterFactory(context.extensionPath)),
  );
}

export function deactivate(): void {}
