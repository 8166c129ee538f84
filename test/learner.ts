import { compileLearnerFile } from '../src/sandbox/compile.js';
import { moduleFactory } from '../src/sandbox/learner-module.js';

let files = 0;

/**
 * Learner code for a test, compiled as the grader compiles an exercise (type-checked, instrumented
 * for the explorer, on virtual time): the factory gives a fresh instance for every schedule.
 */
export function learner<M>(source: string): () => M {
  const file = `/racelings-test/learner-${files++}.ts`;
  const compiled = compileLearnerFile(file, source, file);
  if (compiled.code === null)
    throw new Error(`test learner code does not compile: ${compiled.diagnostics.join('; ')}`);
  return moduleFactory<M>(compiled.code, file);
}
