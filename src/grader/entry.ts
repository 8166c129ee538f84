/**
 * The grader process's entry: die with the parent first, then load the grader itself. Static
 * imports are all loaded before any module runs (the compiler, the checks: a second or more on a
 * busy machine), so the grader is imported dynamically, once the watch is on.
 */
import './die-with-parent.js';

await import('./child.js');
