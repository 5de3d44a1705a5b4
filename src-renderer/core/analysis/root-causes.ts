// The common root cause of failures: for the failing requests of a cohort, the error origin each
// failed on (error-origins.ts entryRootCause), grouped by the origin's node, its grouped operation
// and the pattern of its error (the message with its ids and values grouped as names are:
// core/model/operation.ts), ranked by how many traces share each:
//
//   25 of 25 failed checkouts  postgres    INSERT INTO payments …  QueryTimeoutError: timeout after {n} s
//    4 of 25                   bank:443    POST /v1/authorizations/{id}  HTTP 402

import { groupName } from '../model/operation.ts';

export interface RootCauseItem {
  traceId: string;
  node: string;
  operation: string;
  /** The origin's own words (errorMessage). */
  message: string;
  /** Its first exception's type, when it recorded one: failures of one kind group even when their messages differ. */
  exceptionType?: string;
  /** The service of the origin span (the caller, when the node is a database, cache or host it called). */
  spanService?: string;
}

export interface RootCauseGroup {
  service: string;
  operation: string;
  /** The error's pattern. */
  error: string;
  /** Failing traces in the group. */
  traces: number;
  /** All of them, in the order seen. */
  traceIds: string[];
}

/**
 * A failure's pattern: the exception type, then the message with its ids, numbers and quoted
 * values grouped (`QueryTimeoutError: timeout after {n} s`); a bare HTTP or gRPC status stays.
 */
export function errorPattern(message: string, exceptionType = ''): string {
  const m = message.trim();
  const type = exceptionType.trim();
  const words = m === '' ? '' : /^(HTTP \d{3}|gRPC \w+)$/.test(m) ? m : groupName(m);
  if (type === '' || m.startsWith(type)) return words || 'error';
  return words === '' ? type : `${type}: ${words}`;
}

/** Groups by node, operation and error pattern, most traces first (ties by name). A trace counts once per group. */
export function groupRootCauses(items: Iterable<RootCauseItem>): RootCauseGroup[] {
  const groups = new Map<string, RootCauseGroup & { seen: Set<string> }>();
  for (const it of items) {
    const error = errorPattern(it.message, it.exceptionType);
    const key = `${it.node}\u0000${it.operation}\u0000${error}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { service: it.node, operation: it.operation, error, traces: 0, traceIds: [], seen: new Set() }));
    if (g.seen.has(it.traceId)) continue;
    g.seen.add(it.traceId);
    g.traces++;
    g.traceIds.push(it.traceId);
  }
  return [...groups.values()]
    .map(({ seen: _, ...g }) => g)
    .sort((a, b) => b.traces - a.traces || a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation) || a.error.localeCompare(b.error));
}
