/**
 * `auth-with-oauth2 {provider, code, codeVerifier, redirectURL, createData?}`: exchanges the code
 * (PKCE), asks the provider who the user is, and signs them in to the record that is, in order:
 * (1) already linked to that provider account; (2) the caller, if they are signed in to this
 * collection (explicit linking); (3) the record with the same email — only when the provider
 * vouches that the email is verified; otherwise (4) a new record created from `createData` +
 * the provider's data, as the caller (so createRule applies). An existing record that is not
 * verified keeps at most this one link and, unless its owner is the caller, gets a new random
 * password — whoever set it before the owner proved the mailbox must not keep access (account
 * pre-hijacking); it becomes verified when the provider vouches for its email.
 */
import { generateCodeVerifier, generateState } from 'arctic';
import type { SqlEngine } from '../../db/index.ts';
import type { Collection } from '../../collections/model.ts';
import type { CollectionRegistry } from '../../collections/registry.ts';
import { badRequest, fieldError, forbidden, validationError, type FieldError } from '../../shared/errors.ts';
import { getAuthRecord, SUPERUSERS_COLLECTION, type AuthRecord } from '../auth-records.ts';
import { findAuthRecordByEmail } from '../email-input.ts';
import type { AuthOutcome, AuthRequest, FinishAuth } from '../finish-auth.ts';
import { enforceRateLimits, type RateLimiter } from '../rate-limit.ts';
import type { RecordWriter } from '../record-writer.ts';
import { randomPassword } from '../random-password.ts';
import { createAppleNames, type AppleNames } from './apple-names.ts';
import { createExternalAuths, type ExternalAuths } from './external-auths.ts';
import { newRecordBody, type MappedFields } from './new-record.ts';
import { createProvider, providerLogo, type OAuth2Provider, type OAuth2ProviderConfig, type OAuth2User } from './providers.ts';

interface OAuth2Options {
  enabled?: boolean;
  providers?: OAuth2ProviderConfig[];
  mappedFields?: MappedFields;
}

const optionsOf = (collection: Collection): OAuth2Options => (collection.auth?.oauth2 ?? {}) as OAuth2Options;

export interface ProviderInfo {
  name: string;
  displayName: string;
  /** An SVG image. */
  logo: string;
  state: string;
  authURL: string;
  authUrl: string;
  codeVerifier: string;
  codeChallenge: string;
  codeChallengeMethod: string;
}

export interface OAuth2AuthDeps {
  db: SqlEngine;
  registry: CollectionRegistry;
  rateLimiter: RateLimiter;
  writer: RecordWriter;
  finish: FinishAuth;
  /** Where providers come from; arctic-backed by default. */
  createProvider?: (config: OAuth2ProviderConfig) => OAuth2Provider;
}

export interface OAuth2Auth {
  /** The enabled providers with a fresh state and PKCE verifier each (for auth-methods). */
  providers(collection: Collection): ProviderInfo[];
  authWithOAuth2(collection: Collection, body: Record<string, unknown>, request: AuthRequest): Promise<AuthOutcome>;
  /** Apple's one-time name from the redirect form, for the sign-in with that code (apple-names.ts). */
  readonly appleNames: AppleNames;
  readonly externalAuths: ExternalAuths;
}

const INVALID_FORM = 'An error occurred while loading the submitted data.';
/** Provider names are short; anything longer is not one (PocketBase's bound). */
const MAX_PROVIDER_NAME_LENGTH = 100;

