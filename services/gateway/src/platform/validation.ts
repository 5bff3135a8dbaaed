import { z } from 'zod';
import { InvalidInputError } from './errors/app-error';

/** Parses a body with a zod schema; the first problem becomes a 400 invalid_input with a readable message. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidInputError('Request body must be a JSON object.');
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  if (issue?.code === 'unrecognized_keys') {
    throw new InvalidInputError(`Unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}.`);
  }
  const message = issue?.message ?? 'Invalid request.';
  throw new InvalidInputError(field && !message.startsWith(field) ? `${field}: ${message}` : message);
}

/**
 * The same for the dashboard's forms: the message is for a person and carries no field prefix; the field goes in
 * `details.field`, so the page shows the message under that field and moves focus to it.
 */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  try {
    return parseBody(schema, body);
  } catch (error) {
    const issue = body && typeof body === 'object' ? schema.safeParse(body).error?.issues[0] : undefined;
    const field = issue && issue.code !== 'unrecognized_keys' ? issue.path.join('.') : '';
    if (!(error instanceof InvalidInputError) || !issue || !field) throw error;
    throw new InvalidInputError(issue.message).withDetails({ field });
  }
}

/**
 * Longest image URL accepted, as browsers and CDNs commonly cap them. Checked with the body, before anything else
 * sees the URL: a longer one is never downloaded, stored (a batch item's input column) or logged.
 */
export const MAX_IMAGE_URL_LENGTH = 2048;
/** What the image service treats as a URL (it trims the field first). */
export const IMAGE_URL_PREFIX = /^\s*https?:\/\//i;

export const imageField = (name: string) =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? `${name} is required.`
          : `${name} must be a string: an image URL or base64.`,
    })
    .refine((s) => s.trim().length > 0, { message: `${name} must not be empty.` })
    .refine((s) => !IMAGE_URL_PREFIX.test(s) || s.trim().length <= MAX_IMAGE_URL_LENGTH, {
      message: `${name} must be at most ${MAX_IMAGE_URL_LENGTH} characters when it is a URL.`,
    });

/** A calendar day, `YYYY-MM-DD`, that exists (no 2025-02-30). */
export const isoDay = (name: string) =>
  z.string({ error: () => `${name} must be a date as YYYY-MM-DD, e.g. "2026-12-06".` }).refine(
    (s) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
      if (!m) return false;
      // setUTCFullYear, not Date.UTC: the latter reads the years 0-99 as 1900-1999.
      const d = new Date(0);
      d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      return (
        d.getUTCFullYear() === Number(m[1]) &&
        d.getUTCMonth() === Number(m[2]) - 1 &&
        d.getUTCDate() === Number(m[3])
      );
    },
    { message: `${name} must be an existing date as YYYY-MM-DD, e.g. "2026-12-06".` },
  );
