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
}

/** `GET /user/token`: the user's own tokens. */
export interface OwnToken extends ListedToken {
  readonly lastAccessedFromIp: string | null;
  readonly useCount: number;
}

/** `GET /user/tokensByFilter`. */
export interface FilterPage {
  readonly content: ListedToken[];
  readonly total: number;
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
