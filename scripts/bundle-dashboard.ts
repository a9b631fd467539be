/** Points the server at dist/dashboard (beside the bundle) when it exists and nothing else was set. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const beside = join(__dirname, 'dashboard');
if (!process.env.HEARTH_DASHBOARD_DIR && existsSync(join(beside, 'index.html'))) process.env.HEARTH_DASHBOARD_DIR = beside;
