// GEAR, the costliest per-face network of an Analyze, shared with an idle worker. When the scheduler gave the task
// a share port (another worker was idle), the later faces' crops are offered over it before this worker runs its
// other networks, and their probabilities are awaited last; when the offer is declined this worker runs them
// itself. GEAR reads each face on its own, so where a face runs does not change its answer.
import type { ClassResult } from '@deepface/proto';
import type { ShareAnswer, ShareOffer, SharePort } from '../../contract/share';
import type { Face } from '../detect';
import type { Nets, PixelBatch, RgbImage } from '../backends/nets';
import { predictRace, raceInput, raceResults } from '../attributes';

/** GEAR on `input` elsewhere: its rows, or undefined when declined (then run it here). */
export type RaceHelper = (input: PixelBatch) => Promise<number[][] | undefined>;

/** The helper over an Analyze task's share port. */
export function helperOver(port: SharePort): RaceHelper {
  return (input) =>
    new Promise((resolve) => {
      port.once('message', (answer: ShareAnswer) => resolve('race' in answer ? answer.race : undefined));
      // The scheduler closes its end only once the task is over; never wait on a closed port.
      port.once('close', () => resolve(undefined));
      // Cloned, not transferred: a declined offer runs here on the same input.
      const offer: ShareOffer = { race: input };
      port.postMessage(offer);
    });
}

/**
 * Faces, of n, whose GEAR the other worker runs: the later half, the larger when n is odd, since this worker
 * also runs age/gender and expressions on every face.
 */
function sharedFaces(n: number): number {
  return n >= 2 ? Math.ceil(n / 2) : 0;
}

/**
 * Builds GEAR's input of every face and, with a helper, offers the later faces' to the other worker at once;
 * the returned function runs this worker's faces and gathers all the results, in the faces' order.
 */
export function startRace(
  nets: Nets,
  image: RgbImage,
  faces: Face[],
  helper?: RaceHelper,
): () => Promise<ClassResult[]> {
  const shared = helper ? sharedFaces(faces.length) : 0;
  if (!helper || shared === 0) return () => predictRace(nets, image, faces);
  // Theirs first: the other worker starts before this one builds its own crops.
  const keep = faces.length - shared;
  const theirs = raceInput(image, faces.slice(keep));
  const offered = helper(theirs);
  const own = raceInput(image, faces.slice(0, keep));
  return async () => {
    const rows = await nets.race(own);
    const rest = (await offered) ?? (await nets.race(theirs));
    return raceResults([...rows, ...rest]);
  };
}
