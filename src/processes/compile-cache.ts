import module from 'node:module';

/**
 * Keep V8's compiled code of the modules this process loads (ours, TypeScript's) between runs:
 * compiling them is much of a cold start. `module.enableCompileCache` exists from Node 22.1; on
 * Node 20 this does nothing (its cache API works for CommonJS only, through vm.Script).
 */
export function enableCompileCache(): void {
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
}
