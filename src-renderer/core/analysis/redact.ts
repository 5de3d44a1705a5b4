// Redaction before sharing: text that matches the chosen rules is replaced by a pseudonym.
//
// Pseudonyms are a keyed hash (HMAC-SHA-256) of the matched text under a key made fresh for each
// export, so within one export the same value always becomes the same pseudonym (a user id in a
// span attribute and in a log line still join) while two exports cannot be lined up, and nobody
// without the key can test a guess. A pseudonym keeps the shape of what it replaces, so tools that
// parse it keep working and ids keep their length:
//   e-mail   jane.doe@example.com   → user-3f9a1c07@redacted.invalid
//   IPv4     192.168.10.7           → 10.201.4.77          IPv6 → fd00:…  (still valid addresses)
//   token    Bearer eyJhbGciOi…     → Bearer <same length, same character classes>
//   id/key   u_48213 / ABCD-1234    → u_90514 / QXRT-5820 (digit→digit, letter→letter, case kept)
// Trace and span ids are never touched, nor are timestamps and durations: every join (logs to
// spans, parents to children, links) and every critical path is the same after redaction.
//
// Custom patterns are the user's regular expressions. JavaScript cannot interrupt a regular
// expression, so a pattern that can backtrack catastrophically (a quantified group holding a
// quantifier, as in (a+)+ or (\w*\s?)*) is refused before it runs, and a redaction that runs past
// its time budget stops and says so instead of producing a half-redacted file.

import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha256';

export interface RedactionRules {
  emails: boolean;
  ips: boolean;
  /** Bearer tokens, Basic credentials and API keys (well-known key shapes, key=value secrets). */
  secrets: boolean;
  /** Values of attributes that hold user ids (user.id, enduser.id, customer_id, …). */
  userIds: boolean;
  /** Attribute keys whose values are replaced whole (exact keys, case-insensitive). */
  keys: string[];
  /** The user's regular expressions (JavaScript syntax, no flags: matched globally and case-sensitively). */
  patterns: string[];
}

export const DEFAULT_RULES: RedactionRules = { emails: true, ips: true, secrets: true, userIds: true, keys: [], patterns: [] };

export type RuleId = 'email' | 'ipv4' | 'ipv6' | 'secret' | 'user-id' | 'key' | 'pattern';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\b/g;
// Full, compressed (::) and IPv4-suffixed forms; at least two colons, hex groups of 1–4 digits.
const IPV6 = /(?<![0-9A-Za-z:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,7}:|(?:[0-9A-Fa-f]{1,4}:){1,6}:[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,5}(?::[0-9A-Fa-f]{1,4}){1,2}|(?:[0-9A-Fa-f]{1,4}:){1,4}(?::[0-9A-Fa-f]{1,4}){1,3}|(?:[0-9A-Fa-f]{1,4}:){1,3}(?::[0-9A-Fa-f]{1,4}){1,4}|(?:[0-9A-Fa-f]{1,4}:){1,2}(?::[0-9A-Fa-f]{1,4}){1,5}|[0-9A-Fa-f]{1,4}:(?::[0-9A-Fa-f]{1,4}){1,6}|::(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4}|::(?:ffff:)?(?:\d{1,3}\.){3}\d{1,3})(?![0-9A-Za-z:])/g;
// The secret part only (group 1 or the whole match): the scheme or key name stays readable.
const SECRETS: RegExp[] = [
  /\b(?:Bearer|Basic|Token)\s+([A-Za-z0-9\-._~+/]{8,}=*)/g,
  /\b(?:api[_-]?key|apikey|access[_-]?token|secret|password|passwd|x-api-key|auth[_-]?token)["']?\s*[:=]\s*["']?([^\s"'&,;]{6,})/gi,
  /\b((?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,})\b/g, // Stripe
  /\b((?:AKIA|ASIA)[A-Z0-9]{16})\b/g, // AWS access key id
  /\b(gh[pousr]_[A-Za-z0-9]{30,})\b/g, // GitHub
  /\b(xox[abprs]-[A-Za-z0-9-]{10,})\b/g, // Slack
  /\b(AIza[0-9A-Za-z\-_]{35})\b/g, // Google API key
  /\b(eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})\b/g, // a JWT anywhere
];
/** Attribute keys that hold a user id (OTel semantic conventions and common spellings). */
const USER_ID_KEY = /(?:^|[._-])(?:enduser[._-]?id|user[._-]?id|userid|customer[._-]?id|account[._-]?id|member[._-]?id|client[._-]?id|session[._-]?id|user[._-]?name|username)$/i;
/** Attribute keys whose values are credentials, whatever they look like. */
const SECRET_KEY = /(?:^|[._-])(?:authorization|cookie|set-cookie|password|passwd|secret|api[._-]?key|token)$/i;

