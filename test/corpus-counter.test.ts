import { corpusSuite } from './corpus.js';

corpusSuite('counter', 'counter.ts');
