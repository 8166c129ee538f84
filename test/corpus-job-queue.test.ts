import { vi } from 'vitest';
import { corpusSuite } from './corpus.js';

// Wall time, not cost: a run explores a few hundred schedules on a real server, which takes seconds of
// CPU but much longer on a shared, loaded machine (the cost is judged by CPU time, see the report).
vi.setConfig({ testTimeout: 600_000 });
// A real database costs milliseconds per schedule: fewer repeated runs than the async exercises.
corpusSuite('job-queue', 'jobs.ts', { slow: true, runs: 3, minWrong: 6, minRight: 2 });
