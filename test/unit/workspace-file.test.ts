// The workspace file: what the app saves (data, SLOs, notes, the view) opens again with the same
// counts and the same work, in the app's engine and in every `tracedeck` command; an older file
// is upgraded; a truncated, damaged, foreign or newer file is refused with one message naming it,
// and what was loaded stays loaded.

import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { main } from '../../src-renderer/cli/main.ts';
import { createLocalEngine } from '../../src-renderer/engine/local.ts';
import type { EngineCore } from '../../src-renderer/engine/engine-core.ts';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { SCHEMA_VERSION, APPLICATION_ID } from '../../src-renderer/store/schema.ts';
import { WorkspaceFileError } from '../../src-renderer/core/base/workspace-file.ts';
import { DAY_NS, MINUTE_NS, type SloDefinition } from '../../src-renderer/core/analysis/slo.ts';

const DEMO = join(__dirname, '../../assets/demo-incident.zip');
const CATALOG = join(__dirname, '../fixtures/catalog/demo-catalog-info.yaml');
const dir = mkdtempSync(join(tmpdir(), 'tracedeck-ws-file-'));
let SQL: SqlJsStatic;
let saved: Uint8Array;
let savedPath: string;
let totals: { traces: number; spans: number; logs: number; files: number };
let traceId: string;
let ownership: ReturnType<EngineCore['ownership']>;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const SLO: SloDefinition = {
  name: 'checkout-latency', service: 'frontend', operation: 'POST /checkout', indicator: { kind: 'latency', thresholdNs: 2e9 },
  objective: 0.99, windowNs: 5 * MINUTE_NS, periodNs: 30 * DAY_NS,
};

beforeAll(async () => {
  SQL = await loadSqlJs();
  const demo = join(dir, 'demo.sqlite');
  expect((await cli('import', DEMO, CATALOG, '--save', demo)).code).toBe(0);
  const { core } = await createLocalEngine();
  core.openWorkspace(new Uint8Array(readFileSync(demo)), 'demo.sqlite');
  totals = core.totals();
  traceId = core.listTraces({ offset: 0, limit: 1, sort: 'errors' })[0].traceId;
  core.sloAdd([{ definition: SLO, warnings: ['a warning'] }]);
  core.noteSet({ target: 'trace', traceId, label: 'the worst trace' }, { starred: true, body: 'payment times out <b>here</b>' });
  core.noteSet({ target: 'log', logRow: 7, label: 'a line' }, { starred: true });
  core.noteSet({ target: 'range', fromNs: '1763630000000000001', toNs: '1763630060000000000' }, { body: 'the outage' });
  ownership = core.setServiceAlias('api-gateway', 'edge-gateway');
  expect(ownership.services.find((s) => s.service === 'api-gateway')?.source).toBe('alias');
  saved = core.exportWorkspace({ route: '#/traces?sort=errors', kept: { logs: { sev: 'error' } } });
  savedPath = join(dir, 'incident.tracedeck');
  writeFileSync(savedPath, saved);
}, 60_000);

