/**
 * The `RetiredSecret` entity of the `token-store` ao module: a secret a token had before it was
 * regenerated through a token. A thief holding a token can regenerate it through itself, and the
 * secret a scanner then reports (the leaked one) names no token any more; with these rows the
 * revocation API and the lookup still find the token it belonged to. A row lives as long as its
 * token: every deletion of tokens deletes their rows (AoTokenStore, AoTokenMaintenanceStore).
 *
 * Physical table: `AO_5D4005_RETIRED_SECRET` in Jira, `AO_2DF51C_RETIRED_SECRET` in Confluence.
 * Schema: ao-schema/apitokenauth/TokenUpgradeTask007. Only the token stores read or write it.
 */
export const RETIRED_SECRET_ENTITY = 'RetiredSecret';

/** Column names (upper snake case, as Active Objects names them). */
export const RetiredSecretColumns = {
  ID: 'ID',
  /**
   * The token's `STRING_ID` (`asp_…`): unlike the numeric id, never given to another token, so a
   * row left behind could not name a stranger.
   */
  TOKEN_STRING_ID: 'TOKEN_STRING_ID',
  /** The public id of the replaced secret (unique: public ids are never reused). */
  PUBLIC_ID: 'PUBLIC_ID',
  /** Salt and hash of the replaced secret, as the token row held them. */
  SALT: 'SALT',
  HASH: 'HASH',
  /** Epoch millis of the regeneration. */
  RETIRED: 'RETIRED',
  /** Id of the token through which it was regenerated. */
  RETIRED_VIA: 'RETIRED_VIA',
} as const;
