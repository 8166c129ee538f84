import { corpusSuite } from './corpus.js';

// A real Redis costs a round trip per command: fewer repeated runs than the in-memory exercises.
corpusSuite('view-counter', 'views.ts', { runs: 2, minWrong: 8, minRight: 3 });
