import { LRUCache } from 'lru-cache';
import { formatRestrictionsAsText, viewStoredRestrictions } from '../restrictions';

/** What the token listings show of a token's stored restrictions. */
export interface RestrictionsView {
  /** The stored JSON as it is (what earlier versions answered); null when none or unreadable. */
  readonly restrictions: unknown;
  /** The one-rule-per-line text form; null when none or unreadable. */
  readonly restrictionsText: string | null;
  /** Present (true) when this version cannot read the stored value: the token is refused, never unrestricted. */
  readonly restrictionsUnreadable?: true;
}

const NONE: RestrictionsView = Object.freeze({ restrictions: null, restrictionsText: null });
const UNREADABLE: RestrictionsView = Object.freeze({ restrictions: null, restrictionsText: null, restrictionsUnreadable: true as const });

/** The views kept per node by default: their estimated memory (see {@link viewBytes}). */
export const DEFAULT_RESTRICTIONS_VIEWS_BYTES = 16 * 1024 * 1024;

/** Estimated bytes of one view: the JSON as the key, the parsed value and the text (each about the JSON's size, two bytes a character at most). */
function viewBytes(json: string): number {
  return 6 * json.length + 256;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/**
 * The listings' view of stored restrictions, read once per stored value and node and then kept
 * (least recently used dropped beyond the memory budget). A listing holds up to every token of a
 * user — 100 of the largest sets the compile budget allows is ~0.6 MB of rules — and used to read
 * (and compile) each of them on every request, holding the event loop for everybody (listingCost
 * suite). Reading does not compile (viewStoredRestrictions); the views are frozen and shared by
 * the answers.
 */
export class RestrictionsViews {
  private readonly views: LRUCache<string, RestrictionsView>;

  constructor(maxBytes: number = DEFAULT_RESTRICTIONS_VIEWS_BYTES) {
    this.views = new LRUCache({ maxSize: Math.max(1, Math.floor(maxBytes)), sizeCalculation: (_view, json) => viewBytes(json) });
  }

  of(json: string | null): RestrictionsView {
    if (json === null) return NONE;
    let view = this.views.get(json);
    if (view === undefined) {
      view = read(json);
      this.views.set(json, view);
    }
    return view;
  }
}

function read(json: string): RestrictionsView {
  const value = viewStoredRestrictions(json);
  if (value === undefined) return UNREADABLE;
  return deepFreeze({ restrictions: JSON.parse(json) as unknown, restrictionsText: formatRestrictionsAsText(value) });
}
