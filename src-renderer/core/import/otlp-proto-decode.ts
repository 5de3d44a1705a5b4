// Decodes protobuf messages by walking the types parsed from the shipped .proto text
// (otlp-proto-schema.ts) with protobufjs's Reader. protobufjs's own Type.decode compiles each
// decoder with `new Function`, which the app's Content-Security-Policy forbids (no 'unsafe-eval'
// in the worker); this walk needs no eval and gives plain objects:
//   - field names in camelCase, as the OTLP/JSON mapping names them; absent fields are absent
//     (proto3 defaults are left to the reader of the object); repeated fields are arrays;
//   - 64-bit integers as exact BigInt; bytes as Uint8Array views into the input (copy before keeping);
//   - enums as numbers; unknown fields skipped, as protobuf readers must.
// A wire type that does not match the declared field, or a length past its enclosing message, is
// an error (the frame is corrupt), never a silent misread.
// protobufjs's static generated decoder (pbjs static-module) needs no eval either, but decoded the
// benchmark's spans slower here (~400,000 against ~600,000 spans/s, decode only), skips a field
// of the wrong wire type as unknown, and refuses a string that is not UTF-8, losing its frame.

import protobuf from 'protobufjs';
import { longToBigInt } from './otlp-proto-schema.ts';

const enum K {
  String, Bytes, Bool, Double, Float, Int32, Uint32, Sint32, Fixed32, Sfixed32,
  Int64, Uint64, Sint64, Fixed64, Sfixed64, Enum, Message,
}

const SCALARS: Record<string, K> = {
  string: K.String, bytes: K.Bytes, bool: K.Bool, double: K.Double, float: K.Float,
  int32: K.Int32, uint32: K.Uint32, sint32: K.Sint32, fixed32: K.Fixed32, sfixed32: K.Sfixed32,
  int64: K.Int64, uint64: K.Uint64, sint64: K.Sint64, fixed64: K.Fixed64, sfixed64: K.Sfixed64,
};

/** The wire type each kind is written with when not packed. */
function wireOf(k: K): number {
  if (k === K.String || k === K.Bytes || k === K.Message) return 2;
  if (k === K.Double || k === K.Fixed64 || k === K.Sfixed64) return 1;
  if (k === K.Float || k === K.Fixed32 || k === K.Sfixed32) return 5;
  return 0;
}

interface FieldPlan {
  name: string;
  kind: K;
  wire: number;
  repeated: boolean;
  sub: MessagePlan | null;
}
/** Field plans indexed by field number. */
export type MessagePlan = (FieldPlan | undefined)[];

const plans = new WeakMap<protobuf.Type, MessagePlan>();

/** The decoding plan of a type and of every message type it reaches (built once, cycles allowed). */
export function planOf(type: protobuf.Type): MessagePlan {
  const known = plans.get(type);
  if (known) return known;
  const todo: [protobuf.Type, MessagePlan][] = [];
  const open = (t: protobuf.Type): MessagePlan => {
    let p = plans.get(t);
    if (!p) {
      p = [];
      plans.set(t, p);
      todo.push([t, p]);
    }
    return p;
  };
  const root = open(type);
  while (todo.length > 0) {
    const [t, p] = todo.pop()!;
    for (const f of t.fieldsArray) {
      f.resolve();
      const rt = f.resolvedType;
      const kind = rt instanceof protobuf.Type ? K.Message : rt instanceof protobuf.Enum ? K.Enum : SCALARS[f.type];
      if (kind === undefined) throw new Error(`unsupported field type ${f.type} in ${t.fullName}`);
      p[f.id] = { name: f.name, kind, wire: wireOf(kind), repeated: f.repeated, sub: kind === K.Message ? open(rt as protobuf.Type) : null };
    }
  }
  return root;
}

function readScalar(r: protobuf.Reader, k: K): unknown {
  switch (k) {
    case K.String: return r.string();
    case K.Bytes: return r.bytes();
    case K.Bool: return r.bool();
    case K.Double: return r.double();
    case K.Float: return r.float();
    case K.Int32: case K.Enum: return r.int32();
    case K.Uint32: return r.uint32();
    case K.Sint32: return r.sint32();
    case K.Fixed32: return r.fixed32();
    case K.Sfixed32: return r.sfixed32();
    case K.Int64: return longToBigInt(r.int64(), false);
    case K.Uint64: return longToBigInt(r.uint64(), true);
    case K.Sint64: return longToBigInt(r.sint64(), false);
    case K.Fixed64: return longToBigInt(r.fixed64(), true);
    case K.Sfixed64: return longToBigInt(r.sfixed64(), false);
    default: throw new Error('not a scalar');
  }
}

function decodeMessage(plan: MessagePlan, r: protobuf.Reader, end: number, depth: number): Record<string, unknown> {
  // Nesting is bounded by protobufjs's recursion limit, so hostile input cannot exhaust the stack.
  if (depth > protobuf.Reader.recursionLimit) throw new Error('messages nested too deeply');
  const o: Record<string, unknown> = {};
  while (r.pos < end) {
    const tag = r.uint32();
    const id = tag >>> 3;
    const wire = tag & 7;
    if (id === 0) throw new Error(`illegal tag 0 at offset ${r.pos}`);
    const f = plan[id];
    if (!f) {
      r.skipType(wire, 0, id);
      continue;
    }
    if (wire !== f.wire) {
      // Repeated scalars may come packed: one length-delimited run of values.
      if (!(f.repeated && wire === 2 && f.kind !== K.Message && f.kind !== K.String && f.kind !== K.Bytes)) {
        throw new Error(`field ${f.name} (${id}) has wire type ${wire}, expected ${f.wire}`);
      }
      const stop = r.uint32() + r.pos;
      if (stop > end) throw new Error(`packed field ${f.name} runs past its message`);
      const arr = ((o[f.name] as unknown[] | undefined) ??= []);
      while (r.pos < stop) arr.push(readScalar(r, f.kind));
      continue;
    }
    let v: unknown;
    if (f.kind === K.Message) {
      const stop = r.uint32() + r.pos;
      if (stop > end) throw new Error(`field ${f.name} runs past its message`);
      v = decodeMessage(f.sub!, r, stop, depth + 1);
    } else {
      v = readScalar(r, f.kind);
    }
    if (f.repeated) ((o[f.name] as unknown[] | undefined) ??= []).push(v);
    else o[f.name] = v;
  }
  if (r.pos !== end) throw new Error(`message runs past its end (${r.pos} > ${end})`);
  return o;
}

/** Decode `bytes` as one message of `type`. Throws on malformed input. */
export function decodePlain(type: protobuf.Type, bytes: Uint8Array): Record<string, unknown> {
  const r = protobuf.Reader.create(bytes);
  return decodeMessage(planOf(type), r, bytes.length, 0);
}
