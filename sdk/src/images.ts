import { readFile } from 'node:fs/promises';

/**
 * Where an image comes from. Plain strings are sent as they are (the API accepts an http(s) URL, a data URI or
 * base64); Buffers and Uint8Arrays are base64-encoded; `{ path }` is read from disk.
 */
export type ImageInput =
  string | Uint8Array | { path: string } | { url: string } | { base64: string } | { buffer: Uint8Array };

/** Explicit constructors, for readable call sites: `client.verify(image.file('id.jpg'), image.url(selfieUrl))`. */
export const image = {
  file: (path: string): ImageInput => ({ path }),
  url: (url: string): ImageInput => {
    if (!/^https?:\/\//i.test(url)) throw new TypeError(`not an http(s) URL: ${url}`);
    return { url };
  },
  buffer: (buffer: Uint8Array): ImageInput => ({ buffer }),
  base64: (base64: string): ImageInput => ({ base64 }),
};

/** The string the API expects for one image field. */
export async function encodeImage(input: ImageInput): Promise<string> {
  if (typeof input === 'string') return input;
  if (input instanceof Uint8Array) return Buffer.from(input).toString('base64');
  if ('path' in input) return (await readFile(input.path)).toString('base64');
  if ('url' in input) return input.url;
  if ('base64' in input) return input.base64;
  return Buffer.from(input.buffer).toString('base64');
}
