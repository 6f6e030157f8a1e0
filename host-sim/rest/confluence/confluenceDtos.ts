// Request bodies and queries of the simulated Confluence REST API (/rest/api), as DTO classes
// checked by class-validator (host-sim/rest/dto). Unknown body fields are refused with 400.
import { Bool, MAX_INT, MAX_TEXT, Nested, OneOf, QueryInteger, QueryOneOf, QueryText, Text } from '../dto/fields';
import { EMAIL_PATTERN, USERNAME_PATTERN } from '../jira/jiraDtos';

/** Confluence's storage format body of a page: at most 512 KB. */
export const MAX_CONTENT_BODY = 512 * 1024;
const SPACE_KEY = /^[A-Za-z0-9]{1,255}$/;
const CONTENT_TYPES = ['page', 'blogpost'] as const;

/** `POST /admin/user`. Without a password the user gets a random one. */
export class NewConfluenceUserBody {
  @Text({ required: true, pattern: USERNAME_PATTERN, patternKey: 'hostsim.validation.username' }) userName!: string;
  @Text({ required: true }) fullName!: string;
  @Text({ required: true, pattern: EMAIL_PATTERN, patternKey: 'hostsim.validation.email' }) email!: string;
  @Text({ max: MAX_TEXT }) password?: string;
  /** Accepted and ignored: the simulator's outbox is not told about new users. */
  @Bool() notifyViaEmail?: boolean;
}

/** `GET /user`: by name or by key. */
export class ConfluenceUserQuery {
  @QueryText() username?: string;
  @QueryText() key?: string;
}

/** `GET /content`; `limit` above the resource's cap is lowered to it. */
export class ContentListQuery {
  @QueryText() spaceKey?: string;
  @QueryOneOf(CONTENT_TYPES) type?: 'page' | 'blogpost';
  @QueryInteger(0, MAX_INT) start?: number;
  @QueryInteger(0, MAX_INT) limit?: number;
}

/** `GET /space`. */
export class SpaceListQuery {
  @QueryInteger(0, MAX_INT) start?: number;
  @QueryInteger(0, MAX_INT) limit?: number;
}

export class SpaceRef {
  @Text({ required: true, pattern: SPACE_KEY, patternKey: 'hostsim.validation.spaceKey' }) key!: string;
}

export class StorageValue {
  @Text({ max: MAX_CONTENT_BODY }) value?: string;
  @OneOf(['storage']) representation?: 'storage';
}

export class ContentBodyParts {
  @Nested(() => StorageValue) storage?: StorageValue;
}

/** `POST /content`. */
export class NewContentBody {
  @OneOf(CONTENT_TYPES, { required: true }) type!: 'page' | 'blogpost';
  @Text({ required: true }) title!: string;
  @Nested(() => SpaceRef, { required: true }) space!: SpaceRef;
  @Nested(() => ContentBodyParts) body?: ContentBodyParts;
}
