// The OpenTelemetry Collector file exporter's zstd layouts (test/fixtures/otel-sdk/fileexporter,
// made by make.mjs there from the SDK's own requests): each message compressed alone behind its
// length (JSON and protobuf), and one zstd stream of the whole file. Each opens as the plain file
// would, with the SDK's spans and logs; a file cut short or damaged keeps what came before and
// says where it broke.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { createLocalEngine } from '../../src-renderer/engine/local.ts';
import type { ByteSource } from '../../src-renderer/engine/client.ts';

const DIR = new URL('../fixtures/otel-sdk/', import.meta.url).pathname;
const EXPECTED = JSON.parse(readFileSync(`${DIR}expected.json`, 'utf8')) as { sent: { spans: number; logs: number } };

function source(name: string, bytes: Uint8Array, chunk = 1000): ByteSource {
  return { name, size: bytes.length, async *chunks() { for (let o = 0; o < bytes.length; o += chunk) yield bytes.slice(o, o + chunk); } };
}

async function open(name: string, bytes: Uint8Array = new Uint8Array(readFileSync(`${DIR}fileexporter/${name}`)), chunk?: number) {
  const { core, client } = await createLocalEngine();
  const reports = (await client.importFile(source(name, bytes, chunk), () => {}).done)!;
  const totals = core.totals();
  client.close();
  return { reports, totals };
}

describe('zstd as the collector file exporter writes it', () => {
  for (const name of ['framed-json.zst', 'framed-proto.zst', 'stream.jsonl.zst', 'stream-proto.zst']) {
    it(`${name}: every span and log record the SDK sent, nothing rejected`, async () => {
      const { reports, totals } = await open(name);
      expect(reports.flatMap((r) => r.errors)).toEqual([]);
      expect(reports.reduce((n, r) => n + r.rejected, 0)).toBe(0);
      expect(totals.spans).toBe(EXPECTED.sent.spans);
      expect(totals.logs).toBe(EXPECTED.sent.logs);
    });
  }

  it('bytes arriving a few at a time read the same, without copying them over and over', async () => {
    for (const name of ['framed-json.zst', 'stream.jsonl.zst']) {
      const { totals } = await open(name, undefined, 7);
      expect(totals.spans).toBe(EXPECTED.sent.spans);
      expect(totals.logs).toBe(EXPECTED.sent.logs);
    }
  });

  it('a file cut inside a message keeps the messages before it and says where it ends', async () => {
    const whole = new Uint8Array(readFileSync(`${DIR}fileexporter/framed-json.zst`));
    const { reports, totals } = await open('framed-json.zst', whole.subarray(0, whole.length - 100));
    expect(reports.flatMap((r) => r.errors).join('\n')).toMatch(/framed-json: the file ends inside a compressed message at byte \d+ \(it says \d+ bytes, \d+ are there\); kept what came before/);
    expect(totals.spans + totals.logs).toBeGreaterThan(0);
    expect(totals.spans + totals.logs).toBeLessThan(EXPECTED.sent.spans + EXPECTED.sent.logs);
  });

  it('a damaged frame stops the file with its byte offset; what came before stays', async () => {
    const bytes = new Uint8Array(readFileSync(`${DIR}fileexporter/framed-proto.zst`));
    // The second message's frame: its bytes after the zstd header turned to noise.
    const second = 4 + ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]);
    for (let i = second + 12; i < second + 60; i++) bytes[i] ^= 0xa5;
    const { reports, totals } = await open('framed-proto.zst', bytes);
    expect(reports.flatMap((r) => r.errors).join('\n')).toMatch(new RegExp(`the compressed message at byte ${second} is not a readable zstd frame`));
    expect(totals.spans + totals.logs).toBeGreaterThan(0);
  });

  it('a zstd stream cut short says so', async () => {
    const whole = new Uint8Array(readFileSync(`${DIR}fileexporter/stream.jsonl.zst`));
    const { reports } = await open('stream.jsonl.zst', whole.subarray(0, whole.length - 40));
    expect(reports.flatMap((r) => r.errors).join('\n')).toMatch(/stream\.jsonl: the zstd stream is (truncated or corrupt|corrupt)/);
  });

  it('a zstd bomb stops by its ratio, keeping the request before it', async () => {
    const t0 = performance.now();
    const { reports, totals } = await open('bomb.jsonl.zst');
    expect(performance.now() - t0).toBeLessThan(60_000);
    expect(reports.flatMap((r) => r.errors).join('\n')).toMatch(/stopped reading: it expands over \d+ times its size .* \(a compression bomb\?\); kept what came before/);
    expect(totals.spans).toBeGreaterThan(0);
  });
});
