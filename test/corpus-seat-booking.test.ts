import { corpusSuite } from './corpus.js';

// A real database costs milliseconds per schedule: fewer repeated runs than the async exercises.
corpusSuite('seat-booking', 'booking.ts', { runs: 3, minWrong: 6, minRight: 2 });
