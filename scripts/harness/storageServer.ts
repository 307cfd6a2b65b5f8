// Child-process entry: serves firebase-tools' Storage emulator without its Java rules runtime.
// StorageEmulator.start() would launch that runtime (Java 21 plus a download), so instead the HTTP app
// from createApp() is served here. It is registered with EmulatorRegistry because the app builds
// selfLink/mediaLink URLs from the registry. The GCS JSON API works fully; the Firebase client routes
// (/v0/...) deny everything since no rules are loaded. These are firebase-tools internals: it is pinned.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

const require = createRequire(import.meta.url);

/** The Express app createApp() returns: a request handler. */
type StorageApp = (req: IncomingMessage, res: ServerResponse) => void;
interface StorageEmulatorInstance {
  getInfo(): { name: string; host: string; port: number };
  getName(): string;
}

const { StorageEmulator } = require('firebase-tools/lib/emulator/storage/index.js') as {
  StorageEmulator: new (args: {
    projectId: string;
    host: string;
    port: number;
    rules: { name: string; content: string };
    auto_download: boolean;
  }) => StorageEmulatorInstance;
};
const { createApp } = require('firebase-tools/lib/emulator/storage/server.js') as {
  createApp(projectId: string, emulator: StorageEmulatorInstance): Promise<StorageApp>;
};
const { EmulatorRegistry } = require('firebase-tools/lib/emulator/registry.js') as {
  EmulatorRegistry: {
    start(instance: {
      getName(): string;
      getInfo(): { name: string; host: string; port: number };
      start(): Promise<void>;
      connect(): Promise<void>;
      stop(): Promise<void>;
    }): Promise<void>;
  };
};

const [projectId, host, portText, rulesPath] = process.argv.slice(2);
if (!projectId || !host || !portText || !rulesPath) {
  process.stderr.write('usage: storageServer <projectId> <host> <port> <storage.rules>\n');
  process.exit(2);
}
const port = Number(portText);

const emulator = new StorageEmulator({
  projectId,
  host,
  port,
  rules: { name: rulesPath, content: readFileSync(rulesPath, 'utf8') },
  auto_download: false,
});
let server: Server | undefined;

await EmulatorRegistry.start({
  getName: () => emulator.getName(),
  getInfo: () => emulator.getInfo(),
  connect: async () => undefined,
  stop: async () => undefined,
  start: async () => {
    const app = await createApp(projectId, emulator);
    await new Promise<void>((resolve) => {
      server = createServer(honourResponseDisposition(app)).listen(port, host, resolve);
    });
  },
});
/**
 * GCS answers a signed URL's `response-content-disposition` query parameter with that Content-Disposition
 * (how a download is saved under a chosen name); the emulator ignores it and always sends its own
 * ("attachment; filename*=<name>", without the charset RFC 5987 requires, so browsers name the file after
 * the URL). Honouring it here lets the functions hand out the same kind of download URL locally.
 */
function honourResponseDisposition(app: StorageApp): StorageApp {
  return (req, res) => {
    const wanted = new URL(req.url ?? '/', 'http://storage').searchParams.get('response-content-disposition');
    if (wanted) {
      const setHeader = res.setHeader.bind(res);
      res.setHeader = (name, value) =>
        setHeader(name, name.toLowerCase() === 'content-disposition' ? wanted : value);
    }
    app(req, res);
  };
}

process.stdout.write(`storage emulator (no rules runtime) listening on http://${host}:${port}\n`);

// Stop cleanly on the harness's signal. The blobs live under $TMPDIR, which the harness points at
// .emulators/tmp and clears itself.
function shutdown(): void {
  server?.closeAllConnections();
  server?.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
