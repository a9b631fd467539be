/**
 * `/api/settings` (superusers only): `GET`/`PATCH` the runtime settings (secrets left out),
 * `POST /test/email` sends a sample auth mail, `POST /test/s3` checks an S3 configuration,
 * `POST /apple/generate-client-secret` signs a Sign in with Apple client secret.
 */
import { Hono, type Context } from 'hono';
import { authMailSettings, sendTestEmail, type S3Settings, type SettingsStore } from '../../admin/index.ts';
import { generateAppleClientSecret, ipListMatcher, isIpOrSubnet, type Mailer } from '../../auth/index.ts';
import { badRequest, fieldError, validationError } from '../../shared/errors.ts';
import { readBody } from '../body.ts';
import { callerIp, type HearthEnv } from '../context.ts';
import { requireSuperuser } from '../guards.ts';

export interface SettingsRouteDeps {
  settings: SettingsStore;
  mailer: Mailer;
  /** Connects to the bucket with this configuration; throws with the reason when it cannot. */
  testS3?: (config: S3Settings) => Promise<void>;
  /** Socket addresses whose X-Forwarded-For is believed (the caller's address for `superuserIPs`). */
  trustedProxies?: readonly string[];
}

/**
 * A `superuserIPs` list that leaves out the address of the superuser sending it would lock that
 * superuser out with their own request: refused, so the list can only be narrowed from inside it.
 */
function assertKeepsCaller(c: Context, body: Record<string, unknown>, trustedProxies: readonly string[]): void {
  const list = body.superuserIPs;
  if (!Array.isArray(list) || list.length === 0 || !list.every((e) => typeof e === 'string' && isIpOrSubnet(e))) return;
  const ip = callerIp(c, trustedProxies);
  if (ipListMatcher(list as string[])(ip)) return;
  throw validationError('An error occurred while saving the new settings.', {
    superuserIPs: fieldError('validation_superuser_ip_locked_out', `The list must include your own address (${ip}), or this request would lock you out.`),
  });
}

const FILESYSTEMS = { storage: 's3', backups: 'backups' } as const;

export function settingsRoutes(deps: SettingsRouteDeps): Hono<HearthEnv> {
  const { settings } = deps;
  const app = new Hono<HearthEnv>();
  app.use('/api/settings', requireSuperuser);
  app.use('/api/settings/*', requireSuperuser);
  app.get('/api/settings', (c) => c.json(settings.toWire()));
  app.patch('/api/settings', async (c) => {
    const body = await readBody(c);
    assertKeepsCaller(c, body, deps.trustedProxies ?? []);
    await settings.update(body);
    return c.json(settings.toWire());
  });
  app.post('/api/settings/apple/generate-client-secret', async (c) => c.json({ secret: generateAppleClientSecret(await readBody(c)) }));
  app.post('/api/settings/test/email', async (c) => {
    await sendTestEmail(deps.mailer, authMailSettings(settings.get()), await readBody(c));
    return c.body(null, 204);
  });
  app.post('/api/settings/test/s3', async (c) => {
    const body = await readBody(c);
    const fs = typeof body.filesystem === 'string' ? body.filesystem : '';
    if (!fs) throw validationError('Failed to test the S3 filesystem.', { filesystem: fieldError('validation_required', 'Cannot be blank.') });
    if (!(fs in FILESYSTEMS)) throw validationError('Failed to test the S3 filesystem.', { filesystem: fieldError('validation_in_invalid', 'Must be a valid value.') });
    const current = settings.get();
    const config = fs === 'storage' ? current.s3 : current.backups.s3;
    if (!config.enabled) throw badRequest('Failed to test the S3 filesystem: S3 storage is not enabled.');
    if (!deps.testS3) throw badRequest('Failed to test the S3 filesystem: S3 is not supported by this server.');
    try {
      await deps.testS3(config);
    } catch (err) {
      throw badRequest(`Failed to test the S3 filesystem. Raw error: \n${err instanceof Error ? err.message : String(err)}`);
    }
    return c.body(null, 204);
  });
  return app;
}
