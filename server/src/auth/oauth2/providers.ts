/**
 * OAuth2 providers over `arctic`, configured per auth collection as PocketBase's
 * `oauth2.providers[]` (`{name, clientId, clientSecret, authURL?, tokenURL?, userInfoURL?,
 * displayName?, pkce?, extra?}`). Supported names: google, github, discord, microsoft, apple,
 * and generic OpenID Connect as `oidc`, `oidc2`, `oidc3` (URLs from the config). Every provider
 * has one shape: an authorization URL (ending in `&redirect_uri=`, PocketBase's convention — the
 * client appends its own), a PKCE code exchange, and the user behind the tokens.
 */
import { CodeChallengeMethod, Discord, Google, MicrosoftEntraId, OAuth2Client, type OAuth2Tokens } from 'arctic';
import { PROVIDER_LOGOS } from './provider-logos.ts';
import { fetchJson, userFromClaims, type OAuth2User, type ProviderUser } from './user-info.ts';

export type { OAuth2User } from './user-info.ts';

export interface OAuth2ProviderConfig {
  name: string;
  clientId: string;
  clientSecret?: string;
  authURL?: string;
  tokenURL?: string;
  userInfoURL?: string;
  displayName?: string;
  pkce?: boolean | null;
  extra?: Record<string, unknown>;
}

export interface OAuth2Provider {
  name: string;
  displayName: string;
  pkce: boolean;
  /** Where to send the user; the client appends its redirect URL to the returned string. */
  authorizationURL(state: string, codeVerifier: string): string;
  exchange(code: string, codeVerifier: string, redirectURL: string): Promise<OAuth2Tokens>;
  fetchUser(tokens: OAuth2Tokens): Promise<OAuth2User>;
}

interface Client {
  authURL(state: string, verifier: string | null): URL;
  exchange(code: string, verifier: string | null): Promise<OAuth2Tokens>;
}

interface Preset {
  displayName: string;
  /** Whether PKCE is sent when the config does not say. */
  pkce: boolean;
  client(config: OAuth2ProviderConfig, redirect: string | null, scopes: string[]): Client;
  user(tokens: OAuth2Tokens, config: OAuth2ProviderConfig): Promise<ProviderUser>;
  scopes: string[];
  /** Extra authorization URL parameters. */
  params?: Record<string, string>;
}

/** Providers with a fixed endpoint pair use arctic's generic client; PKCE S256 when enabled. */
function generic(authURL: string, tokenURL: string) {
  return (config: OAuth2ProviderConfig, redirect: string | null, scopes: string[]): Client => {
    const client = new OAuth2Client(config.clientId, config.clientSecret || null, redirect);
    return {
      authURL: (state, verifier) =>
        verifier
          ? client.createAuthorizationURLWithPKCE(config.authURL || authURL, state, CodeChallengeMethod.S256, verifier, scopes)
          : client.createAuthorizationURL(config.authURL || authURL, state, scopes),
      exchange: (code, verifier) => client.validateAuthorizationCode(config.tokenURL || tokenURL, code, verifier),
    };
  };
}

function microsoftTenant(config: OAuth2ProviderConfig): string {
  if (typeof config.extra?.tenant === 'string' && config.extra.tenant) return config.extra.tenant;
  const m = /login\.microsoftonline\.com\/([^/]+)\//.exec(config.authURL ?? '');
  return m ? m[1]! : 'common';
}

const bearer = (tokens: OAuth2Tokens) => ({ Authorization: `Bearer ${tokens.accessToken()}` });

