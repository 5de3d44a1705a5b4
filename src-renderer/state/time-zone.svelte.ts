// Which clock the app shows times in, everywhere at once: UTC (the default; what servers write in
// their logs and traces) or this machine's zone. Remembered on this machine. The choice is also
// written on <html data-zone>, which the charts watch to draw their axes again.

export type ZoneChoice = 'utc' | 'local';
export const ZONE_CHOICES: readonly ZoneChoice[] = ['utc', 'local'];
const KEY = 'tracedeck.zone';

function isChoice(v: unknown): v is ZoneChoice {
  return v === 'utc' || v === 'local';
}

function readStored(): ZoneChoice {
  try {
    const v = globalThis.localStorage?.getItem(KEY);
    return isChoice(v) ? v : 'utc';
  } catch {
    return 'utc';
  }
}

/** This machine's zone as people name it ("Europe/Paris"); "local time" when the runtime does not say. */
export function localZoneName(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
  } catch {
    return 'local time';
  }
}

class TimeZoneSetting {
  choice = $state<ZoneChoice>(readStored());

  set(choice: ZoneChoice): void {
    if (!isChoice(choice)) return;
    this.choice = choice;
    try {
      globalThis.localStorage?.setItem(KEY, choice);
    } catch {
      // not remembered, still applied
    }
  }

  /** What a column header or a range says its times are in: "UTC" or "Europe/Paris". */
  get label(): string {
    return this.choice === 'utc' ? 'UTC' : localZoneName();
  }

  apply(root: HTMLElement): void {
    root.dataset.zone = this.choice;
  }
}

/** One per app: the formatters read it, so whatever they draw follows a change. */
export const timeZone = new TimeZoneSetting();
