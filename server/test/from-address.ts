/**
 * HTTP requests sent from a chosen local address: on Linux every 127.x.y.z is loopback, so a test
 * can be a client from 127.0.0.2 to a server on 127.0.0.1 — a real other address, no proxy.
 */
import { request } from 'node:http';

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
