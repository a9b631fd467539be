/**
 * `client.auth('users')`: sign-up, sign-in (password, OTP, OAuth2 code), refresh, sign-out and
 * the email flows of one auth collection. Successful sign-ins are written to the session.
 */
import { collectionPath, type ClientCore } from '../core.ts';
import { HearthError } from '../errors.ts';
import type { RequestOptions, SendOptions } from '../transport/send.ts';
import type { CreateBody } from '../types/bodies.ts';
import type { AuthResult } from '../types/records.ts';
import type { AuthState } from './auth-store.ts';
import { awaitOAuth2Code, openOAuth2Popup, type OAuth2PopupOptions } from './oauth2-popup.ts';

export interface SignUpData {
  email: string;
  password: string;
  passwordConfirm: string;
}

export interface OAuth2Params {
  provider: string;
  code: string;
  codeVerifier: string;
  redirectURL: string;
  /** Fields for the record created on first sign-in. */
  createData?: Record<string, unknown>;
}

/** `GET auth-methods`: which sign-in methods the collection offers. */
export interface AuthMethods {
  password: { enabled: boolean; identityFields: string[] };
  oauth2: { enabled: boolean; providers: Array<Record<string, unknown> & { name: string }> };
  mfa: { enabled: boolean; duration: number };
  otp: { enabled: boolean; duration: number };
}

/** One signed-in device of the caller (`listSessions`). */
export interface AuthSessionInfo {
  id: string;
  created: string;
  expires: string;
  lastUsed: string;
  userAgent: string;
  ip: string;
  /** The session this client is using. */
  current: boolean;
}

export class AuthService<R> {
  readonly name: string;
  #core: ClientCore;

  constructor(core: ClientCore, name: string) {
    this.#core = core;
    this.name = name;
  }

  #post<T>(action: string, body: unknown, options: SendOptions = {}): Promise<T> {
    return this.#core.send<T>(`${collectionPath(this.name)}/${action}`, { ...options, method: 'POST', body });
  }

  async #signedIn(result: AuthResult<R>): Promise<AuthResult<R>> {
    await this.#core.session.set({ token: result.token, record: result.record } as AuthState);
    return result;
  }

  /** Creates the account (a record create). With `signIn: true`, signs in with it afterwards. */
  async signUp(data: CreateBody<R> & SignUpData, options: RequestOptions & { signIn?: boolean } = {}): Promise<R> {
    const { signIn, ...request } = options;
    const record = await this.#core.send<R>(`${collectionPath(this.name)}/records`, { ...request, method: 'POST', body: data });
    if (signIn) await this.signIn(data.email, data.password, request);
    return record;
  }

  async signIn(identity: string, password: string, options: RequestOptions = {}): Promise<AuthResult<R>> {
    const result = await this.#post<AuthResult<R>>('auth-with-password', { identity, password }, { ...options, token: null });
    return this.#signedIn(result);
  }

  /** A new token for the current session (shares an in-flight automatic refresh). */
  async refresh(): Promise<AuthResult<R>> {
    const state = await this.#core.session.refresh(this.name);
    return { token: state.token, record: state.record as R };
  }

  /** Forgets the session locally (clears the auth store). */
  async signOut(): Promise<void> {
    await this.#core.session.set(null);
  }

  methods(options: RequestOptions = {}): Promise<AuthMethods> {
    return this.#core.send(`${collectionPath(this.name)}/auth-methods`, options);
  }

  async requestPasswordReset(email: string, options?: RequestOptions): Promise<void> {
    await this.#post('request-password-reset', { email }, options);
  }

  async confirmPasswordReset(token: string, password: string, passwordConfirm: string, options?: RequestOptions): Promise<void> {
    await this.#post('confirm-password-reset', { token, password, passwordConfirm }, options);
  }

  async requestVerification(email: string, options?: RequestOptions): Promise<void> {
    await this.#post('request-verification', { email }, options);
  }

  async confirmVerification(token: string, options?: RequestOptions): Promise<void> {
    await this.#post('confirm-verification', { token }, options);
  }

  /** Needs a signed-in session of this collection. */
  async requestEmailChange(newEmail: string, options?: RequestOptions): Promise<void> {
    await this.#post('request-email-change', { newEmail }, options);
  }

  async confirmEmailChange(token: string, password: string, options?: RequestOptions): Promise<void> {
    await this.#post('confirm-email-change', { token, password }, options);
  }

  /** Mails a one-time code; pass the returned `otpId` and the code to `signInWithOtp`. */
  requestOtp(email: string, options?: RequestOptions): Promise<{ otpId: string }> {
    return this.#post('request-otp', { email }, options);
  }

  async signInWithOtp(otpId: string, code: string, options: RequestOptions = {}): Promise<AuthResult<R>> {
    return this.#signedIn(await this.#post<AuthResult<R>>('auth-with-otp', { otpId, password: code }, options));
  }

  /** Completes an OAuth2 authorization-code flow (PKCE) you started with the provider's `authURL`. */
  async signInWithOAuth2(params: OAuth2Params, options: RequestOptions = {}): Promise<AuthResult<R>> {
    return this.#signedIn(await this.#post<AuthResult<R>>('auth-with-oauth2', params, options));
  }

  /**
   * Signs in with an OAuth2 provider in one call (PocketBase's `authWithOAuth2({provider})`): a
   * popup at the provider, the code back through `/api/oauth2-redirect` and the realtime socket,
   * then the code exchange. Call it from a click handler so the popup is allowed.
   */
  async signInWithOAuth2Popup(options: OAuth2PopupOptions, request: RequestOptions = {}): Promise<AuthResult<R>> {
    const popup = openOAuth2Popup(options);
    try {
      const methods = await this.methods(request);
      const provider = methods.oauth2.providers.find((p) => p.name === options.provider);
      if (!provider) throw new HearthError({ status: 0, message: `Missing or invalid provider "${options.provider}".` });
      const { code, redirectURL } = await awaitOAuth2Code(this.#core.baseUrl, String(provider.authURL), popup, options, this.#core.WebSocket);
      const codeVerifier = String(provider.codeVerifier ?? '');
      return await this.signInWithOAuth2({ provider: options.provider, code, codeVerifier, redirectURL, createData: options.createData }, request);
    } finally {
      popup?.close();
    }
  }

  /**
   * Superusers: a token acting as record `id` of this collection, valid `duration` seconds
   * (default: the collection's token duration). Not stored in this client's session.
   */
  impersonate(id: string, duration?: number, options: RequestOptions = {}): Promise<AuthResult<R>> {
    return this.#post<AuthResult<R>>(`impersonate/${encodeURIComponent(id)}`, duration === undefined ? {} : { duration }, options);
  }

  /** The signed-in caller's sessions (devices) in this collection. */
  listSessions(options: RequestOptions = {}): Promise<AuthSessionInfo[]> {
    return this.#core.send(`${collectionPath(this.name)}/auth-sessions`, options);
  }

  /** Ends one of the caller's sessions. */
  async revokeSession(id: string, options: RequestOptions = {}): Promise<void> {
    await this.#core.send(`${collectionPath(this.name)}/auth-sessions/${encodeURIComponent(id)}`, { ...options, method: 'DELETE' });
  }

  /** Ends every session of the caller, or (superusers) of record `recordId`: all its tokens die. */
  async signOutEverywhere(recordId?: string, options: RequestOptions = {}): Promise<void> {
    await this.#post('auth-sign-out-everywhere', recordId === undefined ? {} : { recordId }, options);
  }
}
