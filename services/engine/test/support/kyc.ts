// The ordinary captures the engine tests share (the evaluation covers the hard ones): a scanned ID card, a
// passport page photographed on a desk with a grey portrait and a ghost image, and a selfie on a plain wall.
import { makeDocument, makeSelfie } from '@deepface/fixtures';

/** A copy of a fixture's bytes as the engine takes them. */
export const bytes = (b: Buffer): Uint8Array => new Uint8Array(b);

export const idCard = (person = 'leonard', photoIndex = 1, seed = 1) =>
  makeDocument({ seed, person, photoIndex, layout: 'id1-left-mrz', capture: 'scan', portrait: 'colour' });

export const passport = (person: string, photoIndex: number, seed = 2) =>
  makeDocument({
    seed,
    person,
    photoIndex,
    layout: 'passport-td3',
    capture: 'desk-wood',
    portrait: 'grey',
    ghost: true,
    plan: { rotation: 4, blur: 0 },
  });

export const selfie = (person = 'leonard', photoIndex = 3, seed = 3) =>
  makeSelfie({ seed, person, photoIndex, background: 'wall', faceFraction: 0.45, rotation: 2 });
