// The Token Manager's columns: owner, name, created, last used, last IP, expires, scope,
// restrictions and created by. The columns the API can order by carry its sort key (the
// server sorts every matching token, not just the page on screen). Restrictions show the
// server's own text form (`restrictionsText`, from restrictions/textFormat.ts), shortened to its
// first line with the rest behind a disclosure.
import type { PageContext } from './context';
import { h, type Child } from './dom';
import { lastUsedCell, standardColumns, unreadableRestrictionsCell } from './tokenCells';
import type { Column } from './tokenTable';
import type { FilteredToken } from './types';

/** The server's restriction text as a short cell: the first line, and every line on demand. */
export function shortRestrictionsCell(ctx: PageContext, token: Pick<FilteredToken, 'restrictionsText' | 'restrictionsUnreadable'>): Child[] {
  if (token.restrictionsUnreadable) return unreadableRestrictionsCell(ctx);
  const text = token.restrictionsText;
  if (!text) return [h('span', { class: 'ata-subtle' }, ctx.t('token.unrestricted'))];
  const lines = text.split('\n');
  if (lines.length === 1) return [h('code', { class: 'ata-rules ata-rules-short' }, lines[0])];
  return [h('details', { class: 'ata-rules-more' },
    h('summary', {}, h('code', { class: 'ata-rules-short' }, lines[0]), ' ', h('span', { class: 'ata-subtle' }, ctx.t('admin.moreRules', lines.length - 1))),
    h('code', { class: 'ata-rules' }, lines.slice(1).join('\n')))];
}

export function managerColumns(ctx: PageContext, ownerText: (userKey: string | null) => string): Array<Column<FilteredToken>> {
  const { t } = ctx;
  const std = standardColumns<FilteredToken>(ctx);
  return [
    { id: 'owner', header: t('column.owner'), sortKey: 'user', cell: (tok) => ownerText(tok.tokenForUserKey) },
    { ...std.description, sortKey: 'description' },
    { ...std.created, sortKey: 'created' },
    // The IP has a column of its own here.
    { ...std.lastUsed, sortKey: 'lastAccessed', cell: (tok) => lastUsedCell(ctx, { ...tok, lastAccessedFromIp: null }) },
    { id: 'last-ip', header: t('column.lastIp'), className: 'ata-col-ip', cell: (tok) => tok.lastAccessedFromIp ?? h('span', { class: 'ata-subtle' }, '—') },
    { ...std.expires, sortKey: 'validUntil' },
    std.scope,
    { id: 'restrictions', header: t('column.restrictions'), className: 'ata-col-restrictions', cell: (tok) => shortRestrictionsCell(ctx, tok) },
    { id: 'created-by', header: t('column.createdBy'), cell: (tok) => ownerText(tok.tokenCreatedByUserKey) },
  ];
}
