import type { Clock } from '../../host-sim/spi';
import type { LastAccessRecorder } from '../service/LastAccessRecorder';
import type { PermissionService } from '../service/PermissionService';
import type { SettingsService } from '../service/SettingsService';
import type { TokenService } from '../service/TokenService';
import type { TokenSnippets } from '../snippets/TokenSnippets';

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
}
