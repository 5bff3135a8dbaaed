// One jest run over every package; each package keeps its own jest.config.js beside its code.
const fs = require('node:fs');
const path = require('node:path');

const roots = ['proto', 'packages', 'services', 'test', 'sdk'];
const projects = roots
  .flatMap((r) => [r, ...(fs.existsSync(r) ? fs.readdirSync(r).map((d) => path.join(r, d)) : [])])
  .filter((d) => fs.existsSync(path.join(__dirname, d, 'jest.config.js')))
  .map((d) => `<rootDir>/${d}`);

/** @type {import('jest').Config} */
module.exports = {
  projects,
  // Engine tests load real models on wasm; per-project testTimeout is ignored by jest, so it is set here.
  testTimeout: 120_000,
  // On 2 cores jest runs in band, so every native addon (onnxruntime-node, sharp, better-sqlite3) lives in this
  // process; once a run hung after "Ran all test suites" with Node's exit-time handle cleanup spinning
  // (uv_run in Environment::CleanupHandles). Exiting explicitly keeps CI from waiting on that teardown; it would
  // also hide a handle a test forgets to close, which `npx jest --detectOpenHandles` finds.
  forceExit: true,
};
