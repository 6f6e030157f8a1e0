/*
 * Settings page (system administrators): every setting of `GET|PUT .../admin/settings`, with
 * the API's validation messages shown next to their fields.
 */
(function () {
  'use strict';
  var ATA = window.ATA;

  /** The settings, grouped as the page shows them. kind: number | boolean | list | days | choice. */
  var SECTIONS = [
    { key: 'validity', fields: [
      { name: 'maxValidityMonths', kind: 'number', min: 1 },
      { name: 'defaultValidityMonths', kind: 'number', min: 1 },
      { name: 'maxTokensPerUser', kind: 'number', min: 1 },
    ] },
    { key: 'authentication', fields: [
      { name: 'authSchemes', kind: 'choice', options: ['both', 'basic', 'bearer'] },
      { name: 'passwordBasicAuthAllowed', kind: 'boolean' },
      { name: 'ipAllowlist', kind: 'list' },
    ] },
    { key: 'permissions', fields: [
      { name: 'tokenUserGroups', kind: 'list' },
      { name: 'readOnlyOnlyGroups', kind: 'list' },
      { name: 'createOnBehalfGroups', kind: 'list' },
    ] },
    { key: 'notifications', fields: [
      { name: 'expiryWarningDays', kind: 'days' },
      { name: 'notifyOnNewIp', kind: 'boolean' },
    ] },
    { key: 'housekeeping', fields: [
      { name: 'pruneExpiredAfterDays', kind: 'number', min: 0 },
      { name: 'revokeUnusedAfterDays', kind: 'number', min: 0 },
      { name: 'auditTokenUse', kind: 'choice', options: ['sampled', 'all', 'off'] },
    ] },
  ];

  ATA.ready(function () {
    var config = ATA.readConfig('settings');
    var root = document.getElementById('ata-app');
    if (!config || !root || root.dataset.page !== 'settings') return;
    var t = ATA.translator(config.strings);
    var el = ATA.el;
    var url = config.restBase + '/admin/settings';
    var loaded = {};
    var inputs = {};

    root.textContent = '';
    root.appendChild(el('p', { className: 'ata-intro', text: t('settings.intro') }));
    if (config.access.secureMode) {
      root.appendChild(el('div', { className: 'ata-message ata-message-info', dataset: { role: 'secure-mode' } }, [el('p', { text: t('settings.secureModeOn') })]));
    }
    var messages = el('div', { className: 'ata-messages', dataset: { role: 'messages' } });
    root.appendChild(messages);
    var form = el('form', { className: 'ata-form ata-settings', novalidate: true, dataset: { form: 'settings' } });

    SECTIONS.forEach(function (section) {
      var fieldset = el('fieldset', { className: 'ata-fieldset ata-settings-section' }, [el('legend', { text: t('settings.section.' + section.key) })]);
      section.fields.forEach(function (f) {
        var label = t('settings.' + f.name);
        var help = t('settings.' + f.name + '.help');
        var input;
        if (f.kind === 'boolean') {
          input = el('input', { type: 'checkbox', name: f.name, id: ATA.uid('s') });
          var helpId = input.id + '-help';
          input.setAttribute('aria-describedby', helpId);
          fieldset.appendChild(el('div', { className: 'ata-field ata-checkbox' }, [
            input, el('label', { for: input.id, text: label }),
            el('div', { id: helpId, className: 'ata-help', text: help }),
            el('div', { id: input.id + '-error', className: 'ata-field-error', role: 'alert' }),
          ]));
        } else {
          if (f.kind === 'number') input = el('input', { type: 'number', name: f.name, min: String(f.min), step: '1', inputmode: 'numeric' });
          else if (f.kind === 'choice') {
            input = el('select', { name: f.name }, f.options.map(function (o) {
              return el('option', { value: o, text: t('settings.' + f.name + '.' + o) });
            }));
          } else if (f.kind === 'days') input = el('input', { type: 'text', name: f.name, inputmode: 'numeric', autocomplete: 'off' });
          else input = el('textarea', { name: f.name, rows: '3', spellcheck: 'false', className: 'ata-mono' });
          fieldset.appendChild(ATA.field(label, input, help));
        }
        inputs[f.name] = { field: f, input: input };
      });
      form.appendChild(fieldset);
    });

    var save = el('button', { type: 'submit', className: 'ata-button ata-button-primary', dataset: { action: 'save' }, text: t('common.save') });
    var revert = el('button', { type: 'button', className: 'ata-button ata-button-link', text: t('settings.revert'), on: { click: function () { fill(loaded); ATA.showFieldErrors(form, {}); ATA.flash(messages, 'info', ''); } } });
    form.appendChild(el('div', { className: 'ata-form-buttons' }, [save, revert]));
    root.appendChild(form);

    function listText(value) { return Array.isArray(value) ? value.join('\n') : value === undefined || value === null ? '' : String(value); }

    function fill(settings) {
      Object.keys(inputs).forEach(function (name) {
        var f = inputs[name].field;
        var input = inputs[name].input;
        var value = settings[name];
        if (f.kind === 'boolean') input.checked = value === true;
        else if (f.kind === 'days') input.value = Array.isArray(value) ? value.join(', ') : listText(value);
        else if (f.kind === 'list') input.value = listText(value);
        else input.value = value === undefined || value === null ? '' : String(value);
      });
    }

    function read() {
      var out = {};
      Object.keys(inputs).forEach(function (name) {
        var f = inputs[name].field;
        var input = inputs[name].input;
        if (f.kind === 'boolean') out[name] = input.checked;
        else if (f.kind === 'number') {
          var raw = input.value.trim();
          // A value that is not a whole number goes to the API as typed, so its message is shown.
          out[name] = /^-?\d+$/.test(raw) ? Number(raw) : raw;
        } else if (f.kind === 'days') {
          out[name] = input.value.split(/[\s,;]+/).filter(Boolean).map(function (d) { return /^-?\d+$/.test(d) ? Number(d) : d; });
        } else if (f.kind === 'list') {
          out[name] = input.value.split(/[\r\n,]+/).map(function (s) { return s.trim(); }).filter(Boolean);
        } else out[name] = input.value;
      });
      return out;
    }

    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      save.disabled = true;
      ATA.showFieldErrors(form, {});
      ATA.api(t, 'PUT', url, read()).then(function (saved) {
        save.disabled = false;
        if (saved && typeof saved === 'object') loaded = saved;
        else loaded = read();
        fill(loaded);
        ATA.flash(messages, 'success', t('settings.saved'));
      }, function (err) {
        save.disabled = false;
        var unmatched = ATA.showFieldErrors(form, err.errors);
        ATA.flash(messages, 'error', [err.message].concat(unmatched).join(' '));
        var firstInvalid = form.querySelector('[aria-invalid="true"]');
        if (firstInvalid) firstInvalid.focus();
      });
    });

    ATA.api(t, 'GET', url).then(function (settings) {
      loaded = settings || {};
      fill(loaded);
    }, function (err) {
      ATA.flash(messages, 'error', err.message);
      save.disabled = true;
    });
  });
})();
