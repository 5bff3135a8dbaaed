import { z } from 'zod';
import { imageField } from '../../platform/validation';
import { PUBLIC_ACTIONS } from '../face/face.presenter';
import { ACTIVITY_TYPES, ENDPOINTS } from './dashboard.service';

// The bodies and queries of the dashboard's JSON API (its messages are the page's own, not the public API's).

const email = z
  .string()
  .trim()
  .max(320)
  .pipe(z.email({ error: 'Enter a valid e-mail address.' }));
// Length bounds only; strength is zxcvbn-ts's judgement (platform/lib/password-strength.ts), in the services.
const newPassword = z
  .string()
  .min(8, { error: 'Use at least 8 characters for the password.' })
  .max(200, { error: 'Use at most 200 characters for the password.' });
export const signUpSchema = z.strictObject({
  email,
  name: z.string().trim().min(1, { error: 'Enter your name or your company’s.' }).max(200),
  password: newPassword,
});
export const signInSchema = z.strictObject({
  email,
  password: z.string().min(1, { error: 'Enter your password.' }).max(200),
});
export const resetRequestSchema = z.strictObject({ email });
export const resetSchema = z.strictObject({
  token: z.string().max(100, { error: 'This reset link is not valid.' }),
  password: newPassword,
});
export const passwordChangeSchema = z.strictObject({
  current_password: z.string().min(1).max(200),
  new_password: newPassword,
});
export const newKeySchema = z.strictObject({
  name: z.string().trim().min(1, { error: 'Name the key (e.g. "backend").' }).max(100),
  mode: z.enum(['live', 'test']).default('live'),
});
export const pairSchema = z.strictObject({ img1: imageField('img1'), img2: imageField('img2') });
export const analyzeSchema = z.strictObject({
  image: imageField('image'),
  actions: z.array(z.enum(PUBLIC_ACTIONS)).min(1).optional(),
});
export const usageQuery = z.object({ days: z.coerce.number().int().min(1).max(90).default(30) });
// Keys and usage (developer console): rename, roll, the activity list, refused calls, CSV export.
export const keyNameSchema = z.strictObject({ name: newKeySchema.shape.name });
const days = z.coerce.number().int().min(1).max(90).default(30);
const cursor = z.string().max(100).optional();
const endpointFilter = z.enum(ENDPOINTS).optional();
const pageLimit = z.coerce.number().int().min(1).max(100).default(25);
export const activityQuery = z.strictObject({
  days,
  cursor,
  key: z.string().max(40).optional(),
  endpoint: endpointFilter,
  type: z.enum(ACTIVITY_TYPES).optional(),
  limit: pageLimit,
});
export const refusedQuery = z.strictObject({
  days,
  cursor,
  endpoint: endpointFilter,
  key: z.string().max(40).optional(),
  limit: pageLimit,
});
export const exportQuery = z.strictObject({
  view: z.enum(['activity', 'refused']).default('activity'),
  days,
  endpoint: endpointFilter,
  type: z.enum(ACTIVITY_TYPES).optional(),
  key: z.string().max(40).optional(),
});
