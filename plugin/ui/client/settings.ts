// The settings page (system administrators): every setting of `GET|PUT …/admin/settings` as
// an AUI form in sections, the API's messages next to their fields (an unknown group name
// included), its notices (a lowered maximum lowering the default) above the form, and a
// confirmation before password Basic authentication is switched off for everyone.
import { ApiCallError, fieldsOnlyMessage } from './api';
import { pageContext, type PageContext } from './context';
import { confirmDialog } from './dialogs';
import { h, onReady, replaceChildren } from './dom';
import { buttons, CheckboxField, Field, sectionFieldset, focusFirstInvalid, select, showFieldErrors, textArea, textInput, type ErrorTarget } from './forms';
import { flag, showMessage } from './messages';

type Kind = 'number' | 'boolean' | 'list' | 'days' | 'choice';

interface SettingField {
  readonly name: string;
  readonly kind: Kind;
  readonly options?: readonly string[];
  readonly min?: number;
}

/** The settings, grouped as the page shows them. */
const SECTIONS: ReadonlyArray<{ key: string; fields: readonly SettingField[] }> = [
  { key: 'validity', fields: [{ name: 'maxValidityMonths', kind: 'number', min: 1 }, { name: 'defaultValidityMonths', kind: 'number', min: 1 }, { name: 'maxTokensPerUser', kind: 'number', min: 1 }] },
  { key: 'authentication', fields: [{ name: 'authSchemes', kind: 'choice', options: ['both', 'basic', 'bearer'] }, { name: 'passwordBasicAuthAllowed', kind: 'boolean' }, { name: 'ipAllowlist', kind: 'list' }, { name: 'sudoTokensAllowed', kind: 'boolean' }] },
  { key: 'permissions', fields: [{ name: 'tokenUserGroups', kind: 'list' }, { name: 'readOnlyOnlyGroups', kind: 'list' }, { name: 'createOnBehalfGroups', kind: 'list' }] },
  { key: 'notifications', fields: [{ name: 'expiryWarningDays', kind: 'days' }, { name: 'notifyOnNewIp', kind: 'boolean' }] },
  { key: 'housekeeping', fields: [{ name: 'pruneExpiredAfterDays', kind: 'number', min: 0 }, { name: 'revokeUnusedAfterDays', kind: 'number', min: 0 }, { name: 'auditTokenUse', kind: 'choice', options: ['sampled', 'all', 'off'] }] },
];

type Settings = Record<string, unknown>;

