import { corpusSuite } from './corpus.js';

corpusSuite('cache', 'cache.ts');
