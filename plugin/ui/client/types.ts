// The REST API's JSON as the pages read it (`/rest/de.resolution.apitokenauth/latest`, docs/api.md).
import type { TokenRestrictions } from '../../restrictions/types';

export type TokenScope = 0 | 1 | 2;

/** The fields both lists have. */
export interface ListedToken {
  readonly id: number;
  readonly description: string;
  readonly created: number;
  /** 0 when never used. */
  readonly lastAccessed: number;
  readonly validUntil: number;
  readonly tokenScope: TokenScope;
  readonly tokenForUserKey: string | null;
  readonly tokenCreatedByUserKey: string | null;
  readonly restrictions?: TokenRestrictions | null;
  /** Stored restrictions this version cannot read: the token is refused until they are replaced (both fields null then). */
  readonly restrictionsUnreadable?: true;
}

/** `GET /user/token`: the user's own tokens. */
export interface OwnToken extends ListedToken {
  readonly lastAccessedFromIp: string | null;
  readonly useCount: number;
}

/** A token in `GET /user/tokensByFilter` content: the listed fields, the last IP and the server's restriction text. */
export interface FilteredToken extends ListedToken {
  readonly lastAccessedFromIp: string | null;
  /** The restrictions in the one-rule-per-line text form (`restrictions/textFormat.ts`); null when none. */
  readonly restrictionsText: string | null;
}

/** `POST /admin/tokens/lookup`: the token as `GET /user/token` shows it, its public ids and its people. */
export interface LookedUpToken extends OwnToken {
  readonly restrictionsText: string | null;
  readonly expired: boolean;
  readonly publicId: string;
  readonly stringId: string;
  readonly owner: { readonly key: string; readonly name: string | null; readonly displayName: string | null; readonly email: string | null; readonly active: boolean } | null;
  readonly createdBy: { readonly key: string; readonly name: string | null; readonly displayName: string | null };
  /** The pasted value was a secret (or public id) the token had before a regeneration through a token. */
  readonly matchedRetiredSecret: boolean;
}

/** `GET /user/tokensByFilter`. */
export interface FilterPage {
  readonly content: FilteredToken[];
  readonly total: number;
  /** false: `total` is a lower bound (a name search with more than 1,000 matches, counted in the background). */
  readonly totalExact?: boolean;
  readonly totalPages: number;
  readonly currentPage: number;
  readonly offset: number;
}

/** `POST /user/token` and rotate: the only answers with the plain token. */
export interface CreatedToken {
  readonly id: number;
  readonly plainTextToken: string;
  readonly tokenDescription: string;
  readonly tokenForUserKey: string | null;
  readonly tokenExpirationDateTimeMillis: number;
  readonly tokenScope: TokenScope;
}

export type { PickerUser } from '../UserLookupRouter';
