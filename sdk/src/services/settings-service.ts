/**
 * `client.settings` (superusers only): the runtime settings — application, SMTP, S3, rate
 * limits, batch, CORS, token secrets. Secrets come back blanked; send one only to change it.
 */
import type { ClientCore } from '../core.ts';
import type { RequestOptions } from '../transport/send.ts';

/** Sections as the server sends them; each is an object of its own options. */
export type Settings = Record<string, unknown>;

export class SettingsService {
  #core: ClientCore;

  constructor(core: ClientCore) {
    this.#core = core;
  }

  get(options: RequestOptions = {}): Promise<Settings> {
    return this.#core.send('/api/settings', options);
  }

  /** Deep-merges `changes` into the stored settings; answers the result. */
  update(changes: Settings, options: RequestOptions = {}): Promise<Settings> {
    return this.#core.send('/api/settings', { ...options, method: 'PATCH', body: changes });
  }

  /** Sends a test mail of `template` (verification, password-reset, email-change) to `email`. */
  async testEmail(email: string, template = 'verification', options: RequestOptions & { collection?: string } = {}): Promise<void> {
    const { collection, ...request } = options;
    await this.#core.send('/api/settings/test/email', { ...request, method: 'POST', body: { email, template, collection: collection ?? '_superusers' } });
  }
}
