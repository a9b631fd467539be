/**
 * Auth collection options: password sign-in and identity fields, OTP, MFA, OAuth2 providers and
 * token lifetimes. Only the sections the user edits are sent (secrets are never sent back
 * blank). Email templates live in Settings → meta.
 */
import { useState } from 'preact/hooks';
import { Checkbox, Labeled } from '../ui/form.tsx';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const TOKENS = [
  ['authToken', 'Auth token'],
  ['verificationToken', 'Verification token'],
  ['passwordResetToken', 'Password reset token'],
  ['emailChangeToken', 'Email change token'],
  ['fileToken', 'File token'],
] as const;

export function AuthOptions(props: { options: Obj; errors: Record<string, string>; onChange: (key: string, value: unknown) => void }) {
  const o = props.options;
  const section = (key: string) => obj(o[key]);
  const patch = (key: string, changes: Obj) => props.onChange(key, { ...section(key), ...changes });
  const [providers, setProviders] = useState(() => JSON.stringify(obj(o.oauth2).providers ?? [], null, 2));
  const [providersError, setProvidersError] = useState<string | null>(null);
  const num = (key: string, sub: string, label: string) => (
    <Labeled label={label} error={props.errors[`${key}.${sub}`]}>
      {(id) => <input id={id} type="number" value={String(section(key)[sub] ?? '')} onInput={(e) => patch(key, { [sub]: Number(e.currentTarget.value) })} />}
    </Labeled>
  );
  return (
    <div class="auth-options">
      <h3>Password</h3>
      <div class="row">
        <Checkbox label="Password sign-in" checked={section('passwordAuth').enabled === true} onChange={(v) => patch('passwordAuth', { enabled: v })} />
        <Labeled label="Identity fields" hint="Comma separated, e.g. email" error={props.errors['passwordAuth.identityFields']}>
          {(id) => (
            <input
              id={id}
              value={((section('passwordAuth').identityFields as string[] | undefined) ?? []).join(', ')}
              onChange={(e) => patch('passwordAuth', { identityFields: e.currentTarget.value.split(',').map((s) => s.trim()).filter(Boolean) })}
            />
          )}
        </Labeled>
      </div>
      <h3>One-time passwords and MFA</h3>
      <div class="row">
        <Checkbox label="OTP sign-in" checked={section('otp').enabled === true} onChange={(v) => patch('otp', { enabled: v })} />
        {num('otp', 'duration', 'OTP lifetime (s)')}
        {num('otp', 'length', 'OTP length')}
        <Checkbox label="Require MFA" checked={section('mfa').enabled === true} onChange={(v) => patch('mfa', { enabled: v })} />
        {num('mfa', 'duration', 'MFA window (s)')}
      </div>
      <h3>OAuth2</h3>
      <Checkbox label="OAuth2 sign-in" checked={section('oauth2').enabled === true} onChange={(v) => patch('oauth2', { enabled: v })} />
      <Labeled label="Providers (JSON)" hint='[{"name": "google", "clientId": "…", "clientSecret": "…"}]' error={providersError ?? props.errors['oauth2.providers']}>
        {(id) => (
          <textarea
            id={id}
            class="mono"
            rows={6}
            value={providers}
            onInput={(e) => {
              setProviders(e.currentTarget.value);
              try {
                const parsed: unknown = JSON.parse(e.currentTarget.value);
                if (!Array.isArray(parsed)) throw new Error('Expected a JSON array of providers.');
                setProvidersError(null);
                patch('oauth2', { providers: parsed });
              } catch (err) {
                setProvidersError((err as Error).message);
              }
            }}
          />
        )}
      </Labeled>
      <h3>Token lifetimes (seconds)</h3>
      <div class="row">{TOKENS.map(([key, label]) => <span key={key}>{num(key, 'duration', label)}</span>)}</div>
    </div>
  );
}
