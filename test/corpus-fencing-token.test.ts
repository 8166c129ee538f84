import { corpusSuite } from './corpus.js';

// A real Redis and a real PostgreSQL cost a round trip per command: fewer repeated runs than the
// in-memory exercises.
corpusSuite('fencing-token', 'report.ts', { slow: true, runs: 3, minWrong: 8, minRight: 3 });
