// The catalog formats detect.ts chooses among beside traces and logs (catalog.ts reads them).
// Catalog files are small: the reader keeps the text and hands every entry to the sink at the end.

import type { FormatDef, FormatContext, FormatReader } from './types.ts';
import { parseCatalog, isBackstageCatalog, isServiceListYaml, isServiceCsv, MAX_CATALOG_BYTES, type CatalogFlavour } from './catalog.ts';
import { InputError } from '../base/result.ts';

function catalogReader(ctx: FormatContext, flavour: CatalogFlavour): FormatReader {
  const chunks: Uint8Array[] = [];
  let size = 0;
  return {
    get bytesRead() {
      return size;
    },
    push(chunk) {
      size += chunk.length;
      if (size > MAX_CATALOG_BYTES) throw new InputError(`a catalog larger than ${MAX_CATALOG_BYTES / 1024 / 1024} MB is not read`, { file: ctx.fileName, offset: MAX_CATALOG_BYTES });
      chunks.push(chunk);
    },
    end() {
      const bytes = new Uint8Array(size);
      let o = 0;
      for (const c of chunks) {
        bytes.set(c, o);
        o += c.length;
      }
      const res = parseCatalog(new TextDecoder().decode(bytes), ctx.fileName, flavour);
      for (const r of res.rejected) ctx.sink.reject({ line: r.line }, r.message);
      for (const [kind, n] of res.skipped) ctx.sink.tally({ skipped: n }, `catalog entities of kind ${kind} skipped: {n}`);
      ctx.sink.catalog(res.entries);
    },
  };
}

export const BACKSTAGE_CATALOG: FormatDef = {
  id: 'backstage-catalog',
  label: 'Backstage catalog (catalog-info.yaml)',
  kind: 'catalog',
  detect: (_head, text) => (isBackstageCatalog(text) ? 1 : 0),
  create: (ctx) => catalogReader(ctx, 'backstage'),
};

export const SERVICE_LIST_YAML: FormatDef = {
  id: 'service-list-yaml',
  label: 'service list (YAML: service, team, on-call, runbook, chat)',
  kind: 'catalog',
  detect: (_head, text) => (isServiceListYaml(text) ? 0.9 : 0),
  create: (ctx) => catalogReader(ctx, 'service-yaml'),
};

export const SERVICE_LIST_CSV: FormatDef = {
  id: 'service-list-csv',
  label: 'service list (CSV: service, team, on-call, runbook, chat)',
  kind: 'catalog',
  detect: (_head, text) => (isServiceCsv(text) ? 0.9 : 0),
  create: (ctx) => catalogReader(ctx, 'service-csv'),
};

export const CATALOG_FORMATS: FormatDef[] = [BACKSTAGE_CATALOG, SERVICE_LIST_YAML, SERVICE_LIST_CSV];
