// A stand-in for src/worker.js with the same protocol (contract/tasks.ts) and no models, for pool and server
// tests. Module init plays "loading models": its default export is a Promise of the handler, as the real one's.
//
// Behaviour is steered by the request itself: the image bytes (img1 for two-image tasks) are UTF-8 JSON, or a real
// image carrying `deepface-fake:<JSON>` and a newline somewhere (e.g. in a JPEG comment, so that a gateway in front
// accepts it):
//   { "delayMs": 300 }                                  answer after a delay
//   { "evidence": { "failure": { ... } } }              fields of an `evidence` task's answer
//   { "fail": "NO_FACE", "image": "IMG2", "message": "..." }   answer a TaskFailure (also "qualityIssues": [...])
//   { "throw": "message" }                              reject inside the task
//   { "crash": "uncaught" | "exit" }                    kill the thread while the task runs
// and anything else (e.g. real image bytes) gets a canned success. An Analyze given a share port (another worker
// was idle) offers one face's crops over it, as the real worker does with two faces or more, and says in its first
// face's race whether they were run elsewhere ("shared") or declined ("own"). Per-pool knobs come from workerData.fake:
//   { initMs: number[], failInit: boolean, failWarmup: boolean, counters: Int32Array over a SharedArrayBuffer }
// where initMs[i] is the load time of the i-th thread to start, counters[0] counts started threads and
// counters[1] counts tasks the fake really ran (warm-ups excluded).
const { workerData } = require('node:worker_threads');

const fake = (workerData && workerData.fake) || {};
const counters = fake.counters instanceof Int32Array ? fake.counters : new Int32Array(2);
const index = Atomics.add(counters, 0, 1);
const initMs = Array.isArray(fake.initMs)
  ? (fake.initMs[index] ?? fake.initMs[fake.initMs.length - 1] ?? 0)
  : 0;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const MARKER = 'deepface-fake:';

function command(task) {
  const bytes = task.img1 || task.image;
  if (!bytes) return {};
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const at = text.indexOf(MARKER);
  const json = at >= 0 ? text.slice(at + MARKER.length, text.indexOf('\n', at)) : text;
  try {
    const parsed = JSON.parse(json);
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

const model = { recognition_model: 'fake', detector: 'fake', backend: 'fake', engine_version: '0' };
const area = { x: 1, y: 2, w: 30, h: 40, left_eye: null, right_eye: null };
const timings = () => ({ decode_ms: 1, total_ms: 5 });

/** The real worker's offer (contract/share.ts): one face's GEAR crop; resolves with the scheduler's answer. */
function offer(port) {
  return new Promise((resolve) => {
    port.once('message', resolve);
    port.postMessage({ race: { data: new Float32Array(3), shape: [1, 1, 1, 3] } });
  });
}

async function answer(task) {
  switch (task.op) {
    case 'verify': {
      const threshold = task.threshold ?? 0.5;
      return {
        verified: true,
        decision: 'PASSED',
        distance: 0.25,
        threshold,
        confidence: 90,
        img1_area: area,
        img2_area: area,
        model,
        timings: timings(),
      };
    }
    case 'compare':
      return {
        distance: 0.25,
        similarity: 80,
        label: 'HIGH',
        same_person: true,
        threshold: 0.5,
        model,
        timings: timings(),
      };
    case 'analyze': {
      const face = { region: area, face_confidence: 0.99 };
      if (task.actions.includes('AGE')) face.age = { age: 31, model: 'fake' };
      if (task.actions.includes('EMOTION'))
        face.emotion = { dominant: 'happy', scores: [{ label: 'happy', percent: 100 }], model: 'fake' };
      if (task.share) {
        const reply = await offer(task.share);
        task.share.close();
        face.race = { dominant: reply.race ? 'shared' : 'own', scores: [], model: 'fake' };
      }
      return { faces: [face], model, timings: timings() };
    }
    case 'race':
      return { race: [[0.2, 0.2, 0.2, 0.2, 0.2]] };
    case 'detect':
      return {
        faces: [{ area, score: 0.9, landmarks: task.skipLandmarks ? [] : [{ x: 1, y: 1 }] }],
        image_width: 100,
        image_height: 80,
        model,
        timings: timings(),
      };
    case 'represent':
      return { faces: [{ area, score: 0.9, embedding: [0.1, 0.2, 0.3] }], model, timings: timings() };
    case 'evidence': {
      // IMG1 reads as an ID card, IMG2 as a selfie; their descriptors lie 0.25 apart. A command's "evidence"
      // object replaces fields (e.g. a failure at a stage).
      const card = task.ref === 'IMG1';
      const features = card
        ? { faces: 2, faceRatio: 0.2, textLines: 9, longLines: 6, mrz: true, ghost: true }
        : { faces: 1, faceRatio: 0.5, textLines: 0, longLines: 0, mrz: false, ghost: false };
      const descriptor = new Float32Array(128);
      if (!card) descriptor[0] = 0.25;
      return {
        ref: task.ref,
        backend: 'fake',
        ...(task.roles ? { roles: card ? { features } : { features, clearFaces: 1 } } : {}),
        face: { area, detector: 'tiny', descriptor },
        timings: timings(),
        ...command(task).evidence,
      };
    }
    default:
      throw new Error(`unknown op ${task.op}`);
  }
}

async function handle(task) {
  if (task.op === 'warmup') {
    if (fake.failWarmup)
      return { ok: false, error: { reason: 'INTERNAL_ERROR', message: 'fake warm-up failed' } };
    return { ok: true, value: { backend: 'fake' } };
  }
  Atomics.add(counters, 1, 1);
  const cmd = command(task);
  if (cmd.delayMs) await sleep(cmd.delayMs);
  if (cmd.crash === 'exit') process.exit(3);
  if (cmd.crash === 'uncaught') {
    setImmediate(() => {
      throw new Error('fake crash outside the task');
    });
    return new Promise(() => {});
  }
  if (cmd.throw) throw new Error(cmd.throw);
  if (cmd.fail) {
    const error = { reason: cmd.fail, message: cmd.message || `fake ${cmd.fail}` };
    if (cmd.image) error.image = cmd.image;
    if (cmd.qualityIssues) error.qualityIssues = cmd.qualityIssues;
    return { ok: false, error };
  }
  return { ok: true, value: await answer(task) };
}

module.exports = (async () => {
  await sleep(initMs);
  if (fake.failInit) throw new Error('fake models failed to load');
  return handle;
})();
