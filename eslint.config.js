// Lint rules that need type information and that tsc does not check. `npm run lint` runs it.
// no-floating-promises: a promise that is neither awaited, returned nor handled (`void p`,
// `.catch`) is an error — with the db on an async engine, a missed await is a lost write or an
// unhandled rejection. no-misused-promises (conditionals, spreads): `if (engine.get(…))` without
// await is always true.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dashboard/**', 'examples/**', 'sdk/**', 'bench/**', 'scripts/**'] },
  {
    files: ['server/src/**/*.ts', 'cli/src/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
);
