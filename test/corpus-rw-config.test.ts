import { corpusSuite } from './corpus.js';

corpusSuite('rw-config', 'limits.ts', { minWrong: 6, minRight: 2 });
