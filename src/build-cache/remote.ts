// The remote half of the build cache: an HTTP server in the layout of Bazel's HTTP cache, bazel-remote or an nginx
// WebDAV folder (GET, HEAD and PUT on BASE/ac/KEY and BASE/cas/SHA256). A remote cache only ever speeds a build up:
// the first time it fails (unreachable, too slow, refusing) it is set aside for the rest of the run with one warning,
// and the build goes on from the local cache and its own work.
import { type BlobStore, checkedBlob, type StoreArea } from './store.js';
import { UsageError } from '../project/config.js';

const CACHE_URL_HINT = 'A cache URL is the base of an HTTP build cache (bazel-remote, nginx WebDAV), e.g. --cache-url http://cache.example:8080/hocso (credentials as http://user:password@host/…, or in HOCSO_CACHE_TOKEN).';
const NGINX_UPLOAD_HINT = 'nginx needs `dav_methods PUT; create_full_put_path on;` in the cache location';

/** The cache URL given on the command line, as a base that `new URL('ac/KEY', base)` resolves under. */
export function parseCacheUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UsageError(`not a cache URL: ${redactCredentials(text.trim())}`, CACHE_URL_HINT);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new UsageError(`not an http(s) cache URL: ${withoutCredentials(url)}`, CACHE_URL_HINT);
  }
  // A query or fragment would be dropped from every key's URL: refuse it rather than ignore it.
  if (url.search || url.hash) throw new UsageError(`a cache URL has no query or fragment: ${withoutCredentials(url)}`, CACHE_URL_HINT);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** The URL as it may be shown: never with its password (nor its user name, which often is a token). */
function withoutCredentials(url: URL): string {
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  return shown.href;
}

/** For text that is not even a URL: hide whatever sits between `//` and `@`. */
function redactCredentials(text: string): string {
  return text.replace(/\/\/[^/@]*@/, '//…@');
}

export interface RemoteStoreOptions {
  /** How long one request may take, body included (ms). */
  timeoutMs?: number;
  /** A bearer token, used when the URL has no user (default: HOCSO_CACHE_TOKEN). */
  token?: string;
}

export interface RemoteStoreStats {
  /** get() calls answered with usable bytes. */
  hits: number;
  /** get() calls answered with nothing: absent, damaged, or the store set aside. */
  misses: number;
  /** PUTs the server accepted. */
  uploads: number;
  bytesDown: number;
  bytesUp: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Why a request did not give an answer the store can use: becomes the one warning, and sets the store aside. */
class RemoteCacheFailure extends Error {
  constructor(message: string, readonly uploadsOnly = false) {
    super(message);
  }
}

export class RemoteStore implements BlobStore {
  readonly stats: RemoteStoreStats = { hits: 0, misses: 0, uploads: 0, bytesDown: 0, bytesUp: 0 };
  /** The base URL without credentials: what messages show. */
  readonly displayUrl: string;
  private readonly base: URL;
  private readonly authorization?: string;
  private readonly timeoutMs: number;
  private readonly recordedWarnings: string[] = [];
  private disabled = false;
  private uploadsDisabled = false;

  constructor(url: string | URL, options: RemoteStoreOptions = {}) {
    const parsed = parseCacheUrl(typeof url === 'string' ? url : url.href);
    // Node's fetch refuses URLs with credentials: they travel in the Authorization header instead.
    if (parsed.username) {
      const user = decodeUserInfo(parsed.username);
      const password = decodeUserInfo(parsed.password);
      this.authorization = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
    } else {
      const token = options.token ?? process.env.HOCSO_CACHE_TOKEN;
      if (token) this.authorization = `Bearer ${token}`;
    }
    parsed.username = '';
    parsed.password = '';
    this.base = parsed;
    this.displayUrl = parsed.href;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** What went wrong with the remote cache this run, each said once, ready to show. */
  warnings(): string[] {
    return [...this.recordedWarnings];
  }

  /** False once the remote cache has been set aside for this run. */
  get enabled(): boolean {
    return !this.disabled;
  }

  async get(area: StoreArea, key: string): Promise<Uint8Array | undefined> {
    const bytes = this.disabled ? undefined : await this.attempt(async () => {
      const response = await this.request('GET', area, key);
      if (response.status === 404) return discard(response, undefined);
      if (response.status !== 200) throw this.failureFor('GET', response);
      const body = new Uint8Array(await response.arrayBuffer());
      this.stats.bytesDown += body.byteLength;
      return body;
    }, undefined);
    const checked = checkedBlob(area, key, bytes);
    if (checked) this.stats.hits++;
    else this.stats.misses++;
    return checked;
  }

  async has(area: StoreArea, key: string): Promise<boolean> {
    if (this.disabled) return false;
    return this.attempt(async () => {
      const response = await this.request('HEAD', area, key);
      if (response.status === 200) return discard(response, true);
      if (response.status === 404) return discard(response, false);
      throw this.failureFor('HEAD', response);
    }, false);
  }

  async put(area: StoreArea, key: string, bytes: Uint8Array): Promise<void> {
    if (this.disabled || this.uploadsDisabled) return;
    await this.attempt(async () => {
      const response = await this.request('PUT', area, key, bytes);
      if (!response.ok) throw this.failureFor('PUT', response);
      this.stats.uploads++;
      this.stats.bytesUp += bytes.byteLength;
      return discard(response, undefined);
    }, undefined);
  }

  private async request(method: 'GET' | 'HEAD' | 'PUT', area: StoreArea, key: string, body?: Uint8Array): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.authorization) headers.authorization = this.authorization;
    if (body) headers['content-type'] = 'application/octet-stream';
    return fetch(new URL(`${area}/${encodeURIComponent(key)}`, this.base), {
      method,
      headers,
      body: body as BodyInit | undefined,
      // The same signal bounds reading the body: a server that stalls mid-blob cannot hang the build either.
      signal: AbortSignal.timeout(this.timeoutMs),
    });
  }