/** What `PUT …/admin/settings` adds when the change did more than was asked. */
interface SettingsNotice {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/** The answer of a save without its notices, and the notices. */
function splitNotices(answer: unknown): { settings: Settings | null; notices: SettingsNotice[] } {
  if (!answer || typeof answer !== 'object') return { settings: null, notices: [] };
  const { notices, ...settings } = answer as Settings & { notices?: unknown };
  return { settings, notices: Array.isArray(notices) ? notices.filter((n): n is SettingsNotice => typeof (n as SettingsNotice | null)?.message === 'string') : [] };
}

interface Bound {
  readonly field: SettingField;
  readonly target: ErrorTarget;
  fill(value: unknown): void;
  read(): unknown;
}

const listText = (value: unknown): string => (Array.isArray(value) ? value.join('\n') : value === undefined || value === null ? '' : String(value));
const wholeOrRaw = (raw: string): number | string => (/^-?\d+$/.test(raw) ? Number(raw) : raw);

function bind(ctx: PageContext, f: SettingField): { bound: Bound; group: HTMLElement } {
  const label = ctx.t(`settings.${f.name}`);
  const help = ctx.t(`settings.${f.name}.help`);
  if (f.kind === 'boolean') {
    const box = new CheckboxField(f.name, label, help);
    // In AUI's side-label form only a field group puts the box in the column of the other inputs.
    return { group: h('div', { class: 'field-group' }, box.group), bound: { field: f, target: box, fill: (v) => { box.input.checked = v === true; }, read: () => box.input.checked } };
  }
  let input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  if (f.kind === 'number') input = textInput(f.name, { type: 'number', min: String(f.min ?? 0), step: '1', inputmode: 'numeric', class: 'text short-field' });
  else if (f.kind === 'choice') input = select(f.name, (f.options ?? []).map((o) => ({ value: o, label: ctx.t(`settings.${f.name}.${o}`) })));
  else if (f.kind === 'days') input = textInput(f.name, { inputmode: 'numeric', class: 'text medium-field' });
  else input = textArea(f.name, { rows: '3' });
  const field = new Field(label, input, { description: help });
  const read = (): unknown => {
    const raw = input.value;
    // A value that is not a whole number goes to the API as typed, so its own message is shown.
    if (f.kind === 'number') return wholeOrRaw(raw.trim());
    if (f.kind === 'days') return raw.split(/[\s,;]+/).filter(Boolean).map(wholeOrRaw);
    if (f.kind === 'list') return raw.split(/[\r\n,]+/).map((s) => s.trim()).filter(Boolean);
    return raw;
  };
  const fill = (value: unknown): void => {
    input.value = f.kind === 'days' ? (Array.isArray(value) ? value.join(', ') : listText(value)) : listText(value);
  };
  return { group: field.group, bound: { field: f, target: field, fill, read } };
}

function start(root: HTMLElement, ctx: PageContext): void {
  const { t, config } = ctx;
  const url = `${config.restBase}/admin/settings`;
  let loaded: Settings = {};
  const bound: Bound[] = [];
  const messages = h('div', { class: 'ata-messages', dataset: { role: 'messages' } });
  // Until the settings arrive the fields hold no values: a Save would send them empty, and what
  // is typed would be overwritten on arrival. Everything stays disabled (and busy) until then.
  const form = h('form', { class: 'aui ata-settings', novalidate: true, 'aria-busy': 'true', dataset: { form: 'settings' } });
  const sections: HTMLFieldSetElement[] = [];
  for (const section of SECTIONS) {
    const groups = section.fields.map((f) => {
      const { bound: b, group } = bind(ctx, f);
      bound.push(b);
      return group;
    });
    const fieldset = sectionFieldset(t(`settings.section.${section.key}`), ...groups);
    fieldset.disabled = true;
    sections.push(fieldset);
    form.appendChild(fieldset);
  }
  const save = h('button', { type: 'submit', class: 'aui-button aui-button-primary', disabled: true, dataset: { action: 'save' } }, t('common.save'));
  const revert = h('button', { type: 'button', class: 'aui-button aui-button-link', disabled: true, dataset: { action: 'revert' } }, t('settings.revert'));
  form.appendChild(buttons(save, revert));
  const targets = (): Record<string, ErrorTarget> => Object.fromEntries(bound.map((b) => [b.field.name, b.target]));

  replaceChildren(root,
    h('p', { class: 'ata-intro' }, t('settings.intro')),
    config.access.secureMode ? h('div', { class: 'aui-message aui-message-info', dataset: { role: 'secure-mode' } }, h('p', {}, t('settings.secureModeOn'))) : null,
    messages, form);

  const fill = (settings: Settings): void => { for (const b of bound) b.fill(settings[b.field.name]); };
  const read = (): Settings => Object.fromEntries(bound.map((b) => [b.field.name, b.read()]));

  revert.addEventListener('click', () => {
    fill(loaded);
    showFieldErrors(targets(), {});
    showMessage(messages, 'error', '');
  });

  const passwordBasic = bound.find((b) => b.field.name === 'passwordBasicAuthAllowed')!;

  /**
   * Switching password Basic authentication off stops every script that still signs in with a
   * password, for everyone: the administrator confirms it first. Cancel saves nothing and
   * leaves the setting on.
   */
  async function confirmed(change: Settings): Promise<boolean> {
    if (loaded.passwordBasicAuthAllowed === false || change.passwordBasicAuthAllowed !== false) return true;
    const ok = await confirmDialog(t, {
      title: t('settings.passwordBasicOffTitle'), message: t('settings.passwordBasicOffConfirm'), confirmLabel: t('settings.passwordBasicOffButton'),
      danger: true, returnFocus: save, role: 'password-basic-off',
    });
    if (!ok) {
      passwordBasic.fill(true);
      showMessage(messages, 'info', t('settings.passwordBasicKept'));
    }
    return ok;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    showMessage(messages, 'error', '');
    showFieldErrors(targets(), {});
    const change = read();
    void confirmed(change).then((ok) => { if (ok) send(change); });
  });

  function send(change: Settings): void {
    save.disabled = true;
    ctx.api.call<Settings>('PUT', url, change).then((answer) => {
      save.disabled = false;
      const { settings: saved, notices } = splitNotices(answer);
      loaded = saved ?? change;
      fill(loaded);
      if (notices.length) showMessage(messages, 'info', notices.map((n) => n.message).join(' '));
      flag('success', t('settings.saved'));
    }, (err: unknown) => {
      save.disabled = false;
      const failure = err instanceof ApiCallError ? err : new ApiCallError(0, t('error.unexpected'));
      const unmatched = showFieldErrors(targets(), failure.fieldErrors);
      showMessage(messages, 'error', fieldsOnlyMessage(t, failure, unmatched));
      focusFirstInvalid(form);
    });
  }

  ctx.api.get<Settings>(url).then((settings) => {
    loaded = settings ?? {};
    fill(loaded);
    for (const fieldset of sections) fieldset.disabled = false;
    save.disabled = false;
    revert.disabled = false;
    form.setAttribute('aria-busy', 'false');
    form.dataset.loaded = 'true';
  }, (err: unknown) => {
    // Nothing to edit: the form stays disabled.
    form.setAttribute('aria-busy', 'false');
    showMessage(messages, 'error', err instanceof ApiCallError ? err.message : t('error.unexpected'));
  });
}

onReady(() => {
  const root = document.getElementById('ata-app');
  const ctx = pageContext('settings');
  if (root && ctx && root.dataset.page === 'settings') start(root, ctx);
});
