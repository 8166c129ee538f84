import { corpusSuite } from './corpus.js';

// A real database costs milliseconds per schedule: fewer repeated runs than the async exercises.
corpusSuite('inventory-version', 'inventory.ts', { slow: true, runs: 3, minWrong: 4, minRight: 2 });
