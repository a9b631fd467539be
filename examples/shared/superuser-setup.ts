/**
 * The examples' setup scripts share this: it reads the server URL and a superuser's email and
 * password (flags or HEARTH_* env), signs in, runs the example's `define` step and prints what
 * it did. `define` returns the sentence to print; " on <url>" is appended.
 */
import { parseArgs } from 'node:util';
import { createClient, type HearthClient } from '@hearth/sdk';

export async function runSuperuserSetup(define: (admin: HearthClient) => Promise<string>): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env.HEARTH_URL ?? 'http://127.0.0.1:8090' },
      email: { type: 'string', default: process.env.HEARTH_ADMIN_EMAIL },
      password: { type: 'string', default: process.env.HEARTH_ADMIN_PASSWORD },
    },
  });

  if (!values.email || !values.password) {
    console.error('Set HEARTH_ADMIN_EMAIL and HEARTH_ADMIN_PASSWORD (or pass --email and --password).');
    process.exit(2);
  }

  const admin = createClient(values.url);
  try {
    await admin.auth('_superusers').signIn(values.email, values.password);
    console.log(`${await define(admin)} on ${values.url}`);
  } catch (err) {
    console.error(`Setup failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  } finally {
    admin.close();
  }
}
