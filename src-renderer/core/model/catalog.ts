// The service catalog as Tracedeck keeps it: one entry per catalog entity, whatever file it came
// from (a Backstage catalog-info.yaml, a plain YAML or CSV list of services). Owners, on-call,
// runbooks and chat channels come from here; trace service names are mapped to entries by
// core/analysis/ownership.ts.

export interface CatalogLink {
  /** As written; only http(s) links are ever opened (core/base/url.ts), others show as text. */
  url: string;
  title: string;
  /** Backstage's link `type` ("runbook", "dashboard", …), or the column it came from. */
  type: string;
}

export interface CatalogEntry {
  /** Backstage kind (Component, System) or "Service" for a plain list's row. */
  kind: string;
  /** metadata.name, or the list's service column. */
  name: string;
  title: string | null;
  description: string | null;
  /** spec.owner as written (an entity reference such as `group:default/payments` or a bare name). */
  owner: string | null;
  system: string | null;
  lifecycle: string | null;
  /** Who is on call: a rotation, a person, a schedule. */
  onCall: string | null;
  /** A chat channel ("#payments-oncall") or its URL. */
  chat: string | null;
  /** The `pagerduty.com/service-id` annotation. */
  pagerDuty: string | null;
  links: CatalogLink[];
  /** spec.dependsOn entity references as written. */
  dependsOn: string[];
  /** The file (source name) and line where the entity starts. */
  file: string;
  line: number;
  /** The Backstage entity as read (JSON), so an updated catalog writes back what it does not model. */
  source: Record<string, unknown> | null;
}

/** The first link that reads as a runbook, by type or title. */
export function runbookOf(e: Pick<CatalogEntry, 'links'>): CatalogLink | null {
  return e.links.find((l) => /runbook|playbook/i.test(l.type) || /runbook|playbook/i.test(l.title)) ?? null;
}

/** An owner reference as people read it: `group:default/payments` → `payments`. */
export function ownerName(ref: string): string {
  return ref.replace(/^[a-z]+:/i, '').replace(/^default\//, '');
}
