// The HTTP side of `hocso preview`: serves the in-memory site (only its keys: no path reaches the disk), the index of
// courses, the SCORM panel, scorm-again's runtime, and Server-Sent Events that tell open pages to reload.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { lessonPagePath } from '../model/layout.js';
import { TEMPLATES_DIR } from '../paths.js';
import { SCO_PREFIX, type Site } from './site.js';

export interface PreviewState {
  /** The last good build (absent until one succeeds). */
  site?: Site;
  /** Diagnostics of the latest build. */
  diagnostics: Diagnostic[];
  /** The latest build had errors: every page shows them in an overlay. */
  failed: boolean;
  /** Bumped after every build: pages served with an older one reload. */
  version: number;
}

export interface PreviewServer {
  server: Server;
  /** Tells every open page that a build finished. */
  notify(): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.vtt': 'text/vtt; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.mp3': 'audio/mpeg',
  '.opus': 'audio/ogg',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.wav': 'audio/wav',
  '.m4a': 'audio/mp4',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.pdf': 'application/pdf',
  '.map': 'application/json; charset=utf-8',
};

export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

let templates: { client: string; panel: string } | undefined;
function previewTemplates(): { client: string; panel: string } {
  templates ??= {
    client: readFileSync(path.join(TEMPLATES_DIR, 'preview', 'client.js'), 'utf8'),
    panel: readFileSync(path.join(TEMPLATES_DIR, 'preview', 'panel.js'), 'utf8'),
  };
  return templates;
}

/** scorm-again's browser builds, served to the SCORM panel. */
function scormAgainDist(): string {
  return path.dirname(createRequire(import.meta.url).resolve('scorm-again/scorm2004'));
}
const SCORM_AGAIN_FILES = new Set(['scorm2004.js', 'scorm2004.min.js']);

const OVERLAY_CSS = `#hocso-preview-overlay{position:fixed;inset:0 0 auto 0;max-height:80vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#fff;font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 4px 16px #0008}#hocso-preview-overlay h2{margin:0 0 .5rem;font-size:16px;color:#ff9b9b}#hocso-preview-overlay ol{margin:0;padding-left:1.25rem}#hocso-preview-overlay li{margin:.5rem 0}#hocso-preview-overlay .where{color:#9bd1ff}#hocso-preview-overlay .rule{color:#ffcf7a}#hocso-preview-overlay .hint{color:#c8c8c8;display:block}#hocso-preview-overlay button{position:absolute;top:.5rem;right:.75rem;background:none;border:1px solid #fff6;color:#fff;border-radius:4px;cursor:pointer}`;

/** The errors (and warnings) of a failed build, as HTML: every text escaped. */
export function overlayHtml(diagnostics: readonly Diagnostic[]): string {
  const items = diagnostics.map((d) =>
    `<li class="is-${escapeHtml(d.severity)}"><span class="where">${escapeHtml(`${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}`)}</span> <span class="sev">${escapeHtml(d.severity)}</span> <span class="rule">${escapeHtml(d.ruleId)}</span><br><span class="msg">${escapeHtml(d.message)}</span>${d.hint ? `<span class="hint">hint: ${escapeHtml(d.hint)}</span>` : ''}</li>`,
  );
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return `<style>${OVERLAY_CSS}</style><div id="hocso-preview-overlay" role="alert"><button type="button" aria-label="Close">×</button><h2>hocso preview: the build has ${errors} error${errors === 1 ? '' : 's'}; showing the last good pages</h2><ol>${items.join('')}</ol></div>`;
}

/** Adds the reload script (and the overlay after a failed build) at the end of an HTML page's body. */
export function injectIntoPage(html: string, state: PreviewState, options: { reload: boolean }): string {
  const parts: string[] = [];
  if (state.failed) parts.push(overlayHtml(state.diagnostics));
  if (options.reload) parts.push(`<script data-version="${state.version}">${previewTemplates().client}</script>`);
  const extra = parts.join('');
  if (!extra) return html;
  const at = html.lastIndexOf('</body>');
  return at < 0 ? html + extra : html.slice(0, at) + extra + html.slice(at);
}

