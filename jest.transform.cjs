// The transform of every jest project: TypeScript through @swc/jest, and the workspace's built JavaScript as it is,
// both with the hot built-ins bound once per module.
//
// Jest runs each test file's modules in a vm context, whose global object answers every lookup through Node's
// interceptor instead of V8's cached global access: in a hot loop `Math.max(...)` cost ~100× what it costs in a plain
// process (4 M calls: 2.1 s against 0.02 s), an engine Verify ran ~5× slower under jest than in tsx, and the fixture
// generators (test/fixtures/dist) as much. A module-level binding is read like any local variable. Only built-ins
// that jest never replaces are bound (not timers, not Date, which fake timers swap), and they are the context's own
// objects: nothing else changes. The line goes after a hashbang and "use strict", on their line, so no line moves.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { createTransformer: swcTransformer } = require('@swc/jest');

const BUILT_INS = [
  'Math',
  'Number',
  'Infinity',
  'NaN',
  'Array',
  'Object',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
];
const BINDINGS = `const { ${BUILT_INS.join(', ')} } = globalThis;`;
const STRICT = /^(['"])use strict\1;/;

const hash = (text) => createHash('sha1').update(text).digest('hex');
// Cached transforms are keyed on this file too: a change here must not reuse them.
const SELF = hash(readFileSync(__filename));

/** Where the bindings go: after a hashbang line and "use strict", on their line (no line moves). */
function insertionPoint(code) {
  const newline = code.indexOf('\n');
  const start = !code.startsWith('#!') ? 0 : newline < 0 ? code.length : newline + 1;
  const strict = STRICT.exec(code.slice(start));
  return start + (strict ? strict[0].length : 0);
}

function withBindings(result) {
  const at = insertionPoint(result.code);
  return { ...result, code: `${result.code.slice(0, at)}${BINDINGS}${result.code.slice(at)}` };
}

module.exports = {
  /**
   * `options` are @swc/jest's, for TypeScript; `{ bindingsOnly: true }` (for the workspace's built JavaScript, e.g.
   * @deepface/fixtures' dist/, which tsc already compiled to CommonJS) only inserts the bindings.
   */
  createTransformer(options) {
    if (options?.bindingsOnly)
      return {
        process: (src) => withBindings({ code: src }),
        getCacheKey: (src, filename) => `${hash(src)}:${filename}:${SELF}`,
      };
    const swc = swcTransformer(options);
    return {
      ...swc,
      process: (src, filename, jestOptions) => withBindings(swc.process(src, filename, jestOptions)),
      processAsync: async (src, filename, jestOptions) =>
        withBindings(await swc.processAsync(src, filename, jestOptions)),
      getCacheKey: (src, filename, ...rest) => `${swc.getCacheKey(src, filename, ...rest)}:${SELF}`,
    };
  },
  /** Every project's `transform` (its jest.config.js): the one place that says which files go through this. */
  transform: {
    '^.+\\.ts$': [__filename, { jsc: { target: 'es2022' } }],
    '^.+\\.js$': [__filename, { bindingsOnly: true }],
  },
};
