import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXPORTERS, ONNX_MODEL_NAMES } from '../../tools/onnx-export/exporters/index';

/**
 * The on-disk cache keys exports by weights and exporter `version`, not by the exporter's code. This guard makes a
 * graph change without a version bump fail here: the committed fingerprint of each export (its version and the
 * sha256 of its bytes) must match. After a deliberate change, bump the version and run with
 * UPDATE_ONNX_FINGERPRINTS=1 to rewrite the file.
 */
const FILE = path.join(__dirname, 'export-fingerprints.json');
type Fingerprints = Record<string, { version: number; sha256: string }>;

describe('ONNX exports: a changed graph comes with a new exporter version', () => {
  const current: Fingerprints = Object.fromEntries(
    ONNX_MODEL_NAMES.map((name) => {
      const exporter = EXPORTERS[name];
      const sha256 = createHash('sha256').update(exporter.export(exporter.modelDir)).digest('hex');
      return [name, { version: exporter.version, sha256 }];
    }),
  );
  if (process.env.UPDATE_ONNX_FINGERPRINTS === '1')
    fs.writeFileSync(FILE, `${JSON.stringify(current, null, 2)}\n`);
  const committed = JSON.parse(fs.readFileSync(FILE, 'utf8')) as Fingerprints;

  it.each(ONNX_MODEL_NAMES)('%s', (name) => {
    const was = committed[name];
    const now = current[name];
    if (was && now && was.sha256 !== now.sha256)
      expect({ name, version: now.version }).not.toEqual({ name, version: was.version });
    expect(now).toEqual(was);
  });
});
