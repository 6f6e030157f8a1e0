import type { HostUser } from './UserManager';

/** How the current request was authenticated. */
export type AuthenticationMethod = 'password' | 'session' | 'api-token';

/** The user a request runs as, once a filter or the host's login has authenticated it. */
export interface AuthenticatedPrincipal {
  readonly user: HostUser;
  readonly method: AuthenticationMethod;
  /**
   * Set by the authenticating plugin for token requests (opaque to the host), so that
   * resources can apply the token's own limits (e.g. read-only scope).
   */
  readonly credentialId?: string;
  /** Free-form details the authenticating plugin keeps for its own resources. */
  readonly details?: Readonly<Record<string, unknown>>;
}

declare module 'express-serve-static-core' {
  interface Request {
    /**
     * Set by a `before-login` servlet filter (token authentication) or by the host's own
     * login (Seraph). When a filter has set it, the host does not authenticate again and
     * creates no session.
     */
    principal?: AuthenticatedPrincipal;
    /** The client's IP address as the host sees it (honours X-Forwarded-For from trusted proxies). */
    clientIp?: string;
  }
}
