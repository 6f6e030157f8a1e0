// The answer to WEBSUDO_REQUIRED on an administration page or the profile panel: an AUI dialog
// that says why the password is needed again and leads to the host's password page, which comes
// back to this page afterwards (the address is the server's, built by the host's WebSudoManager
// for this page: never one the browser put together). Several calls refused at once open one
// dialog.
import type { Translate } from '../shared/messageFormat';
import { Dialog } from './dialogs';
import { h } from './dom';

/** A function for RestClient that opens the dialog, once at a time. */
export function webSudoPrompt(t: Translate, passwordPageUrl: string): () => void {
  let open = false;
  return () => {
    if (open) return;
    open = true;
    const dialog = new Dialog<boolean>({ title: t('webSudo.title'), size: 'small', warning: true, role: 'websudo', returnFocus: document.activeElement as HTMLElement | null });
    dialog.content.appendChild(h('p', {}, t('webSudo.message')));
    const confirm = dialog.button(t('webSudo.confirm'), 'primary', () => {
      dialog.close(true);
      window.location.assign(passwordPageUrl);
    }, { 'data-action': 'confirm-password' });
    confirm.setAttribute('autofocus', '');
    dialog.button(t('common.cancel'), 'link', () => { void dialog.cancel(); });
    dialog.show();
    void dialog.result.then(() => { open = false; });
  };
}
