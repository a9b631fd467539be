// SCRATCH (not committed): a throwaway implementation of the §6 protocol in front of a real Hearth, to exercise the client.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HearthServer } from '@hearth/server';

interface Sub { id: string; collection: string; recordId?: string; filter?: string; expand?: string; known: Set<string> }
interface Conn { ws: WebSocket; token: string; subs: Map<string, Sub>; queue: Promise<void> }

export async function startProxy(target: string, server: HearthServer) {
  const conns = new Set<Conn>();
  const http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'authorization']) if (req.headers[h]) headers[h] = String(req.headers[h]);
    const r = await fetch(target + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'text/plain' });
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/api/realtime/ws')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });
  const maxSeq = () => (server.db.get('SELECT max(seq) AS s FROM "_changes"') as { s: number | null })?.s ?? 0;
  const send = (c: Conn, m: object) => c.ws.readyState === 1 && c.ws.send(JSON.stringify(m));
  async function matches(c: Conn, sub: Sub, id: string) {
    const f = `(${sub.filter || 'id != ""'}) && id = "${id}"`;
    const q = new URLSearchParams({ filter: f, ...(sub.expand ? { expand: sub.expand } : {}) });
    const r = await fetch(`${target}/api/collections/${sub.collection}/records?${q}`, { headers: c.token ? { authorization: c.token } : {} });
    if (!r.ok) return { error: (await r.json()) as { status: number; message: string } };
    return { record: ((await r.json()) as { items: object[] }).items[0] ?? null };
  }
  async function deliver(c: Conn, sub: Sub, seq: number, action: string, id: string, data: object) {
    if (sub.recordId && sub.recordId !== id) return;
    if (action === 'delete') {
      if (sub.known.has(id) || !sub.filter) send(c, { type: 'change', id: sub.id, seq, action, record: data });
      sub.known.delete(id);
      return;
    }
    const m = await matches(c, sub, id);
    if ('error' in m) return;
    if (m.record) {
      send(c, { type: 'change', id: sub.id, seq, action: sub.known.has(id) ? 'update' : sub.filter ? 'create' : action, record: m.record });
      sub.known.add(id);
    } else if (sub.known.has(id)) {
      sub.known.delete(id);
      send(c, { type: 'change', id: sub.id, seq, action: 'delete', record: { ...data, id } });
    }
  }
  server.events.on('recordChanged', (e) => {
    for (const c of conns) {
      c.queue = c.queue.then(async () => {
        for (const sub of c.subs.values()) if (sub.collection === e.collectionName) await deliver(c, sub, e.seq, e.action, String(e.record.id), e.record);
      });
    }
  });
  function onConnection(ws: WebSocket) {
    const c: Conn = { ws, token: '', subs: new Map(), queue: Promise.resolve() };
    conns.add(c);
    ws.on('close', () => conns.delete(c));
    ws.on('message', (raw) => {
      const m = JSON.parse(String(raw));
      c.queue = c.queue.then(async () => {
        if (m.type === 'auth') c.token = m.token;
        else if (m.type === 'ping') send(c, { type: 'pong' });
        else if (m.type === 'unsubscribe') c.subs.delete(m.id);
        else if (m.type === 'subscribe') {
          const sub: Sub = { id: m.id, collection: m.collection, recordId: m.recordId, filter: m.filter, expand: m.expand, known: new Set() };
          const probe = await matches(c, sub, 'x');
          if ('error' in probe) return send(c, { type: 'error', id: m.id, status: probe.error.status, message: probe.error.message });
          const q = new URLSearchParams({ perPage: '1000', fields: 'id', ...(sub.filter ? { filter: sub.filter } : {}) });
          const r = await fetch(`${target}/api/collections/${sub.collection}/records?${q}`, { headers: c.token ? { authorization: c.token } : {} });
          for (const it of ((await r.json()) as { items: { id: string }[] }).items) sub.known.add(it.id);
          c.subs.set(m.id, sub);
          const seq = maxSeq();
          if (typeof m.since === 'number' && (globalThis as any).RESYNC) {
            send(c, { type: 'resync', id: m.id });
            return;
          }
          if (typeof m.since === 'number') {
            const rows = server.db.all('SELECT seq, recordId, action, data FROM "_changes" c JOIN "_collections" k ON k.id = c.collectionId WHERE seq > ? AND k.name = ? ORDER BY seq', [m.since, m.collection]) as Array<{ seq: number; recordId: string; action: string; data: string | null }>;
            for (const r of rows) await deliver(c, sub, r.seq, r.action, r.recordId, r.data ? JSON.parse(r.data) : { id: r.recordId });
          }
          send(c, { type: 'subscribed', id: m.id, seq });
        }
      });
    });
    send(c, { type: 'ready', seq: maxSeq() });
  }
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    dropAll() { for (const c of conns) c.ws.terminate(); },
    async close() { for (const c of conns) c.ws.terminate(); await new Promise((r) => http.close(r)); },
  };
}
