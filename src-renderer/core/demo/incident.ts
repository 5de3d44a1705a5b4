// The demo incident: two hours of traffic through ten services, in which postgres slows down for
// ten minutes (lock contention on the payments table), payment calls time out, and checkouts fail.
// Deterministic (seeded). Emits the files a support bundle would hold:
//   traces.otlp.jsonl  OTLP/JSON, one ExportTraceServiceRequest per line (the collector's file exporter)
//   services.log.jsonl JSON log lines with trace_id/span_id (checkout, payment, inventory, cart)
//   gateway.log        logfmt lines without trace ids (api-gateway)
//   postgres.log       postgres's own text log (no trace ids; joined by service and time only)
// plus a few broken records, as real bundles have.
//
// Shapes: fan-out (inventory checks in parallel), repeated sequential calls (payment authorize then
// capture), a producer→consumer hop (email), cache lookups.

import { Random } from './random.ts';

export type DemoFile = 'traces.otlp.jsonl' | 'services.log.jsonl' | 'gateway.log' | 'postgres.log';
export const DEMO_FILES: readonly DemoFile[] = ['traces.otlp.jsonl', 'services.log.jsonl', 'gateway.log', 'postgres.log'];

export interface IncidentOptions {
  seed?: number;
  /** Start of the traffic, epoch ms. */
  startMs?: number;
  durationMin?: number;
  /** Incident window, minutes from the start. */
  incidentFromMin?: number;
  incidentToMin?: number;
  /** Mean time between requests, ms. */
  meanGapMs?: number;
  /** Stop once this many spans were written (for benchmarks). */
  maxSpans?: number;
  /** Include deliberately broken records. */
  broken?: boolean;
}

export interface DemoLine {
  file: DemoFile;
  text: string;
}

interface GenSpan {
  spanId: string;
  parentId: string | null;
  service: string;
  name: string;
  kind: number; // OTLP enum: 1 internal, 2 server, 3 client, 4 producer, 5 consumer
  start: number; // ms since epoch, fractional
  end: number;
  attrs: Record<string, string | number | boolean>;
  error: string | null;
  exception?: { type: string; message: string; stack: string };
}

const MS = 1_000_000n;

function ns(ms: number): string {
  const whole = Math.floor(ms);
  return (BigInt(whole) * MS + BigInt(Math.round((ms - whole) * 1e6))).toString();
}

function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

const SERVICE_VERSIONS: Record<string, string> = {
  frontend: '2.14.1', 'api-gateway': '1.9.0', checkout: '3.2.0', payment: '5.0.3', cart: '1.4.2', inventory: '2.1.0',
  pricing: '1.0.7', postgres: '16.4', redis: '7.2.5', email: '0.9.1',
};
const OWNERS: Record<string, string> = {
  frontend: 'team-web', 'api-gateway': 'team-edge', checkout: 'team-orders', payment: 'team-payments', cart: 'team-orders',
  inventory: 'team-catalog', pricing: 'team-catalog', postgres: 'team-data', redis: 'team-data', email: 'team-growth',
};

/** Everything one request produces. */
interface Request {
  traceId: string;
  spans: GenSpan[];
  logs: DemoLine[];
}

class Flow {
  readonly spans: GenSpan[] = [];
  readonly logs: DemoLine[] = [];

  constructor(
    readonly rnd: Random,
    readonly traceId: string,
    readonly incident: boolean,
  ) {}

  span(parent: GenSpan | null, service: string, name: string, kind: number, start: number, attrs: GenSpan['attrs'] = {}): GenSpan {
    const s: GenSpan = { spanId: this.rnd.hex(16), parentId: parent?.spanId ?? null, service, name, kind, start, end: start, attrs, error: null };
    this.spans.push(s);
    return s;
  }

  log(s: GenSpan, at: number, level: string, msg: string, extra: Record<string, string | number> = {}): void {
    const rec = { time: isoMs(at).replace('Z', `${String(Math.floor((at % 1) * 1000)).padStart(3, '0')}Z`), level, service: s.service, trace_id: this.traceId, span_id: s.spanId, msg, ...extra };
    this.logs.push({ file: 'services.log.jsonl', text: JSON.stringify(rec) });
  }

