// Operation grouping on a table of names as real producers write them: HTTP paths, SQL, redis
// commands, queue names, ids in every form. Each row is a name and the operation it must group to;
// rows that must stay as they are say so by repeating the name.
import { describe, it, expect } from 'vitest';
import { groupName, normalizeSql, spanOperation, peerOf, urlPathTemplate, isSqlText } from '../../src-renderer/core/model/operation.ts';
import { nodeOf, operationOf, spanOperations, type OperationCatalog } from '../../src-renderer/core/analysis/operations.ts';
import { buildTraceTree } from '../../src-renderer/core/model/tree.ts';
import type { Attributes, SpanKind } from '../../src-renderer/core/model/trace.ts';

const NAMES: [string, string][] = [
  // HTTP paths: decimal, hex, UUID, base64-ish and slug ids; versions and words stay
  ['GET /orders/8812/items', 'GET /orders/{id}/items'],
  ['GET /orders/7/items', 'GET /orders/{id}/items'],
  ['GET /users/42/orders/7', 'GET /users/{id}/orders/{id}'],
  ['GET /api/v1/users/550e8400-e29b-41d4-a716-446655440000', 'GET /api/v1/users/{id}'],
  ['GET /api/v1/users/550E8400-E29B-41D4-A716-446655440000/avatar', 'GET /api/v1/users/{id}/avatar'],
  ['GET /files/3f2c9a1e7b', 'GET /files/{id}'],
  ['GET /images/dGhpcyBpcyBhIHRlc3Q9PQ', 'GET /images/{id}'],
  ['GET /objects/5f1b8c3e9a7d2b4c6e8f0a1b', 'GET /objects/{id}'],
  ['GET /products/blue-widget-42', 'GET /products/{id}'],
  ['GET /api/v2/items?id=17&sort=asc', 'GET /api/v2/items?id=?&sort=?'],
  ['GET /reports/2026-11-20', 'GET /reports/{date}'],
  ['GET /users/ana@example.com/settings', 'GET /users/{email}/settings'],
  ['GET /health', 'GET /health'],
  ['GET /s3/bucket', 'GET /s3/bucket'],
  ['POST /checkout', 'POST /checkout'],
  // SQL: literals and lists become ?, placeholders and identifiers stay
  ['SELECT * FROM t WHERE id = 42', 'SELECT * FROM t WHERE id = ?'],
  ["SELECT name FROM users WHERE email = 'a@b.c' AND age > 30", 'SELECT name FROM users WHERE email = ? AND age > ?'],
  ["SELECT * FROM \"Orders\" WHERE note = 'it''s' LIMIT 10", 'SELECT * FROM "Orders" WHERE note = ? LIMIT ?'],
  ['SELECT * FROM t WHERE id IN (1, 2, 3)', 'SELECT * FROM t WHERE id IN (?)'],
  ['INSERT INTO payments (order_id, amount) VALUES (1, 2.5), (3, 4)', 'INSERT INTO payments (order_id, amount) VALUES (?)'],
  ['SELECT * FROM t WHERE id = $1', 'SELECT * FROM t WHERE id = $1'],
  ['UPDATE carts SET total = 12.5, updated = \'2026-11-20\'  WHERE id = 9', 'UPDATE carts SET total = ?, updated = ? WHERE id = ?'],
  ['DELETE FROM carts WHERE id = 5', 'DELETE FROM carts WHERE id = ?'],
  ['SELECT pg_sleep(1.5)', 'SELECT pg_sleep(?)'],
  ['/* app:checkout */ select * from t1 where x = 0x1F', 'select * from t1 where x = ?'],
  // redis and other key-value commands: key suffixes after ':'
  ['get cart:6678', 'get cart:{id}'],
  ['GET cart:6678', 'GET cart:{id}'],
  ['HGETALL user:1000:profile', 'HGETALL user:{id}:profile'],
  ['user:profile:42', 'user:profile:{id}'],
  ['session:aZ9kQxLp', 'session:{id}'],
  ['GET session:checkout', 'GET session:checkout'],
  ['pg.query:SELECT shop', 'pg.query:SELECT shop'],
  // queues and topics
  ['orders-7 publish', 'orders-{n} publish'],
  ['kafka.orders.partition-3 receive', 'kafka.orders.partition-{n} receive'],
  ['events.2026-11-20 process', 'events.{date} process'],
  ['amq.gen-JzTY20BRgKO-HjmUJj0wLg send', 'amq.{id} send'],
  ['process job 7f3a9c2e-1b', 'process job {id}-1b'],
  // emails, IPs, quoted literals, bare numbers
  ['send mail to ana@example.com', 'send mail to {email}'],
  ['connect 10.0.0.12', 'connect {ip}'],
  ["lookup 'alice'", 'lookup ?'],
  ['retry 3 of 5', 'retry {n} of {n}'],
  // names without variable parts stay exactly
  ['fraud.score', 'fraud.score'],
  ['request handler - /checkout', 'request handler - /checkout'],
  ['middleware - query', 'middleware - query'],
  ['tcp.connect', 'tcp.connect'],
  ['GetRecords v2', 'GetRecords v2'],
  ['grpc.health.v1.Health/Check', 'grpc.health.v1.Health/Check'],
];

