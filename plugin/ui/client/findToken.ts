// The Token Manager's "Find token" box: paste a (leaked) token or its public id, and see whose
// it is. The value goes to `POST /admin/tokens/lookup` in the body only: the input has no
// `name` (a form submitted without the script would carry nothing), the page never puts it in
// its URL or history, and the field is emptied once the token is found.
import { ApiCallError } from './api';
import type { PageContext } from './context';
import { h, replaceChildren, uid, type Child } from './dom';
import { Field, textInput } from './forms';
import { showMessage } from './messages';
import { expiresCell, lastUsedCell, scopeLabel, unreadableRestrictionsCell } from './tokenCells';
import type { LookedUpToken } from './types';

const TOKEN_PREFIX = 'apitok_';
/** `apitok_` and a public id without the secret, as a log line may show it. */
const PREFIXED_PUBLIC_ID = /^apitok_[0-9A-Za-z]{12}$/;

/** The lookup body for what was pasted: a whole token, or a public id (with or without `apitok_`). */
export function lookupBody(value: string): { token: string } | { publicId: string } {
  if (PREFIXED_PUBLIC_ID.test(value)) return { publicId: value.slice(TOKEN_PREFIX.length) };
  return value.startsWith(TOKEN_PREFIX) ? { token: value } : { publicId: value };
}

function person(ctx: PageContext, p: { key: string; name: string | null; displayName: string | null } | null): string {
  if (!p) return ctx.t('admin.noOwner');
  return p.name ? `${p.displayName ?? p.name} (${p.name})` : p.key;
}

export class FindTokenBox {
  readonly element: HTMLElement;
  private readonly field: Field<HTMLInputElement>;
  private readonly messages: HTMLElement;
  private readonly details: HTMLElement;

  constructor(private readonly ctx: PageContext, private readonly onFound: (token: LookedUpToken) => void) {
    const { t } = ctx;
    const input = textInput('', { class: 'text ata-mono', spellcheck: 'false', autocapitalize: 'off' });
    input.removeAttribute('name');
    input.dataset.role = 'find-token';
    const submit = h('button', { type: 'submit', class: 'aui-button', dataset: { action: 'find-token' } }, t('admin.find.button'));
    this.field = new Field(t('admin.find.label'), input, { description: t('admin.find.help'), extra: submit });
    this.messages = h('div', { class: 'ata-messages' });
    this.details = h('div', { dataset: { role: 'found' } });
    const headingId = uid('find-heading');
    const form = h('form', { class: 'aui top-label ata-find', method: 'post', novalidate: true, 'aria-labelledby': headingId }, this.field.group);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.find();
    });
    this.element = h('section', { class: 'ata-find-section', 'aria-labelledby': headingId },
      h('h2', { id: headingId, class: 'ata-section-heading' }, t('admin.find.title')), form, this.messages, this.details);
  }

  private async find(): Promise<void> {
    const { t, config } = this.ctx;
    const value = this.field.input.value.trim();
    showMessage(this.messages, 'error', '');
    this.field.setError(value ? null : t('admin.find.empty'));
    if (!value) {
      this.field.input.focus();
      return;
    }
    replaceChildren(this.details);
    let token: LookedUpToken;
    try {
      token = await this.ctx.api.call<LookedUpToken>('POST', `${config.restBase}/admin/tokens/lookup`, lookupBody(value));
    } catch (err) {
      const notFound = err instanceof ApiCallError && err.status === 404;
      showMessage(this.messages, 'error', notFound ? t('admin.find.notFound') : err instanceof ApiCallError ? err.message : t('error.unexpected'));
      return;
    }
    this.field.input.value = '';
    this.renderDetails(token);
    this.onFound(token);
  }

  private renderDetails(token: LookedUpToken): void {
    const { t, clock } = this.ctx;
    const row = (label: string, role: string, ...value: Child[]): Child[] => [h('dt', {}, label), h('dd', { dataset: { field: role } }, ...value)];
    const owner: Child[] = [person(this.ctx, token.owner)];
    if (token.owner && !token.owner.active) owner.push(' ', h('span', { class: 'aui-lozenge aui-lozenge-subtle' }, t('admin.find.inactive')));
    // A secret replaced through a token: whoever did that holds the current one (docs/api.md "Retired secrets").
    const retired = token.matchedRetiredSecret
      ? h('div', { class: 'aui-message aui-message-warning', role: 'alert', dataset: { role: 'retired-secret' } }, h('p', {}, t('admin.find.retiredSecret')))
      : null;
    const restrictions: Child[] = token.restrictionsUnreadable ? unreadableRestrictionsCell(this.ctx)
      : token.restrictionsText ? [h('code', { class: 'ata-rules' }, token.restrictionsText)] : [h('span', { class: 'ata-subtle' }, t('token.unrestricted'))];
    replaceChildren(this.details, retired, h('div', { class: 'aui-message aui-message-info ata-found', role: 'status' },
      h('p', { class: 'title' }, h('strong', {}, t('admin.find.found', token.description))),
      h('dl', { class: 'ata-found-details' },
        ...row(t('column.owner'), 'owner', ...owner),
        ...row(t('column.description'), 'description', token.description),
        ...row(t('admin.find.publicId'), 'public-id', h('code', {}, token.publicId)),
        ...row(t('column.created'), 'created', clock.timeElement(token.created)),
        ...row(t('column.createdBy'), 'created-by', person(this.ctx, token.createdBy)),
        ...row(t('column.expires'), 'expires', ...expiresCell(this.ctx, token.validUntil)),
        ...row(t('column.lastUsed'), 'last-used', ...lastUsedCell(this.ctx, { ...token, lastAccessedFromIp: null, useCount: 0 })),
        ...row(t('column.lastIp'), 'last-ip', token.lastAccessedFromIp ?? '—'),
        ...row(t('admin.find.useCount'), 'use-count', String(token.useCount)),
        ...row(t('column.scope'), 'scope', scopeLabel(this.ctx, token.tokenScope)),
        ...row(t('column.restrictions'), 'restrictions', ...restrictions))));
  }
}
