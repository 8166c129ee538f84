import { corpusSuite } from './corpus.js';

corpusSuite('event-bus', 'event-bus.ts', { minWrong: 6, minRight: 2 });
