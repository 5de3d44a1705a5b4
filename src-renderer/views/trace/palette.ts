// Service colours: a fixed palette indexed by a hash of the service name, so a service keeps its
// colour across traces and sessions (the order services appear in does not matter).

const PALETTE = [
  '#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#ff9da7',
  '#86bcb6', '#8cd17d', '#a0cbe8', '#d4a6c8', '#f1ce63', '#79706e', '#d37295', '#499894',
];

export function serviceColor(service: string): string {
  // FNV-1a, 32 bits.
  let h = 0x811c9dc5;
  for (let i = 0; i < service.length; i++) {
    h ^= service.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return PALETTE[(h >>> 0) % PALETTE.length];
}
