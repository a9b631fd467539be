/**
 * Import direction of the server (see STYLE: http → domains → rules → query → shared, storage
 * domains → db → shared). `npm run lint` fails on any violation.
 */
const S = '^server/src/';
const layer = (name) => `${S}${name}/`;
const forbid = (name, from, to, comment) => ({ name, severity: 'error', comment, from: { path: from }, to: { path: to } });

module.exports = {
  forbidden: [
    forbid('shared-imports-nothing', layer('shared'), `${S}(?!shared/)`, 'shared/ is the bottom layer'),
    forbid('db-only-shared', layer('db'), `${S}(?!db/|shared/)`, 'db/ imports only shared/'),
    forbid('query-is-pure', layer('query'), `${S}(?!query/|shared/)`, 'the filter language knows no schema, storage or HTTP'),
    forbid('collections-below-rules', layer('collections'), `${S}(rules|records|auth|realtime|admin|files|hooks|http)/`, 'collections/ is the schema layer'),
    forbid('rules-below-domains', layer('rules'), `${S}(records|auth|realtime|admin|files|hooks|http)/`, 'rules/ sits under the domains'),
    forbid('records-not-up', layer('records'), `${S}(http|auth|realtime|admin|files|hooks)/`, 'records/ emits events; realtime listens'),
    forbid('auth-not-up', layer('auth'), `${S}(http|records|realtime|admin|hooks)/`, 'auth/ knows no HTTP'),
    forbid('files-not-records', layer('files'), `${S}(records|http)/`, 'files/ knows nothing of records'),
    forbid('hooks-not-http', layer('hooks'), `${S}(http|realtime|admin)/`, 'hooks/ registers routes as data; http/ mounts them'),
    forbid('realtime-not-http', layer('realtime'), `${S}http/`, 'transports live in http/'),
    forbid('only-db-touches-sqlite', `${S}(?!db/)`, 'node_modules/better-sqlite3', 'only db/ imports better-sqlite3'),
    forbid('only-db-touches-pg', `${S}(?!db/)`, 'node_modules/pg/', 'only db/ imports the Postgres driver'),
    forbid('only-http-touches-hono', `${S}(?!http/|main\\.ts|start/)`, 'node_modules/(hono|@hono|ws)/', 'only http/ (and the composition root: main.ts, start/) import hono or ws'),
    forbid('sdk-standalone', '^sdk/src/', '^(server|cli)/', 'the SDK talks to the server only over HTTP'),
    forbid('no-circular', '^(server|cli|sdk)/src/', '^(server|cli|sdk)/src/', 'no cycles'),
  ].map((r) => (r.name === 'no-circular' ? { ...r, to: { circular: true } } : r)),
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
