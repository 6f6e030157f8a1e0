// The Token Manager's Edit and Regenerate row actions for administrators: edit (name and
// restrictions, through the edit dialog) and regenerate (new secret and expiry, through the
// regenerate dialog) another user's token, as the owner can on the profile panel. The server
// decides what an administrator may do with whose token; its refusal shows in the dialog.
import { query } from './api';
import type { PageContext } from './context';
import { openEditDialog } from './editDialog';
import { flag } from './messages';
import { regenerateAction } from './regenerateDialog';
import type { RowAction } from './tokenTable';
import type { FilterPage, ListedToken, PickerUser } from './types';

export interface AdminRowActionOptions {
  /** The token's owner, when the page knows it (its user name is needed for the new token's snippets). */
  readonly owner: (token: ListedToken) => PickerUser | undefined;
  /** The owner as the page names it ("Alice Example (alice)"). */
  readonly ownerLabel: (token: ListedToken) => string;
  /** Reloads the current page of results. */
  readonly reload: () => Promise<void>;
  /** Shows an error that happened outside a dialog. */
  readonly onError: (message: string) => void;
}

/** The names of every token of a user (for the edit dialog's uniqueness check), through `tokensByFilter`. */
export async function tokenNamesOf(ctx: PageContext, userKey: string): Promise<string[]> {
  const names: string[] = [];
  for (let page = 0; page < 100; page++) {
    const res = await ctx.api.get<FilterPage>(`${ctx.config.restBase}/user/tokensByFilter${query({ userFilter: [userKey], notValidAfter: -1, page, limit: 50 })}`);
    names.push(...(res.content ?? []).map((tok) => tok.description));
    if (page + 1 >= (res.totalPages ?? 0)) break;
  }
  return names;
}

/** Edit and Regenerate, in that order, for the Token Manager's table. */
export function adminRowActions(ctx: PageContext, options: AdminRowActionOptions): Array<RowAction<ListedToken>> {
  const { t, config, clock } = ctx;
  const edit: RowAction<ListedToken> = {
    id: 'edit',
    label: t('profile.edit'),
    ariaLabel: (tok) => t('admin.editLabel', tok.description, options.ownerLabel(tok)),
    // As on the profile panel: an expired token cannot change (only be regenerated or deleted).
    visible: (tok) => !config.access.secureMode && tok.validUntil > clock.now(),
    run: (tok, button) => {
      void (async () => {
        let others: string[] = [];
        try {
          if (tok.tokenForUserKey) others = withoutOnce(await tokenNamesOf(ctx, tok.tokenForUserKey), tok.description);
        } catch (err) {
          options.onError(err instanceof Error ? err.message : t('error.unexpected'));
          return;
        }
        if (!(await openEditDialog(ctx, tok, others, button))) return;
        await options.reload();
        flag('success', t('profile.saved'));
      })();
    },
  };
  const regenerate = regenerateAction<ListedToken>(ctx, {
    // A user-less token (system administrators only see them) is regenerated like any other.
    username: (tok) => (tok.tokenForUserKey ? options.owner(tok)?.name : null),
    ownerLabel: options.ownerLabel,
    reload: options.reload,
  });
  return [edit, regenerate];
}

/** `names` without one occurrence of `name` (the token's own name; another token may share it). */
function withoutOnce(names: readonly string[], name: string): string[] {
  const i = names.indexOf(name);
  return i < 0 ? [...names] : [...names.slice(0, i), ...names.slice(i + 1)];
}
