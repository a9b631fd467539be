/**
 * Creates the chat collections on a running Hearth, signed in as a superuser.
 * Usage: HEARTH_ADMIN_EMAIL=… HEARTH_ADMIN_PASSWORD=… node setup.ts [--url http://127.0.0.1:8090]
 */
import { runSuperuserSetup } from '../shared/superuser-setup.ts';
import { defineChat } from './chat-collections.ts';

await runSuperuserSetup(async (admin) => {
  await defineChat(admin);
  return 'rooms, room_members and messages are ready';
});
