// Synthetic span sets for the analysis benchmarks and scale tests: a bushy random trace, a wide
// fan-out and a long sequence, each deterministic (seeded).
import { writeFileSync } from 'node:fs';
import type { CpSpan } from '../../src-renderer/core/analysis/critical-path.ts';
import { Random } from '../../src-renderer/core/demo/random.ts';

export function rng(seed: number): () => number {
  const r = new Random(seed);
  return () => r.next();
}

export const spanId = (i: number): string => i.toString(16).padStart(16, '0');

/** A bushy random trace: each span's parent is among the few hundred spans before it. */
export function randomTrace(n: number, seed = 42): CpSpan[] {
  const r = rng(seed);
  const spans: CpSpan[] = [{ spanId: spanId(0), parentSpanId: null, start: 0, duration: 1e9 }];
  const end: number[] = [1e9];
  for (let i = 1; i < n; i++) {
    const p = Math.max(0, i - 1 - Math.floor(r() * 300));
    const s = spans[p].start + Math.floor(r() * (end[p] - spans[p].start) * 0.9);
    const d = Math.max(1, Math.floor(r() * (end[p] - s) * 1.05));
    spans.push({ spanId: spanId(i), parentSpanId: spanId(p), start: s, duration: d });
    end.push(s + d);
  }
  return spans;
}

/** One root with n-1 children at random times. */
export function fanOut(n: number, seed = 3): CpSpan[] {
  const r = rng(seed);
  const spans: CpSpan[] = [{ spanId: spanId(0), parentSpanId: null, start: 0, duration: 1e9 }];
  for (let i = 1; i < n; i++) spans.push({ spanId: spanId(i), parentSpanId: spanId(0), start: Math.floor(r() * 9e8), duration: Math.floor(r() * 1e8) });
  return spans;
}

/** One root with n-1 children one after another. */
export function sequence(n: number): CpSpan[] {
  const spans: CpSpan[] = [{ spanId: spanId(0), parentSpanId: null, start: 0, duration: 10 * (n - 1) }];
  for (let i = 1; i < n; i++) spans.push({ spanId: spanId(i), parentSpanId: spanId(0), start: 10 * (i - 1), duration: 10 });
  return spans;
}

/** A chain n deep. */
export function chain(n: number): CpSpan[] {
  return Array.from({ length: n }, (_, i) => ({ spanId: spanId(i + 1), parentSpanId: i === 0 ? null : spanId(i), start: i, duration: 2 * n - 2 * i }));
}

/**
 * One trace of `n` spans as OTLP/JSON lines: a root, calls of 1 ms one after another, each with
 * 99 children of 10 µs in a row; spans spread over 10 services (one resource per line).
 */
export function writeBigTrace(path: string, n: number): void {
  const T = 1_763_629_200_000_000_000n;
  const hex = (i: number) => (i + 1).toString(16).padStart(16, '0');
  const bySvc: object[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < n; i++) {
    const call = Math.floor((i - 1) / 100);
    const isCall = i > 0 && (i - 1) % 100 === 0;
    const parent = i === 0 ? null : isCall ? 0 : 1 + call * 100;
    const start = i === 0 ? 0 : isCall ? call * 1_000_000 : call * 1_000_000 + ((i - 1) % 100) * 10_000;
    const dur = i === 0 ? (n / 100) * 1_000_000 + 500_000 : isCall ? 1_000_000 : 10_000;
    bySvc[i % 10].push({
      traceId: 'cafe'.repeat(8), spanId: hex(i), ...(parent === null ? {} : { parentSpanId: hex(parent) }),
      name: i === 0 ? 'root' : isCall ? `call ${call}` : 'work', kind: 1,
      startTimeUnixNano: String(T + BigInt(start)), endTimeUnixNano: String(T + BigInt(start + dur)),
      attributes: [{ key: 'i', value: { intValue: String(i) } }],
    });
  }
  const lines: string[] = [];
  for (let s = 0; s < 10; s++) {
    for (let k = 0; k < bySvc[s].length; k += 2000) {
      lines.push(JSON.stringify({
        resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: `svc-${s}` } }] }, scopeSpans: [{ scope: { name: 'gen' }, spans: bySvc[s].slice(k, k + 2000) }] }],
      }));
    }
  }
  writeFileSync(path, lines.join('\n') + '\n');
}
