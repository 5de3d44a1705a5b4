// sql-serve.ts in a Node worker thread, as the app runs it in a Web Worker: the tests' way to
// stop a real runaway query across a real thread boundary.
import { parentPort } from 'node:worker_threads';
import { loadSqlJs } from '../../../src-renderer/store/sqljs.ts';
import { serveReadOnlySql, type SqlPort, type SqlWorkerRequest } from '../../../src-renderer/engine/sql-serve.ts';

const port: SqlPort = { postMessage: (m) => parentPort!.postMessage(m), onmessage: null };
parentPort!.on('message', (data: SqlWorkerRequest) => port.onmessage?.({ data }));
serveReadOnlySql(port, loadSqlJs());
