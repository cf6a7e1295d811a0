// A small LRS and cmi5 LMS for the end-to-end tests (node:http), recording everything it is asked:
// - xAPI 1.0.3 statements (PUT with statementId, POST one or a batch, GET), checked with Learning Locker's validator
//   (xapi-validation), stored once per id (a statement sent again, identical, is not stored twice; a different one
//   with the same id is a 409), the State API and the Agent Profile API;
// - the X-Experience-API-Version header and Basic/Bearer credentials on every xAPI request;
// - CORS with preflight (the content is served from another origin, as in a real deployment);
// - cmi5's one-time fetch URL (an auth token the first time, error-code 1 after);
// - a mode that fails the next requests with 503, as an LRS that is down.
// It also launches content as an LMS does: cmi5 (LMS.LaunchData, the `launched` statement, the launch URL) and Tin
// Can (endpoint, auth, actor, registration, activity_id).
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';

/** Learning Locker's statement validator: the list of problems, empty for a valid statement. */
export const validateStatement: (statement: unknown) => { message: string; path: string[] }[] = createRequire(import.meta.url)('xapi-validation').default;

export type Statement = Record<string, any>;

export interface RecordedRequest {
  method: string;
  /** Path under the server, without the query. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  status: number;
}

export interface Agent {
  objectType?: 'Agent';
  name?: string;
  mbox?: string;
  account?: { homePage: string; name: string };
}

export interface Cmi5LaunchOptions {
  /** The AU's URL (on the content server). */
  url: string;
  /** The AU's id in cmi5.xml (its publisher id). */
  publisherId: string;
  registration?: string;
  actor?: Agent;
  launchMode?: 'Normal' | 'Browse' | 'Review';
  moveOn?: 'Passed' | 'Completed' | 'CompletedAndPassed' | 'CompletedOrPassed' | 'NotApplicable';
  masteryScore?: number;
  returnURL?: string;
}

export interface Cmi5Launch {
  url: string;
  registration: string;
  sessionId: string;
  /** The LMS's activity id for the AU (cmi5 requires it to differ from the publisher id). */
  activityId: string;
  actor: Agent;
  launchData: Record<string, unknown>;
}

export interface TincanLaunchOptions {
  url: string;
  activityId: string;
  registration?: string;
  /** As the launch passes it (Tin Can 0.95 launches put values in arrays). */
  actor?: unknown;
}

export interface TestLrs {
  origin: string;
  /** The xAPI endpoint, with its trailing slash. */
  endpoint: string;
  /** Every stored statement, in the order stored (the LMS's own included). */
  statements: Statement[];
  /** Every request, in the order answered. */
  requests: RecordedRequest[];
  /** Statements the LRS refused as invalid, with the validator's problems. */
  invalid: { statement: unknown; problems: string[] }[];
  /** Answers the next n requests whose path matches with 503 (Infinity: until told otherwise; 0: stop). */
  fail(n: number, path?: RegExp): void;
  /** A State API document, or undefined. */
  state(activityId: string, agent: Agent, registration: string | undefined, stateId: string): unknown;
  setAgentProfile(agent: Agent, profileId: string, document: unknown): void;
  launchCmi5(options: Cmi5LaunchOptions): Cmi5Launch;
  launchTincan(options: TincanLaunchOptions): { url: string; registration: string; auth: string };
  /** The LMS's page behind returnURL. */
  returnUrl: string;
  close(): Promise<void>;
}

const VERSION = '1.0.3';
const CMI5 = 'https://w3id.org/xapi/cmi5/context/';
const TINCAN_CREDENTIALS = `Basic ${Buffer.from('tincan-key:tincan-secret').toString('base64')}`;
export const LEARNER: Agent = { objectType: 'Agent', name: 'Nguyễn Văn An', account: { homePage: 'https://lms.example.vn', name: 'hoc-vien-42' } };

