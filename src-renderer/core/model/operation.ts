// A span's operation and remote peer: what every aggregate (SLO budgets and lists, critical-path
// tables, root causes, the service map, search facets) groups spans by, decided here once.
//
// Span names carry ids (`GET cart:6678`, `/orders/8812/items`, SQL with its values): taken as they
// are, one operation splits into thousands. spanOperation groups a name's variable parts, and
// prefers what the producer says the operation is when it says it (OpenTelemetry semantic
// conventions, https://opentelemetry.io/docs/specs/semconv/):
//
//   server span with http.route          →  `POST /orders/:id`        (method + route)
//   database span (db.system[.name])     →  db.query.summary, else the statement normalised
//                                            (`SELECT * FROM t WHERE id = ?`, `get cart:{id}`),
//                                            else db.operation[.name] + collection, else the name
//   client span named only by its method →  `POST /authorize` from url.template or the URL's path
//                                            (the callee's own route, when the trace holds the
//                                            server span it called, wins at read time:
//                                            core/analysis/operations.ts)
//   anything else                        →  the name with its ids grouped (groupName)
//
// The peer is who a client (or producer) span calls when that is not a service of the trace: a
// database, a cache, a queue, an uninstrumented host. Whether the span is a node of its own then
// depends on its trace (a callee with its own spans makes it a plain call): nodeOf in
// core/analysis/operations.ts decides that. The raw name is never changed: the store keeps both.
//
// Runs for every imported span (on the parse side): names without a digit, quote, '@', ':' or '='
// are taken as they are without any regular expression.

import type { Attributes, AttrValue, SpanKind } from './trace.ts';

/** Where an operation name came from; `http-client` operations may take their callee's route. */
export type OperationRule = 'name' | 'grouped' | 'http-route' | 'http-client' | 'db';

export interface SpanOperation {
  /** The grouped operation. */
  operation: string;
  /** Who the span calls when it is a call out (database, cache, queue, host); '' when none. */
  peer: string;
  rule: OperationRule;
}

/** What spanOperation reads of a span. */
export interface OperationSpan {
  name: string;
  kind: SpanKind;
  attributes: Attributes;
}

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY', '_OTHER']);

function str(v: AttrValue | undefined): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return '';
}

function attr(a: Attributes, ...keys: string[]): string {
  for (const k of keys) {
    const v = str(a[k]);
    if (v !== '') return v;
  }
  return '';
}

/** The HTTP method a name consists of (`POST`, `HTTP POST`), or ''. */
export function methodOnlyName(name: string): string {
  const t = name.trim();
  const m = t.startsWith('HTTP ') ? t.slice(5).trim() : t;
  return HTTP_METHODS.has(m.toUpperCase()) && m === m.toUpperCase() ? m : '';
}

export function spanOperation(s: OperationSpan): SpanOperation {
  const a = s.attributes;
  const peer = peerOf(s);
  const dbSystem = attr(a, 'db.system.name', 'db.system');
  if (dbSystem !== '') {
    const op = dbOperation(a, dbSystem);
    if (op !== '') return { operation: op, peer, rule: 'db' };
  }
  const route = attr(a, 'http.route');
  // Only the server span: frameworks put http.route on their internal spans too (Express's
  // `request handler - /orders`), whose names say more than the route alone.
  if (route !== '' && s.kind === 'server') {
    const method = attr(a, 'http.request.method', 'http.method') || firstWord(s.name);
    return { operation: HTTP_METHODS.has(method) ? `${method} ${route}` : route, peer, rule: 'http-route' };
  }
  const method = methodOnlyName(s.name);
  if (method !== '' && s.kind === 'client') {
    const path = attr(a, 'url.template') || urlPathTemplate(attr(a, 'url.full', 'http.url', 'url.path', 'http.target'));
    return { operation: path === '' ? method : `${method} ${path}`, peer, rule: 'http-client' };
  }
  const operation = groupName(s.name);
  return { operation, peer, rule: operation === s.name ? 'name' : 'grouped' };
}

function firstWord(s: string): string {
  const k = s.indexOf(' ');
  return k < 0 ? s : s.slice(0, k);
}

