/**
 * First run: create the first superuser. Works from the server's machine, or with the one-time
 * link `hearth serve` printed (`#/install/TOKEN`); the server decides, this form only asks.
 */
import { useState } from 'preact/hooks';
import { client } from '../client.ts';
import { ErrorBanner, TextInput } from '../ui/form.tsx';
import { bannerMessage, useSubmit } from '../ui/use-submit.ts';

export function Install(props: { token: string | undefined; onDone: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const { busy, error, onSubmit } = useSubmit(async () => {
    await client.install.createSuperuser({ email, password, passwordConfirm: confirm, ...(props.token ? { token: props.token } : {}) });
    await client.auth('_superusers').signIn(email, password);
    history.replaceState(null, '', '#/');
    props.onDone();
  });

  return (
    <main class="center card narrow">
      <h1>Welcome to Hearth</h1>
      <p class="muted">Create the first superuser: the account that administers this server.</p>
      <form onSubmit={onSubmit}>
        <TextInput label="Email" type="email" value={email} onInput={setEmail} error={error?.fields.email} autoFocus required autocomplete="username" />
        <TextInput label="Password" type="password" value={password} onInput={setPassword} error={error?.fields.password} required autocomplete="new-password" />
        <TextInput label="Confirm password" type="password" value={confirm} onInput={setConfirm} error={error?.fields.passwordConfirm} required autocomplete="new-password" />
        <ErrorBanner message={bannerMessage(error)} />
        <button type="submit" disabled={busy}>
          Create superuser and sign in
        </button>
      </form>
    </main>
  );
}
