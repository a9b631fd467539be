/**
 * Creates the `todos` collection on a running Hearth, signed in as a superuser.
 * Usage: HEARTH_ADMIN_EMAIL=… HEARTH_ADMIN_PASSWORD=… node setup.ts [--url http://127.0.0.1:8090]
 */
import { runSuperuserSetup } from '../shared/superuser-setup.ts';
import { defineTodos } from './todos-collection.ts';

await runSuperuserSetup(async (admin) => `todos collection ${await defineTodos(admin)}`);