function page(title: string, body: string, state: PreviewState, head = ''): string {
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;padding:1.5rem;max-width:60rem}code{font-size:.9em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}</style>${head}</head><body>${body}</body></html>`;
  return injectIntoPage(html, state, { reload: true });
}

function indexPage(state: PreviewState): string {
  const courses = state.site?.courses ?? [];
  const list = courses.map((c) => `<li><strong>${escapeHtml(c.title)}</strong> <code>${escapeHtml(c.id)}</code><ul>${c.languages.map((l) =>
    `<li><a href="/${encodeURIComponent(c.id)}/${encodeURIComponent(l.tag)}/">${escapeHtml(l.title)} (${escapeHtml(l.tag)})</a><ul>${l.lessons.map((lesson) =>
      `<li><a href="/${encodeURIComponent(c.id)}/${encodeURIComponent(l.tag)}/${lessonPagePath(encodeURIComponent(lesson.id))}">${escapeHtml(lesson.title)}</a> · <a href="/__hocso/scorm/${encodeURIComponent(c.id)}/${encodeURIComponent(l.tag)}/${encodeURIComponent(lesson.id)}">SCORM panel</a></li>`).join('')}</ul></li>`).join('')}</ul></li>`);
  const body = courses.length ? `<ul>${list.join('')}</ul>` : '<p>No course built yet: fix the errors shown above.</p>';
  return page('hocso preview', `<h1>hocso preview</h1>${body}`, state);
}

function panelPage(state: PreviewState, course: string, lang: string, lesson: string): string | undefined {
  const entry = state.site?.courses.find((c) => c.id === course)?.languages.find((l) => l.tag === lang);
  const found = entry?.lessons.find((l) => l.id === lesson);
  if (!entry || !found) return undefined;
  const data = { sco: `${SCO_PREFIX}/${encodeURIComponent(course)}/${encodeURIComponent(lang)}/${lessonPagePath(encodeURIComponent(lesson))}`, version: String(state.version) };
  const style = `<style>body{max-width:none;padding:0;display:grid;grid-template-columns:1fr 24rem;height:100vh}#hocso-frame-slot iframe{width:100%;height:100vh;border:0;display:block}aside{padding:1rem;overflow:auto;border-left:1px solid #ccc;background:#f6f7f9;font-size:14px}dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem}dt{font-family:monospace}dd{margin:0;font-weight:600}</style>`;
  const body = `<div id="hocso-frame-slot"></div><aside><h1 style="font-size:18px">SCORM 2004 runtime</h1><p>${escapeHtml(found.title)} <code>${escapeHtml(lesson)}</code> · <a href="/">index</a></p>
<dl><dt>cmi.completion_status</dt><dd id="cmi-completion"></dd><dt>cmi.success_status</dt><dd id="cmi-success"></dd><dt>cmi.score.scaled</dt><dd id="cmi-score"></dd><dt>cmi.score.raw</dt><dd id="cmi-raw"></dd><dt>cmi.location</dt><dd id="cmi-location"></dd><dt>calls</dt><dd id="cmi-calls"></dd></dl>
<h2 style="font-size:16px">cmi.interactions (<span id="cmi-count">0</span>)</h2><table><thead><tr><th>id</th><th>type</th><th>learner_response</th><th>result</th></tr></thead><tbody id="cmi-interactions"></tbody></table></aside>
<script type="application/json" id="hocso-panel-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script><script src="/__hocso/scorm-again/scorm2004.js"></script><script>${previewTemplates().panel}</script>`;
  // The panel reloads itself (panel.js): no second reload script.
  const html = `<!DOCTYPE html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>SCORM · ${escapeHtml(found.title)}</title>${style}</head><body>${body}</body></html>`;
  return injectIntoPage(html, state, { reload: false });
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array, head = false): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(head ? undefined : body);
}

function notFound(res: ServerResponse, state: PreviewState, head: boolean): void {
  send(res, 404, 'text/html; charset=utf-8', page('Not found · hocso preview', '<h1>404: not found</h1><p>Nothing is served at this address. <a href="/">All courses</a></p>', state), head);
}

/** The URL's path, decoded; undefined when it cannot be decoded. Never touches the disk: it is only a map key. */
function requestPath(req: IncomingMessage): string | undefined {
  const raw = (req.url ?? '/').split(/[?#]/)[0]!;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

export function createPreviewServer(state: PreviewState): PreviewServer {
  const clients = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const pathname = requestPath(req);
    if (pathname === undefined || pathname.includes('\0')) return notFound(res, state, head);
    if (pathname === '/' || pathname === '/index.html') return send(res, 200, 'text/html; charset=utf-8', indexPage(state), head);
    if (pathname === '/__hocso/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(`retry: 500\nevent: build\ndata: ${state.version}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (pathname.startsWith('/__hocso/scorm-again/')) {
      const name = pathname.slice('/__hocso/scorm-again/'.length);
      if (!SCORM_AGAIN_FILES.has(name)) return notFound(res, state, head);
      return send(res, 200, contentType(name), readFileSync(path.join(scormAgainDist(), name)), head);
    }
    const panel = /^\/__hocso\/scorm\/([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(pathname);
    if (panel) {
      const html = panelPage(state, panel[1]!, panel[2]!, panel[3]!);
      return html ? send(res, 200, 'text/html; charset=utf-8', html, head) : notFound(res, state, head);
    }
    const files = state.site?.files;
    if (!files) return notFound(res, state, head);
    // A course folder: its index page.
    if (files.has(`${pathname}/index.html`) && !pathname.endsWith('/')) {
      res.writeHead(301, { location: `${req.url!.split(/[?#]/)[0]}/` }).end();
      return;
    }
    const key = pathname.endsWith('/') ? `${pathname}index.html` : pathname;
    const file = files.get(key);
    if (file === undefined) return notFound(res, state, head);
    if (key.endsWith('.html')) {
      const html = typeof file === 'string' ? file : Buffer.from(file).toString('utf8');
      return send(res, 200, contentType(key), injectIntoPage(html, state, { reload: !key.startsWith(`${SCO_PREFIX}/`) }), head);
    }
    send(res, 200, contentType(key), file, head);
  });
  return {
    server,
    notify() {
      for (const client of clients) client.write(`event: build\ndata: ${state.version}\n\n`);
    },
    close() {
      for (const client of clients) client.end();
      clients.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
