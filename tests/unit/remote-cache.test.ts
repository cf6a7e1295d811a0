// The remote build cache against a real nginx WebDAV server (tests/helpers/nginx.ts): what it stores comes back,
// what is damaged or absent is a miss, and a server that is down, slow, refusing or read-only never fails a build.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCacheUrl, RemoteStore, TieredStore } from '../../src/build-cache/remote.js';
import { LocalStore, sha256 } from '../../src/build-cache/store.js';
import { UsageError } from '../../src/project/config.js';
import { BEARER_TOKEN, freePort, startNginx, type TestNginx } from '../helpers/nginx.js';

let nginx: TestNginx;

beforeAll(async () => {
  nginx = await startNginx();
});

afterAll(async () => {
  await nginx?.stop();
});

function blob(text = randomBytes(8).toString('hex')): { key: string; bytes: Uint8Array } {
  const bytes = new TextEncoder().encode(`blob ${text}`);
  return { key: sha256(bytes), bytes };
}

function actionKey(): string {
  return randomBytes(32).toString('hex');
}

function withCredentials(base: string, user: string, password: string): string {
  const url = new URL(base);
  url.username = user;
  url.password = password;
  return url.href;
}

/** Every call on a set-aside store answers at once, whatever the server does. */
async function expectQuickMisses(store: RemoteStore): Promise<void> {
  const started = performance.now();
  const { key, bytes } = blob();
  await expect(store.get('cas', key)).resolves.toBeUndefined();
  await expect(store.has('cas', key)).resolves.toBe(false);
  await expect(store.put('cas', key, bytes)).resolves.toBeUndefined();
  expect(performance.now() - started).toBeLessThan(50);
}

describe('RemoteStore against nginx WebDAV', () => {
  it('stores and returns action results and content, in the layout of Bazel HTTP caches', async () => {
    const store = new RemoteStore(nginx.url);
    const content = blob();
    const action = { key: actionKey(), bytes: new TextEncoder().encode(JSON.stringify({ outputs: { 'a.html': content.key } })) };

    expect(await store.has('cas', content.key)).toBe(false);
    await store.put('cas', content.key, content.bytes);
    await store.put('ac', action.key, action.bytes);

    expect(await store.has('cas', content.key)).toBe(true);
    expect(await store.has('ac', action.key)).toBe(true);
    expect(Buffer.from((await store.get('cas', content.key))!)).toEqual(Buffer.from(content.bytes));
    expect(Buffer.from((await store.get('ac', action.key))!)).toEqual(Buffer.from(action.bytes));
    // Flat ac/KEY and cas/SHA256 on the server, as bazel-remote and nginx setups expect.
    expect(readFileSync(path.join(nginx.root, 'cas', content.key))).toEqual(Buffer.from(content.bytes));
    expect(readFileSync(path.join(nginx.root, 'ac', action.key))).toEqual(Buffer.from(action.bytes));
    expect(store.stats).toEqual({ hits: 2, misses: 0, uploads: 2, bytesDown: content.bytes.length + action.bytes.length, bytesUp: content.bytes.length + action.bytes.length });
    expect(store.warnings()).toEqual([]);
  });

  it('carries a blob of several megabytes both ways', async () => {
    const bytes = randomBytes(6 * 1024 * 1024);
    const key = sha256(bytes);
    const store = new RemoteStore(nginx.url);
    await store.put('cas', key, bytes);
    expect(sha256((await store.get('cas', key))!)).toBe(key);
    expect(store.warnings()).toEqual([]);
  });

  it('takes a blob changed on the server for a miss', async () => {
    const store = new RemoteStore(nginx.url);
    const { key, bytes } = blob();
    await store.put('cas', key, bytes);
    writeFileSync(path.join(nginx.root, 'cas', key), 'tampered');
    expect(await store.get('cas', key)).toBeUndefined();
    expect(store.stats.misses).toBe(1);
    expect(store.warnings()).toEqual([]);
  });

  it('takes a 404 for a miss and keeps using the server', async () => {
    const store = new RemoteStore(nginx.url);
    expect(await store.get('ac', actionKey())).toBeUndefined();
    expect(await store.has('cas', blob().key)).toBe(false);
    expect(store.enabled).toBe(true);
    const { key, bytes } = blob();
    await store.put('cas', key, bytes);
    expect(await store.get('cas', key)).toBeDefined();
    expect(store.warnings()).toEqual([]);
  });
});

