// Request bodies and queries of the simulated Jira REST API (/rest/api/2), as DTO classes
// checked by class-validator (host-sim/rest/dto). Unknown body fields are refused with 400.
import { Bool, Integer, MAX_INT, MAX_TEXT, Nested, QueryInteger, QueryText, Text } from '../dto/fields';

export const USERNAME_PATTERN = /^[\p{L}\p{N}._@+-]+$/u;
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;
export const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,9}$/;

/** `POST /user`. Without a password the user gets a random one (Jira mails a reset link). */
export class NewUserBody {
  @Text({ required: true, pattern: USERNAME_PATTERN, patternKey: 'hostsim.validation.username' }) name!: string;
  @Text({ max: MAX_TEXT }) password?: string;
  @Text({ required: true, pattern: EMAIL_PATTERN, patternKey: 'hostsim.validation.email' }) emailAddress!: string;
  @Text({ required: true }) displayName!: string;
}

/** `GET /user`: by name or by key. */
export class UserQuery {
  @QueryText() username?: string;
  @QueryText() key?: string;
}

/** `DELETE /user`. */
export class UserNameQuery {
  @QueryText({ required: true }) username!: string;
}

/** `POST /group/user?groupname=`. */
export class GroupQuery {
  @QueryText({ required: true }) groupname!: string;
}

export class GroupMemberBody {
  @Text({ required: true }) name!: string;
}

export class ProjectRef {
  @Text({ required: true, max: 10, pattern: PROJECT_KEY, patternKey: 'hostsim.issue.project' }) key!: string;
}

/** An issue type by name or by id. */
export class IssueTypeRef {
  @Text() name?: string;
  @Text({ max: 20 }) id?: string;
}

export class NewIssueFields {
  @Nested(() => ProjectRef, { required: true }) project!: ProjectRef;
  @Text({ required: true }) summary!: string;
  @Text({ max: MAX_TEXT }) description?: string;
  @Nested(() => IssueTypeRef, { required: true }) issuetype!: IssueTypeRef;
}

/** `POST /issue`; Jira reports its fields without the `fields.` prefix. */
export class NewIssueBody {
  @Nested(() => NewIssueFields, { required: true }) fields!: NewIssueFields;
}

/** The fields an edit may set: absent keeps the value; a given summary must not be empty. */
export class IssueEditFields {
  @Text({ nonEmpty: true }) summary?: string;
  @Text({ max: MAX_TEXT }) description?: string;
}

/** `PUT /issue/{key}`. */
export class IssueEditBody {
  @Nested(() => IssueEditFields, { required: true }) fields!: IssueEditFields;
}

/** `POST /issue/{key}/comment`. */
export class CommentBody {
  @Text({ required: true, max: MAX_TEXT }) body!: string;
}

/** `GET /search`; `maxResults` above the resource's cap is lowered to it, as Jira does. */
export class SearchQuery {
  @QueryText({ required: true, max: MAX_TEXT }) jql!: string;
  @QueryInteger(0, MAX_INT) startAt?: number;
  @QueryInteger(0, MAX_INT) maxResults?: number;
}

/** `POST /search`. */
export class SearchBody {
  @Text({ required: true, max: MAX_TEXT }) jql!: string;
  @Integer(0, MAX_INT) startAt?: number;
  @Integer(0, MAX_INT) maxResults?: number;
}

/** `POST /filter`. */
export class NewFilterBody {
  @Text({ required: true }) name!: string;
  @Text({ max: MAX_TEXT }) jql?: string;
  @Text({ max: MAX_TEXT }) description?: string;
  @Bool() favourite?: boolean;
  @Bool() editable?: boolean;
}