describe('groupName', () => {
  it.each(NAMES)('%s → %s', (name, op) => {
    expect(groupName(name)).toBe(op);
  });

  it('groups names that differ only by their ids into one operation', () => {
    const names = ['get cart:1', 'get cart:6678', 'get cart:999999', 'get cart:42'];
    expect(new Set(names.map(groupName))).toEqual(new Set(['get cart:{id}']));
    const paths = ['/u/550e8400-e29b-41d4-a716-446655440000', '/u/12', '/u/5f1b8c3e9a7d2b4c', '/u/dGhpcyBpcyBhIHRlc3Q9PQ'];
    expect(new Set(paths.map(groupName))).toEqual(new Set(['/u/{id}']));
  });

  it('is idempotent: a grouped name groups to itself', () => {
    for (const [, op] of NAMES) expect(groupName(op)).toBe(op);
  });
});

describe('SQL', () => {
  it('tells SQL from redis commands and HTTP methods that share a verb', () => {
    expect(isSqlText('SET cart:5 abc')).toBe(false);
    expect(isSqlText('DELETE /carts/991')).toBe(false);
    expect(isSqlText('SET search_path TO app')).toBe(true);
    expect(isSqlText('select 1')).toBe(true);
  });

  it('drops comments and collapses white space', () => {
    expect(normalizeSql('SELECT a -- the a\n  FROM t\n\tWHERE b = 1;')).toBe('SELECT a FROM t WHERE b = ?');
  });
});

function op(name: string, kind: SpanKind, attributes: Attributes = {}) {
  return spanOperation({ name, kind, attributes });
}

describe('spanOperation: what the producer says the operation is', () => {
  it('server spans go by method and http.route', () => {
    expect(op('POST', 'server', { 'http.request.method': 'POST', 'http.route': '/orders/:id' })).toEqual({ operation: 'POST /orders/:id', peer: '', rule: 'http-route' });
    expect(op('GET /orders/12', 'server', { 'http.method': 'GET', 'http.route': '/orders/{id}' }).operation).toBe('GET /orders/{id}');
  });

  it('database spans go by the query summary, else the normalised statement, else operation and collection', () => {
    expect(op('SELECT', 'client', { 'db.system.name': 'postgresql', 'db.query.summary': 'SELECT orders' })).toMatchObject({ operation: 'SELECT orders', peer: 'postgresql', rule: 'db' });
    expect(op('pg.query:SELECT shop', 'client', { 'db.system': 'postgresql', 'db.statement': 'SELECT * FROM orders WHERE id = 7' }).operation).toBe('SELECT * FROM orders WHERE id = ?');
    expect(op('get', 'client', { 'db.system': 'redis', 'db.statement': 'get cart:6678' })).toMatchObject({ operation: 'get cart:{id}', peer: 'redis' });
    expect(op('set', 'client', { 'db.system': 'redis', 'db.statement': 'set cart:6678 {"items":[1,2]}' }).operation).toBe('set cart:{id}');
    expect(op('find', 'client', { 'db.system': 'mongodb', 'db.operation': 'find', 'db.mongodb.collection': 'users' }).operation).toBe('find users');
  });

  it('HTTP client spans named only by their method take their URL template or path', () => {
    expect(op('POST', 'client', { 'url.full': 'http://localhost:3002/authorize?x=1', 'server.address': 'localhost', 'server.port': 3002 })).toEqual({
      operation: 'POST /authorize', peer: 'localhost:3002', rule: 'http-client',
    });
    expect(op('GET', 'client', { 'url.template': '/v1/charges/{charge}', 'url.full': 'https://payments-api.example.com/v1/charges/ch_1' })).toMatchObject({
      operation: 'GET /v1/charges/{charge}', peer: 'payments-api.example.com',
    });
    expect(op('HTTP GET', 'client', { 'http.url': 'http://api:8080/users/42' }).operation).toBe('GET /users/{id}');
    expect(op('GET', 'client', {}).operation).toBe('GET');
  });

  it('the peer of a call out', () => {
    expect(peerOf({ kind: 'client', attributes: { 'peer.service': 'billing', 'server.address': '10.0.0.1' } })).toBe('billing');
    expect(peerOf({ kind: 'client', attributes: { 'db.system': 'redis', 'server.address': 'localhost' } })).toBe('redis');
    expect(peerOf({ kind: 'producer', attributes: { 'messaging.system': 'kafka' } })).toBe('kafka');
    expect(peerOf({ kind: 'client', attributes: { 'net.peer.name': 'payments-api.example.com', 'net.peer.port': 443 } })).toBe('payments-api.example.com');
    expect(peerOf({ kind: 'unspecified', attributes: { 'db.system': 'mysql' } })).toBe('mysql');
    expect(peerOf({ kind: 'server', attributes: { 'server.address': 'localhost' } })).toBe('');
    expect(peerOf({ kind: 'internal', attributes: {} })).toBe('');
  });

  it('URL paths lose their query and group their ids', () => {
    expect(urlPathTemplate('https://h.example.com')).toBe('/');
    expect(urlPathTemplate('/a/123?b=c#d')).toBe('/a/{id}');
  });
});

