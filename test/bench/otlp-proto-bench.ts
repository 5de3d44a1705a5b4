// Decoding speed of the OTLP/protobuf reader alone (no store): generates N spans into a temporary
// framed file, then reads it in 1 MiB chunks into a counting sink and prints spans/s.
//
//   tsx test/bench/otlp-proto-bench.ts [SPANS=200000]

import { openSync, readSync, closeSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOtlpProtoFile } from './otlp-proto-gen.ts';
import { OTLP_PROTO } from '../../src-renderer/core/import/otlp-proto.ts';

export function benchOtlpProto(nSpans: number): { spans: number; bytes: number; seconds: number; spansPerSecond: number } {
  const dir = mkdtempSync(join(tmpdir(), 'tracedeck-otlp-proto-'));
  const file = join(dir, 'spans.binpb');
  try {
    writeOtlpProtoFile(file, nSpans);
    const bytes = statSync(file).size;
    let spans = 0;
    const reader = OTLP_PROTO.create({
      fileName: file,
      sink: { spans: (b) => void (spans += b.length), logs() {}, reject() {}, finding() {}, catalog() {}, tally() {} },
    });
    const buf = new Uint8Array(1 << 20);
    const fd = openSync(file, 'r');
    const t0 = performance.now();
    try {
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        reader.push(buf.subarray(0, n));
      }
      reader.end();
    } finally {
      closeSync(fd);
    }
    const seconds = (performance.now() - t0) / 1000;
    return { spans, bytes, seconds, spansPerSecond: Math.round(spans / seconds) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('otlp-proto-bench.ts')) {
  const r = benchOtlpProto(Number(process.argv[2] ?? 200_000));
  console.log(`otlp-proto decode: ${r.spans} spans, ${(r.bytes / 1e6).toFixed(1)} MB in ${r.seconds.toFixed(2)} s = ${r.spansPerSecond} spans/s (${(r.bytes / 1e6 / r.seconds).toFixed(1)} MB/s)`);
}
