import type { Router } from 'express';
import type { WebPanelRenderer } from '../../host-sim/spi';
import { createProfilePanelRenderer } from './ProfilePanelRenderer';
import { createTokenUiServlet } from './TokenUiServlet';
import type { UiDependencies } from './UiDependencies';

export type { UiAccessProvider, UiDependencies, UserUiAccess } from './UiDependencies';
export { DefaultUiAccessProvider, type UiPermissionChecks, type UiSettingsSource } from './UiAccessProvider';

/** The UI's module implementations, for the composition root to register by module key. */
export interface UiModules {
  /** `web-panel` at location `profile-page`. */
  readonly profilePanel: WebPanelRenderer;
  /** `servlet` with urlPattern `de.resolution.apitokenauth`: `/admin`, `/settings`, `/users/*`, `/static/*`. */
  readonly adminServlet: Router;
}

/** Builds the profile panel and the servlet (Token Manager, settings page, static assets). */
export function createUiModules(deps: UiDependencies): UiModules {
  return {
    profilePanel: createProfilePanelRenderer(deps),
    adminServlet: createTokenUiServlet(deps),
  };
}
