/**
 * The extension point auth/ offers: a hook called after a credential checked out and before a
 * token is issued (password, OTP, OAuth2). A throw refuses the sign-in. Implemented by hooks/;
 * auth/ never imports it. (After sign-up hooks listen to record-created events of auth collections.)
 */
import type { Collection } from '../collections/model.ts';
import type { RequestInfo } from '../rules/index.ts';
import type { AuthRecord } from './auth-records.ts';
import type { AuthMethod } from './mfa.ts';

export interface BeforeSignIn {
  collection: Collection;
  record: AuthRecord;
  method: AuthMethod;
  info: RequestInfo;
}

export interface AuthHooks {
  /** Synchronous, like the rest of sign-in's final step. */
  beforeSignIn(e: BeforeSignIn): void;
}
