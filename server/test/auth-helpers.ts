/**
 * Real collaborators for the auth tests, all in-process on loopback: an SMTP server
 * (`smtp-server`) whose inbox the tests read, and an OpenID Connect provider (`oidc-provider`)
 * that runs the real authorization-code flow with PKCE. Nothing of Hearth is mocked.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import Provider from 'oidc-provider';

// ---------------------------------------------------------------------------------------------
// SMTP

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
}

export interface Inbox {
  url: string;
  mails: ReceivedMail[];
  /** Resolves with the first mail (old or new) that matches; rejects after `timeoutMs`. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

function decodeBody(body: string, encoding: string): string {
  const enc = encoding.toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

function splitPart(raw: string): { headers: Record<string, string>; body: string } {
  const i = raw.search(/\r?\n\r?\n/);
  const head = i < 0 ? raw : raw.slice(0, i);
  const body = i < 0 ? '' : raw.slice(i).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
  }
  return { headers, body };
}

/** Just enough MIME for nodemailer's output: multipart/alternative with text and html parts. */
function parseMail(raw: string): Omit<ReceivedMail, 'to' | 'from'> {
  const top = splitPart(raw);
  const out = { subject: top.headers.subject ?? '', text: '', html: '' };
  const visit = (part: { headers: Record<string, string>; body: string }): void => {
    const type = part.headers['content-type'] ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (type.startsWith('multipart/') && boundary) {
      for (const chunk of part.body.split(`--${boundary}`).slice(1)) if (!chunk.startsWith('--')) visit(splitPart(chunk.replace(/^\r?\n/, '')));
      return;
    }
    const decoded = decodeBody(part.body, part.headers['content-transfer-encoding'] ?? '7bit');
    if (type.startsWith('text/html')) out.html = decoded;
    else if (type.startsWith('text/plain')) out.text = decoded;
  };
  visit(top);
  return out;
}

export async function startSmtp(): Promise<Inbox> {
  const mails: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const rcpt = session.envelope.rcptTo.map((r) => r.address);
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        mails.push({ to: rcpt, from, ...parseMail(Buffer.concat(chunks).toString('utf8')) });
        for (const w of waiters) w();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    waitFor(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = mails.find(match);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
          return found !== undefined;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching mail within ${timeoutMs} ms (have ${mails.length})`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The token in a Hearth link mail (`…/confirm-password-reset/<token>`). */
export function linkToken(mail: ReceivedMail, action: string): string {
  const m = new RegExp(`${action}/([A-Za-z0-9_.-]+)`).exec(mail.text + mail.html);
  if (!m) throw new Error(`no ${action} link in mail: ${mail.text}`);
  return m[1]!;
}

export function otpCode(mail: ReceivedMail): string {
  const m = /one-time password is:\s*(\d+)/.exec(mail.text);
  if (!m) throw new Error(`no code in mail: ${mail.text}`);
  return m[1]!;
}

// ---------------------------------------------------------------------------------------------
// OpenID Connect

export interface OidcAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
  picture?: string;
}

export interface OidcOptions {
  /** More redirect URIs the client may use (e.g. a Hearth server's `/api/oauth2-redirect`). */
  redirectUris?: string[];
  /** Refuse authorization requests without PKCE (default true). */
  pkceRequired?: boolean;
  /** Put the scopes' claims (email, name) in the ID token too, as Apple does (default false). */
  idTokenClaims?: boolean;
}

export interface OidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectURL: string;
  /** Hearth's `oauth2.providers[]` entry for this provider (generic OIDC). */
  hearthConfig(name?: string): Record<string, unknown>;
  /**
   * Plays the browser: follows `authURL` (+ our redirect URL), signs in as `accountId`, grants
   * consent, and returns the `code` and `state` the provider redirects back with.
   */
  signIn(authURL: string, accountId: string): Promise<{ code: string; state: string }>;
  /** The account a real browser that comes to the provider signs in as (consent is given at once). */
  useAccount(accountId: string): void;
  close(): Promise<void>;
}

export async function startOidcProvider(accounts: Record<string, OidcAccount>, options: OidcOptions = {}): Promise<OidcProvider> {
  const clientId = 'hearth-test';
  const clientSecret = 'a-long-enough-client-secret-for-hs256-0123456789';
  const redirectURL = 'http://127.0.0.1:1/oauth2-callback'; // never fetched: the "browser" stops at it
  let pendingAccount = '';
  const http: Server = createHttpServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectURL, ...(options.redirectUris ?? [])], grant_types: ['authorization_code'], response_types: ['code'] }],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), use: 'sig', kid: 'test' }] },
    findAccount: (_ctx: unknown, sub: string) =>
      accounts[sub] ? { accountId: sub, claims: () => ({ sub, ...accounts[sub] }) } : undefined,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username', 'picture'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    pkce: { required: () => options.pkceRequired !== false },
    conformIdTokenClaims: options.idTokenClaims !== true,
    cookies: { keys: ['hearth-test-cookie-key'] },
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  });
  http.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return provider.callback()(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const grant = new provider.Grant({ accountId: pendingAccount, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId: pendingAccount }, consent: { grantId } }, { mergeWithLastSubmission: false });
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });

  return {
    issuer,
    clientId,
    clientSecret,
    redirectURL,
    hearthConfig: (name = 'oidc') => ({
      name,
      displayName: 'Local OIDC',
      clientId,
      clientSecret,
      authURL: `${issuer}/auth`,
      tokenURL: `${issuer}/token`,
      userInfoURL: `${issuer}/me`,
      pkce: true,
    }),
    async signIn(authURL, accountId) {
      pendingAccount = accountId;
      const jar = new Map<string, string>();
      let next = authURL + encodeURIComponent(redirectURL);
      for (let hop = 0; hop < 10; hop++) {
        const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
        const res = await fetch(next, { redirect: 'manual', headers: cookie ? { cookie } : {} });
        for (const set of res.headers.getSetCookie()) {
          const [pair] = set.split(';');
          const eq = pair!.indexOf('=');
          const name = pair!.slice(0, eq).trim();
          const value = pair!.slice(eq + 1).trim();
          if (value === '' || /expires=Thu, 01 Jan 1970/i.test(set)) jar.delete(name);
          else jar.set(name, value);
        }
        const location = res.headers.get('location');
        if (!location) {
          // response_mode=form_post (Apple's): a page that posts code and state to the redirect URI.
          const page = await res.text();
          const input = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1];
          if (res.status === 200 && page.includes(redirectURL) && input('code') !== undefined) {
            return { code: input('code') ?? '', state: input('state') ?? '' };
          }
          throw new Error(`OIDC flow stopped at ${next}: ${res.status} ${page}`);
        }
        const target = new URL(location, next);
        if (target.href.startsWith(redirectURL)) {
          const error = target.searchParams.get('error');
          if (error) throw new Error(`OIDC error: ${error} ${target.searchParams.get('error_description')}`);
          return { code: target.searchParams.get('code') ?? '', state: target.searchParams.get('state') ?? '' };
        }
        next = target.href;
      }
      throw new Error('too many redirects');
    },
    useAccount(accountId) {
      pendingAccount = accountId;
    },
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}