/** A database span's operation from its attributes ('' when they say nothing useful). */
function dbOperation(a: Attributes, system: string): string {
  const summary = attr(a, 'db.query.summary');
  if (summary !== '') return summary;
  const text = attr(a, 'db.query.text', 'db.statement');
  if (text !== '') {
    if (isSqlText(text)) return normalizeSql(text);
    // Key-value stores (redis, memcached): the command and its key; the values after them are data.
    const words = text.trim().split(/\s+/);
    if (/^[A-Za-z][A-Za-z._-]*$/.test(words[0]) && !text.trimStart().startsWith('{')) {
      return groupName(words.slice(0, 2).join(' '));
    }
  }
  const op = attr(a, 'db.operation.name', 'db.operation');
  if (op === '') return '';
  const target = attr(a, 'db.collection.name', 'db.sql.table', 'db.mongodb.collection', 'db.cassandra.table');
  void system;
  return target === '' ? op : `${op} ${target}`;
}

/**
 * Who a call out goes to: peer.service when the producer named it; the database system for a
 * database call (db.system, db.system.name: `postgresql`, `redis`); the messaging system for a
 * message sent; else the host called (server.address, net.peer.name, the URL's host), with its
 * port when it is not the scheme's default. '' for spans that are not calls out.
 */
export function peerOf(s: { kind: SpanKind; attributes: Attributes }): string {
  const a = s.attributes;
  const db = attr(a, 'db.system.name', 'db.system');
  // Database spans of older producers are often left without a kind.
  if (!(s.kind === 'client' || s.kind === 'producer' || (db !== '' && (s.kind === 'unspecified' || s.kind === 'internal')))) return '';
  const named = attr(a, 'peer.service');
  if (named !== '') return named;
  if (db !== '') return db;
  const messaging = attr(a, 'messaging.system');
  if (messaging !== '') return messaging;
  let host = attr(a, 'server.address', 'net.peer.name', 'http.host');
  let port = attr(a, 'server.port', 'net.peer.port');
  const url = attr(a, 'url.full', 'http.url');
  if (host === '' && url !== '') {
    const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d+))?/i.exec(url);
    if (m) {
      host = m[1];
      port ||= m[2] ?? '';
    }
  }
  if (host === '') return attr(a, 'net.peer.ip', 'network.peer.address', 'rpc.service');
  if (host.includes(':') && !host.startsWith('[')) return host; // http.host may carry the port already
  return port === '' || port === '80' || port === '443' ? host : `${host}:${port}`;
}

/** The path of a URL (or a bare path) with its ids grouped and its query left out: `/orders/{id}`. */
export function urlPathTemplate(url: string): string {
  if (url === '') return '';
  let path = url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  if (scheme) path = url.slice(scheme[0].length);
  const q = path.search(/[?#]/);
  if (q >= 0) path = path.slice(0, q);
  if (path === '') path = '/';
  return groupName(path);
}

// ---- grouping a name's variable parts

const SQL_START = /^\s*(?:\/\*.*?\*\/\s*)*(SELECT|INSERT|UPDATE|DELETE|WITH|MERGE|UPSERT|REPLACE|CALL|EXEC|EXECUTE|CREATE|ALTER|DROP|TRUNCATE|BEGIN|COMMIT|ROLLBACK|SET|SHOW|EXPLAIN|VALUES)\b/i;

/** Does the text read as a SQL statement (it starts with a SQL verb followed by more words)? */
export function isSqlText(text: string): boolean {
  const m = SQL_START.exec(text);
  if (!m) return false;
  const verb = m[1].toUpperCase();
  // `SET cart:1 …`, `DELETE /orders/1`: a redis command or an HTTP method, not SQL.
  if (verb === 'SET' || verb === 'DELETE') return !/^\s*\w+\s+[^\s]*[:/]/.test(text);
  return true;
}

/**
 * A SQL statement with its values replaced: string and number literals become `?`, lists of them
 * (`IN (?, ?, ?)`, several VALUES rows) become one, comments go, runs of white space become one
 * space. Identifiers (also "quoted" ones), keywords and placeholders ($1, :name, ?) stay.
 */
export function normalizeSql(text: string): string {
  let s = text
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, '?') // 'it''s'
    .replace(/\$\$[\s\S]*?\$\$/g, '?')
    .replace(/(?<![\w$."])[-+]?(?:0x[0-9a-f]+|\d+(?:\.\d+)?(?:e[-+]?\d+)?)(?![\w"])/gi, '?')
    .replace(/\b(?:TRUE|FALSE|NULL)\b(?=\s*[,)])/gi, '?')
    .replace(/\s+/g, ' ')
    .trim();
  s = s.replace(/\(\s*\?(?:\s*,\s*\?)+\s*\)/g, '(?)'); // IN (?, ?, ?) and VALUES (?, ?)
  s = s.replace(/\(\s*(\$\d+|\?)(?:\s*,\s*(?:\$\d+|\?))+\s*\)/g, (m) => (/\$/.test(m) ? m : '(?)'));
  s = s.replace(/(VALUES\s*\([^()]*\))(?:\s*,\s*\([^()]*\))+/gi, '$1');
  return s.replace(/;$/, '');
}

