// Request bodies and queries of the host's own REST resources (dev toolbox, UPM, audit log) and
// of Jira's session login, as DTO classes checked by class-validator (host-sim/rest/dto).
import { Bool, Integer, MAX_INT, MAX_TEXT, OneOf, QueryInstant, QueryInteger, QueryText, Text } from '../dto/fields';

/** ±100 years is plenty for any expiry test and keeps Date arithmetic safe. */
export const MAX_CLOCK_OFFSET = 100 * 366 * 24 * 3600 * 1000;

/** `PUT /rest/hostsim/1.0/clock`. */
export class ClockBody {
  @Integer(-MAX_CLOCK_OFFSET, MAX_CLOCK_OFFSET, { required: true }) offsetMillis!: number;
}

/** `PUT /rest/hostsim/1.0/license/{pluginKey}`. */
export class LicenseBody {
  @OneOf(['valid', 'expired', 'none'], { required: true }) state!: 'valid' | 'expired' | 'none';
}

/** `PUT /rest/hostsim/1.0/users/{name}/active`. */
export class ActiveBody {
  @Bool({ required: true }) active!: boolean;
}

/** `PUT /rest/plugins/1.0/{pluginKey}-key` (UPM). */
export class PluginStateBody {
  @Bool({ required: true }) enabled!: boolean;
}

/** `GET /rest/auditing/1.0/events`; `limit` above the resource's cap is lowered to it. */
export class AuditQuery {
  @QueryInteger(0, MAX_INT) offset?: number;
  @QueryInteger(0, MAX_INT) limit?: number;
  @QueryText() action?: string;
  @QueryInstant() from?: string;
  @QueryInstant() to?: string;
}

/** `POST /rest/auth/1/session`. */
export class SessionBody {
  @Text({ required: true }) username!: string;
  @Text({ required: true, max: MAX_TEXT }) password!: string;
}
