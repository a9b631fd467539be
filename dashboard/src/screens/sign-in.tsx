/** Superuser sign-in (the session is kept in localStorage by the SDK's store). */
import { useState } from 'preact/hooks';
import { client } from '../client.ts';
import { ErrorBanner, TextInput } from '../ui/form.tsx';
import { useSubmit } from '../ui/use-submit.ts';

export function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, onSubmit } = useSubmit(() => client.auth('_superusers').signIn(email, password));

  return (
    <main class="center card narrow">
      <h1>Sign in to Hearth</h1>
      <form onSubmit={onSubmit}>
        <TextInput label="Email" type="email" value={email} onInput={setEmail} autoFocus required autocomplete="username" />
        <TextInput label="Password" type="password" value={password} onInput={setPassword} required autocomplete="current-password" />
        <ErrorBanner message={error?.message} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