describe('nodes and operations in a trace', () => {
  const S = (service: string, kind: SpanKind, name: string, attributes: Attributes = {}) => ({ service, kind, name, attributes });

  it('a call to a database, a cache or an uninstrumented host is a node of its own; a call to a traced service is not', () => {
    expect(nodeOf(S('payment', 'client', 'pg.query', { 'db.system': 'postgresql' }))).toBe('postgresql');
    expect(nodeOf(S('checkout', 'client', 'GET', { 'server.address': 'payments-api.example.com' }))).toBe('payments-api.example.com');
    expect(nodeOf(S('checkout', 'client', 'POST', { 'server.address': 'localhost', 'server.port': 3002 }), [{ service: 'payment' }])).toBe('checkout');
    expect(nodeOf(S('checkout', 'server', 'POST /order'))).toBe('checkout');
  });

  it('an HTTP client span named by its method takes the route of the server span it called', () => {
    const client = S('checkout', 'client', 'POST', { 'url.full': 'http://localhost:3002/orders/17' });
    const server = S('payment', 'server', 'POST /orders/:id', { 'http.method': 'POST', 'http.route': '/orders/:id' });
    expect(operationOf(client)).toBe('POST /orders/{id}');
    expect(operationOf(client, [server])).toBe('POST /orders/:id');
    expect(operationOf(client, [server], true)).toBe('POST');
  });

  it('spanOperations does the same over a trace in columns, with undone groupings', () => {
    const spans = [
      { ...S('checkout', 'client', 'POST'), spanId: 'a', parentSpanId: null, start: 0, op: 0 },
      { ...S('payment', 'server', 'POST /authorize'), spanId: 'b', parentSpanId: 'a', start: 1, op: 1 },
      { ...S('payment', 'client', 'get'), spanId: 'c', parentSpanId: 'b', start: 2, op: 2 },
      { ...S('payment', 'client', 'get'), spanId: 'd', parentSpanId: 'b', start: 3, op: 2 },
    ];
    const catalog: OperationCatalog = {
      service: ['checkout', 'payment', 'payment'], operation: ['POST /authorize', 'POST /authorize', 'get cart:{id}'], peer: ['localhost:3002', '', 'redis'],
      rule: ['http-client', 'http-route', 'db'], ungrouped: new Set(),
    };
    const cols = { opId: spans.map((s) => s.op), name: ['POST', 'POST /authorize', 'get', 'get'], service: spans.map((s) => s.service), kind: spans.map((s) => s.kind) };
    const tree = buildTraceTree(spans);
    expect(spanOperations(cols, tree, catalog)).toEqual({
      operation: ['POST /authorize', 'POST /authorize', 'get cart:{id}', 'get cart:{id}'], node: ['checkout', 'payment', 'redis', 'redis'],
    });
    const undone = spanOperations(cols, tree, { ...catalog, ungrouped: new Set([2]) });
    expect(undone.operation.slice(2)).toEqual(['get', 'get']);
    expect(undone.node.slice(2)).toEqual(['redis', 'redis']);
  });
});
