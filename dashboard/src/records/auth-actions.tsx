/**
 * Account actions on an auth record: mark verified, send a password reset mail, impersonate
 * (a token to act as the user, shown once), and sign the user out of every session.
 */
import type { AnyRecord, CollectionModel } from '@hearth/sdk';
import { useState } from 'preact/hooks';
import { client } from '../client.ts';
import { showError } from '../errors.ts';

export function AuthActions(props: { collection: CollectionModel; record: AnyRecord; onChanged: () => void }) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [token, setToken] = useState<string | null>(null);
  const id = String(props.record.id);
  const name = props.collection.name;
  const attempt = (action: () => Promise<string>) => () =>
    action().then(
      (text) => setMessage({ ok: true, text }),
      (err: unknown) => setMessage({ ok: false, text: showError(err).message }),
    );

  return (
    <section class="auth-actions" aria-label="Account">
      <h3>Account</h3>
      <div class="row wrap">
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
      </div>
      {message && (
        <p class={message.ok ? 'banner ok' : 'banner error'} role="status">
          {message.text}
        </p>
      )}
      {token && <textarea class="mono" readOnly rows={3} aria-label="Impersonation token" value={token} />}
    </section>
  );
}