  /** A call to a database service: one server span on the db's side. */
  db(parent: GenSpan, service: 'postgres' | 'redis', statement: string, start: number, median: number): GenSpan {
    const s = this.span(parent, service, statement.split(' ').slice(0, 2).join(' '), 2, start, {
      'db.system': service === 'postgres' ? 'postgresql' : 'redis', 'db.statement': statement,
    });
    s.end = start + this.rnd.logNormal(median, 0.35);
    return s;
  }
}

function paymentCharge(f: Flow, parent: GenSpan, start: number, step: 'authorize' | 'capture'): GenSpan {
  const rnd = f.rnd;
  const client = f.span(parent, 'checkout', `POST /charge`, 3, start, { 'http.request.method': 'POST', 'server.address': 'payment', 'payment.step': step });
  const server = f.span(client, 'payment', 'POST /charge', 2, start + rnd.logNormal(0.8, 0.3), { 'http.request.method': 'POST', 'http.route': '/charge', 'payment.step': step });
  let t = server.start + rnd.logNormal(2, 0.3);
  const fraud = f.span(server, 'payment', 'fraud.score', 1, t);
  fraud.end = t + rnd.logNormal(6, 0.3);
  t = fraud.end;
  const slow = f.incident;
  const q = f.db(server, 'postgres', 'INSERT INTO payments (order_id, amount, step) VALUES ($1, $2, $3)', t, slow ? 700 : 18);
  if (slow && rnd.chance(0.35)) {
    q.end = t + 2000;
    q.error = 'timeout after 2.0 s';
    q.exception = {
      type: 'QueryTimeoutError',
      message: 'canceling statement due to statement timeout (2.0 s)',
      stack: 'QueryTimeoutError: canceling statement due to statement timeout\n    at Pool.query (db/pool.js:212:11)\n    at PaymentsRepo.insert (payments/repo.js:48:5)\n    at charge (payments/charge.js:91:3)',
    };
  }
  t = q.end;
  if (q.error) {
    server.error = `db.query: ${q.error}`;
    server.attrs['http.response.status_code'] = 504;
    f.log(server, t + 0.2, 'error', `charge ${step} failed: ${q.error}`, { order_step: step });
  } else {
    server.attrs['http.response.status_code'] = 200;
    if (slow && rnd.chance(0.4)) f.log(server, t, 'warn', `slow payments insert: ${Math.round(q.end - q.start)} ms`);
  }
  server.end = t + rnd.logNormal(1.5, 0.3);
  client.end = server.end + rnd.logNormal(0.8, 0.3);
  client.attrs['http.response.status_code'] = server.attrs['http.response.status_code'];
  if (server.error) client.error = 'upstream payment returned 504';
  return client;
}

function checkout(f: Flow, parent: GenSpan, start: number): GenSpan {
  const rnd = f.rnd;
  const s = f.span(parent, 'checkout', 'PlaceOrder', 2, start, { 'rpc.system': 'grpc', 'rpc.service': 'CheckoutService', 'rpc.method': 'PlaceOrder' });
  let t = start + rnd.logNormal(1, 0.3);
  // cart
  const cart = f.span(s, 'cart', 'GetCart', 2, t + 0.4);
  cart.end = f.db(cart, 'redis', `GET cart:${rnd.int(1000, 9999)}`, cart.start + 0.3, 0.6).end + 0.3;
  t = cart.end + 0.4;
  // inventory fan-out: every item checked in parallel
  const items = rnd.int(1, 5);
  let fanEnd = t;
  for (let i = 0; i < items; i++) {
    const inv = f.span(s, 'inventory', 'CheckStock', 2, t + rnd.logNormal(0.5, 0.3), { 'rpc.system': 'grpc', 'item.index': i });
    inv.end = f.db(inv, 'postgres', 'SELECT quantity FROM stock WHERE sku = $1', inv.start + 0.5, 4).end + 0.5;
    fanEnd = Math.max(fanEnd, inv.end);
  }
  f.log(s, t, 'info', `checking stock for ${items} items`, { items });
  t = fanEnd + 0.3;
  // pricing
  const price = f.span(s, 'pricing', 'Quote', 2, t + 0.3);
  price.end = f.db(price, 'redis', 'MGET price:*', price.start + 0.2, 0.5).end + rnd.logNormal(3, 0.4);
  t = price.end + 0.3;
  // payment: authorize, then capture (two sequential calls on the critical path)
  const auth = paymentCharge(f, s, t, 'authorize');
  t = auth.end + 0.2;
  if (!auth.error) {
    const cap = paymentCharge(f, s, t, 'capture');
    t = cap.end + 0.2;
    if (cap.error) s.error = 'payment capture failed';
  } else s.error = 'payment authorize failed';
  if (!s.error) {
    // confirmation e-mail: a message, consumed later (does not block the checkout)
    const pub = f.span(s, 'checkout', 'order.confirmed publish', 4, t, { 'messaging.system': 'kafka', 'messaging.destination.name': 'order.confirmed' });
    pub.end = t + rnd.logNormal(1.2, 0.3);
    const con = f.span(pub, 'email', 'order.confirmed process', 5, pub.end + rnd.logNormal(40, 0.5), { 'messaging.system': 'kafka' });
    con.end = con.start + rnd.logNormal(120, 0.4);
    t = pub.end + 0.2;
    f.log(s, t, 'info', 'order placed', { order_id: rnd.int(100000, 999999) });
  } else {
    f.log(s, t, 'error', `order failed: ${s.error}`);
  }
  s.end = t + 0.5;
  s.attrs['rpc.grpc.status_code'] = s.error ? 13 : 0;
  return s;
}

