// Who to page, the pure ranking (core/analysis/page.ts) on hand-checked cases: failing requests
// counted once per trace under the node they failed on, added critical-path time against the
// earlier rate, nodes without an owner paged through their caller.
import { describe, it, expect } from 'vitest';
import { addedNs, nodeOwner, rankPage } from '../../src-renderer/core/analysis/page.ts';
import { mapOwnership } from '../../src-renderer/core/analysis/ownership.ts';
import type { CatalogEntry } from '../../src-renderer/core/model/catalog.ts';

const entry = (name: string, owner: string, extra: Partial<CatalogEntry> = {}): CatalogEntry => ({
  kind: 'Component', name, title: null, description: null, owner, system: null, lifecycle: null, onCall: null, chat: null, pagerDuty: null,
  links: [], dependsOn: [], file: 'catalog.yaml', line: 1, source: null, ...extra,
});

const view = mapOwnership({
  services: [{ service: 'frontend', spans: 10 }, { service: 'payment', spans: 5 }, { service: 'orphan', spans: 1 }],
  entries: [
    entry('frontend', 'team-web'),
    entry('payment', 'group:default/payments', { onCall: 'payments-primary', chat: '#payments-oncall', links: [{ url: 'https://runbooks.example.com/payment', title: 'Payment runbook', type: 'runbook' }] }),
  ],
  aliases: new Map(),
  attributeOwners: new Map(),
});

describe('added critical-path time', () => {
  it('is the window’s time per node minus its requests’ time at the rate before', () => {
    // During: 4 requests, payment 2,000 ns in all; before: 2 requests, payment 400 ns (200 per request).
    const during = { traces: 4, byService: [{ service: 'payment', ns: 2000 }, { service: 'frontend', ns: 400 }] };
    const before = { traces: 2, byService: [{ service: 'payment', ns: 400 }, { service: 'frontend', ns: 300 }, { service: 'gone', ns: 10 }] };
    expect(addedNs(during, before)).toEqual(new Map([['payment', 2000 - 800], ['frontend', 400 - 600], ['gone', -20]]));
  });
  it('is nothing when either window has no request', () => {
    expect(addedNs({ traces: 3, byService: [{ service: 'a', ns: 5 }] }, { traces: 0, byService: [] }).size).toBe(0);
    expect(addedNs({ traces: 0, byService: [] }, { traces: 3, byService: [{ service: 'a', ns: 5 }] }).size).toBe(0);
  });
});

describe('the page list', () => {
  it('ranks by failing traces, each trace once, then by time added; with on-call, chat and runbook', () => {
    const rows = rankPage(
      view,
      [
        { traceId: 't1', node: 'payment', service: 'payment' },
        { traceId: 't1', node: 'payment', service: 'payment' },
        { traceId: 't2', node: 'payment', service: 'payment' },
        { traceId: 't3', node: 'frontend', service: 'frontend' },
      ],
      new Map([['frontend', 50], ['orphan', 900], ['payment', 10], ['shrunk', -5]]),
      new Map(),
    );
    expect(rows.map((r) => [r.service, r.owner, r.failingTraces, r.addedCriticalPathNs])).toEqual([
      ['payment', 'group:default/payments', 2, 10],
      ['frontend', 'team-web', 1, 50],
      ['orphan', null, 0, 900],
    ]);
    expect(rows[0]).toMatchObject({ onCall: 'payments-primary', chat: '#payments-oncall', traceIds: ['t1', 't2'], via: null });
    expect(rows[0].runbook?.url).toBe('https://runbooks.example.com/payment');
  });
  it('pages a database, cache or host through the service that called it', () => {
    const rows = rankPage(view, [{ traceId: 't9', node: 'postgresql', service: 'payment' }], new Map([['redis', 70]]), new Map([['redis', 'frontend']]));
    expect(rows.map((r) => [r.service, r.owner, r.via])).toEqual([
      ['postgresql', 'group:default/payments', 'payment'],
      ['redis', 'team-web', 'frontend'],
    ]);
    // A node with an owner of its own is its owner's, whoever called it.
    expect(nodeOwner(view, 'frontend', 'payment')).toMatchObject({ via: null, row: { owner: 'team-web' } });
    // Nobody owns the node nor its caller: no owner, and no caller named as if it were paged.
    expect(nodeOwner(view, 'kafka', 'orphan')).toEqual({ row: null, via: null });
  });
});
