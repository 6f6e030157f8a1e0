/*
 * Token Manager: every user's tokens through `tokensByFilter` (all filters, paging), create a
 * token for another user, delete, delete all tokens of a user (system administrators).
 */
(function () {
  'use strict';
  var ATA = window.ATA;

  ATA.ready(function () {
    var config = ATA.readConfig('admin');
    var root = document.getElementById('ata-app');
    if (!config || !root || root.dataset.page !== 'admin') return;
    var t = ATA.translator(config.strings);
    var clock = ATA.clock(config.locale, config.user.timeZone);
    var el = ATA.el;
    var users = {};           // user key -> picker user (owner column, chips)
    var selectedUsers = [];   // filter chips
    var state = { page: 0, limit: 25 };

    root.textContent = '';
    root.appendChild(el('p', { className: 'ata-intro', text: t('admin.intro') }));
    var messages = el('div', { className: 'ata-messages', dataset: { role: 'messages' } });
    var createButton = el('button', { type: 'button', className: 'ata-button ata-button-primary', dataset: { action: 'create-for-user' }, text: t('admin.createForUser') });
    var toolbar = el('div', { className: 'ata-toolbar' }, [createButton]);
    var deleteAllButton = null;
    if (config.access.isSystemAdmin) {
      deleteAllButton = el('button', { type: 'button', className: 'ata-button ata-button-danger-subtle', dataset: { action: 'delete-all-for-user' }, text: t('admin.deleteAllForUser') });
      toolbar.appendChild(deleteAllButton);
    }
    root.appendChild(toolbar);
    root.appendChild(messages);

    // ------------------------------------------------------------ filters
    var form = el('form', { className: 'ata-form ata-filters', role: 'search', 'aria-label': t('admin.filters'), dataset: { form: 'filters' } });
    var chips = el('ul', { className: 'ata-chips', 'aria-label': t('admin.selectedUsers') });
    var picker = userPicker(t('admin.filterUsers'), function (user) {
      if (!selectedUsers.some(function (u) { return u.key === user.key; })) selectedUsers.push(user);
      renderChips();
    });
    form.appendChild(el('div', { className: 'ata-filter-users' }, [picker.field, chips]));
    var description = el('input', { type: 'search', name: 'descriptionFilter', autocomplete: 'off' });
    var scope = el('select', { name: 'tokenScope' }, [
      el('option', { value: '', text: t('admin.scopeAny') }),
      el('option', { value: '2', text: t('scope.readWrite') }),
      el('option', { value: '1', text: t('scope.readOnly') }),
      el('option', { value: '0', text: t('scope.legacy') }),
    ]);
    var grid = el('div', { className: 'ata-filter-grid' }, [
      ATA.field(t('admin.filterDescription'), description),
      ATA.field(t('admin.filterScope'), scope),
    ]);
    var ranges = {};
    [['created', 'fromCreated', 'untilCreated'], ['lastUsed', 'fromLastUsed', 'untilLastUsed'], ['expires', 'fromExpiresDuring', 'untilExpiresDuring']].forEach(function (r) {
      var from = el('input', { type: 'date', name: r[1] });
      var until = el('input', { type: 'date', name: r[2] });
      ranges[r[1]] = from;
      ranges[r[2]] = until;
      grid.appendChild(el('fieldset', { className: 'ata-fieldset ata-range' }, [
        el('legend', { text: t('admin.range.' + r[0]) }),
        ATA.field(t('admin.from'), from),
        ATA.field(t('admin.until'), until),
      ]));
    });
    var notValidAfter = el('input', { type: 'date', name: 'notValidAfter' });
    grid.appendChild(ATA.field(t('admin.filterNotValidAfter'), notValidAfter, t('admin.filterNotValidAfterHelp')));
    var pageSize = el('select', { name: 'limit' }, [10, 25, 50].map(function (n) {
      return el('option', { value: String(n), text: String(n), selected: n === state.limit });
    }));
    grid.appendChild(ATA.field(t('admin.pageSize'), pageSize));
    form.appendChild(grid);
    var reset = el('button', { type: 'button', className: 'ata-button ata-button-link', text: t('admin.resetFilters') });
    form.appendChild(el('div', { className: 'ata-form-buttons' }, [
      el('button', { type: 'submit', className: 'ata-button ata-button-primary', dataset: { action: 'apply-filters' }, text: t('admin.applyFilters') }),
      reset,
    ]));
    root.appendChild(form);

    var summary = el('p', { className: 'ata-summary', role: 'status', dataset: { role: 'summary' } });
    var results = el('div', { className: 'ata-list' });
    var prev = el('button', { type: 'button', className: 'ata-button', dataset: { action: 'previous-page' }, text: t('admin.previousPage') });
    var next = el('button', { type: 'button', className: 'ata-button', dataset: { action: 'next-page' }, text: t('admin.nextPage') });
    var pageInfo = el('span', { className: 'ata-page-info', dataset: { role: 'page-info' } });
    var pager = el('nav', { className: 'ata-pager', 'aria-label': t('admin.paging') }, [prev, pageInfo, next]);
    root.appendChild(summary);
    root.appendChild(results);
    root.appendChild(pager);

    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      state.page = 0;
      state.limit = Number(pageSize.value);
      load();
    });
    reset.addEventListener('click', function () {
      form.reset();
      selectedUsers = [];
      renderChips();
      state.page = 0;
      state.limit = Number(pageSize.value);
      load();
    });
    prev.addEventListener('click', function () { if (state.page > 0) { state.page -= 1; load(); } });
    next.addEventListener('click', function () { state.page += 1; load(); });

    function renderChips() {
      chips.textContent = '';
      selectedUsers.forEach(function (user) {
        var label = userLabel(user);
        chips.appendChild(el('li', { className: 'ata-chip', dataset: { userKey: user.key } }, [
          el('span', { text: label }),
          el('button', {
            type: 'button', className: 'ata-chip-remove', 'aria-label': t('admin.removeUser', label), text: '×',
            on: { click: function () { selectedUsers = selectedUsers.filter(function (u) { return u.key !== user.key; }); renderChips(); picker.input.focus(); } },
          }),
        ]));
      });
    }

    function dayStart(input) { return input.value ? clock.zonedToEpoch(input.value, '00:00') : ''; }
    function dayEnd(input) { return input.value ? clock.zonedToEpoch(input.value, '23:59:59.999') : ''; }

    function filterParams() {
      return {
        userFilter: selectedUsers.map(function (u) { return u.key; }),
        descriptionFilter: description.value.trim(),
        tokenScope: scope.value,
        fromCreated: dayStart(ranges.fromCreated), untilCreated: dayEnd(ranges.untilCreated),
        fromLastUsed: dayStart(ranges.fromLastUsed), untilLastUsed: dayEnd(ranges.untilLastUsed),
        fromExpiresDuring: dayStart(ranges.fromExpiresDuring), untilExpiresDuring: dayEnd(ranges.untilExpiresDuring),
        notValidAfter: notValidAfter.value ? dayEnd(notValidAfter) : -1,
        page: state.page,
        limit: state.limit,
      };
    }

    function load() {
      summary.textContent = t('common.loading');
      return ATA.api(t, 'GET', config.restBase + '/user/tokensByFilter' + ATA.query(filterParams())).then(function (page) {
        return resolveUsers(page.content || []).then(function () { render(page); });
      }, function (err) {
        summary.textContent = '';
        ATA.flash(messages, 'error', err.message);
      });
    }

    function resolveUsers(tokens) {
      var missing = [];
      tokens.forEach(function (tok) {
        [tok.tokenForUserKey, tok.tokenCreatedByUserKey].forEach(function (k) {
          if (k && !users[k] && missing.indexOf(k) < 0) missing.push(k);
        });
      });
      if (!missing.length) return Promise.resolve();
      return ATA.api(t, 'GET', config.servletBase + '/users/lookup' + ATA.query({ key: missing })).then(function (res) {
        Object.keys(res.users || {}).forEach(function (k) { users[k] = res.users[k]; });
      }, function () { /* owner names are a nicety; keys are shown instead */ });
    }

    function userLabel(user) {
      if (!user) return '';
      return user.displayName && user.displayName !== user.name ? user.displayName + ' (' + user.name + ')' : user.name;
    }
    function ownerText(key) {
      if (!key) return t('admin.noOwner');
      return users[key] ? userLabel(users[key]) : key;
    }

    function render(page) {
      var content = page.content || [];
      state.page = page.currentPage || 0;
      var total = page.total || 0;
      var totalPages = page.totalPages || 0;
      summary.textContent = total === 0 ? t('admin.noResults')
        : t('admin.summary', (page.offset || 0) + 1, (page.offset || 0) + content.length, total);
      pageInfo.textContent = totalPages ? t('admin.pageOf', state.page + 1, totalPages) : '';
      prev.disabled = state.page <= 0;
      next.disabled = state.page + 1 >= totalPages;
      results.textContent = '';
      if (!content.length) return;
      var now = Date.now();
      var headers = ['column.owner', 'column.description', 'column.created', 'column.lastUsed', 'column.expires', 'column.scope', 'column.createdBy', 'column.actions'];
      var table = el('table', { className: 'ata-table', dataset: { role: 'tokens' } }, [
        el('caption', { className: 'ata-offscreen', text: t('admin.tableCaption') }),
        el('thead', {}, [el('tr', {}, headers.map(function (h) { return el('th', { scope: 'col', text: t(h) }); }))]),
      ]);
      var body = el('tbody');
      content.forEach(function (token) {
        var del = el('button', { type: 'button', className: 'ata-button ata-button-compact ata-button-danger-subtle', dataset: { action: 'delete' }, 'aria-label': t('profile.deleteLabel', token.description || ''), text: t('profile.delete') });
        del.addEventListener('click', function () { removeToken(token, del); });
        body.appendChild(el('tr', { dataset: { tokenId: String(token.id), owner: token.tokenForUserKey || '' }, className: token.validUntil && token.validUntil <= now ? 'ata-row-expired' : '' }, [
          el('td', { dataset: { cell: 'owner' }, text: ownerText(token.tokenForUserKey) }),
          el('th', { scope: 'row', className: 'ata-cell-description', text: token.description || '' }),
          el('td', { dataset: { cell: 'created' }, text: token.created ? clock.formatDateTime(token.created) : '' }),
          el('td', { dataset: { cell: 'last-used' } }, ATA.lastUsedCell(t, clock, token)),
          el('td', { dataset: { cell: 'expires' } }, ATA.expiryCell(t, clock, token.validUntil, now)),
          el('td', { dataset: { cell: 'scope' }, text: ATA.scopeLabel(t, token.tokenScope) }),
          el('td', { dataset: { cell: 'created-by' }, text: ownerText(token.tokenCreatedByUserKey) }),
          el('td', { className: 'ata-cell-actions' }, [del]),
        ]));
      });
      table.appendChild(body);
      results.appendChild(el('div', { className: 'ata-table-wrap' }, [table]));
    }

    function removeToken(token, button) {
      ATA.confirm(t, {
        title: t('profile.deleteTitle'),
        message: t('admin.deleteConfirm', token.description || '', ownerText(token.tokenForUserKey)),
        confirmLabel: t('profile.delete'), danger: true, returnFocus: button,
      }).then(function (ok) {
        if (!ok) return;
        ATA.api(t, 'DELETE', config.restBase + '/user/token/' + encodeURIComponent(token.id)).then(function () {
          ATA.flash(messages, 'success', t('profile.deleted', token.description || ''));
          return load().then(function () { createButton.focus(); });
        }, function (err) { ATA.flash(messages, 'error', err.message); });
      });
    }

    // ------------------------------------------------------------ user picker

    /**
     * A combobox that searches users by name, display name, e-mail or key (the servlet's
     * `/users/search`), keyboard-operable (arrows, Enter, Escape). Calls `onPick(user)`.
     */
    function userPicker(label, onPick) {
      var listId = ATA.uid('users');
      var input = el('input', {
        type: 'text', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
        autocomplete: 'off', name: 'userSearch', placeholder: t('admin.userSearchPlaceholder'),
      });
      var list = el('ul', { id: listId, role: 'listbox', className: 'ata-listbox', hidden: true, 'aria-label': label });
      var field = ATA.field(label, input, t('admin.userSearchHelp'));
      field.appendChild(list);
      var found = [];
      var active = -1;
      var timer = null;
      var seq = 0;

      function close() {
        list.hidden = true;
        input.setAttribute('aria-expanded', 'false');
        input.removeAttribute('aria-activedescendant');
        active = -1;
      }
      function highlight(index) {
        active = index;
        Array.prototype.forEach.call(list.children, function (li, i) {
          li.setAttribute('aria-selected', i === index ? 'true' : 'false');
          if (i === index) input.setAttribute('aria-activedescendant', li.id);
        });
      }
      function pick(user) {
        users[user.key] = user;
        input.value = '';
        close();
        onPick(user);
      }
      function show() {
        list.textContent = '';
        if (!found.length) {
          list.appendChild(el('li', { className: 'ata-listbox-empty', role: 'option', 'aria-disabled': 'true', text: t('admin.noUsersFound') }));
        }
        found.forEach(function (user, i) {
          var li = el('li', { id: listId + '-' + i, role: 'option', 'aria-selected': 'false', dataset: { userKey: user.key } }, [
            el('span', { text: userLabel(user) }),
            user.email ? el('span', { className: 'ata-subtle', text: ' ' + user.email }) : null,
          ]);
          li.addEventListener('mousedown', function (ev) { ev.preventDefault(); pick(user); });
          list.appendChild(li);
        });
        list.hidden = false;
        input.setAttribute('aria-expanded', 'true');
      }
      function search() {
        var query = input.value.trim();
        if (!query) { close(); return; }
        var mine = ++seq;
        ATA.api(t, 'GET', config.servletBase + '/users/search' + ATA.query({ query: query })).then(function (res) {
          if (mine !== seq) return;
          found = res.users || [];
          show();
          if (found.length) highlight(0);
        }, function (err) { ATA.flash(messages, 'error', err.message); });
      }
      input.addEventListener('input', function () {
        clearTimeout(timer);
        timer = setTimeout(search, 200);
      });
      input.addEventListener('keydown', function (ev) {
        if (ev.key === 'ArrowDown' && !list.hidden && found.length) { ev.preventDefault(); highlight(Math.min(active + 1, found.length - 1)); }
        else if (ev.key === 'ArrowUp' && !list.hidden && found.length) { ev.preventDefault(); highlight(Math.max(active - 1, 0)); }
        else if (ev.key === 'Enter') {
          ev.preventDefault();
          if (!list.hidden && active >= 0 && found[active]) pick(found[active]);
          else { clearTimeout(timer); search(); }
        } else if (ev.key === 'Escape' && !list.hidden) { ev.preventDefault(); ev.stopPropagation(); close(); }
      });
      input.addEventListener('blur', function () { setTimeout(close, 150); });
      return { field: field, input: input };
    }

    /** A dialog that asks for one user; resolves with the user or undefined. */
    function chooseUser(title, returnFocus) {
      return ATA.modal({ title: title, returnFocus: returnFocus, className: 'ata-dialog-picker' }, function (dialog, close) {
        var p = userPicker(t('admin.chooseUser'), function (user) { close(user); });
        dialog.appendChild(p.field);
        dialog.appendChild(el('div', { className: 'ata-dialog-buttons' }, [
          el('button', { type: 'button', className: 'ata-button ata-button-link', text: t('common.cancel'), on: { click: function () { close(undefined); } } }),
        ]));
        p.input.dataset.initialFocus = 'focus';
      });
    }

    createButton.addEventListener('click', function () {
      chooseUser(t('admin.createForUser'), createButton).then(function (user) {
        if (!user) return undefined;
        return ATA.openCreateDialog(t, config, { forUser: user, returnFocus: createButton }).then(function (result) {
          if (!result) return undefined;
          ATA.flash(messages, 'success', t('admin.createdFor', result.created.tokenDescription || '', userLabel(user)));
          return load().then(function () {
            return ATA.showNewToken(t, config, result.created, user.name, { title: t('newToken.title'), returnFocus: createButton });
          });
        });
      });
    });

    if (deleteAllButton) {
      deleteAllButton.addEventListener('click', function () {
        chooseUser(t('admin.deleteAllForUser'), deleteAllButton).then(function (user) {
          if (!user) return;
          ATA.confirm(t, {
            title: t('admin.deleteAllForUser'), message: t('admin.deleteAllConfirm', userLabel(user)),
            confirmLabel: t('admin.deleteAllButton'), danger: true, returnFocus: deleteAllButton,
          }).then(function (ok) {
            if (!ok) return;
            ATA.api(t, 'DELETE', config.restBase + '/user/token/deleteAllFor/' + encodeURIComponent(user.key)).then(function (res) {
              var count = typeof res === 'number' ? res : res && typeof res === 'object' ? (res.count !== undefined ? res.count : res.deleted) : '';
              ATA.flash(messages, 'success', t('admin.deletedAllFor', count === undefined ? '' : count, userLabel(user)));
              state.page = 0;
              return load();
            }, function (err) { ATA.flash(messages, 'error', err.message); });
          });
        });
      });
    }

    load();
  });
})();
