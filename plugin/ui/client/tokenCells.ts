// The token columns both lists share: relative times (the exact date for screen readers and
// on hover), AUI lozenges for the expiry state and the scope, restrictions in the text form of
// the server's own formatter (restrictions/textFormat.ts).
import { expiryState } from '../shared/expiry';
import { formatRule } from '../../restrictions/textFormat';
import type { TokenRestrictions } from '../../restrictions/types';
import { h, type Child } from './dom';
import type { PageContext } from './context';
import type { Column } from './tokenTable';
import type { ListedToken, OwnToken, TokenScope } from './types';

export function scopeLabel(ctx: PageContext, scope: TokenScope): string {
  return scope === 1 ? ctx.t('scope.readOnly') : scope === 2 ? ctx.t('scope.readWrite') : ctx.t('scope.legacy');
}

/** The rules of a token's restrictions in the one-rule-per-line text form, and its IP allowlist. */
export function restrictionParts(restrictions: TokenRestrictions | null | undefined): { rules: string[]; ipAllowlist: string[] } {
  if (!restrictions || typeof restrictions !== 'object') return { rules: [], ipAllowlist: [] };
  return {
    rules: Array.isArray(restrictions.rules) ? restrictions.rules.map(formatRule) : [],
    ipAllowlist: Array.isArray(restrictions.ipAllowlist) ? [...restrictions.ipAllowlist] : [],
  };
}

export function expiresCell(ctx: PageContext, validUntil: number): Child[] {
  const state = expiryState(validUntil, ctx.clock.now(), ctx.config.access.expiryWarningDays);
  const cell: Child[] = [ctx.clock.timeElement(validUntil)];
  if (state === 'expired') cell.push(' ', h('span', { class: 'aui-lozenge aui-lozenge-removed', dataset: { mark: 'expired' } }, ctx.t('token.expired')));
  if (state === 'soon') cell.push(' ', h('span', { class: 'aui-lozenge aui-lozenge-moved', dataset: { mark: 'expires-soon' } }, ctx.t('token.expiresSoon')));
  return cell;
}

export function lastUsedCell(ctx: PageContext, token: ListedToken & Partial<Pick<OwnToken, 'lastAccessedFromIp' | 'useCount'>>): Child[] {
  if (!token.lastAccessed) return [h('span', { class: 'ata-subtle' }, ctx.t('token.neverUsed'))];
  const cell: Child[] = [ctx.clock.timeElement(token.lastAccessed)];
  const details: string[] = [];
  if (token.lastAccessedFromIp) details.push(ctx.t('token.fromIp', token.lastAccessedFromIp));
  if (typeof token.useCount === 'number' && token.useCount > 0) details.push(ctx.t('token.useCount', token.useCount));
  if (details.length) cell.push(h('div', { class: 'ata-subtle', dataset: { role: 'usage' } }, details.join(' · ')));
  return cell;
}

/** Restrictions this version cannot read refuse the token: said so, never shown as "None". */
export function unreadableRestrictionsCell(ctx: PageContext): Child[] {
  return [h('span', { class: 'aui-lozenge aui-lozenge-removed', title: ctx.t('token.restrictionsUnreadableHint'), dataset: { mark: 'restrictions-unreadable' } },
    ctx.t('token.restrictionsUnreadable'))];
}

export function restrictionsCell(ctx: PageContext, token: ListedToken): Child[] {
  if (token.restrictionsUnreadable) return unreadableRestrictionsCell(ctx);
  const { rules, ipAllowlist } = restrictionParts(token.restrictions);
  if (!rules.length && !ipAllowlist.length) return [h('span', { class: 'ata-subtle' }, ctx.t('token.unrestricted'))];
  const out: Child[] = [];
  if (rules.length) out.push(h('code', { class: 'ata-rules' }, rules.join('\n')));
  if (ipAllowlist.length) out.push(h('div', { class: 'ata-subtle' }, ctx.t('token.ipAllowlistShort', ipAllowlist.join(', '))));
  return out;
}

/** Description, created, last used, expires, scope and restrictions — in that order, each sortable on the client. */
export function standardColumns<T extends ListedToken>(ctx: PageContext): Record<'description' | 'created' | 'lastUsed' | 'expires' | 'scope' | 'restrictions', Column<T>> {
  return {
    description: { id: 'description', header: ctx.t('column.description'), rowHeader: true, className: 'ata-col-description', cell: (t) => t.description, sortValue: (t) => t.description.toLocaleLowerCase() },
    created: { id: 'created', header: ctx.t('column.created'), className: 'ata-col-date', cell: (t) => ctx.clock.timeElement(t.created), sortValue: (t) => t.created },
    lastUsed: { id: 'last-used', header: ctx.t('column.lastUsed'), className: 'ata-col-date', cell: (t) => lastUsedCell(ctx, t), sortValue: (t) => t.lastAccessed || 0 },
    expires: { id: 'expires', header: ctx.t('column.expires'), className: 'ata-col-date', cell: (t) => expiresCell(ctx, t.validUntil), sortValue: (t) => t.validUntil },
    scope: { id: 'scope', header: ctx.t('column.scope'), cell: (t) => scopeLabel(ctx, t.tokenScope), sortValue: (t) => t.tokenScope },
    restrictions: { id: 'restrictions', header: ctx.t('column.restrictions'), className: 'ata-col-restrictions', cell: (t) => restrictionsCell(ctx, t) },
  };
}
