// A user picker for the Token Manager: an ARIA combobox that finds users by name, display
// name, e-mail address or user key (the servlet's `/users/search`); arrow keys, Enter, Escape.
import { query } from './api';
import type { PageContext } from './context';
import { h, replaceChildren, uid } from './dom';
import { Field } from './forms';
import type { PickerUser } from './types';

/** "Bob Builder (bob)", or the name alone when it is the display name. */
export function userLabel(user: Pick<PickerUser, 'name' | 'displayName'>): string {
  return user.displayName && user.displayName !== user.name ? `${user.displayName} (${user.name})` : user.name;
}

export class UserPicker {
  readonly field: Field<HTMLInputElement>;
  readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private found: PickerUser[] = [];
  private active = -1;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;

  constructor(private readonly ctx: PageContext, label: string, private readonly onPick: (user: PickerUser) => void, onError: (message: string) => void) {
    const listId = uid('users');
    this.input = h('input', {
      class: 'text ata-user-search', type: 'text', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
      'aria-controls': listId, autocomplete: 'off', name: 'userSearch', placeholder: ctx.t('admin.userSearchPlaceholder'),
    });
    this.list = h('ul', { id: listId, role: 'listbox', class: 'ata-listbox', hidden: true, 'aria-label': label });
    this.field = new Field(label, this.input, { description: ctx.t('admin.userSearchHelp'), extra: this.list, className: 'ata-user-picker' });
    this.input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.search(onError), 200);
    });
    this.input.addEventListener('keydown', (event) => this.onKey(event, onError));
    this.input.addEventListener('blur', () => { setTimeout(() => this.close(), 150); });
  }

  private onKey(event: KeyboardEvent, onError: (message: string) => void): void {
    const open = !this.list.hidden;
    if (event.key === 'ArrowDown' && open && this.found.length) {
      event.preventDefault();
      this.highlight(Math.min(this.active + 1, this.found.length - 1));
    } else if (event.key === 'ArrowUp' && open && this.found.length) {
      event.preventDefault();
      this.highlight(Math.max(this.active - 1, 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (open && this.active >= 0 && this.found[this.active]) this.pick(this.found[this.active]);
      else {
        clearTimeout(this.timer);
        this.search(onError);
      }
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      event.stopPropagation();
      this.close();
    }
  }

  private close(): void {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
    this.active = -1;
  }

  private highlight(index: number): void {
    this.active = index;
    Array.from(this.list.children).forEach((li, i) => {
      li.setAttribute('aria-selected', i === index ? 'true' : 'false');
      if (i === index) this.input.setAttribute('aria-activedescendant', li.id);
    });
  }

  private pick(user: PickerUser): void {
    this.input.value = '';
    this.close();
    this.onPick(user);
  }

  private show(): void {
    const listId = this.list.id;
    replaceChildren(this.list, ...(this.found.length
      ? this.found.map((user, i) => {
        const li = h('li', { id: `${listId}-${i}`, role: 'option', 'aria-selected': 'false', dataset: { userKey: user.key } },
          h('span', {}, userLabel(user)), user.email ? h('span', { class: 'ata-subtle' }, ` ${user.email}`) : null);
        li.addEventListener('mousedown', (event) => { event.preventDefault(); this.pick(user); });
        return li;
      })
      : [h('li', { class: 'ata-listbox-empty', role: 'option', 'aria-disabled': 'true', 'aria-selected': 'false' }, this.ctx.t('admin.noUsersFound'))]));
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    if (this.found.length) this.highlight(0);
  }

  private search(onError: (message: string) => void): void {
    const text = this.input.value.trim();
    if (!text) {
      this.close();
      return;
    }
    const mine = ++this.seq;
    this.ctx.api.get<{ users: PickerUser[] }>(`${this.ctx.config.servletBase}/users/search${query({ query: text })}`).then((res) => {
      if (mine !== this.seq) return;
      this.found = res.users ?? [];
      this.show();
    }, (err: Error) => onError(err.message));
  }
}
