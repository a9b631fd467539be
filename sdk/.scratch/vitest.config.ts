import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { root: '/work/main', include: ['sdk/.scratch/*.test.ts'], testTimeout: 30000, hookTimeout: 30000, pool: 'forks' } });
