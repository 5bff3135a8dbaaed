import type { ImageCause } from './codes';
import { DownloadFailedError, InvalidImageError, UnauthorizedError } from './app-error';
import { ERROR_CODES, hintFor } from './catalogue';
import { imageRole } from './hints';
import { renderError } from './render';

const CAUSES: ImageCause[] = [
  'no_face',
  'multiple_faces',
  'face_too_small',
  'unreadable',
  'unsupported_format',
  'too_large',
  'empty',
  'not_an_image_string',
  'download_failed',
  'not_a_sample',
];

describe('hints', () => {
  it.each(ERROR_CODES.map((code) => [code]))('%s has a hint: one sentence saying what to do', (code) => {
    const hint = hintFor(code);
    expect(hint).toMatch(/^[A-Z].{10,200}[.!]$/s);
    expect(hint).not.toMatch(/\n/);
  });

  it('names images by their role on verify and by their position elsewhere', () => {
    expect(imageRole('img1', 'verify')).toBe('ID document');
    expect(imageRole('img2', 'verify')).toBe('Selfie');
    expect(imageRole('img1', 'lookalike')).toBe('First image');
    expect(imageRole('img2', 'lookalike')).toBe('Second image');
    expect(imageRole('img1', undefined)).toBe('First image');
    expect(imageRole('image', 'analyze')).toBe('The image');
    expect(imageRole(undefined, 'verify')).toBe('One of the images');
  });

  it.each(CAUSES.map((cause) => [cause]))('an invalid image (%s) is named and given advice', (cause) => {
    const hint = hintFor('invalid_image', { field: 'img1', cause, operation: 'verify' });
    expect(hint).toMatch(cause === 'multiple_faces' ? /^Selfie: / : /^ID document: /);
    expect(hint).toMatch(/[.]$/);
  });

  it('renders the hint in every body, the published 401 shape included, without changing the rest', () => {
    const unsupported = new InvalidImageError('Image img1 is not a supported image. Use JPEG.', {
      field: 'img1',
      cause: 'unsupported_format',
    }).about({ operation: 'verify' });
    expect(renderError(unsupported, 'req_1').body).toEqual({
      status: 'failed',
      result: 'invalid_image',
      message: 'Image img1 is not a supported image. Use JPEG.',
      hint: 'ID document: this file type is not accepted; send it as JPEG, PNG, WebP, GIF, AVIF or TIFF.',
      request_id: 'req_1',
    });
    expect(renderError(new UnauthorizedError(), 'req_2').body).toEqual({
      error: 'Unauthorized',
      message: new UnauthorizedError().message,
      status: 401,
      hint: hintFor('unauthorized'),
      request_id: 'req_2',
    });
  });

  it('keeps the first operation an error was tagged with', () => {
    const error = new DownloadFailedError('img2', { timeoutS: 10, maxSize: '10 MB' }, false)
      .about({ operation: 'lookalike' })
      .about({ field: 'img1', operation: 'verify' });
    expect(hintFor(error.code, error.image)).toMatch(/^Second image: the URL could not be downloaded/);
  });
});
