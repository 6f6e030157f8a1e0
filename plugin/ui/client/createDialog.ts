// The create-token dialog: a name (required, unlike the REST API, and different from the
// owner's other token names; a unique "API Token from <date>" is offered), the validity in
// months or until a day (a value above the administrator's maximum is flagged, not cut), the
// scope, and under "Advanced" the restrictions and the IP allowlist.
import { isNameTaken, uniqueName } from '../shared/tokenNames';
import { ApiCallError, fieldsOnlyMessage } from './api';
import type { PageContext } from './context';
import { Dialog } from './dialogs';
import { h, uid } from './dom';
import { Field, focusFirstInvalid, select, showFieldErrors, textArea, textInput, type ErrorTarget } from './forms';
import { showMessage } from './messages';
import type { CreatedToken } from './types';
import { validityFields } from './validityFields';

export interface CreateOptions {
  /** Create on behalf of this user (Token Manager); else for the current user. */
  readonly forUser?: { readonly key: string; readonly name: string; readonly displayName: string };
  /** The owner's existing token names. */
  readonly takenNames: readonly string[];
  readonly returnFocus?: HTMLElement | null;
}

export interface CreateResult {
  readonly created: CreatedToken;
  /** The owner's user name (for Basic snippets). */
  readonly username: string;
}

/** Lines of a text area, trimmed, without empty ones. */
/** A rule that works on the product at hand (a Jira rule on Confluence would refuse every request). */
const RESTRICTION_EXAMPLE: Record<'jira' | 'confluence', string> = {
  jira: '[GET].*/rest/api/2/search[QueryParam::jql==project = JRA]',
  confluence: '[GET].*/rest/api/content[QueryParam::spaceKey==DOCS]',
};

export function lines(value: string): string[] {
  return value.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}

/** IP allowlist entries: one per line or separated by commas or blanks. */
export function ipEntries(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

export function openCreateDialog(ctx: PageContext, options: CreateOptions): Promise<CreateResult | undefined> {
  const { t, clock, config } = ctx;
  const access = config.access;
  const forUser = options.forUser;
  const now = clock.now();
  const dialog = new Dialog<CreateResult>({
    title: forUser ? t('create.titleFor', forUser.displayName || forUser.name) : t('create.title'),
    size: 'medium', returnFocus: options.returnFocus, role: 'create-token',
  });
  const formId = uid('create-form');
  const messages = h('div', { class: 'ata-messages' });
  const required = t('common.required');

  const name = new Field(t('create.name'), textInput('tokenDescription', {
    maxlength: '255', autofocus: true, required: true,
    value: uniqueName(t('create.defaultName', clock.formatDate(now)), options.takenNames),
  }), { description: t('create.nameHelp'), required });

  const validity = validityFields(ctx);

  const scope = new Field(t('create.scope'), select('tokenScope', access.readOnlyOnly
    ? [{ value: '1', label: t('scope.readOnly'), selected: true }]
    : [{ value: '2', label: t('scope.readWrite'), selected: true }, { value: '1', label: t('scope.readOnly') }]),
  { description: access.readOnlyOnly ? t('create.scopeReadOnlyOnly') : t('create.scopeHelp') });

  const restrictions = new Field(t('create.restrictions'), textArea('restrictions', {
    rows: '3', placeholder: RESTRICTION_EXAMPLE[config.product],
  }), { description: t('create.restrictionsHelp') });
  const ipAllowlist = new Field(t('create.ipAllowlist'), textArea('ipAllowlist', { rows: '2', placeholder: '192.0.2.0/24' }), { description: t('create.ipAllowlistHelp') });
  const advanced = h('details', { class: 'ata-advanced', dataset: { role: 'advanced' } },
    h('summary', {}, t('create.advanced')), restrictions.group, ipAllowlist.group);

  const form = h('form', { class: 'aui top-label ata-create-form', id: formId, novalidate: true },
    messages,
    name.group,
    validity.element,
    scope.group,
    advanced,
    access.secureMode ? h('div', { class: 'aui-message aui-message-info', dataset: { role: 'secure-mode' } }, h('p', {}, t('create.secureModeHint'))) : null);
  dialog.content.appendChild(form);

  const submit = h('button', { type: 'submit', form: formId, class: 'aui-button aui-button-primary', dataset: { action: 'create' } }, t('create.submit'));
  dialog.actions.appendChild(submit);
  dialog.button(t('common.cancel'), 'link', () => { void dialog.cancel(); }, { 'data-action': 'cancel' });

  const fields: Record<string, ErrorTarget> = {
    tokenDescription: name, ...validity.targets, tokenScope: scope, restrictions, ipAllowlist,
  };

  /** The request body, or the field errors found before sending. */
  function read(): { body: Record<string, unknown> } | { errors: Record<string, string> } {
    const errors: Record<string, string> = {};
    const body: Record<string, unknown> = {};
    const description = name.value.trim();
    if (!description) errors.tokenDescription = t('create.errorNameRequired');
    else if (isNameTaken(description, options.takenNames)) errors.tokenDescription = t('create.errorNameTaken');
    else body.tokenDescription = description;
    const chosen = validity.read();
    if ('errors' in chosen) Object.assign(errors, chosen.errors);
    else Object.assign(body, chosen.body);
    body.tokenScope = Number(scope.value);
    const rules = lines(restrictions.value);
    if (rules.length) body.restrictions = rules.join('\n');
    const ips = ipEntries(ipAllowlist.value);
    if (ips.length) body.ipAllowlist = ips;
    if (forUser) body.tokenForUserKey = forUser.key;
    return Object.keys(errors).length ? { errors } : { body };
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const request = read();
    showMessage(messages, 'error', '');
    if ('errors' in request) {
      showFieldErrors(fields, request.errors);
      if (request.errors.restrictions || request.errors.ipAllowlist) advanced.open = true;
      focusFirstInvalid(form);
      return;
    }
    showFieldErrors(fields, {});
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    ctx.api.call<CreatedToken>('POST', `${config.restBase}/user/token`, request.body).then((created) => {
      dialog.close({ created, username: forUser ? forUser.name : config.user.name });
    }, (err: unknown) => {
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
      const failure = err instanceof ApiCallError ? err : new ApiCallError(0, t('error.unexpected'));
      const unmatched = showFieldErrors(fields, failure.fieldErrors);
      if (failure.fieldErrors.restrictions || failure.fieldErrors.ipAllowlist
        || Object.keys(failure.fieldErrors).some((k) => k.startsWith('restrictions'))) advanced.open = true;
      showMessage(messages, 'error', fieldsOnlyMessage(t, failure, unmatched));
      focusFirstInvalid(form);
    });
  });

  dialog.show();
  // The offered name is selected, so typing replaces it.
  setTimeout(() => { name.input.focus(); (name.input as HTMLInputElement).select(); }, 0);
  return dialog.result;
}
