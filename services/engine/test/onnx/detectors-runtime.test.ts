// The onnx backend's plumbing: thread settings for the worker pool, the exported models on disk (written by the
// build tool, found by the runtime's catalog), sessions.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheKey, exportedModels, modelFile } from '../../src/inference/backends/onnx/catalog';
import { ensureExported, pruneStale } from '../../tools/onnx-export/export';
import { createSession, loadOrt } from '../../src/inference/backends/onnx/runtime';
import { intraOpThreads } from '../../src/contract/backend';

describe('onnxruntime thread settings', () => {
  it('never gives the workers more threads than cores, and each at least one', () => {
    expect(intraOpThreads(2, 2)).toBe(1);
    expect(intraOpThreads(1, 2)).toBe(2);
    expect(intraOpThreads(2, 8)).toBe(4);
    expect(intraOpThreads(3, 8)).toBe(2);
    expect(intraOpThreads(4, 2)).toBe(1);
  });
});

describe('exported model cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-cache-test-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exports a missing model once, under a name keyed by its weights and exporter', async () => {
    const first = ensureExported(dir, ['tinyFaceDetector']);
    expect(first.exported).toEqual(['tinyFaceDetector']);
    expect(first.files.tinyFaceDetector).toBe(modelFile('tinyFaceDetector', dir));
    expect(path.basename(first.files.tinyFaceDetector)).toBe(
      `tinyFaceDetector-${cacheKey('tinyFaceDetector')}.onnx`,
    );
    const second = ensureExported(dir, ['tinyFaceDetector']);
    expect(second.exported).toEqual([]);
    // The runtime finds what the tool wrote, and refuses (naming the command) what it did not.
    expect(exportedModels([dir], ['tinyFaceDetector'])).toEqual(first.files);
    expect(() => exportedModels([dir], ['ssdMobilenetv1'])).toThrow(/ssdMobilenetv1.*export:onnx/);
    expect(fs.readdirSync(dir)).toEqual([path.basename(first.files.tinyFaceDetector)]);

    const loaded = loadOrt();
    if ('error' in loaded) throw loaded.error;
    const { session, provider } = await createSession(loaded.ort, first.files.tinyFaceDetector, {
      intraOpThreads: 1,
      preferCuda: false,
    });
    expect(provider).toBe('cpu');
    expect(session.inputNames).toEqual(['input']);
    expect(session.outputNames).toEqual(['output']);
    await session.release();
  });

  it('keys each model differently and removes exports of other keys', () => {
    expect(cacheKey('tinyFaceDetector')).toMatch(/^[0-9a-f]{16}$/);
    expect(cacheKey('tinyFaceDetector')).not.toBe(cacheKey('ssdMobilenetv1'));
    ensureExported(dir, ['tinyFaceDetector']);
    const stale = path.join(dir, 'tinyFaceDetector-0000000000000000.onnx');
    fs.writeFileSync(stale, 'old export');
    expect(pruneStale(dir)).toEqual([path.basename(stale)]);
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(modelFile('tinyFaceDetector', dir))).toBe(true);
  });
});
