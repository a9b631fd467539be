/**
 * Baseline (a): hand-written node:http + better-sqlite3, the physical limit of this stack
 * (the router is raw-router.ts).
 */
import { createServer } from 'node:http';
import { boot, onShutdown } from './boot.ts';
import { createRawRouter } from './raw-router.ts';

const { port, handlers, close } = boot(process.argv.slice(2));
const server = createServer(createRawRouter(handlers));
server.listen(port, '127.0.0.1');
onShutdown((done) => server.close(done), close);
