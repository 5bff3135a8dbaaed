// Hand-made role features for the pair decision's tests: a card showing every document signal, a plain selfie.
import type { RoleFeatures } from '../../src/contract/evidence';

export const CARD: RoleFeatures = {
  faces: 2,
  faceRatio: 0.2,
  textLines: 12,
  fieldLines: 9,
  column: 4,
  mrz: true,
  card: true,
  ghost: true,
};

export const SELFIE: RoleFeatures = {
  faces: 1,
  faceRatio: 0.5,
  textLines: 0,
  fieldLines: 0,
  column: 0,
  mrz: false,
  card: false,
  ghost: false,
};
