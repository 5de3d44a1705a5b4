// Which clock the app shows times in, everywhere at once: UTC (the default; what servers write in
// their logs and traces) or this machine's zone. Remembered on this machine. The choice is also
// written on <html data-zone>, which the charts watch to draw their axes again.

import { readRemembered, remember } from './remembered.ts';

export type ZoneChoice = 'utc' | 'local';
export const ZONE_CHOICES: readonly ZoneChoice[] = ['utc', 'local'];
const KEY = 'tracedeck.zone';

function isChoice(v: unknown): v is ZoneChoice {
  return v === 'utc' || v === 'local';
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
  choice = $state<ZoneChoice>(readRemembered(KEY, isChoice, 'utc'));

  set(choice: ZoneChoice): void {
    if (!isChoice(choice)) return;
    this.choice = choice;
    remember(KEY, choice);
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
