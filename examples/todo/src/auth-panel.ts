/** Sign in, or create an account and sign in with it. The app swaps views on auth change. */
import { h } from './dom.ts';
import { messageOf, type Hearth } from './hearth.ts';

export function authPanel(hearth: Hearth): HTMLElement {
  const email = h('input', { type: 'email', name: 'email', required: true, autocomplete: 'username' });
  const password = h('input', { type: 'password', name: 'password', required: true, minlength: '8', autocomplete: 'current-password' });
  const error = h('p', { class: 'error', role: 'alert' });
  const fields = h(
    'fieldset',
    {},
    h('label', {}, 'Email', email),
    h('label', {}, 'Password', password),
    h('div', { class: 'row' }, h('button', { type: 'submit', value: 'sign-in' }, 'Sign in'), h('button', { type: 'submit', value: 'sign-up' }, 'Create account')),
  );

  async function submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const signUp = (event.submitter as HTMLButtonElement | null)?.value === 'sign-up';
    const users = hearth.auth('users');
    fields.disabled = true;
    error.textContent = '';
    try {
      if (signUp) await users.signUp({ email: email.value, password: password.value, passwordConfirm: password.value }, { signIn: true });
      else await users.signIn(email.value, password.value);
    } catch (err) {
      error.textContent = messageOf(err);
    } finally {
      fields.disabled = false;
    }
  }

  return h('form', { class: 'card', onsubmit: (e) => void submit(e as SubmitEvent) }, h('h1', {}, 'Hearth todos'), fields, error);
}
