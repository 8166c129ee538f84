import { defineConfig } from 'vitest/config';

/** Only the bench's baseline test (npm run bench times it against a cold racelings check). */
export default defineConfig({ test: { include: ['bench/**/*.test.ts'], pool: 'forks' } });