/** Characters without which a name has nothing to group (see groupName). */
const MAY_VARY = /[0-9'"@:=]/;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const DATE = /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
const QUOTED = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g;
/** Long opaque tokens (base64, base64url, random ids): 16+ characters of letters and digits. */
const OPAQUE = /(?<![A-Za-z0-9+=_-])[A-Za-z0-9+_-]{16,}={0,2}(?![A-Za-z0-9+=_-])/g;
const QUERY_VALUE = /([?&;][^=&\s#?]+=)[^&;\s#]*/g;
/** A path segment with a digit that is all digits, or has two or more. */
const PATH_ID = /(?<=\/)(?:\d+|[^/\s?#{}]*\d[^/\s?#{}]*\d[^/\s?#{}]*)(?=[/\s?#]|$)/g;
/** A key suffix after ':' (redis `cart:6678`, `session:aZ9kQ`): with a digit, or mixed case. */
const KEY_SUFFIX = /(?<=[A-Za-z0-9_}]):(?![:/])([A-Za-z0-9_.-]+)/g;
const HEX = /(?<![A-Za-z0-9])[0-9a-fA-F]*\d[0-9a-fA-F]*(?![A-Za-z0-9])/g;
const NUMBER = /(?<![A-Za-z0-9.{])\d+(?:\.\d+)*(?![A-Za-z0-9}])/g;

/**
 * A name with its variable parts grouped, so that one kind of work has one operation:
 *
 *   GET /orders/8812/items            →  GET /orders/{id}/items
 *   get cart:6678                     →  get cart:{id}
 *   SELECT * FROM t WHERE id = 42     →  SELECT * FROM t WHERE id = ?
 *   send mail to ana@example.com      →  send mail to {email}
 *   report 2026-11-20                 →  report {date}
 *   GET /files/3f2c9a1e7b             →  GET /files/{id}
 *
 * Ids in any form (decimal, hex, UUID, base64-ish), emails, dates, IP addresses and quoted
 * literals are replaced; words, versions (`/v1/`) and placeholders already there stay.
 */
export function groupName(name: string): string {
  if (!MAY_VARY.test(name)) return name;
  if (isSqlText(name)) return normalizeSql(name);
  let s = name
    .replace(EMAIL, '{email}')
    .replace(UUID, '{id}')
    .replace(DATE, '{date}')
    .replace(IPV4, '{ip}')
    .replace(QUOTED, '?')
    .replace(OPAQUE, (m) => (isOpaqueId(m) ? '{id}' : m))
    .replace(QUERY_VALUE, '$1?')
    .replace(PATH_ID, '{id}')
    .replace(KEY_SUFFIX, (m, suffix: string) => (/\d/.test(suffix) || (/[a-z]/.test(suffix) && /[A-Z]/.test(suffix) && suffix.length >= 6) ? ':{id}' : m))
    .replace(HEX, (m) => (m.length >= 8 && /[a-fA-F]/.test(m) ? '{id}' : m))
    .replace(NUMBER, '{n}');
  s = s.replace(/\{n\}(?:[.,-]\{n\})+/g, '{n}');
  return s;
}

/** A 16+ character token is an id when it is hex, or letters and digits alternate in it (`aZ9kQ3xL7mN2pQ8r`). */
function isOpaqueId(t: string): boolean {
  if (!/\d/.test(t)) return false;
  if (/^[0-9a-fA-F]+$/.test(t)) return true;
  let changes = 0;
  let prev = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const cls = c >= 48 && c <= 57 ? 1 : (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 2 : 0;
    if (cls === 0) continue;
    if (prev !== 0 && cls !== prev) changes++;
    prev = cls;
  }
  return changes >= 4;
}
