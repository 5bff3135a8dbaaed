// `pnpm --filter @deepface/engine export:onnx` (run by the package's build): exports every network to
// dist/onnx-models, keyed by the hash of its weights and exporter, and removes stale exports. A build tool: the
// engine's runtime only reads the files (src/inference/backends/onnx/catalog.ts).
import { DEFAULT_CACHE_DIR } from '../../src/inference/backends/onnx/catalog';
import { ensureExported, pruneStale } from './export';

const started = Date.now();
const { files, exported } = ensureExported(DEFAULT_CACHE_DIR);
const stale = pruneStale(DEFAULT_CACHE_DIR);
process.stdout.write(
  `onnx models in ${DEFAULT_CACHE_DIR}: ${Object.keys(files).length} (exported ${exported.length}, ` +
    `removed ${stale.length} stale) in ${Date.now() - started} ms\n`,
);
