/** Superuser sign-in (the session is kept in localStorage by the SDK's store). */
import { useState } from 'preact/hooks';
import { client } from '../client.ts';
import { showError } from '../errors.ts';
import { ErrorBanner, TextInput } from '../ui/form.tsx';

export function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await client.auth('_superusers').signIn(email, password);
    } catch (err) {
      setError(showError(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="center card narrow">
      <h1>Sign in to Hearth</h1>
      <form onSubmit={submit}>
        <TextInput label="Email" type="email" value={email} onInput={setEmail} autoFocus required autocomplete="username" />
        <TextInput label="Password" type="password" value={password} onInput={setPassword} required autocomplete="current-password" />
        <ErrorBanner message={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
