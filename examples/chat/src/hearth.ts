/** The chat's Hearth client (typed by the generated Schema) and sign-in. */
import { createClient, type HearthClient } from '@hearth/sdk';
import type { Schema, UsersRecord } from './hearth-types.ts';

export type Hearth = HearthClient<Schema>;

export function connect(url: string): Hearth {
  return createClient<Schema>(url);
}

export interface Credentials {
  email: string;
  password: string;
  /** Creates the account first, with this display name. */
  signUpAs?: string;
}

/** Signs in (creating the account first when `signUpAs` is given) and returns the user. */
export async function signIn(hearth: Hearth, credentials: Credentials): Promise<UsersRecord> {
  const users = hearth.auth('users');
  const { email, password, signUpAs } = credentials;
  if (signUpAs !== undefined) await users.signUp({ email, password, passwordConfirm: password, name: signUpAs });
  const { record } = await users.signIn(email, password);
  return record;
}
