/**
 * The request bodies of the document, generated from the zod schemas the routes validate with (from-zod.ts):
 * fields, types, required, enums and bounds come from zod; this file adds only the prose, the defaults the
 * services apply, and the JSON Schema of each `.refine()`.
 */
import { loadConfig } from '../platform/config';
import { submitSchema } from '../features/jobs/job-input';
import { analyzeSchema, pairSchema, verifySchema } from '../features/face/face.schemas';
import { imageField } from '../platform/validation';
import { IMAGE_DESCRIPTION, LIVENESS_LIMITS } from './descriptions';
import { fromZod, type Layers, type Schema, type ZodComponent } from './from-zod';

/** The documented limits are the defaults (an operator may change them). */
const { jobs } = loadConfig({});

// The same test as platform/validation.ts (IMAGE_URL_PREFIX): leading spaces are trimmed, the scheme is any case.
const URL_PATTERN = '^\\s*[Hh][Tt][Tt][Pp][Ss]?://';

/**
 * imageField's refinements: not blank once trimmed (`\S`: what String#trim removes is exactly `\s`), and a URL
 * at most 2,048 characters without its surrounding spaces (a lookahead for the scheme, then the trimmed URL).
 */
const imageRefine: Schema = {
  pattern: '\\S',
  anyOf: [
    {
      title: 'Image URL',
      type: 'string',
      pattern: '^\\s*(?=[Hh][Tt][Tt][Pp][Ss]?://)[\\s\\S]{0,2047}\\S\\s*$',
    },
    { title: 'Base64 or data URI', type: 'string', not: { pattern: URL_PATTERN } },
  ],
};
const image = (description?: string) => ({
  refine: imageRefine,
  doc: { description: description ? `${description} ${IMAGE_DESCRIPTION}` : IMAGE_DESCRIPTION },
});

/** isoDay's refinement: YYYY-MM-DD naming a day that exists. */
const isoDayRefine: Schema = { format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };

/** Verify's options, shared by the request and the batch item (their prose is the same). */
const verifyOptionLayers = (prefix: string): Layers => ({
  [`${prefix}/properties/liveness`]: {
    doc: {
      default: 'report',
      description:
        'Presentation-attack signal on the selfie (`details.liveness`): `report` answers it, `require` also ' +
        'refuses a selfie decided `spoof` with 400 `liveness_failed` (not charged), `off` skips it. ' +
        LIVENESS_LIMITS,
    },
  },
  [`${prefix}/properties/as_of`]: {
    refine: isoDayRefine,
    doc: {
      description:
        'The day `expired` and `age` are judged on, YYYY-MM-DD (your date, e.g. the applicant\u2019s local ' +
        'day); default: today in UTC. A malformed or non-existent date is 400 `invalid_input`.',
      examples: ['2026-12-06'],
    },
  },
});

const verify: Layers = {
  '/properties/img1': image('The identity document (ID card, passport).'),
  '/properties/img2': image('The selfie: exactly one clear face.'),
  ...verifyOptionLayers(''),
  '/properties/document_fields': {
    doc: {
      default: false,
      description:
        "Also answer the document's personal fields (names, number, dates of birth and expiry, sex) in " +
        '`details.document.fields`. They are never stored or logged: the replay of an idempotent request ' +
        '(`Idempotent-Replayed: true`) is its stored answer, without them and with the holder\u2019s ' +
        '`issuing_country`, `nationality` and `age` null.',
    },
  },
};

const ACTIONS_DESCRIPTION = 'Attributes to compute, in the order results are wanted. Omitted: all four.';

const imageInput: ZodComponent = { zod: imageField('image'), layers: { '': image() } };
const submit = submitSchema(jobs.maxItems);
const jobItemSchema = submit.shape.items.element;
const item = (type: string) => ({
  doc: { description: `A ${type} item: the body of POST /v1/${type} plus \`type\`.` },
});
const jobItem: ZodComponent = {
  zod: jobItemSchema,
  layers: {
    '/oneOf/0': {
      doc: {
        description:
          'A verify item: the body of POST /v1/verify plus `type`, without `document_fields` (a batch item\u2019s ' +
          'result is stored, and document data never is: its `details.document` has the holder\u2019s ' +
          '`issuing_country`, `nationality` and `age` null).',
      },
    },
    '/oneOf/0/properties/img1': { ref: 'ImageInput' },
    '/oneOf/0/properties/img2': { ref: 'ImageInput' },
    ...verifyOptionLayers('/oneOf/0'),
    '/oneOf/1': item('lookalike'),
    '/oneOf/1/properties/img1': { ref: 'ImageInput' },
    '/oneOf/1/properties/img2': { ref: 'ImageInput' },
    '/oneOf/2': item('analyze'),
    '/oneOf/2/properties/image': { ref: 'ImageInput' },
  },
};

const components: Record<string, ZodComponent> = {
  ImageInput: imageInput,
  VerifyRequest: { zod: verifySchema, layers: verify },
  AnalyzeRequest: {
    zod: analyzeSchema,
    layers: {
      '/properties/image': image(),
      '/properties/actions': { doc: { description: ACTIONS_DESCRIPTION } },
    },
  },
  LookalikeRequest: {
    zod: pairSchema,
    layers: {
      '/properties/img1': image('The primary face.'),
      '/properties/img2': image('The face to compare with.'),
    },
  },
  JobItem: jobItem,
  JobSubmitRequest: {
    zod: submit,
    layers: {
      '/properties/items': {
        doc: {
          description:
            `Up to JOBS_MAX_ITEMS (${jobs.maxItems}) items. Items whose images are all URLs are queued for a ` +
            'worker; items with inline (base64) images run during the submission (at most ' +
            `JOBS_MAX_INLINE_ITEMS, ${jobs.maxInlineItems}), their images never stored.`,
        },
      },
      '/properties/items/items': { ref: 'JobItem' },
      '/properties/webhook_url': {
        doc: {
          description: 'Public http(s) URL notified (signed, X-DeepFace-Signature) when the job completes.',
        },
      },
    },
  },
};

export type RequestSchemaName =
  'ImageInput' | 'VerifyRequest' | 'AnalyzeRequest' | 'LookalikeRequest' | 'JobItem' | 'JobSubmitRequest';

/** The zod schema behind each generated component, with its layers (for the drift test). */
export const zodComponents = components as Record<RequestSchemaName, ZodComponent>;

/** Every request component, generated once. */
export const requestSchemas = Object.fromEntries(
  Object.entries(components).map(([name, component]) => [name, fromZod(name, component, components)]),
) as Record<RequestSchemaName, Schema>;
