import { corpusSuite } from './corpus.js';

corpusSuite('mutex', 'mutex.ts', { minWrong: 6, minRight: 2 });
