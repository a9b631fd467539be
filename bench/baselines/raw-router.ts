/**
 * The raw baselines' request handling (node:http): a string-compare router, the body read into
 * one buffer, JSON.stringify on the way out. Handlers answer at once (better-sqlite3) or with a
 * promise (`pg`); raw-server.ts and raw-pg-server.ts differ only in the handlers they pass.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './handlers.ts';

type Answer = Reply | Promise<Reply>;
type Query = (name: string) => string | undefined;

export interface RawHandlers {
  viewPost(id: string): Answer;
  listPosts(query: Query): Answer;
  createMessage(auth: string | undefined, body: unknown): Answer;
  updateItem(auth: string | undefined, id: string, body: unknown): Answer;
  deleteItem(auth: string | undefined, id: string): Answer;
}

const PREFIX = '/api/collections/';

function sendNow(res: ServerResponse, reply: Reply): void {
  if (reply.body === null) {
    res.writeHead(reply.status);
    res.end();
    return;
  }
  const json = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

function send(res: ServerResponse, answer: Answer): void {
  if (!(answer instanceof Promise)) return sendNow(res, answer);
  answer.then(
    (reply) => sendNow(res, reply),
    (err: unknown) => sendNow(res, { status: 500, body: { status: 500, message: String(err), data: {} } }),
  );
}

export function createRawRouter(handlers: RawHandlers): (req: IncomingMessage, res: ServerResponse) => void {
  function readJson(req: IncomingMessage, then: (body: unknown) => void): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = null;
      }
      then(body);
    });
  }

  return function route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path === '/api/health') return send(res, { status: 200, body: { status: 200, message: 'API is healthy.', data: {} } });
    if (!path.startsWith(PREFIX)) return send(res, { status: 404, body: { status: 404, message: 'Not found.', data: {} } });
    // "<collection>/records[/<id>]"
    const [collection, records, id] = path.slice(PREFIX.length).split('/');
    const auth = req.headers.authorization;
    if (records === 'records') {
      if (collection === 'posts' && req.method === 'GET') {
        if (id) return send(res, handlers.viewPost(decodeURIComponent(id)));
        const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
        return send(res, handlers.listPosts((name) => params.get(name) ?? undefined));
      }
      if (collection === 'messages' && req.method === 'POST' && !id) {
        return readJson(req, (body) => send(res, handlers.createMessage(auth, body)));
      }
      if (collection === 'items' && id && req.method === 'PATCH') {
        return readJson(req, (body) => send(res, handlers.updateItem(auth, decodeURIComponent(id), body)));
      }
      if (collection === 'items' && id && req.method === 'DELETE') return send(res, handlers.deleteItem(auth, decodeURIComponent(id)));
    }
    send(res, { status: 404, body: { status: 404, message: 'Not found.', data: {} } });
  };
}