/** An agent's identifier, to match the State and Profile APIs' `agent` parameter. */
function ifi(agent: any): string {
  if (agent.mbox) return `mbox:${agent.mbox}`;
  if (agent.mbox_sha1sum) return `sha1:${agent.mbox_sha1sum}`;
  if (agent.openid) return `openid:${agent.openid}`;
  if (agent.account) return `account:${agent.account.homePage}|${agent.account.name}`;
  throw new Error(`agent without an identifier: ${JSON.stringify(agent)}`);
}

/** What identifies a statement's content: the LRS's own properties left out. */
function content(statement: Statement): Statement {
  const { stored: _stored, authority: _authority, version: _version, ...rest } = statement;
  return rest;
}

export async function startLrs(): Promise<TestLrs> {
  const statements: Statement[] = [];
  const byId = new Map<string, Statement>();
  const requests: RecordedRequest[] = [];
  const invalid: TestLrs['invalid'] = [];
  const states = new Map<string, { type: string; body: string }>();
  const profiles = new Map<string, { type: string; body: string }>();
  /** cmi5 fetch URLs: token → already fetched. */
  const fetches = new Map<string, boolean>();
  const tokens = new Set<string>();
  let failing = { n: 0, path: /^\/xapi\// as RegExp };

  const stateKey = (activityId: string, agent: unknown, registration: string | undefined, stateId: string): string => JSON.stringify([activityId, ifi(agent), registration ?? '', stateId]);

  /** Stores a statement (with its id, stored time and authority); the caller has checked it. */
  function store(statement: Statement): void {
    const full = { ...statement, stored: new Date().toISOString(), authority: { objectType: 'Agent', account: { homePage: 'https://lms.example.vn', name: 'lrs' } }, version: VERSION };
    statements.push(full);
    byId.set(statement.id, full);
  }

  /** Problems of a statement, as the LRS reports them. */
  function check(statement: unknown): string[] {
    const problems = validateStatement(statement).map((w) => `${w.path.join('.')}: ${w.message}`);
    if (problems.length) invalid.push({ statement, problems });
    return problems;
  }

  function authorized(header: string | undefined): boolean {
    if (!header) return false;
    const [scheme, value = ''] = header.split(' ');
    if (scheme === 'Basic') return header === TINCAN_CREDENTIALS || tokens.has(value);
    return scheme === 'Bearer' && tokens.has(value);
  }

  function statementsApi(req: IncomingMessage, query: Record<string, string>, body: string, reply: (status: number, json?: unknown) => void): void {
    if (req.method === 'GET') {
      if (query.statementId) {
        const found = byId.get(query.statementId);
        return found ? reply(200, found) : reply(404);
      }
      return reply(200, { statements: statements.filter((s) => !query.registration || s.context?.registration === query.registration), more: '' });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return reply(400, { error: 'body is not JSON' });
    }
    if (req.method === 'PUT') {
      const statement = parsed as Statement;
      if (!query.statementId || (statement.id !== undefined && statement.id !== query.statementId)) return reply(400, { error: 'statementId missing or not the statement id' });
      const withId = { ...statement, id: query.statementId };
      const problems = check(withId);
      if (problems.length) return reply(400, { error: problems });
      const existing = byId.get(withId.id);
      if (existing) return isDeepStrictEqual(content(existing), withId) ? reply(204) : reply(409, { error: 'another statement has this id' });
      store(withId);
      return reply(204);
    }
    if (req.method === 'POST') {
      const batch = (Array.isArray(parsed) ? parsed : [parsed]).map((s: Statement) => ({ ...s, id: s.id ?? randomUUID() }));
      if (new Set(batch.map((s) => s.id)).size !== batch.length) return reply(400, { error: 'two statements of the batch have the same id' });
      const problems = batch.flatMap(check);
      if (problems.length) return reply(400, { error: problems });
      if (batch.some((s) => byId.has(s.id) && !isDeepStrictEqual(content(byId.get(s.id)!), s))) return reply(409, { error: 'another statement has this id' });
      // The xAPI spec: a statement the LRS already has changes nothing (and the batch is not refused for it).
      for (const s of batch) if (!byId.has(s.id)) store(s);
      return reply(200, batch.map((s) => s.id));
    }
    reply(405);
  }

  function documentApi(map: Map<string, { type: string; body: string }>, key: string | undefined, req: IncomingMessage, body: string, reply: (status: number, json?: unknown, raw?: { type: string; body: string }) => void): void {
    if (!key) return reply(400, { error: 'missing parameters' });
    const existing = map.get(key);
    switch (req.method) {
      case 'GET':
        return existing ? reply(200, undefined, existing) : reply(404);
      case 'PUT':
        map.set(key, { type: req.headers['content-type'] ?? 'application/octet-stream', body });
        return reply(204);
      case 'POST': {
        // merge JSON documents (xAPI 1.0.3 Communication §1.5.2)
        const merged = { ...(existing ? JSON.parse(existing.body) : {}), ...JSON.parse(body) };
        map.set(key, { type: 'application/json', body: JSON.stringify(merged) });
        return reply(204);
      }
      case 'DELETE':
        map.delete(key);
        return reply(204);
      default:
        return reply(405);
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const query = Object.fromEntries(url.searchParams);
      const record: RecordedRequest = { method: req.method ?? '', path: url.pathname, query, headers: req.headers, body, status: 0 };
      requests.push(record);
      const cors = {
        'access-control-allow-origin': req.headers.origin ?? '*',
        'access-control-allow-methods': 'GET, PUT, POST, DELETE, OPTIONS',
        'access-control-allow-headers': 'Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match',
        'access-control-expose-headers': 'X-Experience-API-Version, ETag, Last-Modified',
        'x-experience-api-version': VERSION,
      };
      const reply = (status: number, json?: unknown, raw?: { type: string; body: string }): void => {
        record.status = status;
        const text = raw ? raw.body : json === undefined ? '' : JSON.stringify(json);
        res.writeHead(status, { ...cors, ...(text ? { 'content-type': raw ? raw.type : 'application/json' } : {}) }).end(text);
      };

      if (req.method === 'OPTIONS') return reply(204);
      if (url.pathname === '/lms/return') {
        record.status = 200;
        return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><title>LMS</title><p>Back in the LMS</p>');
      }
      if (url.pathname === '/favicon.ico') return reply(204);
      const fetchToken = /^\/lms\/fetch\/([\w-]+)$/.exec(url.pathname);
      if (fetchToken) {
        // cmi5 §8.2: POST only; 200 with a JSON body, the token the first time, error-code 1 afterwards.
        const token = fetchToken[1]!;
        if (req.method !== 'POST') return reply(405, { error: 'POST only' });
        if (!fetches.has(token)) return reply(200, { 'error-code': '2', 'error-text': 'unknown fetch URL' });
        if (fetches.get(token)) return reply(200, { 'error-code': '1', 'error-text': 'The authorization token has already been returned.' });
        fetches.set(token, true);
        tokens.add(token);
        return reply(200, { 'auth-token': token });
      }
      if (!url.pathname.startsWith('/xapi/')) return reply(404);
      const resource = url.pathname.slice('/xapi/'.length);
      if (resource === 'about') return reply(200, { version: [VERSION] });
      if (!/^1\.0(\.\d+)?$/.test(String(req.headers['x-experience-api-version'] ?? ''))) return reply(400, { error: 'X-Experience-API-Version header missing or not 1.0.x' });
      if (!authorized(req.headers.authorization)) return reply(401, { error: 'unauthorized' });
      if (failing.n > 0 && failing.path.test(url.pathname)) {
        failing.n--;
        return reply(503, { error: 'the LRS is down (test)' });
      }
      try {
        if (resource === 'statements') return statementsApi(req, query, body, reply);
        if (resource === 'activities/state') {
          const key = query.activityId && query.agent && query.stateId ? stateKey(query.activityId, JSON.parse(query.agent), query.registration, query.stateId) : undefined;
          return documentApi(states, key, req, body, reply);
        }
        if (resource === 'agents/profile') {
          const key = query.agent && query.profileId ? JSON.stringify([ifi(JSON.parse(query.agent)), query.profileId]) : undefined;
          return documentApi(profiles, key, req, body, reply);
        }
      } catch (e) {
        return reply(400, { error: String(e) });
      }
      reply(404);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const endpoint = `${origin}/xapi/`;
  const returnUrl = `${origin}/lms/return`;

  return {
    origin,
    endpoint,
    statements,
    requests,
    invalid,
    returnUrl,
    fail: (n, path = /^\/xapi\/statements$/) => {
      failing = { n, path };
    },
    state: (activityId, agent, registration, stateId) => {
      const doc = states.get(stateKey(activityId, agent, registration, stateId));
      return doc && JSON.parse(doc.body);
    },
    setAgentProfile: (agent, profileId, document) => {
      profiles.set(JSON.stringify([ifi(agent), profileId]), { type: 'application/json', body: JSON.stringify(document) });
    },
    launchCmi5: (o) => {
      // As an LMS launches an AU (cmi5 §8, §10): LMS.LaunchData first, then `launched`, then the launch URL.
      const registration = o.registration ?? randomUUID();
      const actor = o.actor ?? LEARNER;
      const sessionId = randomUUID();
      const activityId = `https://lms.example.vn/cmi5/au/${createHash('sha1').update(o.publisherId).digest('hex').slice(0, 16)}`;
      const launchMode = o.launchMode ?? 'Normal';
      const moveOn = o.moveOn ?? 'CompletedAndPassed';
      const contextTemplate = {
        contextActivities: { grouping: [{ objectType: 'Activity', id: o.publisherId }] },
        extensions: { [`${CMI5}extensions/sessionid`]: sessionId },
      };
      const launchData = {
        contextTemplate,
        launchMode,
        moveOn,
        ...(o.masteryScore !== undefined ? { masteryScore: o.masteryScore } : {}),
        ...(o.returnURL ? { returnURL: o.returnURL } : {}),
      };
      states.set(stateKey(activityId, actor, registration, 'LMS.LaunchData'), { type: 'application/json', body: JSON.stringify(launchData) });
      const launched: Statement = {
        id: randomUUID(),
        timestamp: new Date().toISOString(),
        actor,
        verb: { id: 'http://adlnet.gov/expapi/verbs/launched', display: { 'en-US': 'launched' } },
        object: { objectType: 'Activity', id: activityId },
        context: {
          registration,
          contextActivities: { category: [{ id: `${CMI5}categories/cmi5` }], grouping: contextTemplate.contextActivities.grouping },
          extensions: {
            ...contextTemplate.extensions,
            [`${CMI5}extensions/launchmode`]: launchMode,
            [`${CMI5}extensions/launchurl`]: o.url,
            [`${CMI5}extensions/moveon`]: moveOn,
            ...(o.masteryScore !== undefined ? { [`${CMI5}extensions/masteryscore`]: o.masteryScore } : {}),
          },
        },
      };
      const problems = check(launched);
      if (problems.length) throw new Error(`the test LMS's launched statement is invalid: ${problems.join('; ')}`);
      store(launched);
      const token = randomUUID();
      fetches.set(token, false);
      const params = new URLSearchParams({ endpoint, fetch: `${origin}/lms/fetch/${token}`, actor: JSON.stringify(actor), registration, activityId });
      return { url: `${o.url}?${params}`, registration, sessionId, activityId, actor, launchData };
    },
    launchTincan: (o) => {
      const registration = o.registration ?? randomUUID();
      const params = new URLSearchParams({ endpoint, auth: TINCAN_CREDENTIALS, actor: JSON.stringify(o.actor ?? LEARNER), registration, activity_id: o.activityId });
      return { url: `${o.url}?${params}`, registration, auth: TINCAN_CREDENTIALS };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
