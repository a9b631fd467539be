/**
 * Sign in with Apple's client secret: a short-lived ES256 JWT that the app signs with the
 * private key Apple issued (PocketBase's `POST /api/settings/apple/generate-client-secret`).
 * Claims as Apple documents them: `iss` the 10-character team id, `sub` the client (Service) id,
 * `aud` https://appleid.apple.com, `iat`/`exp`, and the 10-character key id as the header `kid`.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { badRequest, fieldError, validationError, type FieldError } from '../../shared/errors.ts';

/** Apple refuses client secrets valid for longer than six months. */
export const MAX_APPLE_SECRET_SECONDS = 15_777_000;
const PRIVATE_KEY_PEM = /-----BEGIN PRIVATE KEY----[\s\S]+-----END PRIVATE KEY-----/m;

export interface AppleSecretInput {
  clientId: string;
  teamId: string;
  keyId: string;
  privateKey: string;
  /** Seconds the secret stays valid. */
  duration: number;
}

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

function check(body: Record<string, unknown>): AppleSecretInput {
  const errors: Record<string, FieldError> = {};
  const text = (name: string, length?: number): string => {
    const v = body[name];
    if (v === undefined || v === null || v === '') {
      errors[name] = fieldError('validation_required', 'Cannot be blank.');
      return '';
    }
    if (typeof v !== 'string') {
      errors[name] = fieldError('validation_invalid_value', 'Must be a string.');
      return '';
    }
    if (length !== undefined && v.length !== length) errors[name] = fieldError('validation_length_invalid', `The length must be exactly ${length}.`);
    return v;
  };
  const clientId = text('clientId');
  const teamId = text('teamId', 10);
  const keyId = text('keyId', 10);
  const privateKey = text('privateKey');
  if (privateKey && !PRIVATE_KEY_PEM.test(privateKey)) errors.privateKey = fieldError('validation_match_invalid', 'Must be a PEM "PRIVATE KEY" block.');
  const d = body.duration;
  let duration = 0;
  if (d === undefined || d === null || d === 0) errors.duration = fieldError('validation_required', 'Cannot be blank.');
  else if (typeof d !== 'number' || !Number.isInteger(d)) errors.duration = fieldError('validation_invalid_value', 'Must be a whole number of seconds.');
  else if (d < 1) errors.duration = fieldError('validation_min_greater_equal_than_required', 'Must be no less than 1.');
  else if (d > MAX_APPLE_SECRET_SECONDS) errors.duration = fieldError('validation_max_less_equal_than_required', `Must be no greater than ${MAX_APPLE_SECRET_SECONDS}.`);
  else duration = d;
  if (Object.keys(errors).length) throw validationError('An error occurred while validating the submitted data.', errors);
  return { clientId, teamId, keyId, privateKey, duration };
}

function ecKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem.trim());
  } catch {
    throw badRequest('Failed to generate the client secret: the private key cannot be read.');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw badRequest('Failed to generate the client secret: the private key must be an EC P-256 key.');
  }
  return key;
}

/** The secret for a request body; a 400 with field errors when the body is not a valid request. */
export function generateAppleClientSecret(body: Record<string, unknown>, nowMs = Date.now()): string {
  const input = check(body);
  const key = ecKey(input.privateKey);
  const iat = Math.floor(nowMs / 1000);
  const header = b64url(JSON.stringify({ alg: 'ES256', kid: input.keyId, typ: 'JWT' }));
  const claims = b64url(JSON.stringify({ iss: input.teamId, sub: input.clientId, aud: ['https://appleid.apple.com'], iat, exp: iat + input.duration }));
  const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' });
  return `${header}.${claims}.${b64url(signature)}`;
}
