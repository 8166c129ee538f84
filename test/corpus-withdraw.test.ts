import { corpusSuite } from './corpus.js';

// A real database costs milliseconds per schedule: fewer repeated runs than the async exercises.
corpusSuite('withdraw', 'withdraw.ts', { slow: true, runs: 3, minWrong: 4, minRight: 2 });
