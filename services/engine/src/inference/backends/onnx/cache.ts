// Exported ONNX models on disk. `pnpm --filter @deepface/engine build` runs the exporters (export:onnx) so images
// ship them; an engine started without them (or with stale ones) exports what is missing at start, from the
// weights in node_modules, in about a second: nothing is ever downloaded. A file's name carries a hash of the
// weight files it was made from and of its exporter's version, so a changed model or exporter never reuses a stale
// export.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXPORTERS, ONNX_MODEL_NAMES, type OnnxModelName } from '../../../onnx/export';

/** `dist/onnx-models` of this package (from src/ or dist/ alike): deployed with dist/. */
export const DEFAULT_CACHE_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'onnx-models');
/** Where a read-only install exports at start instead. */
const FALLBACK_CACHE_DIR = path.join(os.tmpdir(), 'deepface-onnx-models');

const keys = new Map<OnnxModelName, string>();

/** sha256 over the exporter's name and version and the bytes of every weight file it reads (16 hex digits). */
export function cacheKey(name: OnnxModelName): string {
  const known = keys.get(name);
  if (known) return known;
  const exporter = EXPORTERS[name];
  const hash = createHash('sha256').update(`${name}\0${exporter.version}\0`);
  for (const source of exporter.sources) {
    hash.update(`${source}\0`);
    hash.update(fs.readFileSync(path.join(exporter.modelDir, source)));
  }
  const key = hash.digest('hex').slice(0, 16);
  keys.set(name, key);
  return key;
}

export function modelFile(name: OnnxModelName, dir: string = DEFAULT_CACHE_DIR): string {
  return path.join(dir, `${name}-${cacheKey(name)}.onnx`);
}

/** Writes via a temporary file and a rename, so workers exporting at the same time never read half a file. */
function writeAtomic(file: string, bytes: Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
}

export interface ExportedModels {
  files: Record<OnnxModelName, string>;
  /** Models exported now (not found on disk). */
  exported: OnnxModelName[];
}

/** The cached file of every model, exporting those missing (into `dir`, or a temp dir when it is read-only). */
export function ensureExported(
  dir: string = DEFAULT_CACHE_DIR,
  names: readonly OnnxModelName[] = ONNX_MODEL_NAMES,
): ExportedModels {
  const files = {} as Record<OnnxModelName, string>;
  const exported: OnnxModelName[] = [];
  for (const name of names) {
    const file = modelFile(name, dir);
    const fallback = modelFile(name, FALLBACK_CACHE_DIR);
    if (fs.existsSync(file)) files[name] = file;
    else if (fs.existsSync(fallback)) files[name] = fallback;
    else {
      const exporter = EXPORTERS[name];
      const bytes = exporter.export(exporter.modelDir);
      try {
        writeAtomic(file, bytes);
        files[name] = file;
      } catch {
        writeAtomic(fallback, bytes);
        files[name] = fallback;
      }
      exported.push(name);
    }
  }
  return { files, exported };
}

/** Removes exports of other keys (older weights or exporters) from `dir`. */
export function pruneStale(dir: string = DEFAULT_CACHE_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  const current = new Set(ONNX_MODEL_NAMES.map((n) => path.basename(modelFile(n, dir))));
  const stale = fs.readdirSync(dir).filter((f) => f.endsWith('.onnx') && !current.has(f));
  stale.forEach((f) => fs.rmSync(path.join(dir, f), { force: true }));
  return stale;
}
