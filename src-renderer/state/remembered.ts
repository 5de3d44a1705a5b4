// A choice remembered on this machine (the theme, the time zone): kept in localStorage, read back
// only when it is one of the known values. Where storage is refused (a locked-down profile) the
// choice still applies; it is just not remembered.

export function readRemembered<T extends string>(key: string, isChoice: (v: unknown) => v is T, fallback: T): T {
  try {
    const v = globalThis.localStorage?.getItem(key);
    return isChoice(v) ? v : fallback;
  } catch {
    return fallback;
  }
}

export function remember(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // not remembered, still applied
  }
}
