import { corpusSuite } from './corpus.js';

corpusSuite('transfer', 'transfer.ts');
