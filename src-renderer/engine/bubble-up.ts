// Attribute comparison of a cohort against a baseline (the rest of the entry operation's requests
// unless another cohort is named): the requests and cohorts as the aggregate picks them, then the
// span and resource attributes of an even sample of each side's traces counted
// (core/analysis/bubble-up.ts). The sample bounds the work: a few thousand traces' attributes.

import type { Store } from '../store/store.ts';
import { eachTraceAttributes, resourceAttributes } from '../store/cohort-spans.ts';
import { cohortRequests, type SearchTraceNos } from './aggregate.ts';
import { selectCohort } from '../core/analysis/cohort.ts';
import { AttributeCounter, evenSample } from '../core/analysis/bubble-up.ts';
import { parseExact } from '../core/base/json.ts';
import type { Attributes } from '../core/model/trace.ts';
import type { AggregateRequest, BubbleUpReply } from './wire/aggregate.ts';

/** Traces of each side whose attributes are read, at most. */
export const BUBBLE_UP_SAMPLE = 1000;

export function bubbleUpView(store: Store, request: AggregateRequest, search: SearchTraceNos, sample = BUBBLE_UP_SAMPLE): BubbleUpReply {
  const t0 = performance.now();
  const req = cohortRequests(store, request, search);
  const inA = selectCohort(req, request.cohort);
  const inB = selectCohort(req, request.vs ?? { kind: 'not', of: request.cohort });
  const sides = [inA, inB].map((mask) => {
    const members: number[] = [];
    for (let k = 0; k < mask.length; k++) if (mask[k]) members.push(req.traceNo[k]);
    return { traces: members.length, sampled: evenSample(members.length, sample).map((i) => members[i]) };
  });
  const resources = resourceAttributes(store);
  const parsedResources = new Map<number, Attributes>();
  const counter = new AttributeCounter();
  const parse = (text: string): Attributes | null => {
    try {
      return parseExact<Attributes>(text);
    } catch {
      return null;
    }
  };
  sides.forEach((side, s) => {
    const nos = side.sampled.slice().sort((x, y) => x - y);
    eachTraceAttributes(store, nos, (_no, attrs, res) => {
      counter.beginTrace(s as 0 | 1);
      const seenResources = new Set<number>();
      for (let i = 0; i < attrs.length; i++) {
        const a = attrs[i] === null ? null : parse(attrs[i]!);
        if (a) counter.addAttributes('span', a);
        const r = res[i];
        if (r === null || seenResources.has(r)) continue;
        seenResources.add(r);
        let ra = parsedResources.get(r);
        if (ra === undefined && resources.has(r)) parsedResources.set(r, (ra = parse(resources.get(r)!) ?? {}));
        if (ra) counter.addAttributes('resource', ra);
      }
    });
  });
  return {
    requests: req.traceNo.length,
    cohort: { traces: sides[0].traces, sampled: counter.traces[0] },
    baseline: { traces: sides[1].traces, sampled: counter.traces[1] },
    rows: counter.result(),
    timingsMs: performance.now() - t0,
  };
}
