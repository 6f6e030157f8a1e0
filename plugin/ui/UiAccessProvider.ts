import type { UiAccessProvider, UserUiAccess } from './UiDependencies';

/** The permission checks the UI needs (structurally the plugin's PermissionService). */
export interface UiPermissionChecks {
  isSystemAdmin(userKey: string): Promise<boolean>;
  mayManageOthers(userKey: string): Promise<boolean>;
  mayUseTokens(userKey: string): Promise<boolean>;
  isReadOnlyOnly(userKey: string): Promise<boolean>;
}

/** The settings the UI needs (structurally the plugin's SettingsService). */
export interface UiSettingsSource {
  get(): Promise<{
    readonly maxValidityMonths: number;
    readonly defaultValidityMonths: number;
    readonly authSchemes: 'basic' | 'bearer' | 'both';
    readonly expiryWarningDays: readonly number[];
  }>;
}

/** Builds {@link UiAccessProvider} from the plugin's permission checks and settings. */
export class DefaultUiAccessProvider implements UiAccessProvider {
  constructor(
    private readonly permissions: UiPermissionChecks,
    private readonly settings: UiSettingsSource,
    /** Secure mode now (structurally the plugin's ClusterSecureMode). */
    private readonly secureMode: { readonly on: boolean },
  ) {}

  async forUser(userKey: string): Promise<UserUiAccess> {
    const [settings, isSystemAdmin, canCreateOnBehalf, canUseTokens, readOnlyOnly] = await Promise.all([
      this.settings.get(),
      this.permissions.isSystemAdmin(userKey),
      this.permissions.mayManageOthers(userKey),
      this.permissions.mayUseTokens(userKey),
      this.permissions.isReadOnlyOnly(userKey),
    ]);
    return {
      canUseTokens, canCreateOnBehalf, isSystemAdmin, readOnlyOnly,
      maxValidityMonths: settings.maxValidityMonths,
      defaultValidityMonths: Math.min(settings.defaultValidityMonths, settings.maxValidityMonths),
      secureMode: this.secureMode.on,
      authSchemes: settings.authSchemes,
      expiryWarningDays: [...settings.expiryWarningDays],
    };
  }
}
