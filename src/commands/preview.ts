// `hocso preview`: the course served on localhost from memory, rebuilt on every save, with open pages reloading
// themselves, the errors of a failed build shown over the last good pages, and a SCORM 2004 runtime panel.
import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { closeSpeechWorkers } from '../media/speech.js';
import { UsageError } from '../project/config.js';
import { EXIT_OK, printDiagnostics, type Io } from '../cli/context.js';
import { buildSite } from '../preview/site.js';
import { createPreviewServer, type PreviewState } from '../preview/server.js';

export interface PreviewOptions {
  port?: string;
  lang?: string[];
  config?: string;
  host?: string;
}

export const DEFAULT_PORT = 4321;
/** Saves come in bursts (an editor writes a temporary file, renames it): one rebuild per burst. */
const DEBOUNCE_MS = 150;

/**
 * Serves until SIGINT or SIGTERM (or `signal` aborts, for tests), then closes the server, the watchers and the speech
 * workers and resolves with 0.
 */
export async function preview(io: Io, options: PreviewOptions, signal?: AbortSignal): Promise<number> {
  const port = options.port === undefined ? DEFAULT_PORT : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid port \`${options.port}\``, 'Give a port number from 1 to 65535, or 0 for any free port.');
  const host = options.host ?? '127.0.0.1';
  const state: PreviewState = { diagnostics: [], failed: false, version: 0 };

  // Builds never overlap: a save during a build asks for one more build after it.
  let building = false;
  let again = false;
  let closed = false;
  let watchedKey = '';
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;

  const rebuild = async (): Promise<void> => {
    if (building) {
      again = true;
      return;
    }
    building = true;
    const started = performance.now();
    try {
      const result = await buildSite(io, { ...(options.config ? { config: options.config } : {}), ...(options.lang ? { lang: options.lang } : {}) });
      if (closed) return;
      printDiagnostics(io, result.diagnostics);
      state.diagnostics = result.diagnostics;
      state.failed = hasErrors(result.diagnostics) || !result.site;
      if (result.site) state.site = result.site;
      state.version++;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      io.stderr(state.failed ? `Build failed: fix the errors above${state.site ? ' (the last good pages are still served)' : ''}.\n` : `Built in ${seconds} s.\n`);
      if (result.watched.length) watchAll(result.watched);
      server.notify();
    } catch (error) {
      io.stderr(`error: the preview build failed: ${(error as Error)?.message ?? String(error)}\n`);
    } finally {
      building = false;
      if (again && !closed) {
        again = false;
        void rebuild();
      }
    }
  };

  const schedule = (): void => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void rebuild(), DEBOUNCE_MS);
  };

  const watchAll = (paths: readonly string[]): void => {
    const existing = [...new Set(paths)].filter((p) => existsSync(p)).sort();
    const key = existing.join('\n');
    if (key === watchedKey) return;
    watchedKey = key;
    for (const w of watchers) w.close();
    watchers = existing.map((p) => {
      // A file (the config) is watched through its folder: editors save by replacing the file.
      const file = statSync(p).isFile();
      const w = watch(file ? path.dirname(p) : p, { recursive: !file }, (_event, name) => {
        const changed = name ? name.toString() : '';
        if (file) {
          if (changed === path.basename(p)) schedule();
          return;
        }
        // Editors' swap and backup files (.x.swp, x~) and hidden folders (.hocso-cache) are not content.
        if (changed && (changed.endsWith('~') || changed.split(/[\\/]/).some((part) => part.startsWith('.')))) return;
        schedule();
      });
      w.on('error', () => undefined);
      return w;
    });
  };

  const server = createPreviewServer(state);
  await rebuild();
  if (!state.site && state.diagnostics.length === 0) return 1; // the build threw: already reported
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.server.listen(port, host, () => resolve());
  }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE' ? new UsageError(`port ${port} is in use`, 'Pick another with --port N, or --port 0 for any free port.') : error;
  });
  const address = server.server.address() as AddressInfo;
  io.stderr(`Preview: http://${host === '0.0.0.0' ? 'localhost' : host}:${address.port}/ (Ctrl-C to stop)\n`);

  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
  });
  closed = true;
  clearTimeout(timer);
  for (const w of watchers) w.close();
  await server.close();
  await closeSpeechWorkers();
  io.stderr('Preview stopped.\n');
  return EXIT_OK;
}
