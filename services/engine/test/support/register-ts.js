// Lets worker threads started from the tests require the engine's TypeScript sources (the pool's worker entry):
// jest's transform applies to the test process only, not to the threads piscina starts.
// Usage: execArgv ['--require', require.resolve('./register-ts.js')].
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
  });
  module._compile(code, filename);
};
