// A real nginx serving a WebDAV folder, as teams run a remote build cache: started in the foreground on 127.0.0.1
// with a free port and everything it writes (logs, pid, temporary bodies) in a temporary folder, so it needs no root
// paths and leaves nothing behind. One folder, several doors:
//   /cache/      GET, HEAD, PUT (dav_methods PUT DELETE; create_full_put_path on)
//   /private/    the same behind basic auth
//   /read-only/  the same, but PUT denied (limit_except GET HEAD { deny all; }: HTTP 403)
//   /no-dav/     plain static files (no dav_methods: PUT is HTTP 405)
//   /token/      the open cache, for requests with `Authorization: Bearer BEARER_TOKEN` only (else HTTP 401)
//   /broken/     a cache that is down behind its proxy (HTTP 503 to everything)
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface TestNginx {
  /** The open cache's base URL, with its trailing slash. */
  url: string;
  /** The folder every door serves: `${url}ac/KEY` is root/ac/KEY. */
  root: string;
  /** The same folder behind basic auth, for `user` and `password` (URL without credentials). */
  privateUrl: string;
  user: string;
  password: string;
  /** The same folder where PUT is denied (HTTP 403). */
  readOnlyUrl: string;
  /** The same folder without WebDAV (PUT is HTTP 405). */
  noDavUrl: string;
  /** The same folder for requests with `Authorization: Bearer BEARER_TOKEN` (else HTTP 401). */
  tokenUrl: string;
  /** Answers HTTP 503 to everything. */
  brokenUrl: string;
  /** nginx's error log, to show when a test fails. */
  errorLog: string;
  stop(): Promise<void>;
}

export const BEARER_TOKEN = 'test-token-7f3a';

const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];

function findNginx(): string {
  const onPath = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).stdout.trim();
  const found = [onPath, ...NGINX_CANDIDATES].find((candidate) => candidate && existsSync(candidate));
  // Not a skip: CI installs nginx (.ci/run), and a missing server must not pass silently.
  if (!found) throw new Error('nginx is not installed: the remote build cache tests need a real nginx (Debian: apt-get install --no-install-recommends nginx; .ci/run installs it)');
  return found;
}

/** A port nobody listens on right now (the kernel's pick); it may be taken again before nginx binds it. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function configuration(prefix: string, root: string, port: number, htpasswd: string): string {
  const temp = (name: string) => path.join(prefix, 'temp', name);
  const dav = 'dav_methods PUT DELETE; create_full_put_path on; dav_access user:rw group:r all:r;';
  return `
# Run as root, nginx would hand its worker to "nobody", who cannot write the test's private folder.
${process.getuid?.() === 0 ? 'user root;' : ''}
daemon off;
worker_processes 1;
pid ${path.join(prefix, 'nginx.pid')};
error_log ${path.join(prefix, 'error.log')} info;
events { worker_connections 256; }
http {
  access_log ${path.join(prefix, 'access.log')};
  # nginx creates its temporary folders at start even when unused: keep them all in the test's folder.
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  client_max_body_size 0;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    location /cache/ { alias ${root}/; ${dav} }
    location /private/ { alias ${root}/; ${dav} auth_basic "hocso cache"; auth_basic_user_file ${htpasswd}; }
    location /read-only/ { alias ${root}/; ${dav} limit_except GET HEAD { deny all; } }
    location /no-dav/ { alias ${root}/; }
    location /token/ { alias ${root}/; ${dav} if ($http_authorization != "Bearer ${BEARER_TOKEN}") { return 401; } }
    location /broken/ { return 503; }
  }
}
`;
}

async function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

function readIfExists(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

export async function startNginx(): Promise<TestNginx> {
  const nginx = findNginx();
  const prefix = mkdtempSync(path.join(os.tmpdir(), 'hocso-nginx-'));
  const root = path.join(prefix, 'root');
  mkdirSync(root);
  mkdirSync(path.join(prefix, 'temp'));
  const user = 'builder';
  // Characters a URL must percent-encode, to prove they are decoded. No colon: in nginx's htpasswd reader a colon
  // ends the password field too (Apache-style extra fields), so `{PLAIN}a:b` checks against "a".
  const password = 'p@ss wörd/1%';
  // nginx compares `{PLAIN}` entries as they are.
  const htpasswd = path.join(prefix, 'htpasswd');
  writeFileSync(htpasswd, `${user}:{PLAIN}${password}\n`);
  const errorLog = path.join(prefix, 'error.log');
  const confFile = path.join(prefix, 'nginx.conf');

  let lastProblem = '';
  // Another process may take the port between our look and nginx's bind: try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    writeFileSync(confFile, configuration(prefix, root, port, htpasswd));
    writeFileSync(errorLog, '');
    // -e: the log for what goes wrong before the configuration is read (Debian's default is stderr).
    const child = spawn(nginx, ['-p', prefix, '-c', confFile, '-e', errorLog], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.once('error', (error) => { stderr += error.message; });
    let exitCode: number | null | undefined;
    void exited.then((code) => { exitCode = code; });
    const started = Date.now();
    while (exitCode === undefined && Date.now() - started < 10_000) {
      if (await portAnswers(port)) {
        const killOnExit = () => child.kill('SIGTERM');
        process.once('exit', killOnExit);
        const origin = `http://127.0.0.1:${port}`;
        return {
          url: `${origin}/cache/`,
          root,
          privateUrl: `${origin}/private/`,
          user,
          password,
          readOnlyUrl: `${origin}/read-only/`,
          noDavUrl: `${origin}/no-dav/`,
          tokenUrl: `${origin}/token/`,
          brokenUrl: `${origin}/broken/`,
          errorLog,
          stop: async () => {
            process.removeListener('exit', killOnExit);
            await stopChild(child, exited);
            rmSync(prefix, { recursive: true, force: true });
          },
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (exitCode === undefined) await stopChild(child, exited);
    lastProblem = `${stderr}${readIfExists(errorLog)}`.trim() || `nginx exited with code ${exitCode}`;
    if (!/Address already in use/i.test(lastProblem)) break;
  }
  rmSync(prefix, { recursive: true, force: true });
  throw new Error(`nginx did not start:\n${lastProblem}`);
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // SIGTERM is nginx's fast stop, which also ends its worker (a SIGKILLed master would leave the worker on the port).
  child.kill('SIGTERM');
  const deadline = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(deadline);
}
