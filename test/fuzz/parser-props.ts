// Properties of the id and time parsers (core/base/ids.ts, core/base/time.ts,
// core/import/logs/timestamp.ts): total over any input (no throw), results in the canonical shape,
// and round trips where a value can be written and read back.

import fc from 'fast-check';
import { normalizeId, bytesToHex } from '../../src-renderer/core/base/ids.ts';
import { parseEpochNs, epochNs, formatIsoNs, parseDuration, formatDuration } from '../../src-renderer/core/base/time.ts';
import { findTimestamp, parseTimeValue, epochToNs, YearGuesser } from '../../src-renderer/core/import/logs/timestamp.ts';
import { UTC_ZONE } from '../../src-renderer/core/import/logs/zone.ts';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const inInt64 = (v: bigint) => v >= INT64_MIN && v <= INT64_MAX;

/** Text that looks like ids and times as often as it looks like noise. */
const idText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.stringMatching(/^(0x)?[0-9a-fA-F]{1,40}$/),
  fc.stringMatching(/^[0-9]{1,45}$/),
  fc.stringMatching(/^[A-Za-z0-9+/_-]{10,26}={0,2}$/),
  fc.stringMatching(/^projects\/[a-z]{1,8}\/traces\/[0-9a-f]{1,40}$/),
  fc.stringMatching(/^ ?1-[0-9a-f]{8}-[0-9a-f]{24} ?$/),
);

const timeText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.stringMatching(/^-?[0-9]{1,25}(\.[0-9]{0,12})?$/),
  fc
    .tuple(fc.integer({ min: -1, max: 10000 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.string({ maxLength: 14 }))
    .map(([y, mo, d, h, rest]) => `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00${rest}`),
  fc.constantFrom('9999-12-31T23:59:59.999999999Z', '0000-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '1969-12-31T23:59:59.999Z', 'Dec 31 23:59:59', '31/Dec/9999:23:59:59 +0000'),
);

export const PARSER_PROPERTIES: Record<string, () => fc.IRawProperty<never[]>> = {
  'ids: normalizeId is total and canonical': () =>
    fc.property(idText, fc.constantFrom('trace' as const, 'span' as const), fc.boolean(), (raw, kind, decimal) => {
      const r = normalizeId(raw, kind, decimal);
      if (r === null) return true;
      const w = kind === 'trace' ? 32 : 16;
      if (!new RegExp(`^[0-9a-f]{${w}}$`).test(r.hex) || /^0+$/.test(r.hex)) throw new Error(`not canonical: ${r.hex}`);
      // Canonical ids read back as themselves.
      if (normalizeId(r.hex, kind)?.hex !== r.hex) throw new Error(`${r.hex} does not read back`);
      return true;
    }) as never,
  'ids: hex, upper case, 0x and base64 of the same bytes agree': () =>
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
      fc.pre(bytes.some((b) => b !== 0));
      const hex = bytesToHex(bytes);
      const b64 = btoa(String.fromCharCode(...bytes));
      for (const form of [hex, hex.toUpperCase(), `0x${hex}`, ` ${hex} `, b64]) {
        if (normalizeId(form, 'trace')?.hex !== hex) throw new Error(`${form} gave ${normalizeId(form, 'trace')?.hex}`);
      }
      return true;
    }) as never,
  'time: parseEpochNs is total and stays in 64 bits': () =>
    fc.property(fc.oneof(timeText, fc.double(), fc.bigInt(), fc.anything()), (v) => {
      const r = parseEpochNs(v);
      if (r !== null && (typeof r !== 'bigint' || !inInt64(r))) throw new Error(`${String(v)} gave ${String(r)}`);
      return true;
    }) as never,
  'time: formatIsoNs reads back exactly over the whole 64-bit range': () =>
    fc.property(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), (ns) => {
      const iso = formatIsoNs(epochNs(ns));
      const m = /^(.*)\.(\d{9})Z$/.exec(iso);
      if (!m) throw new Error(`${ns}: ${iso}`);
      const back = BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n + BigInt(m[2]);
      if (back !== ns) throw new Error(`${ns} printed as ${iso}, which reads as ${back}`);
      return true;
    }) as never,
  'time: parseDuration and formatDuration are total': () =>
    fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.stringMatching(/^[0-9]{1,400}(\.[0-9]{1,5})?\s?(ns|us|µs|ms|s|m|h|d|w)$/)), fc.double(), (text, n) => {
      const d = parseDuration(text);
      if (d !== null && !(Number.isFinite(d) && d >= 0)) throw new Error(`${text} gave ${d}`);
      const s = formatDuration(n);
      if (typeof s !== 'string' || (Number.isFinite(n) && /NaN|undefined/.test(s))) throw new Error(`${n} printed as ${s}`);
      return true;
    }) as never,
  'timestamps: findTimestamp and parseTimeValue are total and stay in 64 bits': () =>
    fc.property(timeText, fc.nat({ max: 200 }), fc.oneof(timeText, fc.double(), fc.bigInt(), fc.jsonValue()), (text, maxStart, value) => {
      const years = new YearGuesser(Date.UTC(2026, 11, 6));
      const found = findTimestamp(text, maxStart, UTC_ZONE, years);
      if (found !== null) {
        if (!inInt64(found.ns)) throw new Error(`${JSON.stringify(text)} gave ${found.ns}`);
        if (!(found.start >= 0 && found.start <= maxStart && found.end > found.start && found.end <= text.length)) throw new Error(`span ${found.start}-${found.end}`);
      }
      const t = parseTimeValue(value, UTC_ZONE, years);
      if (t !== null && !inInt64(t)) throw new Error(`${JSON.stringify(String(value))} gave ${t}`);
      return true;
    }) as never,
  'timestamps: epochToNs reads every unit exactly': () =>
    fc.property(fc.bigInt({ min: 1n, max: INT64_MAX }), (ns) => {
      const digits = ns.toString();
      const r = epochToNs(digits);
      if (r !== null && !inInt64(r)) throw new Error(`${digits} gave ${r}`);
      return true;
    }) as never,
};
