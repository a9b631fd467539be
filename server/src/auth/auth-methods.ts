/**
 * `GET auth-methods`: which sign-in methods a collection offers, in PocketBase 0.23's shape
 * (plus its legacy fields `authProviders`, `usernamePassword`, `emailPassword`). OAuth2 entries
 * carry a fresh `state` and PKCE `codeVerifier` that the client keeps for the code exchange.
 */
import type { Collection } from '../collections/model.ts';
import { mfaDuration, mfaOptions } from './mfa.ts';
import { DEFAULT_OTP_DURATION_SECONDS } from './otp.ts';
import type { OAuth2Auth, ProviderInfo } from './oauth2/auth-with-oauth2.ts';

export interface AuthMethods {
  password: { enabled: boolean; identityFields: string[] };
  oauth2: { enabled: boolean; providers: ProviderInfo[] };
  mfa: { enabled: boolean; duration: number };
  otp: { enabled: boolean; duration: number };
  authProviders: ProviderInfo[];
  usernamePassword: boolean;
  emailPassword: boolean;
}

export function listAuthMethods(collection: Collection, oauth2: OAuth2Auth): AuthMethods {
  const pw = collection.auth?.passwordAuth ?? { enabled: true, identityFields: ['email'] };
  const password = pw.enabled !== false ? { enabled: true, identityFields: [...(pw.identityFields ?? ['email'])] } : { enabled: false, identityFields: [] };
  const otp = (collection.auth?.otp ?? {}) as { enabled?: boolean; duration?: number };
  const otpEnabled = otp.enabled === true;
  const mfaEnabled = mfaOptions(collection).enabled === true;
  const providers = oauth2.providers(collection);
  const oauth2Enabled = (collection.auth?.oauth2 as { enabled?: boolean } | undefined)?.enabled === true;
  return {
    password,
    oauth2: { enabled: oauth2Enabled, providers },
    mfa: { enabled: mfaEnabled, duration: mfaEnabled ? mfaDuration(collection) : 0 },
    otp: { enabled: otpEnabled, duration: otpEnabled ? (typeof otp.duration === 'number' && otp.duration > 0 ? otp.duration : DEFAULT_OTP_DURATION_SECONDS) : 0 },
    // PocketBase's legacy list carries no logos.
    authProviders: providers.map((p) => ({ ...p, logo: '' })),
    usernamePassword: password.enabled && password.identityFields.includes('username'),
    emailPassword: password.enabled && password.identityFields.includes('email'),
  };
}