describe('a saved workspace', () => {
  it('is a plain SQLite file marked as a workspace of this schema version', () => {
    const db = new SQL.Database(saved);
    expect(db.exec('PRAGMA user_version')[0].values[0][0]).toBe(SCHEMA_VERSION);
    expect(db.exec('PRAGMA application_id')[0].values[0][0]).toBe(APPLICATION_ID);
    const tables = db.exec("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")[0].values.flat();
    expect(tables).toEqual(expect.arrayContaining(['files', 'spans', 'traces', 'logs', 'slos', 'notes', 'service_catalog', 'catalog_aliases', 'view_state', 'report_drafts']));
    db.close();
  });

  it('opened, keeps its rollback journal in memory, also after a save reopens the connection', () => {
    const store = Store.create(SQL, saved.slice(), 'incident.tracedeck', { handOver: true });
    const mode = () => store.db.exec('PRAGMA main.journal_mode')[0].values[0][0];
    expect(mode()).toBe('memory');
    store.export();
    expect(mode()).toBe('memory');
    store.close();
  });

  it('opens with the same counts, SLOs, notes and view', async () => {
    const { core } = await createLocalEngine();
    expect(core.openWorkspace(saved.slice(), 'incident.tracedeck')).toEqual({ ...totals, problems: [] }); // the engine takes the bytes it opens
    expect(core.sloList()).toEqual([{ id: 1, definition: SLO, warnings: ['a warning'] }]);
    const notes = core.notes();
    expect(notes.map((n) => [n.target, n.starred, n.body, n.label])).toEqual([
      ['trace', true, 'payment times out <b>here</b>', 'the worst trace'],
      ['log', true, '', 'a line'],
      ['range', false, 'the outage', ''],
    ]);
    expect(notes[0].traceId).toBe(traceId);
    expect(notes[2]).toMatchObject({ fromNs: '1763630000000000001', toNs: '1763630060000000000' });
    expect(core.viewState()).toEqual({ route: '#/traces?sort=errors', kept: { logs: { sev: 'error' } } });
    // The catalog and the alias the user set: the same owners.
    expect(core.ownership()).toEqual(ownership);
  });

  it('keeps one note per anchor, and drops a note neither starred nor written', async () => {
    const { core } = await createLocalEngine(saved);
    core.noteSet({ target: 'trace', traceId }, { body: 'rewritten' });
    expect(core.notes().filter((n) => n.target === 'trace').map((n) => [n.starred, n.body])).toEqual([[true, 'rewritten']]);
    core.noteSet({ target: 'log', logRow: 7 }, { starred: false });
    expect(core.notes().map((n) => n.target)).toEqual(['trace', 'range']);
  });

  it('is read by the command line: notes, queries and analyses', async () => {
    const notes = await cli('notes', savedPath, '--json');
    expect(notes.err).toBe('');
    expect((JSON.parse(notes.out) as { notes: unknown[] }).notes).toHaveLength(3);
    const text = await cli('notes', savedPath);
    expect(text.out).toContain(`★ trace ${traceId} "the worst trace": payment times out <b>here</b>`);
    expect(text.out).toContain('2025-11-20T09:13:20.000000001Z to');
    const q = await cli('query', savedPath, '--sql', 'SELECT count(*) AS n FROM spans', '--json');
    expect(JSON.parse(q.out)).toEqual([{ n: totals.spans }]);
    const cp = await cli('critical-path', savedPath, '--trace', traceId, '--json');
    expect(cp.code).toBe(0);
  });
});

