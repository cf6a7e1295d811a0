// Real browser parts for the end-to-end tests: Debian's Chromium driven by playwright-core, and a small static HTTP
// server (pages in frames need one origin: file:// frames in different folders cannot reach each other).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's package (`apt-get install chromium`); HOCSO_CHROMIUM points elsewhere. */
export const CHROMIUM = process.env.HOCSO_CHROMIUM ?? '/usr/bin/chromium';

/** A headless Chromium. Fails, never skips, when the browser is missing: these tests are the proof the runtime works. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: the SCORM runtime tests play packages in a real browser. Install it (Debian/Ubuntu: \`apt-get install chromium\`) or set HOCSO_CHROMIUM to its executable.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.xsd': 'application/xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
  '.vtt': 'text/vtt; charset=utf-8',
};

export interface StaticServer {
  origin: string;
  /** Serves `dir` under `/prefix/` from now on. */
  mount(prefix: string, dir: string): void;
  close(): Promise<void>;
}

/**
 * Serves folders under URL prefixes on 127.0.0.1. `handlers` answer other paths (e.g. an LMS endpoint) and get
 * the request body.
 */
export async function serveStatic(mounts: Record<string, string>, handlers: Record<string, (body: string, res: ServerResponse) => void> = {}): Promise<StaticServer> {
  const table = new Map(Object.entries(mounts));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handler = handlers[url.pathname];
    if (handler) {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => handler(body, res));
      return;
    }
    const [, prefix = '', ...rest] = url.pathname.split('/');
    const root = table.get(prefix);
    const file = root && path.join(root, ...rest.map(decodeURIComponent));
    if (!file || !file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    mount: (prefix, dir) => table.set(prefix, dir),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