function product(f: Flow, parent: GenSpan, start: number): GenSpan {
  const rnd = f.rnd;
  const s = f.span(parent, 'inventory', 'GetItem', 2, start, { 'rpc.system': 'grpc' });
  const q = f.db(s, 'postgres', 'SELECT * FROM items WHERE id = $1', start + 0.4, 3);
  const price = f.span(s, 'pricing', 'Quote', 2, q.end + 0.3);
  price.end = f.db(price, 'redis', 'GET price:item', price.start + 0.2, 0.5).end + rnd.logNormal(2, 0.4);
  s.end = price.end + 0.4;
  return s;
}

function cartView(f: Flow, parent: GenSpan, start: number): GenSpan {
  const s = f.span(parent, 'cart', 'GetCart', 2, start);
  s.end = f.db(s, 'redis', 'HGETALL cart', start + 0.3, 0.7).end + 0.4;
  return s;
}

const ROUTES = [
  { route: '/checkout', method: 'POST', share: 0.3, backend: checkout, api: 'POST /api/checkout' },
  { route: '/product/{id}', method: 'GET', share: 0.5, backend: product, api: 'GET /api/products/{id}' },
  { route: '/cart', method: 'GET', share: 0.2, backend: cartView, api: 'GET /api/cart' },
] as const;

function request(rnd: Random, at: number, incident: boolean): Request {
  const f = new Flow(rnd, rnd.hex(32), incident);
  const x = rnd.next();
  const r = x < 0.3 ? ROUTES[0] : x < 0.8 ? ROUTES[1] : ROUTES[2];
  const root = f.span(null, 'frontend', `${r.method} ${r.route}`, 2, at, { 'http.request.method': r.method, 'http.route': r.route, 'user_agent.original': 'Mozilla/5.0' });
  const gw = f.span(root, 'api-gateway', r.api, 2, at + rnd.logNormal(1.5, 0.3), { 'http.request.method': r.method });
  const backend = r.backend(f, gw, gw.start + rnd.logNormal(0.7, 0.3));
  gw.end = backend.end + rnd.logNormal(0.6, 0.3);
  const status = backend.error ? 502 : 200;
  gw.attrs['http.response.status_code'] = status;
  if (backend.error) gw.error = `upstream ${backend.service} failed`;
  root.end = gw.end + rnd.logNormal(1, 0.3);
  root.attrs['http.response.status_code'] = backend.error ? 500 : 200;
  if (backend.error) root.error = 'checkout failed';
  // The gateway's own log (logfmt) carries no trace id: it joins by service and time only.
  const mid = gw.start + (gw.end - gw.start) / 2;
  f.logs.push({
    file: 'gateway.log',
    text: `time=${isoMs(mid)} level=${status >= 500 ? 'warn' : 'info'} service=api-gateway method=${r.method} route=${r.route} status=${status} duration_ms=${Math.round(gw.end - gw.start)} msg="${r.method} ${r.route} -> ${status}"`,
  });
  return { traceId: f.traceId, spans: f.spans, logs: f.logs };
}