export function createOAuth2Auth(deps: OAuth2AuthDeps): OAuth2Auth {
  const { db, writer } = deps;
  const make = deps.createProvider ?? createProvider;
  const externalAuths = createExternalAuths(db);
  const appleNames = createAppleNames(db);

  /** PocketBase's form: a configured provider and a code, both reported at once. */
  function validateForm(collection: Collection, body: Record<string, unknown>): OAuth2ProviderConfig {
    const errors: Record<string, FieldError> = {};
    const name = body.provider;
    const config = typeof name === 'string' && name !== '' && name.length <= MAX_PROVIDER_NAME_LENGTH
      ? optionsOf(collection).providers?.find((p) => p?.name === name)
      : undefined;
    if (typeof name !== 'string' || name === '') errors.provider = fieldError('validation_required', 'Cannot be blank.');
    else if (!config) errors.provider = fieldError('validation_invalid_provider', `Provider with name ${name.slice(0, MAX_PROVIDER_NAME_LENGTH)} is missing or is not enabled.`);
    if (typeof body.code !== 'string' || body.code === '') errors.code = fieldError('validation_required', 'Cannot be blank.');
    if (Object.keys(errors).length > 0 || !config) throw validationError(INVALID_FORM, errors);
    return config;
  }

  async function createRecord(collection: Collection, user: OAuth2User, createData: unknown, request: AuthRequest): Promise<AuthRecord> {
    if (collection.name === SUPERUSERS_COLLECTION) throw badRequest('Superusers are not allowed to sign-up with OAuth2.');
    const payload = await newRecordBody(db, collection, user, createData, optionsOf(collection).mappedFields ?? {});
    const id = await writer.create(collection, payload, { ...request.info, context: 'oauth2', body: payload });
    let record = (await getAuthRecord(db, collection, id))!;
    // Verified when the address is the one the provider vouches for (or both have none).
    if (!record.verified && String(record.email ?? '') === vouchedEmail(user)) {
      await writer.update(collection, id, { verified: true });
      record = (await getAuthRecord(db, collection, id))!;
    }
    return record;
  }

  async function adoptExisting(collection: Collection, record: AuthRecord, user: OAuth2User, request: AuthRequest): Promise<AuthRecord> {
    const body: Record<string, unknown> = {};
    const email = vouchedEmail(user);
    const isCaller = request.info.auth?.collection.id === collection.id && request.info.auth.record.id === record.id;
    if (!record.verified) {
      if (!isCaller) body.password = body.passwordConfirm = randomPassword();
      // An unverified record keeps at most one provider link (the one being made).
      await externalAuths.forgetRecord(collection.id, record.id);
    }
    const current = String(record.email ?? '');
    if (current === '' && email !== '') body.email = email;
    const next = typeof body.email === 'string' ? body.email : current;
    if (!record.verified && (next === '' || next.toLowerCase() === email.toLowerCase())) body.verified = true;
    if (Object.keys(body).length === 0) return record;
    await writer.update(collection, record.id, body);
    return (await getAuthRecord(db, collection, record.id)) ?? record;
  }

  return {
    externalAuths,
    appleNames,

    providers(collection) {
      const options = optionsOf(collection);
      if (options.enabled !== true) return [];
      const out: ProviderInfo[] = [];
      for (const config of options.providers ?? []) {
        let provider: OAuth2Provider;
        try {
          provider = make(config);
        } catch {
          continue; // a misconfigured provider is skipped, like PocketBase
        }
        const state = generateState();
        const codeVerifier = generateCodeVerifier();
        const authURL = provider.authorizationURL(state, codeVerifier);
        const challenge = new URL(authURL).searchParams.get('code_challenge') ?? '';
        out.push({
          name: provider.name,
          displayName: provider.displayName,
          logo: providerLogo(provider.name),
          state,
          authURL,
          authUrl: authURL,
          codeVerifier: provider.pkce ? codeVerifier : '',
          codeChallenge: provider.pkce ? challenge : '',
          codeChallengeMethod: provider.pkce ? 'S256' : '',
        });
      }
      return out;
    },

    async authWithOAuth2(collection, body, request) {
      await enforceRateLimits(deps.rateLimiter, [[request.ip, 'auth-confirm:ip']]);
      if (optionsOf(collection).enabled !== true) throw forbidden('The collection is not configured to allow OAuth2 authentication.');
      const config = validateForm(collection, body);
      let provider: OAuth2Provider;
      try {
        provider = make(config);
      } catch {
        throw badRequest(`Failed to init provider ${config.name}.`);
      }
      const code = body.code as string;
      const redirectURL = typeof body.redirectURL === 'string' && body.redirectURL ? body.redirectURL : typeof body.redirectUrl === 'string' ? body.redirectUrl : '';
      const verifier = typeof body.codeVerifier === 'string' ? body.codeVerifier : '';
      const tokens = await provider.exchange(code, verifier, redirectURL).catch(() => {
        throw badRequest('Failed to fetch OAuth2 token.');
      });
      const user = await provider.fetchUser(tokens);
      // Apple tells the name only in the redirect form of the first sign-in.
      if (provider.name === 'apple' && user.name === '') user.name = (await appleNames.take(code)) ?? '';

      let record: AuthRecord | undefined;
      const link = await externalAuths.find(collection.id, provider.name, user.id);
      if (link) {
        record = await getAuthRecord(db, collection, link.recordRef);
        if (!record) await externalAuths.delete(link.id);
      }
      const caller = request.info.auth;
      if (!record && caller && caller.collection.id === collection.id) record = await getAuthRecord(db, collection, String(caller.record.id));
      if (!record && user.email && user.emailVerified) record = await findAuthRecordByEmail(db, collection, user.email);

      const isNew = !record;
      record = record ? await adoptExisting(collection, record, user, request) : await createRecord(collection, user, body.createData, request);
      if (!(await externalAuths.find(collection.id, provider.name, user.id))) await externalAuths.link(collection.id, record.id, provider.name, user.id);
      const { emailVerified: _ignored, ...shown } = user;
      return deps.finish(collection, record, 'oauth2', request, { ...shown, isNew });
    },
  };
}

/** The provider's email when it vouches for it, else "" (an unverified address proves nothing). */
const vouchedEmail = (user: OAuth2User): string => (user.emailVerified ? user.email : '');
