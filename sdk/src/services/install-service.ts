/**
 * `client.install`: first run. While an instance has no superuser, the first one can be created
 * from the server's own machine, or elsewhere with the one-time token `hearth serve` prints.
 */
import type { ClientCore } from '../core.ts';
import type { RequestOptions } from '../transport/send.ts';

export interface FirstSuperuser {
  email: string;
  password: string;
  passwordConfirm: string;
  /** The install token (from the printed `/_/#/install/TOKEN` link); not needed on loopback. */
  token?: string;
}

export class InstallService {
  #core: ClientCore;

  constructor(core: ClientCore) {
    this.#core = core;
  }

  /** True while the instance has no superuser. */
  async needed(options: RequestOptions = {}): Promise<boolean> {
    const answer = await this.#core.send<{ needed: boolean }>('/api/install', { ...options, token: null });
    return answer.needed;
  }

  /** Creates the first superuser (then sign in with `client.auth('_superusers')`). */
  async createSuperuser(data: FirstSuperuser, options: RequestOptions = {}): Promise<void> {
    await this.#core.send('/api/install', { ...options, method: 'POST', body: data, token: null });
  }
}
