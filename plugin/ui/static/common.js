/*
 * API Token Authentication UI — shared helpers for the profile panel, the Token Manager and
 * the settings page. Plain browser JavaScript (no framework, no network access but the host).
 * Every text comes from the inline configuration's `strings` (the plugin's i18n bundle).
 */
(function (global) {
  'use strict';

  var ATA = global.ATA = global.ATA || {};

  /** Reads the inline JSON configuration the server rendered for a page. */
  ATA.readConfig = function (page) {
    var el = document.getElementById('apitokenauth-config-' + page);
    return el ? JSON.parse(el.textContent) : null;
  };

  /**
   * Creates a translator over a strings map, formatting like Java's MessageFormat (as the
   * host does): `{0}` placeholders, `'…'` quoted literal text, `''` for one apostrophe.
   */
  ATA.translator = function (strings) {
    return function (key) {
      var args = Array.prototype.slice.call(arguments, 1);
      var pattern = Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : key;
      var out = '';
      var quoted = false;
      for (var i = 0; i < pattern.length; i++) {
        var c = pattern[i];
        if (c === "'") {
          if (pattern[i + 1] === "'") { out += "'"; i++; continue; }
          quoted = !quoted;
          continue;
        }
        if (!quoted && c === '{') {
          var end = pattern.indexOf('}', i);
          var index = end > i ? /^\s*(\d+)\s*$/.exec(pattern.slice(i + 1, end)) : null;
          if (index) {
            var n = Number(index[1]);
            out += n < args.length ? String(args[n]) : pattern.slice(i, end + 1);
            i = end;
            continue;
          }
        }
        out += c;
      }
      return out;
    };
  };

  /**
   * Builds an element. `attrs`: attributes, plus `text`, `on` (event map), `className`,
   * `dataset`; children: nodes or strings (always text, never HTML).
   */
  ATA.el = function (tag, attrs, children) {
    var node = document.createElement(tag);
    attrs = attrs || {};
    Object.keys(attrs).forEach(function (name) {
      var value = attrs[name];
      if (value === undefined || value === null || value === false) return;
      if (name === 'text') node.textContent = value;
      else if (name === 'className') node.className = value;
      else if (name === 'on') Object.keys(value).forEach(function (ev) { node.addEventListener(ev, value[ev]); });
      else if (name === 'dataset') Object.keys(value).forEach(function (k) { node.dataset[k] = value[k]; });
      else if (name === 'selected' || name === 'checked') {
        // Also the default, so that form.reset() returns to it.
        node[name] = value;
        node[name === 'selected' ? 'defaultSelected' : 'defaultChecked'] = value;
      } else if (name === 'value' || name === 'disabled') node[name] = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  };

  var idCounter = 0;
  /** A unique element id for label/field pairs. */
  ATA.uid = function (prefix) {
    idCounter += 1;
    return 'ata-' + (prefix || 'f') + '-' + idCounter;
  };

  // ---------------------------------------------------------------- REST calls

  /** An API error: HTTP status, the API's `errorMessage` and field `errors`. */
  function ApiError(status, message, errors) {
    this.name = 'ApiError';
    this.status = status;
    this.message = message;
    this.errors = errors || {};
  }
  ApiError.prototype = Object.create(Error.prototype);
  ATA.ApiError = ApiError;

  /**
   * Calls the REST API with the cookie session. Writes carry a JSON content type and
   * `X-Atlassian-Token: no-check` (the host's XSRF rule). Resolves with the parsed body.
   */
  ATA.api = function (t, method, url, body) {
    var headers = { Accept: 'application/json' };
    if (method !== 'GET' && method !== 'HEAD') headers['X-Atlassian-Token'] = 'no-check';
    var init = { method: method, credentials: 'same-origin', headers: headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        if (text) {
          try { data = JSON.parse(text); } catch (e) { data = null; }
        }
        if (res.ok) return data;
        var message = data && typeof data.errorMessage === 'string' && data.errorMessage
          ? data.errorMessage
          : data && typeof data.message === 'string' && data.message ? data.message : ATA.statusMessage(t, res.status);
        throw new ApiError(res.status, message, data && typeof data.errors === 'object' ? data.errors : {});
      });
    }, function () {
      throw new ApiError(0, t('error.network'), {});
    });
  };

  /** A friendly message for a status without an API message. */
  ATA.statusMessage = function (t, status) {
    if (status === 401) return t('error.notLoggedIn');
    if (status === 403) return t('error.forbidden');
    if (status === 404) return t('error.notFound');
    if (status === 409) return t('error.conflict');
    if (status === 413) return t('error.tooLarge');
    if (status === 429) return t('error.throttled');
    if (status === 503) return t('error.unavailable');
    return t('error.status', status);
  };

  /** Builds a query string from a map whose values may be arrays (repeated parameters). */
  ATA.query = function (params) {
    var parts = [];
    Object.keys(params).forEach(function (name) {
      var values = Array.isArray(params[name]) ? params[name] : [params[name]];
      values.forEach(function (v) {
        if (v === undefined || v === null || v === '') return;
        parts.push(encodeURIComponent(name) + '=' + encodeURIComponent(String(v)));
      });
    });
    return parts.length ? '?' + parts.join('&') : '';
  };

  // ---------------------------------------------------------------- time

  function validTimeZone(tz) {
    try { new Intl.DateTimeFormat('en', { timeZone: tz }); return tz; } catch (e) { return 'UTC'; }
  }

  /** Date helpers bound to the user's locale and time zone. */
  ATA.clock = function (locale, timeZone) {
    var tz = validTimeZone(timeZone || 'UTC');
    var lang = (locale || 'en').replace('_', '-');
    var dateTime = new Intl.DateTimeFormat(lang, { timeZone: tz, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    var dateOnly = new Intl.DateTimeFormat(lang, { timeZone: tz, year: 'numeric', month: 'short', day: 'numeric' });
    var parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

    function fields(ms) {
      var out = {};
      parts.formatToParts(new Date(ms)).forEach(function (p) { out[p.type] = p.value; });
      return { y: +out.year, mo: +out.month, d: +out.day, h: +out.hour % 24, mi: +out.minute, s: +out.second };
    }
    /** Offset of the zone from UTC at `ms`, in minutes. */
    function offsetMinutes(ms) {
      var f = fields(ms);
      var asUtc = Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s);
      return Math.round((asUtc - (ms - ms % 1000)) / 60000);
    }
    function pad(n, w) { n = String(Math.abs(n)); while (n.length < (w || 2)) n = '0' + n; return n; }

    return {
      timeZone: tz,
      formatDateTime: function (ms) { return dateTime.format(new Date(ms)); },
      formatDate: function (ms) { return dateOnly.format(new Date(ms)); },
      /** Epoch ms of a wall-clock time (`YYYY-MM-DD`, `HH:MM`) in the user's zone. */
      zonedToEpoch: function (date, time) {
        var d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || '');
        if (!d) return NaN;
        var tm = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{3}))?)?$/.exec(time || '00:00') || [null, '0', '0'];
        var wall = Date.UTC(+d[1], +d[2] - 1, +d[3], +tm[1], +tm[2], +(tm[3] || 0), +(tm[4] || 0));
        var guess = wall - offsetMinutes(wall) * 60000;
        return wall - offsetMinutes(guess) * 60000;
      },
      /** ISO 8601 with the zone's offset, e.g. `2027-01-31T23:59:00.000+01:00`. */
      isoWithOffset: function (ms) {
        var off = offsetMinutes(ms);
        var f = fields(ms + 0);
        return f.y + '-' + pad(f.mo) + '-' + pad(f.d) + 'T' + pad(f.h) + ':' + pad(f.mi) + ':' + pad(f.s) + '.' + pad(ms % 1000, 3)
          + (off < 0 ? '-' : '+') + pad(Math.floor(Math.abs(off) / 60)) + ':' + pad(Math.abs(off) % 60);
      },
      /** `YYYY-MM-DD` of `ms` in the user's zone (for date inputs). */
      isoDate: function (ms) {
        var f = fields(ms);
        return f.y + '-' + pad(f.mo) + '-' + pad(f.d);
      },
    };
  };

  /** Adds calendar months to an epoch time (clamped to the month's last day). */
  ATA.addMonths = function (ms, months) {
    var d = new Date(ms);
    var day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + months);
    var last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, last));
    return d.getTime();
  };

  // ---------------------------------------------------------------- tokens

  ATA.EXPIRES_SOON_MS = 7 * 24 * 3600 * 1000;

  ATA.scopeLabel = function (t, scope) {
    if (scope === 1) return t('scope.readOnly');
    if (scope === 2) return t('scope.readWrite');
    return t('scope.legacy');
  };

  function ruleToText(rule) {
    if (typeof rule === 'string') return rule;
    if (!rule || typeof rule !== 'object') return '';
    var text = (rule.method ? '[' + rule.method + ']' : '') + (rule.urlPattern || rule.url || rule.urlRegex || '');
    (rule.queryParams || []).forEach(function (q) { text += '[QueryParam::' + q.name + '==' + q.pattern + ']'; });
    (rule.jsonBody || rule.jsonData || []).forEach(function (j) { text += '[JsonData::' + (j.node || j.name) + '==' + j.pattern + ']'; });
    (rule.headers || []).forEach(function (h) { text += '[Header::' + h.name + '==' + h.pattern + ']'; });
    return text;
  }

  /** The token's restriction rules in the one-rule-per-line text form. */
  ATA.restrictionLines = function (token) {
    var r = token.restrictions;
    if (!r) return [];
    if (typeof r === 'string') return r.split(/\r?\n/).filter(function (l) { return l.trim() !== ''; });
    var rules = Array.isArray(r) ? r : Array.isArray(r.rules) ? r.rules : [];
    return rules.map(ruleToText).filter(function (l) { return l !== ''; });
  };

  /** The token's IP allowlist entries. */
  ATA.ipAllowlistOf = function (token) {
    if (Array.isArray(token.ipAllowlist)) return token.ipAllowlist;
    if (token.restrictions && Array.isArray(token.restrictions.ipAllowlist)) return token.restrictions.ipAllowlist;
    return [];
  };

  /** Last-access IP under whichever name the API uses. */
  ATA.lastIpOf = function (token) {
    return token.lastAccessedFromIp || token.lastAccessedIp || token.lastAccessIp || token.lastIp || token.lastAccessedFrom || '';
  };

  /** Builds the "expires" cell content: the date and an "expired"/"expires soon" mark. */
  ATA.expiryCell = function (t, clock, validUntil, now) {
    var cell = [ATA.el('span', { text: validUntil ? clock.formatDateTime(validUntil) : t('common.never') })];
    if (validUntil && validUntil <= now) {
      cell.push(' ', ATA.el('span', { className: 'ata-lozenge ata-lozenge-error', dataset: { mark: 'expired' }, text: t('token.expired') }));
    } else if (validUntil && validUntil - now <= ATA.EXPIRES_SOON_MS) {
      cell.push(' ', ATA.el('span', { className: 'ata-lozenge ata-lozenge-warning', dataset: { mark: 'expires-soon' }, text: t('token.expiresSoon') }));
    }
    return cell;
  };

  /** Builds the "last used" cell content. */
  ATA.lastUsedCell = function (t, clock, token) {
    if (!token.lastAccessed) return [ATA.el('span', { className: 'ata-subtle', text: t('token.neverUsed') })];
    var ip = ATA.lastIpOf(token);
    var cell = [ATA.el('span', { text: clock.formatDateTime(token.lastAccessed) })];
    if (ip) cell.push(ATA.el('br'), ATA.el('span', { className: 'ata-subtle', text: t('token.fromIp', ip) }));
    if (typeof token.useCount === 'number' && token.useCount > 0) {
      cell.push(ATA.el('br'), ATA.el('span', { className: 'ata-subtle', dataset: { role: 'use-count' }, text: t('token.useCount', token.useCount) }));
    }
    return cell;
  };

  /** Builds the restrictions cell (text form, one rule per line, plus the IP allowlist). */
  ATA.restrictionsCell = function (t, token) {
    var lines = ATA.restrictionLines(token);
    var ips = ATA.ipAllowlistOf(token);
    if (!lines.length && !ips.length) return [ATA.el('span', { className: 'ata-subtle', text: t('token.unrestricted') })];
    var out = [];
    if (lines.length) out.push(ATA.el('code', { className: 'ata-rules', text: lines.join('\n') }));
    if (ips.length) out.push(ATA.el('div', { className: 'ata-subtle', text: t('token.ipAllowlistShort', ips.join(', ')) }));
    return out;
  };

  // ---------------------------------------------------------------- messages and dialogs

  /** Shows a message in a container (`type`: success, error, info); errors are announced at once. */
  ATA.flash = function (container, type, text) {
    container.textContent = '';
    if (!text) return;
    container.appendChild(ATA.el('div', {
      className: 'ata-message ata-message-' + type,
      role: type === 'error' ? 'alert' : 'status',
      dataset: { type: type },
    }, [ATA.el('p', { text: text })]));
  };

  /**
   * Opens a modal <dialog> (focus trapped by the browser, Escape closes). `build(dialog, close)`
   * fills it; returns a promise settled with the value passed to `close`.
   */
  ATA.modal = function (options, build) {
    return new Promise(function (resolve) {
      var titleId = ATA.uid('dlg');
      var dialog = ATA.el('dialog', { className: 'ata-dialog ' + (options.className || ''), 'aria-labelledby': titleId });
      var result;
      function close(value) { result = value; dialog.close(); }
      dialog.addEventListener('close', function () {
        dialog.remove();
        if (options.returnFocus && document.contains(options.returnFocus)) options.returnFocus.focus();
        resolve(result);
      });
      dialog.appendChild(ATA.el('h2', { id: titleId, className: 'ata-dialog-title', text: options.title }));
      build(dialog, close);
      document.body.appendChild(dialog);
      dialog.showModal();
      // Focus the element the dialog names (not merely the first focusable one) right away.
      var initial = dialog.querySelector('[data-initial-focus]');
      if (initial) {
        initial.focus();
        if (initial.dataset.initialFocus === 'select' && initial.select) initial.select();
      }
    });
  };

  /** A confirmation dialog; resolves true when confirmed. */
  ATA.confirm = function (t, options) {
    return ATA.modal({ title: options.title, returnFocus: options.returnFocus, className: 'ata-dialog-confirm' }, function (dialog, close) {
      dialog.appendChild(ATA.el('p', { text: options.message }));
      var ok = ATA.el('button', { type: 'button', className: 'ata-button ' + (options.danger ? 'ata-button-danger' : 'ata-button-primary'), text: options.confirmLabel, on: { click: function () { close(true); } } });
      var cancel = ATA.el('button', { type: 'button', className: 'ata-button ata-button-link', text: t('common.cancel'), on: { click: function () { close(false); } } });
      dialog.appendChild(ATA.el('div', { className: 'ata-dialog-buttons' }, [ok, cancel]));
      cancel.dataset.initialFocus = 'focus';
    }).then(function (v) { return v === true; });
  };

  /** A labelled form field wrapper; `input` must be an input/select/textarea. */
  ATA.field = function (label, input, help) {
    var id = input.id || (input.id = ATA.uid('in'));
    var children = [ATA.el('label', { for: id, text: label }), input];
    if (help) {
      var helpId = id + '-help';
      input.setAttribute('aria-describedby', helpId);
      children.push(ATA.el('div', { id: helpId, className: 'ata-help', text: help }));
    }
    var errorId = id + '-error';
    children.push(ATA.el('div', { id: errorId, className: 'ata-field-error', role: 'alert', dataset: { fieldError: input.name || '' } }));
    return ATA.el('div', { className: 'ata-field' }, children);
  };

  /** Shows field validation messages from the API's `errors` map next to named fields. */
  ATA.showFieldErrors = function (form, errors) {
    Array.prototype.forEach.call(form.querySelectorAll('.ata-field-error'), function (el) { el.textContent = ''; });
    Array.prototype.forEach.call(form.querySelectorAll('[aria-invalid]'), function (el) { el.removeAttribute('aria-invalid'); });
    var unmatched = [];
    Object.keys(errors || {}).forEach(function (name) {
      var message = typeof errors[name] === 'string' ? errors[name] : JSON.stringify(errors[name]);
      // `restrictions.rules[0].urlPattern` belongs to the `restrictions` field.
      var input = null;
      [name, name.split(/[.[]/)[0]].some(function (candidate) {
        var safe = candidate.replace(/["\\]/g, '');
        input = form.querySelector('[name="' + safe + '"]') || form.querySelector('[data-error-names~="' + safe + '"]');
        return input !== null;
      });
      var slot = input && document.getElementById(input.id + '-error');
      if (slot) {
        slot.textContent = slot.textContent ? slot.textContent + ' ' + message : message;
        input.setAttribute('aria-invalid', 'true');
      } else {
        unmatched.push(message);
      }
    });
    return unmatched;
  };

  /** Copies text to the clipboard (async clipboard API, else a hidden textarea + execCommand). */
  ATA.copyText = function (text) {
    function fallback() {
      var area = ATA.el('textarea', { className: 'ata-offscreen', readonly: true, 'aria-hidden': 'true' });
      area.value = text;
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      area.remove();
      return ok;
    }
    if (navigator.clipboard && global.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return fallback(); });
    }
    return Promise.resolve(fallback());
  };

  /** A copy button that announces its result in a live region. */
  ATA.copyButton = function (t, label, getText) {
    var status = ATA.el('span', { className: 'ata-copy-status', role: 'status' });
    var button = ATA.el('button', {
      type: 'button', className: 'ata-button', text: label,
      on: {
        click: function () {
          ATA.copyText(getText()).then(function (ok) {
            status.textContent = ok ? t('common.copied') : t('common.copyFailed');
          });
        },
      },
    });
    return ATA.el('span', { className: 'ata-copy' }, [button, status]);
  };

  // ---------------------------------------------------------------- snippets

  function shellQuote(s) { return "'" + String(s).replace(/'/g, "'\\''") + "'"; }

  /** Ready-to-run snippets for a new token, per allowed scheme: [{id, label, code}]. */
  ATA.snippets = function (t, config, username, token) {
    var path = config.product === 'confluence' ? '/rest/api/user/current' : '/rest/api/2/myself';
    var url = config.baseUrl + path;
    var schemes = config.access.authSchemes;
    var out = [];
    if (schemes === 'basic' || schemes === 'both') {
      out.push({ id: 'curl-basic', label: t('snippet.curlBasic'), code: 'curl -u ' + shellQuote(username + ':' + token) + ' ' + shellQuote(url) });
      out.push({
        id: 'js-basic', label: t('snippet.jsBasic'),
        code: "const credentials = btoa(unescape(encodeURIComponent('" + jsString(username) + ":" + token + "')));\n"
          + "const response = await fetch('" + jsString(url) + "', {\n"
          + "  headers: { Authorization: 'Basic ' + credentials, Accept: 'application/json' },\n"
          + '});\nconsole.log(await response.json());',
      });
    }
    if (schemes === 'bearer' || schemes === 'both') {
      out.push({ id: 'curl-bearer', label: t('snippet.curlBearer'), code: 'curl -H ' + shellQuote('Authorization: Bearer ' + token) + ' ' + shellQuote(url) });
      out.push({
        id: 'js-bearer', label: t('snippet.jsBearer'),
        code: "const response = await fetch('" + jsString(url) + "', {\n"
          + "  headers: { Authorization: 'Bearer " + token + "', Accept: 'application/json' },\n"
          + '});\nconsole.log(await response.json());',
      });
    }
    return out;
  };

  function jsString(s) { return String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'"); }

  /**
   * Shows a just created (or rotated) token once: the token with a copy button, and code
   * snippets unless the host runs in secure mode. Resolves when the dialog is closed.
   */
  ATA.showNewToken = function (t, config, created, username, options) {
    return ATA.modal({ title: options.title, className: 'ata-dialog-wide ata-new-token', returnFocus: options.returnFocus }, function (dialog, close) {
      var clock = ATA.clock(config.locale, config.user.timeZone);
      var token = created.plainTextToken;
      dialog.appendChild(ATA.el('div', { className: 'ata-message ata-message-warning', role: 'status' }, [ATA.el('p', { text: t('newToken.onlyOnce') })]));
      var tokenInput = ATA.el('input', { type: 'text', readonly: true, className: 'ata-token-value', name: 'plainTextToken', value: token, spellcheck: 'false', autocomplete: 'off' });
      var tokenField = ATA.field(t('newToken.tokenLabel'), tokenInput);
      tokenField.appendChild(ATA.copyButton(t, t('newToken.copy'), function () { return token; }));
      dialog.appendChild(tokenField);
      var facts = [t('newToken.forUser', username)];
      if (created.tokenExpirationDateTimeMillis) facts.push(t('newToken.expires', clock.formatDateTime(created.tokenExpirationDateTimeMillis)));
      if (created.tokenScope !== undefined) facts.push(t('newToken.scope', ATA.scopeLabel(t, created.tokenScope)));
      dialog.appendChild(ATA.el('p', { className: 'ata-subtle', text: facts.join(' · ') }));
      if (config.access.secureMode) {
        dialog.appendChild(ATA.el('p', { className: 'ata-help', dataset: { role: 'secure-mode' }, text: t('newToken.secureModeNoSnippets') }));
      } else {
        dialog.appendChild(ATA.el('h3', { text: t('snippet.title') }));
        ATA.snippets(t, config, username, token).forEach(function (snippet) {
          var pre = ATA.el('pre', { className: 'ata-snippet', tabindex: '0', dataset: { snippet: snippet.id }, 'aria-label': snippet.label }, [ATA.el('code', { text: snippet.code })]);
          dialog.appendChild(ATA.el('div', { className: 'ata-snippet-block' }, [
            ATA.el('div', { className: 'ata-snippet-head' }, [ATA.el('span', { text: snippet.label }), ATA.copyButton(t, t('snippet.copy'), function () { return snippet.code; })]),
            pre,
          ]));
        });
      }
      var done = ATA.el('button', { type: 'button', className: 'ata-button ata-button-primary', text: t('newToken.done'), on: { click: function () { close(true); } } });
      dialog.appendChild(ATA.el('div', { className: 'ata-dialog-buttons' }, [done]));
      tokenInput.dataset.initialFocus = 'select';
    });
  };

  // ---------------------------------------------------------------- create dialog

  /**
   * The create-token dialog. `options.forUser` ({key, name, displayName}) creates on behalf;
   * resolves with `{created, username}` or undefined when cancelled.
   */
  ATA.openCreateDialog = function (t, config, options) {
    var access = config.access;
    var clock = ATA.clock(config.locale, config.user.timeZone);
    var forUser = options.forUser;
    return ATA.modal({ title: forUser ? t('create.titleFor', forUser.displayName || forUser.name) : t('create.title'), className: 'ata-dialog-wide', returnFocus: options.returnFocus }, function (dialog, close) {
      var form = ATA.el('form', { className: 'ata-form', novalidate: true, dataset: { form: 'create' } });
      var messages = ATA.el('div', { className: 'ata-messages' });
      form.appendChild(messages);

      var description = ATA.el('input', { type: 'text', name: 'tokenDescription', maxlength: '255', autocomplete: 'off' });
      form.appendChild(ATA.field(t('create.description'), description, t('create.descriptionHelp')));

      var now = Date.now();
      var maxDate = clock.isoDate(ATA.addMonths(now, access.maxValidityMonths));
      var monthsRadio = ATA.el('input', { type: 'radio', name: 'validityKind', value: 'months', checked: true, id: ATA.uid('vk') });
      var dateRadio = ATA.el('input', { type: 'radio', name: 'validityKind', value: 'date', id: ATA.uid('vk') });
      var months = ATA.el('input', { type: 'number', name: 'tokenValidityTimeInMonths', min: '1', max: String(access.maxValidityMonths), step: '1', value: String(Math.min(access.defaultValidityMonths, access.maxValidityMonths)), dataset: { errorNames: 'tokenValidityTimeInMonths' } });
      var date = ATA.el('input', { type: 'date', name: 'tokenExpirationDateTime', min: clock.isoDate(now + 24 * 3600 * 1000), max: maxDate, disabled: true, dataset: { errorNames: 'tokenExpirationDateTimeMillis' } });
      var validity = ATA.el('fieldset', { className: 'ata-fieldset' }, [
        ATA.el('legend', { text: t('create.validity') }),
        ATA.el('div', { className: 'ata-radio' }, [monthsRadio, ATA.el('label', { for: monthsRadio.id, text: t('create.validityMonths') })]),
        ATA.field(t('create.months'), months, t('create.maxValidity', access.maxValidityMonths)),
        ATA.el('div', { className: 'ata-radio' }, [dateRadio, ATA.el('label', { for: dateRadio.id, text: t('create.validityDate') })]),
        ATA.field(t('create.date'), date, t('create.dateHelp', clock.timeZone, clock.formatDate(ATA.addMonths(now, access.maxValidityMonths)))),
      ]);
      function syncValidity() {
        months.disabled = !monthsRadio.checked;
        date.disabled = !dateRadio.checked;
      }
      monthsRadio.addEventListener('change', syncValidity);
      dateRadio.addEventListener('change', syncValidity);
      form.appendChild(validity);

      var scope = ATA.el('select', { name: 'tokenScope' }, access.readOnlyOnly
        ? [ATA.el('option', { value: '1', text: t('scope.readOnly'), selected: true })]
        : [ATA.el('option', { value: '2', text: t('scope.readWrite'), selected: true }), ATA.el('option', { value: '1', text: t('scope.readOnly') })]);
      form.appendChild(ATA.field(t('create.scope'), scope, access.readOnlyOnly ? t('create.scopeReadOnlyOnly') : t('create.scopeHelp')));

      var restrictions = ATA.el('textarea', { name: 'restrictions', rows: '4', spellcheck: 'false', className: 'ata-mono', placeholder: '[GET].*/rest/api/2/search[QueryParam::jql==project = JRA.*]' });
      form.appendChild(ATA.field(t('create.restrictions'), restrictions, t('create.restrictionsHelp')));
      var ipAllowlist = ATA.el('textarea', { name: 'ipAllowlist', rows: '2', spellcheck: 'false', className: 'ata-mono', placeholder: '192.0.2.0/24' });
      form.appendChild(ATA.field(t('create.ipAllowlist'), ipAllowlist, t('create.ipAllowlistHelp')));
      if (access.secureMode) form.appendChild(ATA.el('p', { className: 'ata-help', text: t('create.secureModeHint') }));

      var submit = ATA.el('button', { type: 'submit', className: 'ata-button ata-button-primary', text: t('create.submit') });
      var cancel = ATA.el('button', { type: 'button', className: 'ata-button ata-button-link', text: t('common.cancel'), on: { click: function () { close(undefined); } } });
      form.appendChild(ATA.el('div', { className: 'ata-dialog-buttons' }, [submit, cancel]));

      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        var body = {};
        if (description.value.trim()) body.tokenDescription = description.value.trim();
        var local = {};
        if (monthsRadio.checked) {
          var n = Number(months.value);
          if (!Number.isInteger(n) || n < 1) local.tokenValidityTimeInMonths = t('create.errorMonths', access.maxValidityMonths);
          else body.tokenValidityTimeInMonths = n;
        } else {
          var end = clock.zonedToEpoch(date.value, '23:59:59.999');
          if (!isFinite(end)) local.tokenExpirationDateTimeMillis = t('create.errorDate');
          else body.tokenExpirationDateTime = clock.isoWithOffset(end);
        }
        body.tokenScope = Number(scope.value);
        var lines = restrictions.value.split(/\r?\n/).map(function (l) { return l.trim(); }).filter(Boolean);
        if (lines.length) body.restrictions = lines.join('\n');
        var ips = ipAllowlist.value.split(/[\s,]+/).filter(Boolean);
        if (ips.length) body.ipAllowlist = ips;
        if (forUser) body.tokenForUserKey = forUser.key;
        if (Object.keys(local).length) {
          ATA.showFieldErrors(form, local);
          return;
        }
        submit.disabled = true;
        ATA.flash(messages, 'info', '');
        ATA.api(t, 'POST', config.restBase + '/user/token', body).then(function (created) {
          close({ created: created, username: forUser ? forUser.name : config.user.name });
        }, function (err) {
          submit.disabled = false;
          var unmatched = ATA.showFieldErrors(form, err.errors);
          ATA.flash(messages, 'error', [err.message].concat(unmatched).join(' '));
        });
      });
      dialog.appendChild(form);
      description.dataset.initialFocus = 'focus';
    });
  };

  /** Runs `fn` when the DOM is ready. */
  ATA.ready = function (fn) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fn);
    else fn();
  };
})(window);
