import { corpusSuite } from './corpus.js';

// Every grade starts worker threads: the corpus fixes run twice each, the shipped exercise and the
// solution 20 times.
corpusSuite('shared-counter', 'counter.ts', { slow: true, minWrong: 8, fixRuns: 2, timeoutMs: 240_000 });
