// Entry of dist/debug-adapter.js: one DAP session over stdio (how VS Code starts an adapter),
// or `--server=PORT` to accept any number of sessions over TCP on 127.0.0.1 (tests, inline
// debugging of the adapter). PORT 0 picks a free port and prints it on stderr.
import { createServer, type AddressInfo, type Server } from 'node:net';
import { TandemSession, type TargetFactory } from './session';
import { EmulatorTarget } from './emulator-target';

/** The built-in emulator as the target; its warnings go to the debug console. */
export const emulatorTargetFactory: TargetFactory = async (board, log) => new EmulatorTarget(board, { onWarning: log });

/** Listens for DAP sessions on 127.0.0.1:port; resolves with the bound port. */
export function serve(port: number, factory: TargetFactory = emulatorTargetFactory): Promise<{ server: Server; port: number }> {
  return new Promise((resolveP, reject) => {
    const server = createServer((socket) => {
      const session = new TandemSession(factory);
      session.setRunAsServer(true);
      session.start(socket, socket);
    });
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => resolveP({ server, port: (server.address() as AddressInfo).port }));
  });
}

function main(): void {
  const arg = process.argv.slice(2).find((a) => a.startsWith('--server='));
  if (arg !== undefined) {
    const port = Number(arg.slice('--server='.length));
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(`tandem debug adapter: ${arg}: the port must be a number from 0 to 65535\n`);
      process.exit(2);
    }
    serve(port).then(({ port: p }) => process.stderr.write(`tandem debug adapter listening on 127.0.0.1:${p}\n`), (e: Error) => {
      process.stderr.write(`tandem debug adapter: cannot listen on port ${port}: ${e.message}\n`);
      process.exit(1);
    });
    return;
  }
  const session = new TandemSession(emulatorTargetFactory);
  process.on('SIGTERM', () => session.shutdown());
  session.start(process.stdin, process.stdout);
}

// Run only as the program (dist/debug-adapter.js), not when a test imports serve().
if (require.main === module) main();
