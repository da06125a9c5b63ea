// Reading a private server (serve --private), where every API call needs a
// key: when the server answers 401 the page asks for one in a dialog,
// checks it with one small request, and keeps it for this tab only
// (api.js keepReaderKey: sessionStorage, sent in the Authorization header,
// never put in an address). "Forget the key" drops it.

import { ApiError, getJSON, keepReaderKey, readerKey } from './api.js';

/** KeyPrompt wires the key dialog and the "forget" bar; accepted() runs once a key works. */
export class KeyPrompt {
  constructor(dialog, bar, { accepted }) {
    this.dialog = dialog;
    this.form = dialog.querySelector('form');
    this.input = dialog.querySelector('input');
    this.status = dialog.querySelector('[role=status]');
    this.bar = bar;
    this.accepted = accepted;
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    bar.querySelector('button').addEventListener('click', () => this.forget());
    this.showBar();
  }

  /**
   * refused handles a 401 from the server: a kept key no longer works (it
   * was revoked, or the server restarted with other keys), or none was
   * given. Either way the page asks.
   */
  refused() {
    const had = readerKey() !== '';
    keepReaderKey('');
    this.showBar();
    this.ask(had
      ? 'The server no longer accepts the key this tab had (it may have been revoked). Enter a key to go on.'
      : 'This server is private: it shows incidents only to people with a key. Enter yours (a reader key is enough; ask whoever runs this server).');
  }

  /** ask opens the dialog saying why. */
  ask(why) {
    this.status.textContent = why;
    if (!this.dialog.open) this.dialog.showModal();
    this.input.focus();
  }

  async submit() {
    const key = this.input.value.trim();
    if (!key) {
      this.status.textContent = 'Type or paste the key first.';
      return;
    }
    this.status.textContent = 'Checking the key…';
    try {
      await getJSON('/api/incidents?limit=1', { headers: { Authorization: `Bearer ${key}` } });
    } catch (err) {
      this.status.textContent = err instanceof ApiError && err.status === 401
        ? 'The server refused this key: check it (keys are long; paste it whole) or ask for a new one.'
        : err.message;
      this.input.select();
      return;
    }
    keepReaderKey(key);
    this.input.value = '';
    this.dialog.close();
    this.showBar();
    this.accepted();
  }

  // forget drops the key and reloads the page, so that nothing read with it stays on screen.
  forget() {
    keepReaderKey('');
    window.location.reload();
  }

  showBar() {
    this.bar.hidden = readerKey() === '';
  }
}
