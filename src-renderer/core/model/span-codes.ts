// A span's kind, status, error flag and parent reference as small integers: the store keeps them
// in four integer columns (kind, status, is_error, parent_ref), and a trace read in columns packs
// all four into one byte per span (the flags), which is what crosses from the engine worker to the
// UI thread. Every encoding and decoding of these codes is here.
//
//   flags bit   7   6           5         4  3      2  1  0
//               -   parentRef   isError   status    kind
//
// Codes outside the lists below (a workspace written by a newer version) read as the default:
// kind 'unspecified', status 'unset'.

import { SPAN_KINDS, type SpanKind, type StatusCode, type ParentRef } from './trace.ts';

/** The kind column's codes: OTLP's SpanKind numbers (0 unspecified … 5 consumer). */
export const KIND_CODES: readonly SpanKind[] = SPAN_KINDS;
/** The status column's codes: OTLP's Status.StatusCode numbers. */
export const STATUS_CODES: readonly StatusCode[] = ['unset', 'ok', 'error'];

const KIND_INDEX = new Map<string, number>(KIND_CODES.map((k, i) => [k, i]));
const STATUS_INDEX = new Map<string, number>(STATUS_CODES.map((k, i) => [k, i]));

export function kindCode(kind: SpanKind): number {
  return KIND_INDEX.get(kind) ?? 0;
}

export function statusCode(status: StatusCode): number {
  return STATUS_INDEX.get(status) ?? 0;
}

export function parentRefCode(ref: ParentRef): number {
  return ref === 'follows_from' ? 1 : 0;
}

export function kindOfCode(code: number): SpanKind {
  return KIND_CODES[code] ?? 'unspecified';
}

export function statusOfCode(code: number): StatusCode {
  return STATUS_CODES[code] ?? 'unset';
}

export function parentRefOfCode(code: number): ParentRef {
  return code === 1 ? 'follows_from' : 'child_of';
}

/** Where each code sits in the flags byte; the store builds its SQL for the byte from these. */
export const FLAG_SHIFT = { kind: 0, status: 3, isError: 5, parentRef: 6 } as const;

export function packSpanFlags(kind: SpanKind, status: StatusCode, isError: boolean, parentRef: ParentRef): number {
  return (
    (kindCode(kind) << FLAG_SHIFT.kind) |
    (statusCode(status) << FLAG_SHIFT.status) |
    ((isError ? 1 : 0) << FLAG_SHIFT.isError) |
    (parentRefCode(parentRef) << FLAG_SHIFT.parentRef)
  );
}

export const flagKind = (f: number): SpanKind => kindOfCode((f >> FLAG_SHIFT.kind) & 7);
export const flagStatus = (f: number): StatusCode => statusOfCode((f >> FLAG_SHIFT.status) & 3);
export const flagIsError = (f: number): boolean => ((f >> FLAG_SHIFT.isError) & 1) === 1;
export const flagParentRef = (f: number): ParentRef => parentRefOfCode((f >> FLAG_SHIFT.parentRef) & 1);

/** Does the byte hold a kind and a status this version knows (so the flags can stand for the columns)? */
export function isKnownFlags(f: number): boolean {
  return ((f >> FLAG_SHIFT.kind) & 7) < KIND_CODES.length && ((f >> FLAG_SHIFT.status) & 3) < STATUS_CODES.length;
}