const PRESETS: Record<string, Preset> = {
  google: {
    displayName: 'Google',
    pkce: true,
    scopes: ['openid', 'email', 'profile'],
    client: (c, redirect, scopes) => {
      const google = new Google(c.clientId, c.clientSecret ?? '', redirect ?? '');
      return {
        authURL: (state, verifier) => google.createAuthorizationURL(state, verifier ?? '', scopes),
        exchange: (code, verifier) => google.validateAuthorizationCode(code, verifier ?? ''),
      };
    },
    user: async (tokens, c) => userFromClaims(await fetchJson(c.userInfoURL || 'https://openidconnect.googleapis.com/v1/userinfo', bearer(tokens))),
  },
  discord: {
    displayName: 'Discord',
    pkce: true,
    scopes: ['identify', 'email'],
    client: (c, redirect, scopes) => {
      const discord = new Discord(c.clientId, c.clientSecret || null, redirect ?? '');
      return {
        authURL: (state, verifier) => discord.createAuthorizationURL(state, verifier, scopes),
        exchange: (code, verifier) => discord.validateAuthorizationCode(code, verifier),
      };
    },
    user: async (tokens) => {
      const raw = await fetchJson('https://discord.com/api/users/@me', bearer(tokens));
      const id = String(raw.id ?? '');
      const avatar = typeof raw.avatar === 'string' && raw.avatar ? `https://cdn.discordapp.com/avatars/${id}/${raw.avatar}.png` : '';
      return { rawUser: raw, id, name: String(raw.global_name ?? raw.username ?? ''), username: String(raw.username ?? ''), email: String(raw.email ?? ''), emailVerified: raw.verified === true, avatarURL: avatar };
    },
  },
  microsoft: {
    displayName: 'Microsoft',
    pkce: true,
    scopes: ['openid', 'email', 'profile', 'User.Read'],
    client: (c, redirect, scopes) => {
      const entra = new MicrosoftEntraId(microsoftTenant(c), c.clientId, c.clientSecret || null, redirect ?? '');
      return {
        authURL: (state, verifier) => entra.createAuthorizationURL(state, verifier ?? '', scopes),
        exchange: (code, verifier) => entra.validateAuthorizationCode(code, verifier ?? ''),
      };
    },
    // Entra's `mail` is whatever the tenant admin typed, not a verified address ("nOAuth"):
    // never link accounts by it.
    user: async (tokens) => {
      const raw = await fetchJson('https://graph.microsoft.com/v1.0/me', bearer(tokens));
      return { rawUser: raw, id: String(raw.id ?? ''), name: String(raw.displayName ?? ''), username: '', email: String(raw.mail ?? ''), emailVerified: false, avatarURL: '' };
    },
  },
  github: {
    displayName: 'GitHub',
    pkce: true,
    scopes: ['read:user', 'user:email'],
    client: generic('https://github.com/login/oauth/authorize', 'https://github.com/login/oauth/access_token'),
    user: async (tokens) => {
      const headers = { ...bearer(tokens), Accept: 'application/vnd.github+json', 'User-Agent': 'Hearth' };
      const raw = await fetchJson('https://api.github.com/user', headers);
      const emails = (await fetchJson('https://api.github.com/user/emails', headers, true)) as unknown as Array<Record<string, unknown>>;
      const primary = Array.isArray(emails) ? emails.find((e) => e.primary === true && e.verified === true) : undefined;
      return {
        rawUser: raw,
        id: String(raw.id ?? ''),
        name: String(raw.name ?? ''),
        username: String(raw.login ?? ''),
        email: primary ? String(primary.email) : '',
        emailVerified: primary !== undefined,
        avatarURL: String(raw.avatar_url ?? ''),
      };
    },
  },
  apple: {
    displayName: 'Apple',
    // The client secret is the ES256 JWT generated for Apple (as in PocketBase's settings).
    pkce: false,
    scopes: ['name', 'email'],
    params: { response_mode: 'form_post' },
    client: generic('https://appleid.apple.com/auth/authorize', 'https://appleid.apple.com/auth/token'),
    // Straight from Apple's token endpoint over TLS, so the ID token needs no signature check
    // (OpenID Connect Core §3.1.3.7).
    user: async (tokens) => userFromClaims(idTokenClaims(tokens)),
  },
};