describe('a workspace edited by hand', () => {
  function withBadSlos(): Uint8Array {
    const db = new SQL.Database(saved);
    db.run('INSERT INTO slos (definition, warnings, source) VALUES (?, ?, ?)', ['{"name": "x", "service": 7}', '[]', null]);
    db.run('INSERT INTO slos (definition, warnings, source) VALUES (?, ?, ?)', ['not json at all', 'nor this', '{']);
    db.run("UPDATE slos SET warnings = '{\"not\": \"a list\"}' WHERE slo_id = 1");
    const b = db.export();
    db.close();
    return b;
  }

  it('opens with the SLOs it can read; the others are named in one problem, and the rest of the work is there', async () => {
    const { core } = await createLocalEngine();
    expect(core.openWorkspace(withBadSlos(), 'edited.tracedeck')).toEqual({
      ...totals,
      problems: ['edited.tracedeck: SLO definitions 2, 3 are not a readable SLO and were left out'],
    });
    expect(core.sloList()).toEqual([{ id: 1, definition: SLO, warnings: [] }]);
    expect(core.notes()).toHaveLength(3);
  });

  it('the command line says the same and still answers', async () => {
    const path = join(dir, 'edited.tracedeck');
    writeFileSync(path, withBadSlos());
    const r = await cli('import', path);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${path}: SLO definitions 2, 3 are not a readable SLO and were left out`);
    expect(r.out).toContain(`total: ${totals.traces} traces, ${totals.spans} spans`);
  });
});

describe('an older workspace', () => {
  // Version 6 had everything but the span trees and the kept service map; version 5 had the
  // user's work with a catalog of a row per service, and no report draft; version 4 had the
  // grouped operations but none of the user's work; version 3 had neither.
  const KEPT_TABLES = 'DROP TABLE span_trees; DROP TABLE map_operations; DROP TABLE map_edges; DROP TABLE map_state;';
  const WORK_TABLES = `${KEPT_TABLES} DROP TABLE slos; DROP TABLE notes; DROP TABLE service_catalog; DROP TABLE catalog_aliases; DROP TABLE view_state; DROP TABLE report_drafts;`;
  const V5_CATALOG = `${KEPT_TABLES} DROP TABLE service_catalog; DROP TABLE catalog_aliases; DROP TABLE report_drafts;
    CREATE TABLE service_catalog (service TEXT PRIMARY KEY, owner TEXT, tier TEXT, description TEXT, attributes TEXT) WITHOUT ROWID;
    INSERT INTO service_catalog VALUES ('frontend', 'team-web', 'tier-1', NULL, NULL);`;
  const OLDER: Array<[number, string]> = [
    [6, KEPT_TABLES],
    [5, V5_CATALOG],
    [4, WORK_TABLES],
    [3, `${WORK_TABLES} DROP INDEX spans_by_op; ALTER TABLE spans DROP COLUMN op_id; DROP TABLE operations; DROP TABLE operation_settings;`],
  ];
  let serviceMap: unknown;
  let aggregateEntries: unknown;
  /** The map's nodes and edges without their owners (which follow the catalog each version kept, checked beside). */
  const mapShape = (core: EngineCore) => {
    const m = core.serviceMap();
    return { ...m, services: m.services.map(({ owner: _o, ownerSource: _s, ...n }) => n) };
  };
  beforeAll(async () => {
    const { core } = await createLocalEngine();
    core.openWorkspace(saved, 'incident.tracedeck');
    serviceMap = mapShape(core);
    aggregateEntries = core.aggregateEntries();
  });
  for (const [version, drop] of OLDER) {
    it(`is upgraded: version ${version} gains what it lacked (the kept span trees and map, the catalog, the user's work, operations)`, async () => {
      const db = new SQL.Database(saved);
      db.exec(`${drop} PRAGMA user_version = ${version}; PRAGMA application_id = 0;`);
      const old = db.export();
      db.close();
      const store = Store.create(SQL, old, 'old.sqlite');
      expect(store.db.exec('PRAGMA user_version')[0].values[0][0]).toBe(SCHEMA_VERSION);
      expect(store.db.exec('PRAGMA application_id')[0].values[0][0]).toBe(APPLICATION_ID);
      expect(store.db.exec('SELECT count(*) FROM spans WHERE op_id IS NULL')[0].values[0][0]).toBe(0);
      store.close();
      const { core } = await createLocalEngine();
      expect(core.openWorkspace(old, 'old.sqlite')).toEqual({ ...totals, problems: [] });
      // Versions 5 and 6 kept the user's work; version 5's catalog is the one catalog's entries now.
      const kept = version >= 5;
      expect(core.sloList()).toHaveLength(kept ? 1 : 0);
      expect(core.notes()).toHaveLength(kept ? 3 : 0);
      if (version === 6) {
        // Version 6 kept the one catalog and the aliases as they are now.
        expect(core.ownership()).toEqual(ownership);
      } else {
        const frontend = core.ownership().services.find((s) => s.service === 'frontend');
        expect([frontend?.owner, frontend?.source]).toEqual(['team-web', kept ? 'catalog' : 'resource-attribute']);
      }
      core.sloAdd([{ definition: SLO, warnings: [] }]);
      expect(core.sloList()).toHaveLength(kept ? 2 : 1);
      expect(mapShape(core)).toEqual(serviceMap);
      const owners = new Map(core.ownership().services.map((o) => [o.service, o.owner]));
      expect(core.serviceMap().services.map((n) => n.owner)).toEqual(core.serviceMap().services.map((n) => owners.get(n.name) ?? null));
      expect(core.aggregateEntries()).toEqual(aggregateEntries);
    });
  }
});

