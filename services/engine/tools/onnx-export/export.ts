// Writing the exports where the engine looks for them (src/inference/backends/onnx/catalog.ts), under names keyed
// by their weights and exporter version; removing the exports of other keys.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DEFAULT_CACHE_DIR,
  FALLBACK_CACHE_DIR,
  modelFile,
  ONNX_MODEL_NAMES,
  type OnnxModelName,
} from '../../src/inference/backends/onnx/catalog';
import { EXPORTERS } from './exporters';

/** Writes via a temporary file and a rename, so a reader never sees half a file. */
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

/** The file of every model, exporting those missing (into `dir`, or the fallback dir when it is read-only). */
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
