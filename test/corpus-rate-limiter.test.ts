import { corpusSuite } from './corpus.js';

corpusSuite('rate-limiter', 'rate-limiter.ts', { minWrong: 6, minRight: 2 });
