import { ImageFetchError } from './image-fetcher';

describe('which failed downloads a batch item may retry', () => {
  it.each([
    [new ImageFetchError('timeout'), true],
    [new ImageFetchError('status', 503), true],
    [new ImageFetchError('status', 500), true],
    [new ImageFetchError('unreachable', undefined, 'ECONNRESET'), true],
    [new ImageFetchError('unreachable', undefined, 'UND_ERR_SOCKET'), true],
    [new ImageFetchError('unreachable', undefined, 'EAI_AGAIN'), true],
    [new ImageFetchError('status', 404), false],
    [new ImageFetchError('status', 429), false],
    [new ImageFetchError('unreachable', undefined, 'ENOTFOUND'), false],
    [new ImageFetchError('unreachable', undefined, 'ECONNREFUSED'), false],
    [new ImageFetchError('unreachable', undefined, 'CERT_HAS_EXPIRED'), false],
    [new ImageFetchError('unreachable'), false],
    [new ImageFetchError('blocked'), false],
    [new ImageFetchError('too_large'), false],
    [new ImageFetchError('redirects'), false],
  ])('%s → %s', (error, retryable) => {
    expect(error.retryable).toBe(retryable);
  });
});
