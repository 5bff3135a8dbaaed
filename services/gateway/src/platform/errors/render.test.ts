import { renderError, toAppError } from './render';

describe('toAppError', () => {
  it.each([
    [{ type: 'entity.too.large', limit: 16 * 1024 * 1024 }, 413, 'payload_too_large'],
    [{ type: 'entity.parse.failed' }, 400, 'invalid_input'],
    [Object.assign(new Error('Deadlock'), { code: 'ER_LOCK_DEADLOCK' }), 503, 'service_unavailable'],
    [Object.assign(new Error('x'), { name: 'KnexTimeoutError' }), 503, 'service_unavailable'],
    [Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 503, 'service_unavailable'],
    [new TypeError('bug'), 500, 'internal_error'],
    ['a string', 500, 'internal_error'],
  ])('%p → %i %s', (error, status, code) => {
    const { appError } = toAppError(error);
    expect(appError.status).toBe(status);
    expect(appError.code).toBe(code);
  });

  it('states the body limit in readable units', () => {
    expect(toAppError({ type: 'entity.too.large', limit: 16 * 1024 * 1024 }).appError.message).toBe(
      'Request body is too large (limit 16 MiB).',
    );
    expect(toAppError({ type: 'entity.too.large', limit: 65536 }).appError.message).toBe(
      'Request body is too large (limit 64 KiB).',
    );
  });

  it('never renders the original message of an unknown error', () => {
    const { appError } = toAppError(new Error('password=hunter2 at /srv/app.js'));
    const rendered = renderError(appError, 'req_1');
    expect(JSON.stringify(rendered)).not.toMatch(/hunter2|srv/);
    expect(rendered.body).toMatchObject({ status: 'error', result: 'internal_error', request_id: 'req_1' });
  });
});