  /** Runs one exchange with the server; any failure sets the store (or its uploads) aside and gives `fallback`. */
  private async attempt<T>(exchange: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await exchange();
    } catch (error) {
      const failure = error instanceof RemoteCacheFailure ? error : new RemoteCacheFailure(this.networkFailureMessage(error));
      // Many requests run at once: only the first failure of each kind is worth a warning.
      if (failure.uploadsOnly) {
        if (!this.uploadsDisabled && !this.disabled) this.recordedWarnings.push(failure.message);
        this.uploadsDisabled = true;
      } else {
        if (!this.disabled) this.recordedWarnings.push(failure.message);
        this.disabled = true;
      }
      return fallback;
    }
  }

  private failureFor(method: 'GET' | 'HEAD' | 'PUT', response: Response): RemoteCacheFailure {
    void response.body?.cancel().catch(() => {});
    const status = response.status;
    const where = `remote cache ${this.displayUrl}`;
    const credentialsHint = 'check the credentials (user:password@ in --cache-url, or HOCSO_CACHE_TOKEN)';
    // A cache that serves but does not take uploads (read-only for this user, or no WebDAV) is still worth reading.
    if (method === 'PUT' && status === 401) {
      return new RemoteCacheFailure(`${where} refused an upload (HTTP 401): ${credentialsHint}; using it read-only`, true);
    }
    if (method === 'PUT' && (status === 403 || status === 405 || status === 501)) {
      return new RemoteCacheFailure(`${where} does not accept uploads (HTTP ${status}): using it read-only (${NGINX_UPLOAD_HINT}; if uploads need other credentials, ${credentialsHint})`, true);
    }
    if (method === 'PUT' && status === 413) {
      return new RemoteCacheFailure(`${where} refused an upload as too large (HTTP 413): using it read-only (nginx needs \`client_max_body_size 0;\`)`, true);
    }
    if (status === 401 || status === 403) {
      return new RemoteCacheFailure(`${where} refused the request (HTTP ${status}): ${credentialsHint}; building without it`);
    }
    if (status >= 500) return new RemoteCacheFailure(`${where} failed (HTTP ${status}): building without it`);
    return new RemoteCacheFailure(`${where} gave an unexpected answer to ${method} (HTTP ${status}): building without it`);
  }

  private networkFailureMessage(error: unknown): string {
    const where = `remote cache ${this.displayUrl}`;
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return `${where} did not answer within ${formatSeconds(this.timeoutMs)}: building without it`;
    }
    return `${where} unreachable (${networkErrorCode(error)}): building without it`;
  }
}

/** URL user info is percent-encoded, except a `%` typed as itself (the URL parser keeps it): that one stays. */
function decodeUserInfo(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (escaped) => {
    try {
      return decodeURIComponent(escaped);
    } catch {
      return escaped;
    }
  });
}

/** Frees the connection of an answer whose body is not wanted. */
async function discard<T>(response: Response, value: T): Promise<T> {
  await response.body?.cancel().catch(() => {});
  return value;
}

/** fetch says only "fetch failed": the system's reason (ECONNREFUSED, ENOTFOUND, a TLS error) is in its cause. */
function networkErrorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  const cause = (error as { cause?: unknown })?.cause;
  const message = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  return message || 'network error';
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** The local cache first, then the remote one; what the remote has is kept locally, what is made goes to both. */
export class TieredStore implements BlobStore {
  constructor(readonly local: BlobStore, readonly remote?: BlobStore) {}

  async get(area: StoreArea, key: string): Promise<Uint8Array | undefined> {
    const local = await this.local.get(area, key);
    if (local || !this.remote) return local;
    const remote = await this.remote.get(area, key);
    if (remote) await this.local.put(area, key, remote);
    return remote;
  }

  async put(area: StoreArea, key: string, bytes: Uint8Array): Promise<void> {
    await this.local.put(area, key, bytes);
    // A HEAD is much cheaper than uploading a blob the remote already holds (another machine built it first).
    if (this.remote && !(await this.remote.has(area, key))) await this.remote.put(area, key, bytes);
  }

  async has(area: StoreArea, key: string): Promise<boolean> {
    if (await this.local.has(area, key)) return true;
    return this.remote ? this.remote.has(area, key) : false;
  }
}
