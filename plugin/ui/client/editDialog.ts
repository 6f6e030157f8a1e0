// The edit dialog: the name (required, unique among the owner's other tokens), on request a new
// expiry (the validity fields of create; the server allows it within the maximum), and under
// "Advanced" the restrictions and the IP allowlist. Restrictions and expiry are sent only when
// changed, so a rename never touches them. (Not offered in secure mode: tokens are then fixed.)
import { isNameTaken } from '../shared/tokenNames';
import { ApiCallError, fieldsOnlyMessage } from './api';
import type { PageContext } from './context';
import { lines, ipEntries } from './createDialog';
import { Dialog } from './dialogs';
import { h, uid } from './dom';
import { CheckboxField, Field, focusFirstInvalid, showFieldErrors, textArea, textInput, type ErrorTarget } from './forms';
import { showMessage } from './messages';
import { restrictionParts } from './tokenCells';
import type { ListedToken } from './types';
import { validityFields } from './validityFields';

export function openEditDialog(ctx: PageContext, token: ListedToken, otherNames: readonly string[], returnFocus: HTMLElement): Promise<boolean> {
  const { t, config } = ctx;
  const current = restrictionParts(token.restrictions);
  const currentRules = current.rules.join('\n');
  const currentIps = current.ipAllowlist.join('\n');
  const dialog = new Dialog<true>({ title: t('profile.editTitle'), size: 'medium', returnFocus, role: 'edit-token' });
  const formId = uid('edit-form');
  const messages = h('div', { class: 'ata-messages' });
  const name = new Field(t('create.name'), textInput('tokenDescription', { maxlength: '255', value: token.description, autofocus: true, required: true }),
    { required: t('common.required') });
  const rules = new Field(t('create.restrictions'), textArea('restrictions', { rows: '3', value: currentRules }), { description: t('create.restrictionsHelp') });
  const ips = new Field(t('create.ipAllowlist'), textArea('ipAllowlist', { rows: '2', value: currentIps }), { description: t('create.ipAllowlistHelp') });
  const unreadable = token.restrictionsUnreadable === true;
  const advanced = h('details', { class: 'ata-advanced', open: !!(currentRules || currentIps) || unreadable, dataset: { role: 'advanced' } },
    h('summary', {}, t('create.advanced')),
    ...(unreadable ? [h('div', { class: 'aui-message aui-message-warning', dataset: { role: 'restrictions-unreadable' } }, h('p', {}, t('edit.restrictionsUnreadable')))] : []),
    rules.group, ips.group);
  const newExpiry = new CheckboxField('changeExpiry', t('edit.changeExpiry'), t('edit.currentExpiry', ctx.clock.formatDateTime(token.validUntil)));
  const validity = validityFields(ctx);
  // Shown only when asked for (AUI styles fieldsets, so `hidden` alone would not hide it).
  const showValidity = (): void => { validity.element.style.display = newExpiry.input.checked ? '' : 'none'; };
  showValidity();
  newExpiry.input.addEventListener('change', showValidity);
  const form = h('form', { class: 'aui top-label', id: formId, novalidate: true }, messages, name.group, newExpiry.group, validity.element, advanced);
  dialog.content.appendChild(form);
  const save = h('button', { type: 'submit', form: formId, class: 'aui-button aui-button-primary', dataset: { action: 'save' } }, t('common.save'));
  dialog.actions.appendChild(save);
  dialog.button(t('common.cancel'), 'link', () => { void dialog.cancel(); }, { 'data-action': 'cancel' });
  const fields: Record<string, ErrorTarget> = { tokenDescription: name, ...validity.targets, restrictions: rules, ipAllowlist: ips };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = name.value.trim();
    const local: Record<string, string> = {};
    if (!value) local.tokenDescription = t('create.errorNameRequired');
    else if (isNameTaken(value, otherNames)) local.tokenDescription = t('create.errorNameTaken');
    const chosen = newExpiry.input.checked ? validity.read() : null;
    if (chosen && 'errors' in chosen) Object.assign(local, chosen.errors);
    showFieldErrors(fields, local);
    if (Object.keys(local).length) {
      focusFirstInvalid(form);
      return;
    }
    const body: Record<string, unknown> = { tokenDescription: value };
    if (chosen && 'body' in chosen) Object.assign(body, chosen.body);
    const ruleLines = lines(rules.value);
    const ipList = ipEntries(ips.value);
    const newRules = ruleLines.join('\n') !== currentRules;
    const newIps = ipList.join('\n') !== currentIps;
    // Unreadable restrictions are only replaced whole (409 RESTRICTIONS_UNREADABLE otherwise).
    const whole = token.restrictionsUnreadable === true && (newRules || newIps);
    if (newRules || whole) body.restrictions = ruleLines.length ? ruleLines.join('\n') : null;
    if (newIps || whole) body.ipAllowlist = ipList;
    save.disabled = true;
    ctx.api.call('PATCH', `${config.restBase}/user/token/${encodeURIComponent(token.id)}`, body).then(() => dialog.close(true), (err: unknown) => {
      save.disabled = false;
      const failure = err instanceof ApiCallError ? err : new ApiCallError(0, t('error.unexpected'));
      const unmatched = showFieldErrors(fields, failure.fieldErrors);
      if (Object.keys(failure.fieldErrors).some((k) => k.startsWith('restrictions') || k.startsWith('ipAllowlist'))) advanced.open = true;
      showMessage(messages, 'error', fieldsOnlyMessage(t, failure, unmatched));
      focusFirstInvalid(form);
    });
  });
  dialog.show();
  return dialog.result.then((changed) => changed === true);
}