/** Why a custom pattern is refused (null when it may run). */
export function patternProblem(source: string): string | null {
  if (source.length > 500) return 'longer than 500 characters';
  try {
    new RegExp(source, 'g');
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  if (new RegExp(source).test('')) return 'matches the empty string';
  if (hasNestedQuantifier(source)) return 'a quantified group holds a quantifier (like (a+)+): it can take exponential time';
  if (/\\[1-9]/.test(source)) return 'back-references are not allowed';
  return null;
}

/** Star height above one: a group that is quantified and contains a quantifier inside. */
function hasNestedQuantifier(src: string): boolean {
  // Per open group: whether a quantifier appeared inside it.
  const stack: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') stack.push(false);
    else if (c === ')') {
      const inner = stack.pop() ?? false;
      const next = src[i + 1];
      const quantified = next === '*' || next === '+' || next === '?' || next === '{';
      if (inner && quantified && next !== '?') return true;
      if (stack.length > 0 && (inner || quantified)) stack[stack.length - 1] = true;
    } else if ((c === '*' || c === '+' || c === '{') && stack.length > 0) stack[stack.length - 1] = true;
    else if (c === '?' && stack.length > 0 && src[i - 1] !== '(') stack[stack.length - 1] = true;
  }
  return false;
}

export class RedactionTimeout extends Error {}

export interface RedactionChange {
  rule: RuleId;
  before: string;
  after: string;
}

/**
 * Applies the rules to text and attribute maps, remembering every pseudonym it handed out. One
 * Redactor per export: its key is random unless given (tests give one to compare runs).
 */
export class Redactor {
  private readonly key: Uint8Array;
  private readonly custom: RegExp[];
  private readonly keys: Set<string>;
  private readonly memo = new Map<string, string>();
  /** Values an attribute rule replaces whole, replaced wherever else they appear in text too. */
  private readonly learned = new Map<string, RuleId>();
  private learnedRe: RegExp | null = null;
  private readonly deadline: number;
  /** Counts of replacements per rule. */
  readonly counts = new Map<RuleId, number>();
  /** The distinct values replaced, with their pseudonyms (for the preview and the tests). */
  readonly changes = new Map<string, RedactionChange>();

  constructor(
    readonly rules: RedactionRules,
    opts: { key?: Uint8Array; budgetMs?: number } = {},
  ) {
    for (const p of rules.patterns) {
      const why = patternProblem(p);
      if (why) throw new Error(`pattern ${JSON.stringify(p)}: ${why}`);
    }
    this.custom = rules.patterns.map((p) => new RegExp(p, 'g'));
    this.keys = new Set(rules.keys.map((k) => k.toLowerCase()));
    this.key = opts.key ?? globalThis.crypto.getRandomValues(new Uint8Array(32));
    this.deadline = performance.now() + (opts.budgetMs ?? 120_000);
  }

  private digest(rule: RuleId, value: string): Uint8Array {
    return hmac(sha256, this.key, new TextEncoder().encode(`${rule}\u0000${value}`));
  }

