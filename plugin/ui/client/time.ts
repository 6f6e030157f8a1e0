// Dates in the user's time zone and language: relative times for the lists (with the exact
// date beside them for screen readers and on hover), and conversions for the date inputs.
// "Now" is the host's clock (sent with the page), so the lists agree with what the server decides.
import { formatRelative } from '../shared/relativeTime';
import { h } from './dom';

function validTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

export class UserClock {
  readonly timeZone: string;
  private readonly offsetFromBrowser: number;
  private readonly dateTime: Intl.DateTimeFormat;
  private readonly dateOnly: Intl.DateTimeFormat;
  private readonly parts: Intl.DateTimeFormat;

  /**
   * `serverNow`: the host's clock when the page was rendered; `exactText`: how a list's relative
   * time names its exact date and time for screen readers (a translated pattern).
   */
  constructor(readonly languageTag: string, timeZone: string, serverNow: number = Date.now(),
    private readonly exactText: (exact: string) => string = (exact) => `(${exact})`) {
    this.timeZone = validTimeZone(timeZone || 'UTC');
    this.offsetFromBrowser = serverNow - Date.now();
    this.dateTime = new Intl.DateTimeFormat(languageTag, { timeZone: this.timeZone, dateStyle: 'medium', timeStyle: 'short' });
    this.dateOnly = new Intl.DateTimeFormat(languageTag, { timeZone: this.timeZone, dateStyle: 'medium' });
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone: this.timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
  }

  /** The host's current time. */
  now(): number {
    return Date.now() + this.offsetFromBrowser;
  }

  formatDateTime(ms: number): string {
    return this.dateTime.format(new Date(ms));
  }

  formatDate(ms: number): string {
    return this.dateOnly.format(new Date(ms));
  }

  formatRelative(ms: number): string {
    return formatRelative(this.languageTag, ms, this.now());
  }

  /**
   * `<time>` with the relative time as its visible text. The exact date and time follows as
   * visually hidden text: a title alone reaches neither the keyboard nor most screen readers,
   * and shown in the cell it would widen the lists' date columns. The title stays for the mouse.
   */
  timeElement(ms: number, className = 'ata-time'): HTMLTimeElement {
    const exact = this.formatDateTime(ms);
    return h('time', { class: className, datetime: new Date(ms).toISOString(), title: exact },
      this.formatRelative(ms), h('span', { class: 'assistive', dataset: { role: 'exact-time' } }, ` ${this.exactText(exact)}`));
  }

  private fields(ms: number): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
    const out: Record<string, string> = {};
    for (const p of this.parts.formatToParts(new Date(ms))) out[p.type] = p.value;
    return { y: Number(out.year), mo: Number(out.month), d: Number(out.day), h: Number(out.hour) % 24, mi: Number(out.minute), s: Number(out.second) };
  }

  /** The zone's offset from UTC at `ms`, in minutes. */
  private offsetMinutes(ms: number): number {
    const f = this.fields(ms);
    return Math.round((Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s) - (ms - (ms % 1000))) / 60000);
  }

  /** Epoch ms of a wall-clock time (`YYYY-MM-DD`, `HH:MM[:SS[.mmm]]`) in the user's zone; NaN for a bad date. */
  zonedToEpoch(date: string, time = '00:00'): number {
    const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    const t = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{3}))?)?$/.exec(time);
    if (!d || !t) return NaN;
    const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]), Number(t[3] ?? 0), Number(t[4] ?? 0));
    if (new Date(wall).getUTCDate() !== Number(d[3])) return NaN;
    const guess = wall - this.offsetMinutes(wall) * 60000;
    return wall - this.offsetMinutes(guess) * 60000;
  }

  /** ISO 8601 with the zone's offset, e.g. `2027-01-31T23:59:59.999+01:00` (what the REST API takes). */
  isoWithOffset(ms: number): string {
    const off = this.offsetMinutes(ms);
    const f = this.fields(ms);
    return `${f.y}-${pad(f.mo)}-${pad(f.d)}T${pad(f.h)}:${pad(f.mi)}:${pad(f.s)}.${pad(ms % 1000, 3)}`
      + `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  }

  /** `YYYY-MM-DD` of `ms` in the user's zone (date inputs). */
  isoDate(ms: number): string {
    const f = this.fields(ms);
    return `${f.y}-${pad(f.mo)}-${pad(f.d)}`;
  }
}
