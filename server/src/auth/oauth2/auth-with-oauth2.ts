/**
 * `auth-with-oauth2 {provider, code, codeVerifier, redirectURL, createData?}`: exchanges the code
 * (PKCE), asks the provider who the user is, and signs them in to the record that is, in order:
 * (1) already linked to that provider account; (2) the caller, if they are signed in to this
 * collection (explicit linking); (3) the record with the same email — only when the provider
 * vouches that the email is verified; otherwise (4) a new record created from `createData` +
 * the provider's data, as the caller (so createRule applies). Linking to an unverified record
 * verifies it and, unless its owner is the caller, replaces its password — whoever set it
 * before the owner proved the mailbox must not keep access (account pre-hijacking).
 */
import { generateCodeVerifier, generateState } from 'arctic';
import type { SqlDb } from '../../db/index.ts';
import type { Collection } from '../../collections/model.ts';
import type { CollectionRegistry } from '../../collections/registry.ts';
import { badRequest, fieldError, forbidden, validationError } from '../../shared/errors.ts';
import { getAuthRecord, SUPERUSERS_COLLECTION, type AuthRecord } from '../auth-records.ts';
import { findAuthRecordByEmail } from '../email-input.ts';
import type { AuthOutcome, AuthRequest, FinishAuth } from '../finish-auth.ts';
import { enforceRateLimits, type RateLimiter } from '../rate-limit.ts';
import type { RecordWriter } from '../record-writer.ts';
import { randomPassword } from '../random-password.ts';
import { createExternalAuths, type ExternalAuths } from './external-auths.ts';
import { createProvider, providerLogo, type OAuth2Provider, type OAuth2ProviderConfig, type OAuth2User } from './providers.ts';

interface OAuth2Options {
  enabled?: boolean;
  providers?: OAuth2ProviderConfig[];
  mappedFields?: { id?: string; name?: string; username?: string; avatarURL?: string };
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
  db: SqlDb;
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
  readonly externalAuths: ExternalAuths;
}

export function createOAuth2Auth(deps: OAuth2AuthDeps): OAuth2Auth {
  const { db, writer } = deps;
  const make = deps.createProvider ?? createProvider;
  const externalAuths = createExternalAuths(db);

  function providerFor(collection: Collection, name: unknown): OAuth2Provider {
    const config = typeof name === 'string' && name ? optionsOf(collection).providers?.find((p) => p?.name === name) : undefined;
    if (!config) {
      throw validationError('An error occurred while loading the submitted data.', {
        provider: fieldError('validation_invalid_provider', `Provider with name ${String(name)} is missing or is not enabled.`),
      });
    }
    try {
      return make(config);
    } catch {
      throw badRequest(`Failed to init provider ${config.name}.`);
    }
  }

  async function createRecord(collection: Collection, user: OAuth2User, createData: unknown, request: AuthRequest): Promise<AuthRecord> {
    if (collection.name === SUPERUSERS_COLLECTION) throw badRequest('Superusers are not allowed to sign-up with OAuth2.');
    const payload: Record<string, unknown> = typeof createData === 'object' && createData !== null && !Array.isArray(createData) ? { ...createData } : {};
    if (typeof payload.email !== 'string' || payload.email === '') payload.email = user.email;
    const mapped = optionsOf(collection).mappedFields ?? {};
    for (const [key, value] of [['id', user.id], ['name', user.name], ['username', user.username], ['avatarURL', user.avatarURL]] as const) {
      const field = mapped[key];
      if (field && !(field in payload) && value) payload[field] = value;
    }
    if (payload.password === undefined) payload.password = payload.passwordConfirm = randomPassword();
    const id = await writer.create(collection, payload, { ...request.info, body: payload });
    let record = getAuthRecord(db, collection, id)!;
    if (user.emailVerified && !record.verified && sameEmail(record, user)) {
      await writer.update(collection, id, { verified: true });
      record = getAuthRecord(db, collection, id)!;
    }
    return record;
  }

  async function adoptExisting(collection: Collection, record: AuthRecord, user: OAuth2User, request: AuthRequest): Promise<AuthRecord> {
    const body: Record<string, unknown> = {};
    if (!record.email && user.email && user.emailVerified) body.email = user.email;
    if (!record.verified && user.emailVerified && (sameEmail(record, user) || body.email)) {
      body.verified = true;
      const isCaller = request.info.auth?.collection.id === collection.id && request.info.auth.record.id === record.id;
      if (!isCaller) body.password = body.passwordConfirm = randomPassword();
    }
    if (Object.keys(body).length === 0) return record;
    await writer.update(collection, record.id, body);
    return getAuthRecord(db, collection, record.id) ?? record;
  }

  return {
    externalAuths,

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
      enforceRateLimits(deps.rateLimiter, [[request.ip, 'auth-confirm:ip']]);
      // An unknown provider is a 400 even while OAuth2 is off; a configured one, switched off, is a 403.
      const provider = providerFor(collection, body.provider);
      if (optionsOf(collection).enabled !== true) throw forbidden('The collection is not configured to allow OAuth2 authentication.');
      if (typeof body.code !== 'string' || body.code === '') {
        throw validationError('An error occurred while loading the submitted data.', { code: fieldError('validation_required', 'Cannot be blank.') });
      }
      const redirectURL = typeof body.redirectURL === 'string' ? body.redirectURL : typeof body.redirectUrl === 'string' ? body.redirectUrl : '';
      const verifier = typeof body.codeVerifier === 'string' ? body.codeVerifier : '';
      const tokens = await provider.exchange(body.code, verifier, redirectURL).catch(() => {
        throw badRequest('Failed to fetch OAuth2 token.');
      });
      const user = await provider.fetchUser(tokens);

      let record: AuthRecord | undefined;
      const link = externalAuths.find(collection.id, provider.name, user.id);
      if (link) {
        record = getAuthRecord(db, collection, link.recordRef);
        if (!record) externalAuths.delete(link.id);
      }
      const caller = request.info.auth;
      if (!record && caller && caller.collection.id === collection.id) record = getAuthRecord(db, collection, String(caller.record.id));
      if (!record && user.email && user.emailVerified) record = findAuthRecordByEmail(db, collection, user.email);

      const isNew = !record;
      record = record ? await adoptExisting(collection, record, user, request) : await createRecord(collection, user, body.createData, request);
      if (!link || link.recordRef !== record.id) externalAuths.link(collection.id, record.id, provider.name, user.id);
      const { emailVerified: _ignored, ...shown } = user;
      return deps.finish(collection, record, 'oauth2', request, { ...shown, isNew });
    },
  };
}

const sameEmail = (record: AuthRecord, user: OAuth2User): boolean =>
  user.email !== '' && String(record.email ?? '').toLowerCase() === user.email.toLowerCase();
