/**
 * The pages the auth mails link to (`/_/#/auth/confirm-verification/TOKEN`, `…/confirm-password-
 * reset/TOKEN`, `…/confirm-email-change/TOKEN`): for any auth collection's users, no sign-in
 * needed. The collection comes from the token's claims; the server checks the token.
 */
import { decodeTokenPayload } from '@hearth/sdk';
import { useEffect, useState } from 'preact/hooks';
import { client } from '../client.ts';
import { ErrorBanner, TextInput } from '../ui/form.tsx';
import { useSubmit } from '../ui/use-submit.ts';

export const CONFIRM_PAGES = ['confirm-verification', 'confirm-password-reset', 'confirm-email-change'];

export function ConfirmLink(props: { page: string; token: string }) {
  const claims = decodeTokenPayload(props.token) as { collectionId?: string; email?: string; newEmail?: string } | null;
  const auth = client.auth((claims?.collectionId ?? '_') as never);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run: attempt } = useSubmit(async (action: () => Promise<void>, message: string) => {
    await action();
    setDone(message);
  });

  useEffect(() => {
    if (props.page === 'confirm-verification') void attempt(() => auth.confirmVerification(props.token), 'Your email address is verified.');
  }, []);

  const submit = (e: Event) => {
    e.preventDefault();
    if (props.page === 'confirm-password-reset') void attempt(() => auth.confirmPasswordReset(props.token, password, confirm), 'Your password was changed. You can sign in with it now.');
    else void attempt(() => auth.confirmEmailChange(props.token, password), 'Your email address was changed.');
  };

  const title = props.page === 'confirm-verification' ? 'Email verification' : props.page === 'confirm-password-reset' ? 'Choose a new password' : 'Confirm your new email';
  return (
    <main class="center card narrow">
      <h1>{title}</h1>
      {!claims && <ErrorBanner message="This link is incomplete or damaged." />}
      {done ? (
        <p class="banner ok" role="status">
          {done}
        </p>
      ) : (
        claims &&
        props.page !== 'confirm-verification' && (
          <form onSubmit={submit}>
            {props.page === 'confirm-email-change' && <p class="muted">Change to {claims.newEmail}: confirm with your password.</p>}
            <TextInput label={props.page === 'confirm-password-reset' ? 'New password' : 'Password'} type="password" value={password} onInput={setPassword} error={error?.fields.password} required autoFocus />
            {props.page === 'confirm-password-reset' && (
              <TextInput label="Confirm new password" type="password" value={confirm} onInput={setConfirm} error={error?.fields.passwordConfirm} required />
            )}
            <button type="submit" disabled={busy}>{props.page === 'confirm-password-reset' ? 'Set password' : 'Confirm'}</button>
          </form>
        )
      )}
      <ErrorBanner message={error && !error.fields.password && !error.fields.passwordConfirm ? error.message : null} />
      {!done && props.page === 'confirm-verification' && !error && claims && <p class="muted">Verifying…</p>}
    </main>
  );
}
