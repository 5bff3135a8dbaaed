import { z } from 'zod';
import { imageField, isoDay } from '../../platform/validation';
import { LIVENESS_OPTIONS, PUBLIC_ACTIONS } from './face.presenter';

/** The bodies of POST /v1/verify, /v1/lookalike and /v1/analyze (the playground takes the pair and analyze ones). */
export const pairSchema = z.strictObject({ img1: imageField('img1'), img2: imageField('img2') });

/** Verify's options that a batch item takes too (not `document_fields`: a batch item's result is stored). */
export const verifyItemOptions = {
  as_of: isoDay('as_of').optional(),
  liveness: z
    .enum(LIVENESS_OPTIONS, { error: () => `liveness must be one of ${LIVENESS_OPTIONS.join(', ')}.` })
    .optional(),
};

export const verifySchema = z.strictObject({
  img1: imageField('img1'),
  img2: imageField('img2'),
  document_fields: z.boolean({ error: () => 'document_fields must be true or false.' }).optional(),
  ...verifyItemOptions,
});

export const analyzeSchema = z.strictObject({
  image: imageField('image'),
  actions: z
    .array(
      z.enum(PUBLIC_ACTIONS, {
        error: () => `actions may only contain ${PUBLIC_ACTIONS.join(', ')}.`,
      }),
      { error: () => 'actions must be an array, e.g. ["age", "gender", "race", "emotion"].' },
    )
    .min(1, { error: 'actions must not be empty.' })
    .optional(),
});
