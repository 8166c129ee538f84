import { corpusSuite } from './corpus.js';

// A real database costs milliseconds per schedule: fewer repeated runs than the async exercises.
corpusSuite('idempotent-payment', 'payments.ts', { slow: true, runs: 3, minWrong: 6, minRight: 2 });
