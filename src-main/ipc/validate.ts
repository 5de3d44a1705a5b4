// Payload checks for the IPC handlers. The renderer shows data from strangers' files, so a
// compromised renderer is part of the threat model: every payload is `unknown` until one of these
// functions has checked its shape, types and ranges. They throw IpcPayloadError, which the
// handler wrapper turns into a rejected invoke.
import { MAX_READ_BYTES } from './contract.ts';
import type { KeptInfo, ReadRequest, SaveRequest, WriteChunk, WriteTarget } from './contract.ts';

export class IpcPayloadError extends Error {
  constructor(channel: string, what: string) {
    super(`${channel}: ${what}`);
    this.name = 'IpcPayloadError';
  }
}

/** Handles are 32 lowercase hex characters (128 random bits), see HandleRegistry. */
const HANDLE_RE = /^[0-9a-f]{32}$/;
const MAX_NAME_LENGTH = 255;

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Exactly these keys, no more: extra keys usually mean a caller that is not ours. */
function expectObject(channel: string, x: unknown, keys: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(x)) throw new IpcPayloadError(channel, 'payload must be an object');
  const got = Object.keys(x);
  for (const k of got) if (!keys.includes(k)) throw new IpcPayloadError(channel, `unexpected field ${JSON.stringify(k)}`);
  for (const k of keys) if (!(k in x)) throw new IpcPayloadError(channel, `missing field ${JSON.stringify(k)}`);
  return x;
}

export function isHandle(x: unknown): x is string {
  return typeof x === 'string' && HANDLE_RE.test(x);
}

function expectHandle(channel: string, x: unknown): string {
  if (!isHandle(x)) throw new IpcPayloadError(channel, 'handle must be a handle given by files:open-dialog');
  return x;
}

function expectNonNegativeInt(channel: string, field: string, x: unknown, max: number): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0 || x > max) {
    throw new IpcPayloadError(channel, `${field} must be an integer from 0 to ${max}`);
  }
  return x;
}

export function parseNullPayload(channel: string, x: unknown): null {
  // ipcRenderer.invoke(channel) with no argument arrives as undefined.
  if (x !== null && x !== undefined) throw new IpcPayloadError(channel, 'takes no payload');
  return null;
}

export function parseReadRequest(x: unknown): ReadRequest {
  const ch = 'files:read';
  const o = expectObject(ch, x, ['handle', 'offset', 'length']);
  return {
    handle: expectHandle(ch, o.handle),
    offset: expectNonNegativeInt(ch, 'offset', o.offset, Number.MAX_SAFE_INTEGER),
    length: expectNonNegativeInt(ch, 'length', o.length, MAX_READ_BYTES),
  };
}

export function parseCloseRequest(x: unknown): { handle: string } {
  const ch = 'files:close';
  const o = expectObject(ch, x, ['handle']);
  return { handle: expectHandle(ch, o.handle) };
}

/**
 * The suggested name only pre-fills the save dialog; it is cut to a bare file name so it cannot
 * point the dialog at another folder.
 */
export function parseSaveRequest(x: unknown): SaveRequest {
  const ch = 'workspace:save-dialog';
  const o = expectObject(ch, x, ['suggestedName', 'bytes']);
  if (typeof o.suggestedName !== 'string' || o.suggestedName.length > MAX_NAME_LENGTH) {
    throw new IpcPayloadError(ch, `suggestedName must be a string of at most ${MAX_NAME_LENGTH} characters`);
  }
  if (!(o.bytes instanceof Uint8Array)) throw new IpcPayloadError(ch, 'bytes must be a Uint8Array');
  return { suggestedName: safeFileName(o.suggestedName), bytes: o.bytes };
}

/** Where a workspace write goes (contract.ts WriteTarget). */
export function parseWriteTarget(x: unknown): WriteTarget {
  const ch = 'workspace:write-begin';
  const to = isPlainObject(x) ? x.to : undefined;
  if (to === 'again') {
    expectObject(ch, x, ['to']);
    return { to };
  }
  if (to === 'dialog') {
    const o = expectObject(ch, x, ['to', 'suggestedName']);
    if (typeof o.suggestedName !== 'string' || o.suggestedName.length > MAX_NAME_LENGTH) throw new IpcPayloadError(ch, 'suggestedName must be a short string');
    return { to, suggestedName: safeFileName(o.suggestedName) };
  }
  if (to === 'keep') {
    const o = expectObject(ch, x, ['to', 'savedAt', 'name']);
    const info = parseKeptInfo(ch, { savedAt: o.savedAt, name: o.name, sizeBytes: 0 });
    return { to, savedAt: info.savedAt, name: info.name };
  }
  throw new IpcPayloadError(ch, 'to must be "dialog", "again" or "keep"');
}

