import { corpusSuite } from './corpus.js';

// A real Redis costs a round trip per command: fewer repeated runs than the in-memory exercises.
corpusSuite('view-counter', 'views.ts', { slow: true, runs: 3, minWrong: 8, minRight: 3 });
