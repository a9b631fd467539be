/**
 * A random password for accounts whose owner never chose one (OAuth2 sign-up) or whose password
 * must stop working (a mailbox proven by OTP). 30 characters of [a-z0-9] ≈ 155 bits.
 */
import { newId } from '../shared/ids.ts';

export const randomPassword = (): string => newId(30);
