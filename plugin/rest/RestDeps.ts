import type { Clock, UserManager } from '../../host-sim/spi';
import type { CallerTokenCheck } from '../service/CallerTokenCheck';
import type { LastAccessRecorder } from '../service/LastAccessRecorder';
import type { PermissionService } from '../service/PermissionService';
import type { SettingsService } from '../service/SettingsService';
import type { TokenAdminQueries } from '../service/TokenAdminQueries';
import type { TokenIncidentService } from '../service/TokenIncidentService';
import type { TokenRevocation } from '../service/TokenRevocation';
import type { TokenService } from '../service/TokenService';
import type { TokenSnippets } from '../snippets/TokenSnippets';
import type { RestrictionsViews } from './RestrictionsViews';
import type { WebSudoGate } from './WebSudoGate';

/** What the REST resources of `/rest/de.resolution.apitokenauth` need. */
export interface RestDeps {
  readonly tokens: TokenService;
  readonly settings: SettingsService;
  readonly permissions: PermissionService;
  readonly recorder: LastAccessRecorder;
  readonly clock: Clock;
  /** Absolute base URL incl. context path, for pagination links. */
  readonly baseUrl: string;
  /** Code snippets (`?snippets=true` on create/rotate, `GET /user/token/{id}/snippets`). */
  readonly snippets: TokenSnippets;
  /** Everyone's tokens for administrators: sorted pages and the CSV export (`tokensByFilter`). */
  readonly queries: TokenAdminQueries;
  /** Lookup of a leaked token and bulk deletion (`/admin/tokens/…`). */
  readonly incidents: TokenIncidentService;
  /** The unauthenticated revocation API (`/tokens/revoke`). */
  readonly revocation: TokenRevocation;
  /** Owners' user names in the CSV export. */
  readonly users: UserManager;
  /** The calling token checked again once the body has arrived (every route, before the resource). */
  readonly callerCheck: CallerTokenCheck;
  /** Websudo for the administrative routes (AdminRoutes), before any resource runs. */
  readonly webSudoGate: WebSudoGate;
  /** What the listings show of each token's restrictions, read once per stored value. */
  readonly restrictionViews: RestrictionsViews;
}
