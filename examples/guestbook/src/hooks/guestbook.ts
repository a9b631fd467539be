/**
 * The guestbook's server-side logic, loaded by `hearth serve --hooks ./src/hooks`:
 *  - a before-create hook that creates the `entries` collection's rules in code: trims the
 *    message, refuses links, and stamps the signed-in author;
 *  - a custom route GET /api/guestbook/stats (documented in /api/openapi.json);
 *  - a cron job that removes entries older than 30 days, once an hour.
 */
import type { HearthHooks } from '@hearth/server/hooks';

const RETENTION_DAYS = 30;

export default (hearth: HearthHooks) => {
  hearth.onRecordBeforeCreate('entries', (e) => {
    const message = String(e.body.message ?? '').trim();
    if (/https?:\/\//i.test(message)) throw new hearth.ApiError(400, 'Links are not allowed in the guestbook.');
    e.body.message = message;
    e.body.author = e.auth && !e.auth.isSuperuser ? e.auth.record.id : '';
  });

  hearth.onRecordAfterCreate('entries', (e) => {
    e.app.logger.info(`guestbook: new entry ${e.record.id}`);
  });

  hearth.routerAdd(
    'GET',
    '/api/guestbook/stats',
    async (e) => {
      const page = await e.app.records.system.list('entries', { perPage: '1' });
      return { entries: page.totalItems };
    },
    {
      rateLimit: { limit: 60, windowSeconds: 60 },
      openapi: {
        operationId: 'guestbookStats',
        responses: {
          '200': {
            description: 'How many entries the guestbook has',
            content: { 'application/json': { schema: { type: 'object', properties: { entries: { type: 'integer' } }, required: ['entries'] } } },
          },
        },
      },
    },
  );

  hearth.cronAdd('guestbook_cleanup', '0 * * * *', async () => {
    const cutoff = new Date(Date.now() - RETENTION_DAYS * 86_400_000).toISOString().replace('T', ' ');
    const old = await hearth.app.records.system.list('entries', { filter: `created < "${cutoff}"`, perPage: '500' });
    for (const entry of old.items) await hearth.app.records.system.delete('entries', entry.id);
    if (old.items.length > 0) hearth.app.logger.info(`guestbook: removed ${old.items.length} old entries`);
  });
};
