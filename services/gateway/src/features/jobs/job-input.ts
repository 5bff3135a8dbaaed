import { z } from 'zod';
import { imageField } from '../../platform/validation';
import {
  LIVENESS_OPTIONS,
  type LivenessOption,
  PUBLIC_ACTIONS,
  type PublicAction,
} from '../face/face.presenter';
import { verifyItemOptions } from '../face/face.schemas';

/** One item of a batch: the body the synchronous endpoint takes, plus its `type`. */
export const JOB_ITEM_TYPES = ['verify', 'analyze', 'lookalike'] as const;
export type JobItemType = (typeof JOB_ITEM_TYPES)[number];

const actions = z
  .array(z.enum(PUBLIC_ACTIONS, { error: () => `actions may only contain ${PUBLIC_ACTIONS.join(', ')}.` }))
  .min(1, { error: 'actions must not be empty.' })
  .optional();

const itemSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('verify'),
      img1: imageField('img1'),
      img2: imageField('img2'),
      ...verifyItemOptions,
    }),
    z.strictObject({ type: z.literal('lookalike'), img1: imageField('img1'), img2: imageField('img2') }),
    z.strictObject({ type: z.literal('analyze'), image: imageField('image'), actions }),
  ],
  { error: () => `type must be one of ${JOB_ITEM_TYPES.join(', ')}.` },
);

/** A verify item's options: as POST /v1/verify's, without `document_fields`. */
export interface VerifyItemOptions {
  as_of?: string;
  liveness?: LivenessOption;
}

export type JobItemInput =
  | ({ type: 'verify'; img1: string; img2: string } & VerifyItemOptions)
  | { type: 'lookalike'; img1: string; img2: string }
  | { type: 'analyze'; image: string; actions: PublicAction[] };

export function submitSchema(maxItems: number) {
  return z.strictObject({
    items: z
      .array(itemSchema, { error: () => 'items must be an array of verify, analyze or lookalike items.' })
      .min(1, { error: 'items must not be empty.' })
      .max(maxItems, { error: `items may hold at most ${maxItems} items.` }),
    webhook_url: z
      .string({ error: () => 'webhook_url must be an https or http URL.' })
      .max(2048, { error: 'webhook_url must be at most 2048 characters.' })
      .optional(),
  });
}

export function normalizeItem(item: z.output<typeof itemSchema>): JobItemInput {
  if (item.type === 'analyze') {
    // Omitted actions mean all four, duplicates dropped: as POST /v1/analyze.
    return { type: 'analyze', image: item.image, actions: [...new Set(item.actions ?? PUBLIC_ACTIONS)] };
  }
  if (item.type === 'verify') {
    const { as_of, liveness } = item;
    return { type: 'verify', img1: item.img1, img2: item.img2, ...options({ as_of, liveness }) };
  }
  return { type: item.type, img1: item.img1, img2: item.img2 };
}

/** The options given, without undefined keys (what is stored and compared stays minimal). */
function options(o: VerifyItemOptions): VerifyItemOptions {
  return {
    ...(o.as_of !== undefined ? { as_of: o.as_of } : {}),
    ...(o.liveness !== undefined ? { liveness: o.liveness } : {}),
  };
}

const isUrl = (value: string) => /^https?:\/\//i.test(value.trim());

/** Whether an item downloads anything (each such run counts against the account's rate limit). */
export function hasUrl(item: JobItemInput): boolean {
  return item.type === 'analyze' ? isUrl(item.image) : isUrl(item.img1) || isUrl(item.img2);
}

/** An item whose every image is a URL can wait for a worker; any inline image makes it run at submission. */
export function isUrlItem(item: JobItemInput): boolean {
  return item.type === 'analyze' ? isUrl(item.image) : isUrl(item.img1) && isUrl(item.img2);
}

/** What the database keeps of an item: URLs and options for URL items, only options for inline ones. */
export function storedInput(item: JobItemInput): string {
  if (isUrlItem(item)) return JSON.stringify(item);
  if (item.type === 'analyze') return JSON.stringify({ type: item.type, actions: item.actions });
  if (item.type === 'verify') return JSON.stringify({ type: item.type, ...options(item) });
  return JSON.stringify({ type: item.type });
}

const storedSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('verify'),
    img1: z.string(),
    img2: z.string(),
    as_of: z.string().optional(),
    liveness: z.enum(LIVENESS_OPTIONS).optional(),
  }),
  z.object({ type: z.literal('lookalike'), img1: z.string(), img2: z.string() }),
  z.object({ type: z.literal('analyze'), image: z.string(), actions: z.array(z.enum(PUBLIC_ACTIONS)) }),
]);

/** A URL item's input back from the database (validated: it crossed a process boundary). */
export function parseStoredInput(json: string): JobItemInput {
  return storedSchema.parse(JSON.parse(json));
}
