import type { Clock, I18nResolver, LicenseManager, Logger, Product, UserManager, WebSudoManager } from '../../host-sim/spi';

/** What the current user may do, and the limits that shape the create dialog. */
export interface UserUiAccess {
  /** False when the `tokenUserGroups` setting excludes the user: the panel then only explains that. */
  readonly canUseTokens: boolean;
  /** Create Token On Behalf permission (Token Manager). */
  readonly canCreateOnBehalf: boolean;
  readonly isSystemAdmin: boolean;
  /** Member of a `readOnlyOnlyGroups` group: may create read-only tokens only. */
  readonly readOnlyOnly: boolean;
  readonly maxValidityMonths: number;
  readonly defaultValidityMonths: number;
  /** `apitokenauth.secure.mode`: no code snippets, no change of expiry/scope/restrictions after creation. */
  readonly secureMode: boolean;
  readonly authSchemes: 'basic' | 'bearer' | 'both';
  /** Days before expiry at which owners are warned; "expires soon" starts at the largest. */
  readonly expiryWarningDays: readonly number[];
}

/** Answers {@link UserUiAccess} for a user key (implemented by the composition root from settings and permissions). */
export interface UiAccessProvider {
  forUser(userKey: string): Promise<UserUiAccess>;
}

/** Everything the plugin's web UI (profile panel, Token Manager, settings page) needs. */
export interface UiDependencies {
  /** The plugin's bundle; includes the `apitokenauth.ui.*` keys. */
  readonly i18n: I18nResolver;
  readonly userManager: UserManager;
  /** Absolute base URL incl. context path, no trailing slash. */
  readonly baseUrl: string;
  /** e.g. `/jira`; '' for the root context. */
  readonly contextPath: string;
  readonly pluginKey: string;
  /** Chooses the endpoint shown in code snippets; guessed from the context path when absent. */
  readonly product?: Product;
  readonly access: UiAccessProvider;
  readonly logger: Logger;
  /** The host's clock (moved by the dev toolbox); the system clock when absent. */
  readonly clock?: Clock;
  /** The plugin's licence (UPM): every page warns while it is not valid. No warning when absent. */
  readonly licence?: Pick<LicenseManager, 'getLicenseState'>;
  /**
   * The host's websudo: where the administration pages send a user whose administrative call
   * needs the password again, and the window the user picker's JSON asks of an administrator.
   */
  readonly webSudo?: WebSudoManager;
}
