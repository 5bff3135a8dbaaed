// Does the selfie look as old as the document says its holder is? A report, never a refusal: the age network's
// error is large (README "Age consistency"), so the margin only flags differences that error explains rarely.
// Pure: the pair decision (ops/pair.ts) runs it on the document's age and the selfie's estimate.
import type { AgeCheck } from '@deepface/proto';

/**
 * Mean absolute error of face-api's AgeGenderNet per band of true age, as its authors published it (face-api.js
 * README, "Age Estimation and Gender Recognition": 80/20 test splits of UTK, FG-NET, ChaLearn, Wiki, IMDB, CACD,
 * MegaAge and MegaAge-Asian). `upTo` is the band's last age.
 */
export const PUBLISHED_MAE: readonly { upTo: number; mae: number }[] = [
  { upTo: 3, mae: 1.52 },
  { upTo: 8, mae: 3.06 },
  { upTo: 18, mae: 4.82 },
  { upTo: 28, mae: 4.99 },
  { upTo: 40, mae: 5.43 },
  { upTo: 60, mae: 4.94 },
  { upTo: 80, mae: 6.17 },
  { upTo: Infinity, mae: 9.91 },
];

/**
 * Those figures come from the test splits of the sets the network was trained on. No photo set here labels ages;
 * `pnpm eval age` checks them on real photos of people with public birth years (the error is at least 1.3 years on
 * average and 4.8 from the middle of each photo's window of possible ages; none beyond the margin) and measures how
 * far one person's estimates spread across their photos (SD 4.8 years), so they are used as they are. No band goes
 * below this floor: the youngest bands' small errors come from babies, who hold no documents of their own.
 */
const MAE_FLOOR = 4.5;

/**
 * The share of genuine holders the flag may call inconsistent: 1 %. With a Laplace error (what an MAE-trained
 * regression's residuals look like, and heavier-tailed than a normal one), P(|error| > m) = exp(−m / MAE), so the
 * margin is MAE × ln(100) ≈ 4.6 MAE.
 */
export const FALSE_FLAG_RATE = 0.01;

/** Years by which the estimate may differ from the document's age before it is called inconsistent. */
export function ageMargin(documentAge: number): number {
  const band = PUBLISHED_MAE.find((b) => documentAge <= b.upTo) ?? PUBLISHED_MAE[PUBLISHED_MAE.length - 1];
  const mae = Math.max(MAE_FLOOR, band?.mae ?? MAE_FLOOR);
  return Math.ceil(mae * Math.log(1 / FALSE_FLAG_RATE));
}

/** The selfie's estimated age against the document's (whole years on `as_of`). */
export function ageCheck(documentAge: number, estimatedAge: number): AgeCheck {
  const estimate = Math.round(estimatedAge);
  const margin = ageMargin(documentAge);
  return { estimated_age: estimate, margin, consistent: Math.abs(estimate - documentAge) <= margin };
}