describe('a workspace saved at version 6 by the release before (test/fixtures/workspace)', () => {
  const F = join(__dirname, '../fixtures');
  const FILES = ['otel-sdk/sdk/01-traces.json', 'otel-sdk/sdk/04-traces.json', 'otel-sdk/sdk/07-traces.json', 'otel-sdk/sdk/02-logs.json', 'catalog/demo-catalog-info.yaml'];

  it('opens with its span trees and service map made, the same as an import of its files today', async () => {
    const old = new Uint8Array(gunzipSync(readFileSync(join(F, 'workspace/saved-v6.tracedeck.gz'))));
    const db = new SQL.Database(old);
    expect(db.exec('PRAGMA user_version')[0].values[0][0]).toBe(6);
    expect(db.exec("SELECT count(*) FROM sqlite_schema WHERE name IN ('span_trees', 'map_operations', 'map_edges', 'map_state')")[0].values[0][0]).toBe(0);
    db.close();
    const store = Store.create(SQL, old, 'saved-v6.tracedeck');
    expect(store.db.exec('PRAGMA user_version')[0].values[0][0]).toBe(SCHEMA_VERSION);
    expect(store.db.exec('SELECT (SELECT count(*) FROM traces), (SELECT count(*) FROM span_trees), (SELECT sum(spans) FROM span_trees), (SELECT count(*) FROM spans)')[0].values[0]).toEqual([3, 3, 27, 27]);
    expect(store.db.exec('SELECT complete FROM map_state')[0].values[0][0]).toBe(1);
    store.close();

    const today = join(dir, 'today.tracedeck');
    expect((await cli('import', ...FILES.map((f) => join(F, f)), '--save', today)).code).toBe(0);
    const fresh = (await createLocalEngine()).core;
    fresh.openWorkspace(new Uint8Array(readFileSync(today)), 'today.tracedeck');
    const upgraded = (await createLocalEngine()).core;
    expect(upgraded.openWorkspace(old, 'saved-v6.tracedeck')).toEqual({ ...fresh.totals(), problems: [] });
    expect(upgraded.serviceMap().edges.length).toBeGreaterThan(0);
    expect(upgraded.serviceMap()).toEqual(fresh.serviceMap());
    expect(upgraded.aggregateEntries()).toEqual(fresh.aggregateEntries());
    expect(upgraded.ownership()).toEqual(fresh.ownership());
  });
});

describe('a file that cannot be opened', () => {
  function foreign(): Uint8Array {
    const db = new SQL.Database();
    db.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL); INSERT INTO orders VALUES (1, 9.5);');
    const b = db.export();
    db.close();
    return b;
  }
  function newer(): Uint8Array {
    const db = new SQL.Database(saved);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    const b = db.export();
    db.close();
    return b;
  }
  function damaged(): Uint8Array {
    const b = saved.slice();
    b.fill(0xff, 100, 4096); // the rest of page 1: the schema's b-tree
    return b;
  }
  const cases: Array<[string, () => Uint8Array, RegExp]> = [
    ['truncated', () => saved.slice(0, Math.floor(saved.length / 2) + 17), /^cut\.tracedeck is truncated: it ends at byte [\d,]+ of the [\d,]+ its header announces$/],
    ['cut inside the header', () => saved.slice(0, 60), /^cut\.tracedeck is truncated: it ends at byte 60, inside the SQLite header$/],
    ['damaged', damaged, /^cut\.tracedeck is damaged: SQLite says "(database disk image is malformed|file is not a database)"$/],
    ['a SQLite file that is not a workspace', foreign, /^cut\.tracedeck is a SQLite database but not a Tracedeck workspace \(it has no files, spans, traces, logs tables\)$/],
    [
      'from a newer version', newer,
      new RegExp(`^cut\\.tracedeck was saved by a newer Tracedeck \\(workspace schema version ${SCHEMA_VERSION + 1}\\); this version reads versions 1 to ${SCHEMA_VERSION}\\.`),
    ],
  ];

  for (const [what, bytes, message] of cases) {
    it(`${what}: one message, and the workspace loaded stays`, async () => {
      const { core } = await createLocalEngine(saved);
      expect(() => core.openWorkspace(bytes(), 'cut.tracedeck')).toThrow(WorkspaceFileError);
      expect(() => core.openWorkspace(bytes(), 'cut.tracedeck')).toThrow(message);
      expect(core.totals()).toEqual(totals);
      expect(core.notes()).toHaveLength(3);
      expect(core.listTraces({ offset: 0, limit: 1, sort: 'errors' })[0].traceId).toBe(traceId);
    });
  }

  it('the command line names the file and exits 1', async () => {
    const bad = join(dir, 'newer.tracedeck');
    writeFileSync(bad, newer());
    const r = await cli('notes', bad);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`tracedeck: ${bad} was saved by a newer Tracedeck (workspace schema version ${SCHEMA_VERSION + 1}); this version reads versions 1 to ${SCHEMA_VERSION}. Open it with a newer Tracedeck.`);
  });
});
