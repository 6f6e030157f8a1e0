// The plugin's settings as a DTO class checked by class-validator (plugin/validation): a
// `PUT /admin/settings` body (any subset) and every stored value read back. A setting that is
// given must be valid; null is a wrong value, not an absent one.
import {
  ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsString, Matches, Max, MaxLength, Min, ValidateBy,
} from 'class-validator';
import { validateIpEntries } from '../restrictions';
import { says } from '../validation/checkDto';
import { Present } from '../validation/fields';
import type { AuditTokenUse, AuthSchemes } from './Settings';

/** Longest group-name list and IP allowlist. */
export const MAX_SETTING_LIST = 100;
const MAX_GROUP_NAME = 255;
const MAX_IP_ENTRY = 64;
const MAX_WARNING_DAYS = 10;

function IntRange(min: number, max: number): PropertyDecorator {
  const range = says('integerRange', min, max);
  return Present(IsInt(range), Min(min, range), Max(max, range));
}

function Flag(): PropertyDecorator {
  return Present(IsBoolean(says('boolean')));
}

function Choice(values: readonly string[]): PropertyDecorator {
  return Present(IsIn([...values], says('oneOf', values.join(', '))));
}

/** Group names: at most 100, each non-blank and at most 255 characters. */
function GroupNames(): PropertyDecorator {
  const list = says('stringList', MAX_SETTING_LIST);
  return Present(
    IsArray(list), ArrayMaxSize(MAX_SETTING_LIST, list), IsString({ ...list, each: true }), Matches(/\S/, { ...list, each: true }),
    MaxLength(MAX_GROUP_NAME, { ...list, each: true }),
  );
}

/** IPs and CIDR ranges the restrictions engine's matcher understands. */
function IpEntries(): PropertyDecorator {
  const list = says('ipList', MAX_SETTING_LIST);
  return Present(
    IsArray(list), ArrayMaxSize(MAX_SETTING_LIST, list), IsString({ ...list, each: true }), MaxLength(MAX_IP_ENTRY, { ...list, each: true }),
    ValidateBy({
      name: 'ipEntries',
      validator: {
        validate: (value: unknown) => validateIpEntries(value, MAX_SETTING_LIST).ok,
        defaultMessage: () => '$property must list IP addresses or CIDR ranges',
      },
    }, list),
  );
}

/** Up to 10 distinct days from 1 to 365. */
function WarningDays(): PropertyDecorator {
  const days = says('dayList');
  return Present(
    IsArray(days), ArrayMaxSize(MAX_WARNING_DAYS, days), IsInt({ ...days, each: true }), Min(1, { ...days, each: true }),
    Max(365, { ...days, each: true }), ArrayUnique(days),
  );
}

/** Every setting with its rule (docs/api.md "Settings"); all optional, as a PUT takes any subset. */
export class SettingsChange {
  @IntRange(1, 1200) maxValidityMonths?: number;
  @IntRange(1, 1200) defaultValidityMonths?: number;
  @Flag() passwordBasicAuthAllowed?: boolean;
  @Choice(['basic', 'bearer', 'both']) authSchemes?: AuthSchemes;
  @GroupNames() createOnBehalfGroups?: string[];
  @GroupNames() tokenUserGroups?: string[];
  @GroupNames() readOnlyOnlyGroups?: string[];
  @IntRange(1, 100000) maxTokensPerUser?: number;
  @IpEntries() ipAllowlist?: string[];
  @WarningDays() expiryWarningDays?: number[];
  @Flag() notifyOnNewIp?: boolean;
  @IntRange(0, 36500) pruneExpiredAfterDays?: number;
  @IntRange(0, 36500) revokeUnusedAfterDays?: number;
  @Choice(['all', 'sampled', 'off']) auditTokenUse?: AuditTokenUse;
  @Flag() sudoTokensAllowed?: boolean;
}
