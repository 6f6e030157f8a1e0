/** A user's login bookkeeping. */
export interface LoginInfo {
  readonly currentFailedLoginCount: number;
  readonly totalFailedLoginCount: number;
  readonly lastFailedLoginTime: number | null;
  /** True when the next Basic login must be refused with a CAPTCHA challenge. */
  readonly elevatedSecurityCheckRequired: boolean;
}

/**
 * The failed-login counter and CAPTCHA state (Jira's `LoginManager` / Seraph), shared by
 * every node of the cluster.
 */
export interface LoginManager {
  getLoginInfo(userName: string): Promise<LoginInfo>;
  /** Cheap: answered from a per-node cache kept coherent across the cluster. */
  isElevatedSecurityCheckRequired(userName: string): Promise<boolean>;
  /**
   * {@link isElevatedSecurityCheckRequired} answered from this node's cache only; undefined
   * when the user's state is not cached (then ask the asynchronous method). Never waits.
   */
  peekElevatedSecurityCheckRequired(userName: string): boolean | undefined;
  recordFailedLogin(userName: string): Promise<LoginInfo>;
  recordSuccessfulLogin(userName: string): Promise<void>;
  resetFailedLoginCount(userName: string): Promise<void>;
  /**
   * The headers Seraph sends with a 403 to a user in CAPTCHA state:
   * `X-Seraph-LoginReason: AUTHENTICATION_DENIED` and
   * `X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE; login-url=<base>/login.jsp`.
   */
  captchaChallengeHeaders(): Readonly<Record<string, string>>;
}
