// The parse side of a pipelined import. Reading (JSON.parse, conversion, rows) and storing
// (sql.js) each take about half of an import's time, so with two cores the reading runs in a
// worker of its own and posts rows over a MessagePort to the engine worker, which stores them
// (EngineCore.ingestOp) while the next chunk is read. Rows cross packed (store/packed.ts): their
// typed arrays are transferred, not copied. The UI thread drives it chunk by chunk; a chunk's reply waits
// while too many batches are in flight, so memory stays bounded when storing is the slower side.

import { ImportReader, type IngestTarget, type ImportProgress, type SourceMeta } from './import-reader.ts';
import type { ImportOptions } from '../core/import/types.ts';
import type { Finding } from '../core/model/trace.ts';
import type { CatalogEntry } from '../core/model/catalog.ts';
import { spanRowBuffers, logRowBuffers, type SpanRows, type LogRows } from '../store/rows.ts';

/** What the parse worker sends the engine worker, in order, for one job. */
export type IngestOp =
  | { job: number; op: 'begin-file'; name: string; size: number | null }
  | { job: number; op: 'spans'; rows: SpanRows }
  | { job: number; op: 'logs'; rows: LogRows }
  | { job: number; op: 'findings'; findings: Finding[] }
  | { job: number; op: 'catalog'; entries: CatalogEntry[] }
  | { job: number; op: 'finish-file'; meta: SourceMeta }
  | { job: number; op: 'end' };

/** The engine's answer to each op: how many it has applied since the last answer. */
export interface IngestAck {
  ack: number;
}

/**
 * Batches the engine may hold before the parser waits (a batch is ~1,000 spans, about 0.7 MB of rows).
 * Two cores are shared by both workers, the UI thread and V8's collectors, so the engine falls
 * behind in bursts even when it is the faster side: with 8, the parser spent ~3 s of a 10 s import
 * of 1M spans waiting for it; with 32 it hardly waits, and the import is ~0.5 s shorter.
 */
const MAX_IN_FLIGHT = 32;

/** The minimal port both sides use (a MessagePort in workers and in Node). */
export interface OpPort {
  postMessage(m: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
}

class PortTarget implements IngestTarget {
  constructor(
    private readonly job: number,
    private readonly post: (op: IngestOp, transfer?: Transferable[]) => void,
  ) {}

  beginFile(name: string, size: number | null): void {
    this.post({ job: this.job, op: 'begin-file', name, size });
  }

  addSpanRows(rows: SpanRows): void {
    this.post({ job: this.job, op: 'spans', rows }, spanRowBuffers(rows));
  }

  addLogRows(rows: LogRows): void {
    this.post({ job: this.job, op: 'logs', rows }, logRowBuffers(rows));
  }

  addFindings(findings: Finding[]): void {
    this.post({ job: this.job, op: 'findings', findings });
  }

  addCatalogEntries(entries: CatalogEntry[]): void {
    this.post({ job: this.job, op: 'catalog', entries });
  }

  finishFile(meta: SourceMeta): void {
    this.post({ job: this.job, op: 'finish-file', meta });
  }
}

export class ParseCore {
  private port: OpPort | null = null;
  private readonly jobs = new Map<number, ImportReader>();
  private inFlight = 0;
  /** Chunks waiting for the engine to catch up (the UI thread keeps up to two chunks in flight). */
  private waiting: (() => void)[] = [];

  /** The port to the engine worker (sent once by the UI thread, which made the channel). */
  connect(port: OpPort): void {
    this.port = port;
    port.onmessage = (e: MessageEvent) => {
      this.inFlight -= (e.data as IngestAck).ack;
      if (this.inFlight <= MAX_IN_FLIGHT / 2 && this.waiting.length > 0) {
        const ws = this.waiting;
        this.waiting = [];
        for (const w of ws) w();
      }
    };
  }

  private post(op: IngestOp, transfer: Transferable[] = []): void {
    if (!this.port) throw new Error('the parse worker is not connected to the engine');
    this.inFlight++;
    this.port.postMessage(op, transfer);
  }

  begin(jobId: number, fileName: string, size: number | null, options?: ImportOptions): void {
    this.jobs.set(jobId, new ImportReader(new PortTarget(jobId, (op, transfer) => this.post(op, transfer)), fileName, size, options));
  }

  /** Read one chunk; answer once the engine has caught up enough to take more. */
  async chunk(jobId: number, bytes: Uint8Array): Promise<ImportProgress> {
    const progress = this.reader(jobId).push(bytes);
    while (this.inFlight > MAX_IN_FLIGHT) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return progress;
  }

  /** The file is complete: flush, and tell the engine the job's rows are all sent. */
  end(jobId: number): void {
    this.reader(jobId).end();
    this.jobs.delete(jobId);
    this.post({ job: jobId, op: 'end' });
  }

  cancel(jobId: number): void {
    this.jobs.delete(jobId);
  }

  private reader(jobId: number): ImportReader {
    const r = this.jobs.get(jobId);
    if (!r) throw new Error(`no import ${jobId}`);
    return r;
  }
}

export type ParseMethod = 'begin' | 'chunk' | 'end' | 'cancel';
export const PARSE_METHODS: readonly ParseMethod[] = ['begin', 'chunk', 'end', 'cancel'];
