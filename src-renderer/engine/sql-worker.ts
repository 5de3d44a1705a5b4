// The SQL console's worker (sql-serve.ts): a copy of the workspace that user SQL runs on, ended
// by SqlConsole to stop a query.
import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import { loadSqlJs } from '../store/sqljs.ts';
import { serveReadOnlySql, type SqlPort } from './sql-serve.ts';

serveReadOnlySql(self as unknown as SqlPort, loadSqlJs(wasmUrl));
