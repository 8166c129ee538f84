import { corpusSuite } from './corpus.js';

corpusSuite('request-context', 'orders-page.ts', { minWrong: 6, minRight: 2 });
