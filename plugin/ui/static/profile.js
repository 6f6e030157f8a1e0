/*
 * Profile-page panel: the user's own tokens, create / edit (rename, restrictions) / rotate / delete / delete all.
 */
(function () {
  'use strict';
  var ATA = window.ATA;

  ATA.ready(function () {
    var config = ATA.readConfig('profile');
    var root = document.getElementById('ata-app');
    if (!config || !root || root.dataset.page !== 'profile') return;
    var t = ATA.translator(config.strings);
    var clock = ATA.clock(config.locale, config.user.timeZone);
    var el = ATA.el;
    var tokens = [];

    root.textContent = '';
    root.appendChild(el('p', { className: 'ata-intro', text: t('profile.intro') }));
    var messages = el('div', { className: 'ata-messages', dataset: { role: 'messages' } });
    var createButton = el('button', { type: 'button', className: 'ata-button ata-button-primary', dataset: { action: 'create' }, text: t('profile.create') });
    var deleteAllButton = el('button', { type: 'button', className: 'ata-button ata-button-danger-subtle', dataset: { action: 'delete-all' }, text: t('profile.deleteAll') });
    root.appendChild(el('div', { className: 'ata-toolbar' }, [createButton, deleteAllButton]));
    root.appendChild(messages);
    var listHolder = el('div', { className: 'ata-list', 'aria-live': 'polite' });
    root.appendChild(listHolder);

    createButton.addEventListener('click', function () {
      ATA.openCreateDialog(t, config, { returnFocus: createButton }).then(function (result) {
        if (!result) return;
        reload().then(function () {
          ATA.flash(messages, 'success', t('profile.created', result.created.tokenDescription || ''));
          return ATA.showNewToken(t, config, result.created, result.username, { title: t('newToken.title'), returnFocus: createButton });
        });
      });
    });

    deleteAllButton.addEventListener('click', function () {
      ATA.confirm(t, {
        title: t('profile.deleteAllTitle'), message: t('profile.deleteAllConfirm', tokens.length),
        confirmLabel: t('profile.deleteAll'), danger: true, returnFocus: deleteAllButton,
      }).then(function (ok) {
        if (!ok) return;
        var count = tokens.length;
        deleteAll().then(function () {
          return reload().then(function () { ATA.flash(messages, 'success', t('profile.deletedAll', count)); });
        }, function (err) { ATA.flash(messages, 'error', err.message); });
      });
    });

    /** `DELETE /rest/api-tokens/latest/all`; one by one when that API is not there. */
    function deleteAll() {
      return ATA.api(t, 'DELETE', config.apiTokensRestBase + '/all').catch(function (err) {
        if (err.status !== 404 && err.status !== 405) throw err;
        return tokens.reduce(function (p, token) {
          return p.then(function () { return ATA.api(t, 'DELETE', config.restBase + '/user/token/' + encodeURIComponent(token.id)); });
        }, Promise.resolve());
      });
    }

    function reload() {
      return ATA.api(t, 'GET', config.restBase + '/user/token').then(function (list) {
        tokens = (Array.isArray(list) ? list : []).slice().sort(function (a, b) { return (b.created || 0) - (a.created || 0) || b.id - a.id; });
        render();
      }, function (err) {
        ATA.flash(messages, 'error', err.message);
      });
    }

    function render() {
      listHolder.textContent = '';
      deleteAllButton.disabled = tokens.length === 0;
      if (!tokens.length) {
        listHolder.appendChild(el('p', { className: 'ata-empty', dataset: { role: 'empty' }, text: t('profile.empty') }));
        return;
      }
      var now = Date.now();
      var headers = ['column.description', 'column.created', 'column.lastUsed', 'column.expires', 'column.scope', 'column.restrictions', 'column.actions'];
      var table = el('table', { className: 'ata-table', dataset: { role: 'tokens' } }, [
        el('caption', { className: 'ata-offscreen', text: t('profile.tableCaption') }),
        el('thead', {}, [el('tr', {}, headers.map(function (h) { return el('th', { scope: 'col', text: t(h) }); }))]),
      ]);
      var body = el('tbody');
      tokens.forEach(function (token) { body.appendChild(row(token, now)); });
      table.appendChild(body);
      listHolder.appendChild(el('div', { className: 'ata-table-wrap' }, [table]));
    }

    function row(token, now) {
      var name = token.description || token.tokenDescription || '';
      var editButton = el('button', { type: 'button', className: 'ata-button ata-button-compact', dataset: { action: 'edit' }, 'aria-label': t('profile.editLabel', name), text: t('profile.edit') });
      var rotateButton = el('button', { type: 'button', className: 'ata-button ata-button-compact', dataset: { action: 'rotate' }, 'aria-label': t('profile.rotateLabel', name), text: t('profile.rotate') });
      var deleteButton = el('button', { type: 'button', className: 'ata-button ata-button-compact ata-button-danger-subtle', dataset: { action: 'delete' }, 'aria-label': t('profile.deleteLabel', name), text: t('profile.delete') });
      editButton.addEventListener('click', function () { edit(token, editButton); });
      rotateButton.addEventListener('click', function () { rotate(token, rotateButton); });
      deleteButton.addEventListener('click', function () { remove(token, deleteButton); });
      var expired = token.validUntil && token.validUntil <= now;
      return el('tr', { dataset: { tokenId: String(token.id) }, className: expired ? 'ata-row-expired' : '' }, [
        el('th', { scope: 'row', className: 'ata-cell-description', text: name }),
        el('td', { dataset: { cell: 'created' }, text: token.created ? clock.formatDateTime(token.created) : '' }),
        el('td', { dataset: { cell: 'last-used' } }, ATA.lastUsedCell(t, clock, token)),
        el('td', { dataset: { cell: 'expires' } }, ATA.expiryCell(t, clock, token.validUntil, now)),
        el('td', { dataset: { cell: 'scope' }, text: ATA.scopeLabel(t, token.tokenScope) }),
        el('td', { className: 'ata-cell-restrictions', dataset: { cell: 'restrictions' } }, ATA.restrictionsCell(t, token)),
        el('td', { className: 'ata-cell-actions' }, [editButton, rotateButton, deleteButton]),
      ]);
    }

    /** The edit dialog: description always; restrictions and IP allowlist unless secure mode. */
    function edit(token, button) {
      var current = token.description || '';
      var currentRules = ATA.restrictionLines(token).join('\n');
      var currentIps = ATA.ipAllowlistOf(token).join('\n');
      ATA.modal({ title: t('profile.editTitle'), returnFocus: button, className: 'ata-dialog-wide' }, function (dialog, close) {
        var form = el('form', { className: 'ata-form', novalidate: true, dataset: { form: 'edit' } });
        var formMessages = el('div', { className: 'ata-messages' });
        var input = el('input', { type: 'text', name: 'tokenDescription', maxlength: '255', value: current, required: true, autocomplete: 'off' });
        form.appendChild(formMessages);
        form.appendChild(ATA.field(t('create.description'), input));
        var locked = config.access.secureMode;
        var rules = el('textarea', { name: 'restrictions', rows: '4', spellcheck: 'false', className: 'ata-mono', readonly: locked });
        rules.value = currentRules;
        var ips = el('textarea', { name: 'ipAllowlist', rows: '2', spellcheck: 'false', className: 'ata-mono', readonly: locked });
        ips.value = currentIps;
        form.appendChild(ATA.field(t('create.restrictions'), rules, locked ? t('profile.secureModeLocked') : t('create.restrictionsHelp')));
        form.appendChild(ATA.field(t('create.ipAllowlist'), ips, locked ? null : t('create.ipAllowlistHelp')));
        var save = el('button', { type: 'submit', className: 'ata-button ata-button-primary', text: t('common.save') });
        form.appendChild(el('div', { className: 'ata-dialog-buttons' }, [save,
          el('button', { type: 'button', className: 'ata-button ata-button-link', text: t('common.cancel'), on: { click: function () { close(false); } } })]));
        form.addEventListener('submit', function (ev) {
          ev.preventDefault();
          var value = input.value.trim();
          if (!value) {
            ATA.showFieldErrors(form, { tokenDescription: t('profile.errorDescriptionRequired') });
            return;
          }
          var body = { tokenDescription: value };
          // Restrictions are sent only when changed, so a rename never touches them.
          var ruleLines = rules.value.split(/\r?\n/).map(function (l) { return l.trim(); }).filter(Boolean);
          var ipList = ips.value.split(/[\s,]+/).filter(Boolean);
          if (!locked && ruleLines.join('\n') !== currentRules) body.restrictions = ruleLines.length ? ruleLines.join('\n') : null;
          if (!locked && ipList.join('\n') !== currentIps) body.ipAllowlist = ipList;
          save.disabled = true;
          ATA.api(t, 'PATCH', config.restBase + '/user/token/' + encodeURIComponent(token.id), body).then(function () {
            close(true);
          }, function (err) {
            save.disabled = false;
            var unmatched = ATA.showFieldErrors(form, err.errors);
            ATA.flash(formMessages, 'error', [err.message].concat(unmatched).join(' '));
          });
        });
        dialog.appendChild(form);
        input.dataset.initialFocus = 'select';
      }).then(function (changed) {
        if (changed) reload().then(function () { ATA.flash(messages, 'success', t('profile.saved')); });
      });
    }

    function rotate(token, button) {
      ATA.confirm(t, {
        title: t('profile.rotateTitle'), message: t('profile.rotateConfirm', token.description || ''),
        confirmLabel: t('profile.rotate'), danger: true, returnFocus: button,
      }).then(function (ok) {
        if (!ok) return;
        ATA.api(t, 'POST', config.restBase + '/user/token/' + encodeURIComponent(token.id) + '/rotate').then(function (created) {
          return reload().then(function () {
            ATA.flash(messages, 'success', t('profile.rotated', token.description || ''));
            return ATA.showNewToken(t, config, created, config.user.name, { title: t('newToken.rotatedTitle'), returnFocus: createButton });
          });
        }, function (err) { ATA.flash(messages, 'error', err.message); });
      });
    }

    function remove(token, button) {
      ATA.confirm(t, {
        title: t('profile.deleteTitle'), message: t('profile.deleteConfirm', token.description || ''),
        confirmLabel: t('profile.delete'), danger: true, returnFocus: button,
      }).then(function (ok) {
        if (!ok) return;
        ATA.api(t, 'DELETE', config.restBase + '/user/token/' + encodeURIComponent(token.id)).then(function () {
          return reload().then(function () {
            ATA.flash(messages, 'success', t('profile.deleted', token.description || ''));
            createButton.focus();
          });
        }, function (err) { ATA.flash(messages, 'error', err.message); });
      });
    }

    reload();
  });
})();
