// `pnpm --filter @deepface/bench exec tsx src/onnx-nets.ts [iterations]`: per-call latency of each recognition-side
// net exported to ONNX (services/engine/tools/onnx-export) on onnxruntime-node with one intra-op thread, against the tfjs wasm path
// the engine runs today (its own recognition forward pass; face-api's nets; GEAR's graph model), at batch 1 and 4.
// Also prints each export's time and size. Prints figures only; never part of the test suite.
import * as ort from 'onnxruntime-node';
import {
  EXPORTERS,
  faceDescriptors,
  faceRecognitionNetParams,
  initBackend,
  sessionOptions,
  TfjsNets,
} from '@deepface/engine/tools/onnx-export';

/** face-api's networks (loaded into its module-level `nets` by TfjsNets.load) and GEAR. */
type Models = Pick<TfjsNets, 'faceapi' | 'gear'>;

// The detectors (ssdMobilenetv1, tinyFaceDetector) are measured with the whole pipeline by bench-engine.ts.
type Net = 'faceRecognitionNet' | 'faceLandmark68Net' | 'ageGenderNet' | 'faceExpressionNet' | 'gear';
const INPUT: Record<Net, { size: number; scale: number }> = {
  faceRecognitionNet: { size: 150, scale: 255 },
  faceLandmark68Net: { size: 112, scale: 255 },
  ageGenderNet: { size: 112, scale: 255 },
  faceExpressionNet: { size: 112, scale: 255 },
  gear: { size: 198, scale: 1 },
};

const median = (times: number[]): number =>
  [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? NaN;

/**
 * Median wall times (ms) of `a` and `b`, after warm-up calls. Calls alternate, so a machine busy with other work
 * slows both alike and their ratio stays meaningful.
 */
async function medians(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  iterations: number,
): Promise<[number, number]> {
  for (let i = 0; i < 3; i++) {
    await a();
    await b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < iterations; i++) {
    let t0 = performance.now();
    await a();
    ta.push(performance.now() - t0);
    t0 = performance.now();
    await b();
    tb.push(performance.now() - t0);
  }
  return [median(ta), median(tb)];
}

/** Deterministic pseudo-random pixels (a fixed LCG): latency does not depend on content, only on shapes. */
function pixels(count: number, scale: number): Float32Array {
  let s = 12345;
  return Float32Array.from({ length: count }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31) * scale;
  });
}

type Readout = { data(): Promise<unknown>; dispose(): void };

/** The tfjs wasm forward pass the engine uses for `name`, on an NHWC batch. */
function tfjsForward(models: Models, name: Net): (x: Float32Array, shape: number[]) => Promise<unknown> {
  const { faceapi } = models;
  const tf = faceapi.tf;
  const nets = faceapi.nets;
  const viaNetInput = async (
    x: Float32Array,
    shape: number[],
    run: (input: InstanceType<typeof faceapi.NetInput>) => unknown,
  ): Promise<void> => {
    // As the engine passes them: a list of face crops (here already 112 × 112).
    const batch = tf.tensor4d(x, shape as [number, number, number, number]);
    const crops = tf.unstack(batch);
    const input = await faceapi.toNetInput(crops as Parameters<typeof faceapi.toNetInput>[0]);
    const out = run(input) as Readout | Record<string, Readout>;
    const tensors = 'data' in out ? [out as Readout] : Object.values(out);
    for (const t of tensors) {
      await t.data();
      t.dispose();
    }
    crops.forEach((c) => c.dispose());
    batch.dispose();
  };
  switch (name) {
    case 'faceRecognitionNet':
      return async (x, shape) => {
        const chips = tf.tensor4d(x, shape as [number, number, number, number]);
        await faceDescriptors(chips as never, faceRecognitionNetParams());
        chips.dispose();
      };
    case 'faceLandmark68Net':
      return (x, shape) => viaNetInput(x, shape, (i) => nets.faceLandmark68Net.forwardInput(i));
    case 'ageGenderNet':
      return (x, shape) => viaNetInput(x, shape, (i) => nets.ageGenderNet.forwardInput(i));
    case 'faceExpressionNet':
      return (x, shape) => viaNetInput(x, shape, (i) => nets.faceExpressionNet.forwardInput(i));
    case 'gear':
      return async (x, shape) => {
        const input = tf.tensor4d(x, shape as [number, number, number, number]);
        const out = models.gear.execute(input as never, 'race_output') as unknown as {
          data(): Promise<unknown>;
          dispose(): void;
        };
        await out.data();
        out.dispose();
        input.dispose();
      };
  }
}

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? 20);
  const backend = await initBackend('wasm');
  const models: Models = await TfjsNets.load();
  console.log(
    `# recognition-side nets: onnxruntime-node ${ort.env.versions.node} (CPU, 1 intra-op thread) vs tfjs ${backend.name}`,
  );
  console.log('net                 export ms   MB   batch  tfjs ms  onnx ms  tfjs/onnx');
  for (const name of Object.keys(INPUT) as Net[]) {
    const exporter = EXPORTERS[name];
    const t0 = performance.now();
    const bytes = exporter.export(exporter.modelDir);
    const exportMs = performance.now() - t0;
    // The engine's own session options, on one intra-op thread.
    const session = await ort.InferenceSession.create(
      bytes,
      sessionOptions({ intraOpThreads: 1, preferCuda: false }, 'cpu'),
    );
    const forward = tfjsForward(models, name);
    const { size, scale } = INPUT[name];
    for (const batch of [1, 4]) {
      const shape = [batch, size, size, 3];
      const x = pixels(batch * size * size * 3, scale);
      const [tfjsMs, onnxMs] = await medians(
        () => forward(x, shape),
        () => session.run({ input: new ort.Tensor('float32', x, shape) }),
        iterations,
      );
      console.log(
        `${name.padEnd(20)}${batch === 1 ? exportMs.toFixed(0).padStart(9) : ''.padStart(9)}` +
          `${batch === 1 ? (bytes.length / 1e6).toFixed(1).padStart(6) : ''.padStart(6)}` +
          `${String(batch).padStart(7)}${tfjsMs.toFixed(1).padStart(9)}${onnxMs.toFixed(1).padStart(9)}` +
          `${(tfjsMs / onnxMs).toFixed(2).padStart(10)}×`,
      );
    }
    await session.release();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