  private pseudonym(rule: RuleId, value: string): string {
    const memoKey = `${rule}\u0000${value}`;
    const known = this.memo.get(memoKey);
    if (known !== undefined) return known;
    const h = this.digest(rule, value);
    let out: string;
    if (rule === 'email') out = `user-${hex(h, 4)}@redacted.invalid`;
    else if (rule === 'ipv4') out = `10.${h[0]}.${h[1]}.${h[2]}`;
    else if (rule === 'ipv6') out = `fd00:${hex(h, 2)}:${hex(h.subarray(2), 2)}:${hex(h.subarray(4), 2)}::${hex(h.subarray(6), 2)}`;
    else out = shapeLike(value, h, this.key);
    // Two values must never share a pseudonym (a join would appear that was not there).
    while (this.changes.has(out) && this.changes.get(out)!.before !== value) out = shapeLike(out, this.digest(rule, out), this.key);
    this.memo.set(memoKey, out);
    this.changes.set(out, { rule, before: value, after: out });
    this.counts.set(rule, (this.counts.get(rule) ?? 0) + 1);
    return out;
  }

  private checkTime(): void {
    if (performance.now() > this.deadline) throw new RedactionTimeout('redaction ran past its time budget; nothing was exported');
  }

  /**
   * First pass: an attribute whose key says it holds a user id, a credential or a chosen key
   * marks its value, so the same value in a span name or a log message ("GET /users/u_48210")
   * is replaced by the same pseudonym. Values shorter than 3 characters are not hunted in text.
   */
  learn(key: string, value: unknown): void {
    const rule = this.wholeRule(key);
    if (rule === null || !(typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint')) return;
    const s = String(value);
    if (s.length >= 3 && !this.learned.has(s)) {
      this.learned.set(s, rule);
      this.learnedRe = null;
    }
  }

  learnAttributes(map: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(map)) this.learn(k, v);
  }

  private wholeRule(key: string): RuleId | null {
    if (this.keys.has(key.toLowerCase())) return 'key';
    if (this.rules.userIds && USER_ID_KEY.test(key)) return 'user-id';
    if (this.rules.secrets && SECRET_KEY.test(key)) return 'secret';
    return null;
  }

  private learnedPattern(): RegExp | null {
    if (this.learned.size === 0) return null;
    if (!this.learnedRe) {
      const alts = [...this.learned.keys()].sort((a, b) => b.length - a.length).map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      this.learnedRe = new RegExp(`(?<![A-Za-z0-9])(?:${alts.join('|')})(?![A-Za-z0-9])`, 'g');
    }
    return this.learnedRe;
  }

  /** A piece of free text (a log message, a span name, an attribute value). */
  text(s: string): string {
    if (s.length === 0) return s;
    this.checkTime();
    let out = s;
    const known = this.learnedPattern();
    if (known) out = out.replace(known, (m) => this.pseudonym(this.learned.get(m)!, m));
    if (this.rules.secrets) for (const re of SECRETS) out = out.replace(re, (m: string, g1?: string) => (typeof g1 === 'string' && g1 ? m.replace(g1, this.pseudonym('secret', g1)) : this.pseudonym('secret', m)));
    if (this.rules.emails) out = out.replace(EMAIL, (m) => this.pseudonym('email', m));
    if (this.rules.ips) {
      out = out.replace(IPV6, (m) => this.pseudonym('ipv6', m));
      out = out.replace(IPV4, (m) => this.pseudonym('ipv4', m));
    }
    for (const re of this.custom) out = out.replace(re, (m) => (m === '' ? m : this.pseudonym('pattern', m)));
    return out;
  }

  /** One attribute: its key decides whether the whole value goes (user ids, chosen keys, credentials). */
  attribute(key: string, value: unknown): unknown {
    const whole = this.wholeRule(key);
    if (whole !== null && (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint')) {
      const s = String(value);
      if (s === '') return value;
      const p = this.pseudonym(whole, s);
      // A number stays a number of the same length (digits map to digits).
      if (typeof value === 'string' || !/^-?\d+$/.test(p)) return p;
      return typeof value === 'bigint' ? BigInt(p) : Number.isSafeInteger(Number(p)) ? Number(p) : p;
    }
    return this.value(value, whole);
  }

  /** A value of any JSON shape: strings are redacted, maps and lists walked (iteratively). */
  value(v: unknown, whole: RuleId | null = null): unknown {
    if (typeof v === 'string') return whole ? this.pseudonym(whole, v) : this.text(v);
    if (typeof v !== 'object' || v === null) return v;
    const root: { v: unknown } = { v: Array.isArray(v) ? [...v] : { ...(v as Record<string, unknown>) } };
    const stack: unknown[] = [root.v];
    while (stack.length > 0) {
      const o = stack.pop()!;
      if (Array.isArray(o)) {
        for (let i = 0; i < o.length; i++) o[i] = this.step(o[i], null, stack, whole);
      } else {
        const rec = o as Record<string, unknown>;
        for (const k of Object.keys(rec)) rec[k] = this.step(rec[k], k, stack, whole);
      }
    }
    return root.v;
  }

  private step(x: unknown, key: string | null, stack: unknown[], whole: RuleId | null): unknown {
    if (typeof x === 'object' && x !== null) {
      const copy = Array.isArray(x) ? [...x] : { ...(x as Record<string, unknown>) };
      stack.push(copy);
      return copy;
    }
    if (key !== null) return this.attribute(key, x);
    return typeof x === 'string' ? (whole ? this.pseudonym(whole, x) : this.text(x)) : x;
  }

  /** An app route (`#/screen/…?key=value&…`): its query values are text; the path (screen, ids) stays. */
  route(hash: string): string {
    const q = hash.indexOf('?');
    if (q < 0) return hash;
    const out = new URLSearchParams();
    for (const [k, v] of new URLSearchParams(hash.slice(q + 1))) out.append(k, this.text(v));
    return `${hash.slice(0, q)}?${out.toString()}`;
  }

  /** An attribute map (JSON object). */
  attributes(map: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(map)) out[k] = this.attribute(k, v);
    return out;
  }
}

function hex(b: Uint8Array, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The same length and character classes as `value`: digits become digits, letters letters of the
 * same case (hex letters stay hex letters, so hex ids stay hex), the rest is kept. Driven by the
 * digest, stretched with HMAC when the value is longer than 32 characters.
 */
function shapeLike(full: string, digest: Uint8Array, key: Uint8Array): string {
  // A leading type tag ("u_", "sk_live_", "ord-", "cart:") is structure, not identity: it stays.
  const prefix = /^(?:[A-Za-z]+[_:-])+(?=[A-Za-z0-9])/.exec(full)?.[0] ?? '';
  const value = full.slice(prefix.length);
  let bytes = digest;
  let block = digest;
  while (bytes.length < value.length) {
    block = hmac(sha256, key, block);
    const more = new Uint8Array(bytes.length + block.length);
    more.set(bytes);
    more.set(block, bytes.length);
    bytes = more;
  }
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    const b = bytes[i];
    if (c >= '0' && c <= '9') out += DIGITS[b % 10];
    else if (c >= 'a' && c <= 'f' && /^[0-9a-f-]+$/.test(value)) out += '0123456789abcdef'[b % 16].replace(/\d/, (d) => 'abcdef'[Number(d) % 6]);
    else if (c >= 'A' && c <= 'F' && /^[0-9A-F-]+$/.test(value)) out += 'ABCDEF'[b % 6];
    else if (c >= 'a' && c <= 'z') out += LOWER[b % 26];
    else if (c >= 'A' && c <= 'Z') out += UPPER[b % 26];
    else out += c;
  }
  return prefix + (out === value ? out.replace(/[0-9]/, (d) => String((Number(d) + 1) % 10)) : out);
}
