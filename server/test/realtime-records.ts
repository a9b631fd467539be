/**
 * What the SSE and WebSocket realtime tests share: record writes as superuser (each asserting
 * that it succeeded), creating their collections, and the two collections both subscribe to:
 * `notes` (seen when public or by its owner) and `vault` (superusers only).
 */
import { expect } from 'vitest';
import type { RtServer } from './realtime-helpers.ts';

/** `server` is read on each call: the tests start their server in beforeAll. */
export function superuserWrites(server: () => RtServer) {
  return {
    async create(collection: string, body: Record<string, unknown>): Promise<string> {
      const t = server();
      const r = await t.api('POST', `/api/collections/${collection}/records`, body, t.adminToken);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.id;
    },
    async update(collection: string, id: string, body: Record<string, unknown>): Promise<void> {
      const t = server();
      const r = await t.api('PATCH', `/api/collections/${collection}/records/${id}`, body, t.adminToken);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    },
    async remove(collection: string, id: string): Promise<void> {
      const t = server();
      expect((await t.api('DELETE', `/api/collections/${collection}/records/${id}`, undefined, t.adminToken)).status).toBe(204);
    },
  };
}

export async function createCollections(t: RtServer, bodies: Record<string, unknown>[]): Promise<void> {
  for (const body of bodies) {
    const r = await t.api('POST', '/api/collections', body, t.adminToken);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
}

export const notesCollection = (usersId: string) => ({
  name: 'notes',
  fields: [
    { name: 'title', type: 'text' },
    { name: 'public', type: 'bool' },
    { name: 'owner', type: 'relation', collectionId: usersId, maxSelect: 1 },
  ],
  listRule: 'public = true || owner = @request.auth.id',
  viewRule: 'public = true || owner = @request.auth.id',
});

export const VAULT_COLLECTION = { name: 'vault', fields: [{ name: 'title', type: 'text' }] };
