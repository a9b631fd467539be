/**
 * Creates the `todos` collection on a running Hearth, signed in as a superuser.
 * Usage: HEARTH_ADMIN_EMAIL=… HEARTH_ADMIN_PASSWORD=… node setup.ts [--url http://127.0.0.1:8090]
 */
import { parseArgs } from 'node:util';
import { createClient } from '@hearth/sdk';
import { defineTodos } from './todos-collection.ts';

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
  const result = await defineTodos(admin);
  console.log(`todos collection ${result} on ${values.url}`);
} catch (err) {
  console.error(`Setup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  admin.close();
}