function idTokenClaims(tokens: OAuth2Tokens): Record<string, unknown> {
  const [, payload] = tokens.idToken().split('.');
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

const OIDC: Preset = {
  displayName: 'OIDC',
  pkce: true,
  scopes: ['openid', 'email', 'profile'],
  client: (c, redirect, scopes) => {
    if (!c.authURL || !c.tokenURL) throw new Error(`provider "${c.name}" needs authURL and tokenURL`);
    return generic(c.authURL, c.tokenURL)(c, redirect, scopes);
  },
  user: async (tokens, c) => userFromClaims(c.userInfoURL ? await fetchJson(c.userInfoURL, bearer(tokens)) : idTokenClaims(tokens)),
};

export const SUPPORTED_PROVIDERS = ['google', 'github', 'discord', 'microsoft', 'apple', 'oidc', 'oidc2', 'oidc3'] as const;

/** Where each provider sits in provider lists (PocketBase's order; ties sort by name). */
const LIST_ORDER: Readonly<Record<string, number>> = { apple: 1, google: 2, microsoft: 3, github: 7, discord: 12, oidc: 99, oidc2: 99, oidc3: 99 };

export interface ProviderType {
  name: string;
  displayName: string;
  /** An SVG image. */
  logo: string;
}

/** Every provider Hearth can be configured with, in list order (`GET /api/collections/meta/oauth2-providers`). */
export function providerTypes(): ProviderType[] {
  return [...SUPPORTED_PROVIDERS]
    .sort((a, b) => LIST_ORDER[a]! - LIST_ORDER[b]! || (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => ({ name, displayName: presetOf(name)!.displayName, logo: providerLogo(name) }));
}

/** The provider's logo (the generic OpenID Connect one for `oidc2`/`oidc3`). */
export function providerLogo(name: string): string {
  return PROVIDER_LOGOS[name.startsWith('oidc') ? 'oidc' : name] ?? PROVIDER_LOGOS.oidc!;
}

function presetOf(name: string): Preset | undefined {
  if (name === 'oidc' || name === 'oidc2' || name === 'oidc3') return OIDC;
  return Object.prototype.hasOwnProperty.call(PRESETS, name) ? PRESETS[name] : undefined;
}

/** The provider for a config; throws for an unknown name or an incomplete config. */
export function createProvider(config: OAuth2ProviderConfig): OAuth2Provider {
  const preset = presetOf(config.name);
  if (!preset) throw new Error(`unsupported OAuth2 provider "${config.name}"`);
  if (!config.clientId) throw new Error(`provider "${config.name}" has no clientId`);
  const pkce = typeof config.pkce === 'boolean' ? config.pkce : preset.pkce;
  const scopes = Array.isArray(config.extra?.scopes) ? (config.extra.scopes as unknown[]).map(String) : preset.scopes;
  preset.client(config, null, scopes); // validates the config early
  return {
    name: config.name,
    displayName: config.displayName || preset.displayName,
    pkce,
    authorizationURL(state, codeVerifier) {
      const url = preset.client(config, null, scopes).authURL(state, pkce ? codeVerifier : null);
      url.searchParams.delete('redirect_uri');
      for (const [k, v] of Object.entries(preset.params ?? {})) url.searchParams.set(k, v);
      return `${url.toString()}&redirect_uri=`;
    },
    exchange: (code, codeVerifier, redirectURL) =>
      preset.client(config, redirectURL, scopes).exchange(code, pkce ? codeVerifier : null),
    async fetchUser(tokens) {
      const user = await preset.user(tokens, config);
      return {
        ...user,
        accessToken: tokens.accessToken(),
        refreshToken: tokens.hasRefreshToken() ? tokens.refreshToken() : '',
        expiry: expiryOf(tokens),
      };
    },
  };
}

function expiryOf(tokens: OAuth2Tokens): string {
  try {
    return tokens.accessTokenExpiresAt().toISOString().replace('T', ' ');
  } catch {
    return '';
  }
}
