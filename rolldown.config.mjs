// `npm run build`, after tsc: dist/processes/execa.js, a re-export of execa, becomes one module
// with execa and its dependencies inlined (see src/processes/execa.ts for why). Node's own modules
// stay imports.
import { defineConfig } from 'rolldown';

export default defineConfig({
  input: 'dist/processes/execa.js',
  platform: 'node',
  external: [/^node:/],
  output: { file: 'dist/processes/execa.js', format: 'esm' },
  logLevel: 'warn',
});
