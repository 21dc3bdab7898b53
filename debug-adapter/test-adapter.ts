// Spec fixture: one in-process adapter server per spec file on a free 127.0.0.1 port, and
// DebugClients connected to it and initialized as VS Code does. The server closes after the file.
import { after, before } from 'node:test';
import type { Server } from 'node:net';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { serve } from './main';

export function adapterServer(): { client(): Promise<DebugClient>; port(): number } {
  let server: Server | undefined;
  let port = 0;
  before(async () => { ({ server, port } = await serve(0)); });
  after(() => { server?.close(); });
  return {
    port: () => port,
    async client() {
      const dc = new DebugClient('node', 'unused', 'tandem');
      dc.defaultTimeout = 10_000;
      await dc.start(port);
      await dc.initializeRequest({ adapterID: 'tandem', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      return dc;
    },
  };
}