/** One OTLP/JSON ExportTraceServiceRequest line holding one request's spans, grouped by service. */
function otlpLine(traceId: string, spans: GenSpan[]): string {
  const byService = new Map<string, GenSpan[]>();
  for (const s of spans) {
    let list = byService.get(s.service);
    if (!list) byService.set(s.service, (list = []));
    list.push(s);
  }
  const resourceSpans = [...byService].map(([service, list]) => ({
    resource: {
      attributes: [
        { key: 'service.name', value: { stringValue: service } },
        { key: 'service.version', value: { stringValue: SERVICE_VERSIONS[service] ?? '1.0.0' } },
        { key: 'service.owner', value: { stringValue: OWNERS[service] ?? 'unknown' } },
        { key: 'deployment.environment.name', value: { stringValue: 'production' } },
      ],
    },
    scopeSpans: [{
      scope: { name: `tracedeck.demo/${service}`, version: '1.0.0' },
      spans: list.map((s) => ({
        traceId,
        spanId: s.spanId,
        ...(s.parentId ? { parentSpanId: s.parentId } : {}),
        name: s.name,
        kind: s.kind,
        startTimeUnixNano: ns(s.start),
        endTimeUnixNano: ns(s.end),
        attributes: Object.entries(s.attrs).map(([key, v]) => ({
          key,
          value: typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v },
        })),
        ...(s.exception ? {
          events: [{
            timeUnixNano: ns(s.end), name: 'exception', attributes: [
              { key: 'exception.type', value: { stringValue: s.exception.type } },
              { key: 'exception.message', value: { stringValue: s.exception.message } },
              { key: 'exception.stacktrace', value: { stringValue: s.exception.stack } },
            ],
          }],
        } : {}),
        status: s.error ? { code: 2, message: s.error } : { code: 0 },
      })),
    }],
  }));
  return JSON.stringify({ resourceSpans });
}

function postgresLog(at: number, rnd: Random): string {
  const ts = isoMs(at).replace('T', ' ').replace('Z', ' UTC');
  const pid = rnd.int(4000, 4999);
  return `${ts} [${pid}] LOG:  process ${pid} still waiting for ShareLock on transaction ${rnd.int(700000, 799999)} after ${(1000 + rnd.next() * 500).toFixed(3)} ms`;
}

/** Generate the incident, line by line, in time order per file. */
export function* generateIncident(opts: IncidentOptions = {}): Generator<DemoLine> {
  const rnd = new Random(opts.seed ?? 20261120);
  const start = opts.startMs ?? Date.UTC(2026, 10, 20, 9, 0, 0);
  const end = start + (opts.durationMin ?? 120) * 60_000;
  const incFrom = start + (opts.incidentFromMin ?? 70) * 60_000;
  const incTo = start + (opts.incidentToMin ?? 80) * 60_000;
  const gap = opts.meanGapMs ?? 4000;
  const broken = opts.broken ?? true;
  let spans = 0;
  let n = 0;
  for (let t = start + rnd.exponential(gap); t < end; t += rnd.exponential(gap)) {
    const incident = t >= incFrom && t < incTo;
    const req = request(rnd, t, incident);
    spans += req.spans.length;
    yield { file: 'traces.otlp.jsonl', text: otlpLine(req.traceId, req.spans) };
    yield* req.logs;
    if (incident && rnd.chance(0.5)) yield { file: 'postgres.log', text: postgresLog(t, rnd) };
    n++;
    if (broken && n === 200) yield { file: 'traces.otlp.jsonl', text: otlpLine(req.traceId, req.spans).slice(0, 180) }; // a line cut short by a full disk
    if (broken && n === 350) yield { file: 'services.log.jsonl', text: '{"time":"2026-11-20T09:25:00Z","level":"info","msg":"unterminated' };
    if (opts.maxSpans !== undefined && spans >= opts.maxSpans) break;
  }
}
