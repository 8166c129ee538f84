import { corpusSuite } from './corpus.js';

corpusSuite('lazy-pool', 'database.ts', { minWrong: 6, minRight: 2 });
