/**
 * `GET/PATCH /api/settings`: superusers only, secrets never sent back, validated; mail templates
 * and SMTP taken from settings at the next mail (no restart).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scalar } from './engine-state.ts';
import { startServer, type TestServer } from './harness.ts';
import { linkToken, startSmtp, type Inbox } from './auth-helpers.ts';

let t: TestServer;
let inbox: Inbox;
let userToken = '';

beforeAll(async () => {
  inbox = await startSmtp();
  t = await startServer(); // no HEARTH_SMTP_URL: SMTP comes from settings here
  await t.api('POST', '/api/collections/users/records', { email: 'set@example.com', password: 'password 123', passwordConfirm: 'password 123' });
  userToken = (await t.api('POST', '/api/collections/users/auth-with-password', { identity: 'set@example.com', password: 'password 123' })).body.token;
});
afterAll(async () => {
  await t.close();
  await inbox.close();
});

describe('settings', () => {
  it('are for superusers only', async () => {
    expect((await t.api('GET', '/api/settings')).status).toBe(401);
    expect((await t.api('GET', '/api/settings', undefined, userToken)).status).toBe(403);
    expect((await t.api('PATCH', '/api/settings', { meta: { appName: 'x' } }, userToken)).status).toBe(403);
    const res = await t.api('GET', '/api/settings', undefined, t.adminToken);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['backups', 'batch', 'logs', 'meta', 'rateLimits', 's3', 'smtp', 'superuserIPs']);
    expect(res.body.meta.resetPasswordTemplate.body).toContain('{TOKEN}');
    expect(res.body.rateLimits.rules).toEqual(expect.arrayContaining([{ label: 'auth-with-password:ip', audience: '', maxRequests: 30, duration: 60 }]));
  });

  it('never send the SMTP password back, and keep it when a PATCH leaves it out', async () => {
    const [host, port] = inbox.url.replace('smtp://', '').split(':');
    const res = await t.api('PATCH', '/api/settings', { smtp: { enabled: true, host, port: Number(port), password: 'hunter2' } }, t.adminToken);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.smtp).toMatchObject({ enabled: true, host, port: Number(port) });
    expect(res.body.smtp).not.toHaveProperty('password');
    expect(JSON.stringify((await t.api('GET', '/api/settings', undefined, t.adminToken)).body)).not.toContain('hunter2');
    await t.api('PATCH', '/api/settings', { smtp: { username: '' } }, t.adminToken);
    const stored = JSON.parse(String(await scalar(t.server.engine, `SELECT "value" FROM "_params" WHERE "key" = 'settings'`)));
    expect(stored.smtp.password).toBe('hunter2');
  });

  it('reject invalid values with 400 naming them', async () => {
    const res = await t.api('PATCH', '/api/settings', { meta: { senderAddress: 'not-an-email' }, rateLimits: { rules: [{ label: 'x', maxRequests: 0, duration: 1 }] } }, t.adminToken);
    expect(res.status).toBe(400);
    expect(res.body.data.meta.senderAddress.code).toBe('validation_is_email');
    expect(res.body.data.rateLimits.rules[0].maxRequests.code).toBe('validation_min_greater_equal_than_required');
    expect((await t.api('GET', '/api/settings', undefined, t.adminToken)).body.meta.senderAddress).not.toBe('not-an-email');
  });

  it('drive the mails: templates, app name and URL, sender, SMTP server', async () => {
    const patch = {
      meta: {
        appName: 'Acme',
        appURL: 'https://app.acme.test',
        senderName: 'Acme Support',
        senderAddress: 'support@acme.test',
        resetPasswordTemplate: { subject: 'Reset for {APP_NAME}', body: '<p>Hi {RECORD:email}, go to {APP_URL}/reset/{TOKEN}</p>' },
      },
    };
    expect((await t.api('PATCH', '/api/settings', patch, t.adminToken)).status).toBe(200);
    expect((await t.api('POST', '/api/collections/users/request-password-reset', { email: 'set@example.com' })).status).toBe(204);
    const mail = await inbox.waitFor((m) => m.to.includes('set@example.com') && m.subject === 'Reset for Acme');
    expect(mail.from).toBe('support@acme.test');
    expect(mail.text).toContain('Hi set@example.com, go to https://app.acme.test/reset/');
    const token = linkToken(mail, 'reset');
    const done = await t.api('POST', '/api/collections/users/confirm-password-reset', { token, password: 'new password 1', passwordConfirm: 'new password 1' });
    expect(done.status).toBe(204);
  });
});
