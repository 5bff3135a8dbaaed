/** @jest-environment ./test/onnx/ort-environment.js */
// The onnx sessions' memory settings, and the face nets' batches split into runs of a bounded size (a session's
// arena keeps its largest run's memory): the same values, bit for bit, as the whole batch and as each face alone.
import type * as Ort from 'onnxruntime-node';
import { exportedModels } from '../../src/inference/backends/onnx/catalog';
import { faceRuns, OnnxNets } from '../../src/inference/backends/onnx/nets';
import { createSession, loadOrt, sessionOptions } from '../../src/inference/backends/onnx/runtime';
import type { PixelBatch } from '../../src/inference/pixels/rgb-image';

let ort: typeof Ort;
let nets: OnnxNets;

beforeAll(async () => {
  const loaded = loadOrt();
  if ('error' in loaded) throw loaded.error;
  ort = loaded.ort;
  nets = await OnnxNets.create(ort, { intraOpThreads: 1, preferCuda: false });
}, 120_000);

afterAll(() => nets.release());

/** `n` faces of `size` px with distinct pseudo-random values in [0, scale). */
function faces(n: number, size: number, scale: number): PixelBatch {
  const data = new Float32Array(n * size * size * 3);
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = (s / 2 ** 32) * scale;
  }
  return { data, shape: [n, size, size, 3] };
}

/** Face `i` of a batch, alone. */
function face(b: PixelBatch, i: number): PixelBatch {
  const [, h, w] = b.shape;
  const size = h * w * 3;
  return { data: b.data.slice(i * size, (i + 1) * size), shape: [1, h, w, 3] };
}

describe('onnx session options', () => {
  it('plan no memory patterns, keep the arena, and run sequentially without spinning threads', () => {
    const options = sessionOptions({ intraOpThreads: 2, preferCuda: false }, 'cpu');
    expect(options).toMatchObject({
      executionProviders: ['cpu'],
      intraOpNumThreads: 2,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      enableMemPattern: false,
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    // Without the arena every run pays fresh pages (the tiny detector ran 5× slower).
    expect(options.enableCpuMemArena).not.toBe(false);
    expect(sessionOptions({ intraOpThreads: 1, preferCuda: true }, 'cuda').executionProviders).toEqual([
      'cuda',
      'cpu',
    ]);
  });
});

describe('face nets run in bounded batches', () => {
  it('splits a batch into runs of at most 4 faces, GEAR one face a run', () => {
    expect(faceRuns('faceLandmark68Net', 9)).toEqual([
      [0, 4],
      [4, 4],
      [8, 1],
    ]);
    expect(faceRuns('faceRecognitionNet', 4)).toEqual([[0, 4]]);
    expect(faceRuns('gear', 3)).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
    expect(faceRuns('ageGenderNet', 0)).toEqual([]);
  });

  it('gives each face the values it gets alone, in order, on every face net', async () => {
    const n = 6;
    const crops = Array.from({ length: n }, () => ({ width: 112, height: 112 }));
    const at112 = faces(n, 112, 255);
    const chips = faces(n, 150, 255);
    const gear = faces(n, 198, 1);
    const spoof = faces(n, 128, 1);
    const live = faces(n, 32, 1);
    const alone = async <T>(b: PixelBatch, run: (one: PixelBatch) => Promise<T[]>): Promise<T[]> => {
      const out: T[] = [];
      for (let i = 0; i < n; i++) out.push(...(await run(face(b, i))));
      return out;
    };
    const oneCrop = crops.slice(0, 1);
    expect(await nets.landmarks(at112, crops)).toEqual(await alone(at112, (b) => nets.landmarks(b, oneCrop)));
    expect(await nets.descriptors(chips)).toEqual(await alone(chips, (b) => nets.descriptors(b)));
    expect(await nets.ageGender(at112)).toEqual(await alone(at112, (b) => nets.ageGender(b)));
    expect(await nets.expressions(at112)).toEqual(await alone(at112, (b) => nets.expressions(b)));
    expect(await nets.race(gear)).toEqual(await alone(gear, (b) => nets.race(b)));
    expect(await nets.antispoof(spoof)).toEqual(await alone(spoof, (b) => nets.antispoof(b)));
    expect(await nets.liveness(live)).toEqual(await alone(live, (b) => nets.liveness(b)));
  }, 60_000);

  it('gives GEAR’s whole-batch values when it runs one face at a time', async () => {
    const input = faces(3, 198, 1);
    const { session } = await createSession(ort, exportedModels().gear, {
      intraOpThreads: 1,
      preferCuda: false,
    });
    try {
      const whole = await session.run({ input: new ort.Tensor('float32', input.data, input.shape) });
      const data = whole.race_output?.data as Float32Array;
      const rows = [0, 1, 2].map((i) => Array.from(data.subarray(i * 5, (i + 1) * 5)));
      expect(await nets.race(input)).toEqual(rows);
    } finally {
      await session.release();
    }
  }, 60_000);
});