describe('a remote cache that fails', () => {
  it('is set aside with one warning when nothing listens, then answers at once', async () => {
    const port = await freePort();
    const store = new RemoteStore(`http://127.0.0.1:${port}/`);
    // A build asks many things at once: still one warning.
    const answers = await Promise.all([...Array(8)].map(() => store.get('cas', blob().key)));
    expect(answers).toEqual(Array(8).fill(undefined));
    expect(store.warnings()).toEqual([`remote cache http://127.0.0.1:${port}/ unreachable (ECONNREFUSED): building without it`]);
    expect(store.enabled).toBe(false);
    await expectQuickMisses(store);
    expect(store.warnings()).toHaveLength(1);
  });

  it('is set aside when the server does not answer in time', async () => {
    // Not a cache at all: a port that accepts connections and never says a word.
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const store = new RemoteStore(`http://127.0.0.1:${port}/cache`, { timeoutMs: 300 });
      const started = performance.now();
      expect(await store.has('ac', actionKey())).toBe(false);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(store.warnings()).toEqual([`remote cache http://127.0.0.1:${port}/cache/ did not answer within 0.3 s: building without it`]);
      await expectQuickMisses(store);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('is set aside when the server fails (HTTP 503)', async () => {
    const store = new RemoteStore(nginx.brokenUrl);
    expect(await store.get('ac', actionKey())).toBeUndefined();
    expect(store.warnings()).toEqual([`remote cache ${nginx.brokenUrl} failed (HTTP 503): building without it`]);
    await expectQuickMisses(store);
  });

  for (const [door, status] of [['readOnlyUrl', 403], ['noDavUrl', 405]] as const) {
    it(`is read from but not written to when it refuses uploads (HTTP ${status})`, async () => {
      const writer = new RemoteStore(nginx.url);
      const present = blob();
      await writer.put('cas', present.key, present.bytes);

      const store = new RemoteStore(nginx[door]);
      const first = blob();
      await store.put('cas', first.key, first.bytes);
      await store.put('cas', blob().key, blob().bytes);
      expect(store.warnings()).toHaveLength(1);
      expect(store.warnings()[0]).toMatch(new RegExp(`^remote cache ${nginx[door]} does not accept uploads \\(HTTP ${status}\\): using it read-only`));
      expect(store.warnings()[0]).toContain('dav_methods PUT; create_full_put_path on;');
      expect(await store.has('cas', first.key)).toBe(false);
      // Still worth reading: what others uploaded comes back.
      expect(Buffer.from((await store.get('cas', present.key))!)).toEqual(Buffer.from(present.bytes));
      expect(store.stats.uploads).toBe(0);
      expect(store.stats.hits).toBe(1);
    });
  }
});

describe('credentials', () => {
  it('sends user:password from the URL as basic auth, and never shows them', async () => {
    const url = withCredentials(nginx.privateUrl, nginx.user, nginx.password);
    expect(url).toContain('@127.0.0.1');
    const store = new RemoteStore(url);
    expect(store.displayUrl).toBe(nginx.privateUrl);
    const { key, bytes } = blob();
    await store.put('cas', key, bytes);
    expect(Buffer.from((await store.get('cas', key))!)).toEqual(Buffer.from(bytes));
    expect(await store.has('cas', key)).toBe(true);
    expect(store.warnings()).toEqual([]);
  });

  it('says the server refused the request when the password is wrong, without the password', async () => {
    const secret = 'wrong-s3cret';
    const store = new RemoteStore(withCredentials(nginx.privateUrl, nginx.user, secret));
    expect(await store.get('cas', blob().key)).toBeUndefined();
    expect(store.warnings()).toEqual([
      `remote cache ${nginx.privateUrl} refused the request (HTTP 401): check the credentials (user:password@ in --cache-url, or HOCSO_CACHE_TOKEN); building without it`,
    ]);
    expect(store.warnings().join('\n')).not.toContain(secret);
    expect(store.warnings().join('\n')).not.toContain(nginx.user);
    await expectQuickMisses(store);
  });

  it('says the server refused the request when credentials are missing', async () => {
    const store = new RemoteStore(nginx.privateUrl, { token: '' });
    expect(await store.has('ac', actionKey())).toBe(false);
    expect(store.warnings()[0]).toMatch(/refused the request \(HTTP 401\): check the credentials/);
  });

  it('sends HOCSO_CACHE_TOKEN as a bearer token', async () => {
    const saved = process.env.HOCSO_CACHE_TOKEN;
    process.env.HOCSO_CACHE_TOKEN = BEARER_TOKEN;
    try {
      const store = new RemoteStore(nginx.tokenUrl);
      const { key, bytes } = blob();
      await store.put('cas', key, bytes);
      expect(await store.get('cas', key)).toBeDefined();
      expect(store.warnings()).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.HOCSO_CACHE_TOKEN;
      else process.env.HOCSO_CACHE_TOKEN = saved;
    }
    const refused = new RemoteStore(nginx.tokenUrl, { token: 'not-the-token' });
    expect(await refused.get('cas', blob().key)).toBeUndefined();
    expect(refused.warnings()[0]).toMatch(/refused the request \(HTTP 401\)/);
    expect(refused.warnings()[0]).not.toContain('not-the-token');
  });
});

describe('parseCacheUrl', () => {
  it('gives a base that keys resolve under', () => {
    expect(parseCacheUrl('http://cache.example:8080/hocso').href).toBe('http://cache.example:8080/hocso/');
    expect(parseCacheUrl(' https://cache.example/ ').href).toBe('https://cache.example/');
    expect(new URL('ac/KEY', parseCacheUrl('http://cache.example/a/b')).href).toBe('http://cache.example/a/b/ac/KEY');
  });

  it('refuses what is not an http(s) URL, with a hint and without the password', () => {
    for (const text of ['cache.example:8080', 'ftp://cache.example/', 'file:///tmp/cache', 'http://cache.example/?x=1', 'http://user:hunter2@[bad/']) {
      let error: unknown;
      try {
        parseCacheUrl(text);
      } catch (caught) {
        error = caught;
      }
      expect(error, text).toBeInstanceOf(UsageError);
      expect((error as UsageError).hint).toContain('--cache-url http://cache.example:8080/hocso');
      expect((error as UsageError).message).not.toContain('hunter2');
    }
    expect(() => new RemoteStore('ftp://user:hunter2@cache.example/')).toThrow(UsageError);
  });
});

describe('TieredStore', () => {
  let localDir: string;
  beforeAll(() => {
    localDir = mkdtempSync(path.join(os.tmpdir(), 'hocso-tiered-'));
  });
  afterAll(() => rmSync(localDir, { recursive: true, force: true }));

  it('fills the local cache from the remote one', async () => {
    const { key, bytes } = blob();
    await new RemoteStore(nginx.url).put('cas', key, bytes);

    const local = new LocalStore(path.join(localDir, 'fill'));
    const remote = new RemoteStore(nginx.url);
    const tiered = new TieredStore(local, remote);
    expect(await local.has('cas', key)).toBe(false);
    expect(await tiered.has('cas', key)).toBe(true);
    expect(Buffer.from((await tiered.get('cas', key))!)).toEqual(Buffer.from(bytes));
    expect(await local.has('cas', key)).toBe(true);
    // The second time it comes from the local folder.
    await tiered.get('cas', key);
    expect(remote.stats.hits).toBe(1);
  });

  it('uploads what the remote lacks, and only that', async () => {
    const already = blob();
    await new RemoteStore(nginx.url).put('cas', already.key, already.bytes);
    const fresh = blob();

    const local = new LocalStore(path.join(localDir, 'upload'));
    const remote = new RemoteStore(nginx.url);
    const tiered = new TieredStore(local, remote);
    await tiered.put('cas', already.key, already.bytes);
    await tiered.put('cas', fresh.key, fresh.bytes);
    expect(remote.stats.uploads).toBe(1);
    expect(readFileSync(path.join(nginx.root, 'cas', fresh.key))).toEqual(Buffer.from(fresh.bytes));
    expect(await local.has('cas', already.key)).toBe(true);
    expect(await local.has('cas', fresh.key)).toBe(true);
  });

  it('works from the local cache alone when the remote is down', async () => {
    const local = new LocalStore(path.join(localDir, 'down'));
    const remote = new RemoteStore(`http://127.0.0.1:${await freePort()}/`);
    const tiered = new TieredStore(local, remote);
    const { key, bytes } = blob();
    await tiered.put('cas', key, bytes);
    expect(Buffer.from((await tiered.get('cas', key))!)).toEqual(Buffer.from(bytes));
    expect(await tiered.get('cas', blob().key)).toBeUndefined();
    expect(remote.warnings()).toHaveLength(1);
  });

  it('is the local cache alone without a remote', async () => {
    const local = new LocalStore(path.join(localDir, 'alone'));
    mkdirSync(local.dir, { recursive: true });
    const tiered = new TieredStore(local);
    const { key, bytes } = blob();
    expect(await tiered.get('cas', key)).toBeUndefined();
    await tiered.put('cas', key, bytes);
    expect(await tiered.has('cas', key)).toBe(true);
  });
});
