// Loading sql.js. In Node (tests, CLI) the package finds its wasm itself; in the browser worker
// the caller passes the bundled wasm URL. useOldExtensionFunctions: false selects SQLite's native
// math functions (the legacy ones compute log() as the natural log).

import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';

export async function loadSqlJs(wasmUrl?: string): Promise<SqlJsStatic> {
  const config = { useOldExtensionFunctions: false, ...(wasmUrl ? { locateFile: () => wasmUrl } : {}) };
  return initSqlJs(config as Parameters<typeof initSqlJs>[0]);
}
