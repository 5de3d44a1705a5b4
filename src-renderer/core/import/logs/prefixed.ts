// Logs of several containers in one file, each line prefixed with where it came from:
//  - `docker compose logs` (https://docs.docker.com/reference/cli/docker/compose/logs/):
//    "web-1  | message" (Compose v1: "web_1  | "), colour codes around the prefix, and with
//    --timestamps an RFC 3339 stamp after it;
//  - `kubectl logs --prefix` (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_logs/):
//    "[pod/checkout-7d9f/app] message", with --timestamps a stamp after it.
// The prefix names the service (Compose's service without its replica number, Kubernetes'
// container); a service named inside the line (a JSON "service" field) wins. The rest of the line
// is read as a line of its own: JSON, logfmt, any line format the service's lines follow
// (PostgreSQL, Redis, nginx, Java, …: the first that reads one of its lines is kept for it), or
// plain text. A line that continues a record (a stack frame, an indented line) joins the last
// record only when that record is of the same service, so interleaved services never mix.

import type { LogRecord } from '../../model/log.ts';
import { Continues, lineFormat, scoreLines, stripAnsi, type LineFormatDef, type LineParser, type ParseEnv } from './reader.ts';
import { readTextLine } from './text-line.ts';
import { parseLogfmt } from './logfmt.ts';
import { recordFromObject, parseObject } from './fields.ts';
import { parseTimeValue } from './timestamp.ts';

const COMPOSE = /^([A-Za-z0-9][\w.-]*?)(?:[-_](\d+))?\s+\| ?(.*)$/s;
const KUBECTL = /^\[(pod|deployment|deploy|job|statefulset|daemonset|replicaset)\/([^/\]\s]+)\/([^\]\s]+)\] ?(.*)$/s;
const DOCKER_STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) ?/;
const CONTINUATION = /^(?:\t| {2,}|at\s|Caused by:|Suppressed:|\.\.\. \d+ (?:more|common frames omitted)|Traceback \(most recent call last\):|[\w$]+(?:\.[\w$]+)*(?:Exception|Error|Throwable)(?::\s|$))/;

interface Prefixed {
  service: string;
  text: string;
  attributes: Record<string, string>;
}

/** The prefix of a line, or null when it has none. */
function splitPrefix(raw: string): Prefixed | null {
  const line = stripAnsi(raw);
  const k = KUBECTL.exec(line);
  if (k) {
    const attributes: Record<string, string> = { 'k8s.container.name': k[3] };
    attributes[k[1] === 'pod' ? 'k8s.pod.name' : `k8s.${k[1] === 'deploy' ? 'deployment' : k[1]}.name`] = k[2];
    return { service: k[3], text: k[4], attributes };
  }
  const c = COMPOSE.exec(line);
  if (c) return { service: c[1], text: c[3], attributes: { 'container.name': c[2] ? line.slice(0, c[1].length + 1 + c[2].length) : c[1] } };
  return null;
}

class PrefixedParser implements LineParser {
  readonly continuation = 'join' as const;
  private lastService: string | null = null;
  /** Per service: the line parsers tried so far, and the one that last read one of its lines. */
  private readonly parsers = new Map<string, { chosen: LineParser | null; all: Map<string, LineParser> }>();

  constructor(private readonly env: ParseEnv, private readonly formats: readonly LineFormatDef[]) {}

  parse(raw: string, line: number): LogRecord | Continues | null {
    const p = splitPrefix(raw);
    if (!p) return null;
    const same = this.lastService === p.service;
    // `--timestamps` puts a stamp before the line; the line may also start with a stamp of its own.
    const ds = DOCKER_STAMP.exec(p.text);
    const body = ds ? p.text.slice(ds[0].length) : p.text;
    // Docker stamps every line it receives, so a stamp says nothing about where an event starts.
    if (same && (body.trim() === '' || CONTINUATION.test(body))) return new Continues(body);
    let rec = (ds ? this.readInner(p.service, body, line, same) : null) ?? this.readInner(p.service, p.text, line, same);
    if (rec instanceof Continues) return rec;
    if (!rec) rec = readTextLine(p.text, line, this.env);
    else if (rec.timeNs === null && ds) rec.timeNs = parseTimeValue(ds[1], this.env.zone);
    if (rec.service === this.env.service) rec.service = this.env.service ?? p.service;
    Object.assign(rec.attributes, p.attributes);
    this.lastService = p.service;
    return rec;
  }

  /** The line read as JSON, logfmt or one of the line formats, or null when none reads it. */
  private readInner(service: string, text: string, line: number, same: boolean): LogRecord | Continues | null {
    const obj = parseObject(text);
    if (obj) return recordFromObject(obj, text, line, this.env);
    const kv = parseLogfmt(text);
    if (kv) return recordFromObject(kv, text, line, this.env);
    let state = this.parsers.get(service);
    if (!state) this.parsers.set(service, (state = { chosen: null, all: new Map() }));
    if (state.chosen) {
      const r = state.chosen.parse(text, line);
      if (r instanceof Continues) return same ? r : readTextLine(text, line, this.env);
      if (r) return r;
    }
    for (const f of this.formats) {
      let parser = state.all.get(f.id);
      if (!parser) state.all.set(f.id, (parser = f.lineParser(this.env)));
      if (parser === state.chosen) continue;
      const r = parser.parse(text, line);
      if (r && !(r instanceof Continues)) {
        state.chosen = parser;
        return r;
      }
    }
    return null;
  }
}

/** The prefixed format, reading inner lines with `formats` (log-formats.ts passes the line formats it lists). */
export function prefixedFormat(formats: () => readonly LineFormatDef[]): LineFormatDef {
  return lineFormat({
    id: 'logs-prefixed',
    label: 'docker compose / kubectl --prefix logs',
    detect(head) {
      return scoreLines(head, (l) => (splitPrefix(l) ? 'yes' : 'no'));
    },
    parser: (env) => new PrefixedParser(env, formats()),
  });
}
