/**
 * HTTP requests sent from a chosen local address: on Linux every 127.x.y.z is loopback, so a test
 * can be a client from 127.0.0.2 to a server on 127.0.0.1 — a real other address, no proxy.
 * Where the system has no such alias (macOS has only 127.0.0.1 until one is added), the tests
 * that need it are skipped, and say so by name.
 */
import { request } from 'node:http';
import { createServer } from 'node:net';

/** A second loopback address this machine can send from. */
export const OTHER_LOOPBACK = '127.0.0.2';

function canBind(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(0, address, () => server.close(() => resolve(true)));
  });
}

/** Whether {@link OTHER_LOOPBACK} exists here (always on Linux). */
export const otherLoopbackUsable: boolean = await canBind(OTHER_LOOPBACK);

export interface AddressedResponse {
  status: number;
  text: string;
}

export function requestFrom(localAddress: string, url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<AddressedResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
