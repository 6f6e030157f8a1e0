/**
 * The `Token` entity of the `token-store` ao module.
 *
 * Physical table: `AO_5D4005_TOKEN` in Jira, `AO_2DF51C_TOKEN` in Confluence (the prefixes of
 * the original apps, pinned in atlassian-plugin.json). Schema: ao-schema/apitokenauth
 * (TokenUpgradeTask001 … TokenUpgradeTask006, TokenUpgradeTask008 … TokenUpgradeTask010). Only {@link AoTokenStore} reads or writes these columns.
 */
export const TOKEN_ENTITY = 'Token';

/** Column names (upper snake case, as Active Objects names them). */
export const TokenColumns = {
  ID: 'ID',
  /** Public part of the token (not secret), unique: the O(1) lookup key of the filter. */
  PUBLIC_ID: 'PUBLIC_ID',
  /** `asp_` + 16 base62, unique: the id of the /rest/api-tokens API. */
  STRING_ID: 'STRING_ID',
  /** Owner; null for a user-less token (docs/restrictions.md). */
  USER_KEY: 'USER_KEY',
  DESCRIPTION: 'DESCRIPTION',
  CREATED: 'CREATED',
  CREATED_BY: 'CREATED_BY',
  VALID_UNTIL: 'VALID_UNTIL',
  /** 0 legacy (read/write), 1 read-only, 2 read/write. */
  SCOPE: 'SCOPE',
  /** Hex random salt, per token. */
  SALT: 'SALT',
  /** Hex SHA-256(hex(salt):publicId:secret). */
  HASH: 'HASH',
  /** Epoch millis, 0 = never. */
  LAST_ACCESSED: 'LAST_ACCESSED',
  LAST_IP: 'LAST_IP',
  USE_COUNT: 'USE_COUNT',
  /** JSON of the token's restrictions; null = none. */
  RESTRICTIONS: 'RESTRICTIONS',
  /** JSON kept by the notification jobs (warnings sent); null = none yet. */
  NOTIFICATION_STATE: 'NOTIFICATION_STATE',
  /** JSON array of client IPs seen (for new-IP notices); null = none yet. */
  KNOWN_IPS: 'KNOWN_IPS',
  /** Incremented on every change of the credential or its limits. */
  VERSION: 'VERSION',
  /** 1 = an admin "sudo" token (X-Atlassian-Run-As), 0 = not (TokenUpgradeTask002). */
  SUDO: 'SUDO',
  /**
   * Id of the token through which the current secret was issued (created or regenerated through
   * it); null: by a password or a session (TokenUpgradeTask006). Deleting that token deletes this one.
   */
  ISSUED_VIA: 'ISSUED_VIA',
  /**
   * User key of the person other than the owner to whom the current secret was handed (it created
   * or regenerated the token on the owner's behalf); null: the owner did (TokenUpgradeTask008).
   * The token works only while that person is active and does not rank below the owner.
   */
  ISSUED_TO: 'ISSUED_TO',
  /**
   * Epoch ms of the last `token used` audit event a node wrote for the token, and the client IP it
   * named (TokenUpgradeTask009); null: none known. Merged in by the last-access flush, read with
   * the credential: the sampled audit does not repeat that IP's event within the hour on a node
   * that has not seen the token before.
   */
  USE_AUDITED_AT: 'USE_AUDITED_AT',
  USE_AUDITED_IP: 'USE_AUDITED_IP',
  /** Epoch ms of the last regeneration; null: never regenerated (TokenUpgradeTask010). The unused rule counts from it. */
  RENEWED: 'RENEWED',
  /**
   * Epoch ms at which the pruner found the owner deleted; null: the owner exists, or no pruning has
   * run since (TokenUpgradeTask011). Such a token is kept while tokens issued through it exist;
   * only system admins see it.
   */
  OWNER_GONE: 'OWNER_GONE',
} as const;

export const DESCRIPTION_MAX_LENGTH = 255;