function expectToken(channel: string, x: unknown): string {
  if (!isHandle(x)) throw new IpcPayloadError(channel, 'token must be one given by workspace:write-begin');
  return x;
}

/** Workspace files stay under SQLite's own limit of pages (2^32 - 2) of at most 64 KiB: far below 2^53. */
const MAX_FILE_BYTES = Number.MAX_SAFE_INTEGER;

export function parseWriteChunk(x: unknown): WriteChunk {
  const ch = 'workspace:write-chunk';
  const o = expectObject(ch, x, ['token', 'position', 'bytes']);
  if (!(o.bytes instanceof Uint8Array) || o.bytes.length > MAX_READ_BYTES) throw new IpcPayloadError(ch, `bytes must be a Uint8Array of at most ${MAX_READ_BYTES} bytes`);
  return { token: expectToken(ch, o.token), position: expectNonNegativeInt(ch, 'position', o.position, MAX_FILE_BYTES - o.bytes.length), bytes: o.bytes };
}

export function parseWriteEnd(x: unknown): { token: string; size: number } {
  const ch = 'workspace:write-end';
  const o = expectObject(ch, x, ['token', 'size']);
  return { token: expectToken(ch, o.token), size: expectNonNegativeInt(ch, 'size', o.size, MAX_FILE_BYTES) };
}

export function parseWriteAbort(x: unknown): { token: string } {
  const ch = 'workspace:write-abort';
  return { token: expectToken(ch, expectObject(ch, x, ['token']).token) };
}

export function parseSetUnsaved(x: unknown): { unsaved: boolean } {
  const ch = 'workspace:set-unsaved';
  const o = expectObject(ch, x, ['unsaved']);
  if (typeof o.unsaved !== 'boolean') throw new IpcPayloadError(ch, 'unsaved must be a boolean');
  return { unsaved: o.unsaved };
}

/** What the kept workspace is; also read back from disk, where it is just as untrusted. */
export function parseKeptInfo(ch: string, x: unknown): KeptInfo {
  const o = expectObject(ch, x, ['savedAt', 'name', 'sizeBytes']);
  if (o.name !== null && (typeof o.name !== 'string' || o.name.length > MAX_NAME_LENGTH)) {
    throw new IpcPayloadError(ch, `name must be null or a string of at most ${MAX_NAME_LENGTH} characters`);
  }
  return {
    savedAt: expectNonNegativeInt(ch, 'savedAt', o.savedAt, Number.MAX_SAFE_INTEGER),
    name: o.name === null ? null : safeFileName(o.name),
    sizeBytes: expectNonNegativeInt(ch, 'sizeBytes', o.sizeBytes, Number.MAX_SAFE_INTEGER),
  };
}

export function parseRecentAdd(x: unknown): { handle: string; kind: 'workspace' | 'files' } {
  const ch = 'recent:add';
  const o = expectObject(ch, x, ['handle', 'kind']);
  if (o.kind !== 'workspace' && o.kind !== 'files') throw new IpcPayloadError(ch, 'kind must be "workspace" or "files"');
  return { handle: expectHandle(ch, o.handle), kind: o.kind };
}

/** Recent-file ids are 8 hex characters (src-main/recent.ts). */
export function parseRecentId(ch: string, x: unknown): { id: string } {
  const o = expectObject(ch, x, ['id']);
  if (typeof o.id !== 'string' || !/^[0-9a-f]{8}$/.test(o.id)) throw new IpcPayloadError(ch, 'id must be a recent file id');
  return { id: o.id };
}

export function parseOpenExternalRequest(x: unknown): { url: string } {
  const ch = 'shell:open-external';
  const o = expectObject(ch, x, ['url']);
  if (typeof o.url !== 'string') throw new IpcPayloadError(ch, 'url must be a string');
  return { url: o.url };
}

/** The last path segment, without control characters or characters Windows forbids. */
export function safeFileName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = last.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'workspace.sqlite' : cleaned;
}
