/**
 * Account actions on an auth record: mark verified, send a password reset mail, impersonate
 * (a token to act as the user, shown once), and sign the user out of every session.
 */
import type { AnyRecord, CollectionModel } from '@hearth/sdk';
import { useState } from 'preact/hooks';
import { client } from '../client.ts';
import { useSubmit } from '../ui/use-submit.ts';

export function AuthActions(props: { collection: CollectionModel; record: AnyRecord; onChanged: () => void }) {
  const [notice, setNotice] = useState<string | null>(null);
  const [token, setToken] = useState<string | null>(null);
  const id = String(props.record.id);
  const name = props.collection.name;
  const { busy, error, run } = useSubmit(async (action: () => Promise<string>) => {
    setNotice(null);
    setNotice(await action());
  });
  const attempt = (action: () => Promise<string>) => () => void run(action);

  return (
    <section class="auth-actions" aria-label="Account">
      <h3>Account</h3>
      <fieldset class="row wrap plain" disabled={busy}>
        <button
          type="button"
          disabled={props.record.verified === true}
          onClick={attempt(async () => {
            await client.collection(name).update(id, { verified: true } as never);
            props.onChanged();
            return 'Marked as verified.';
          })}
        >
          Mark verified
        </button>
        <button
          type="button"
          onClick={attempt(async () => {
            await client.auth(name as never).requestPasswordReset(String(props.record.email ?? ''));
            return `Password reset mail sent to ${String(props.record.email)}.`;
          })}
        >
          Send password reset
        </button>
        <button
          type="button"
          onClick={attempt(async () => {
            const result = await client.auth(name as never).impersonate(id, 3600);
            setToken(result.token);
            return 'Impersonation token (valid 1 hour) below.';
          })}
        >
          Impersonate
        </button>
        <button
          type="button"
          class="danger"
          onClick={attempt(async () => {
            await client.auth(name as never).signOutEverywhere(id);
            return 'Every session of this user was revoked.';
          })}
        >
          Revoke all sessions
        </button>
      </fieldset>
      {notice && !error && (
        <p class="banner ok" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p class="banner error" role="status">
          {error.message}
        </p>
      )}
      {token && <textarea class="mono" readOnly rows={3} aria-label="Impersonation token" value={token} />}
    </section>
  );
}
