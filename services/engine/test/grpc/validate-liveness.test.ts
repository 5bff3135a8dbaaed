// VerifyRequest.liveness → the task's option, checked once on the main thread (transport/grpc/validate.ts).
import type { VerifyRequest__Output } from '@deepface/proto';
import { checkVerify } from '../../src/transport/grpc/validate';

const LIMITS = { maxImageBytes: 1024 };
const request = (liveness: unknown): VerifyRequest__Output =>
  ({
    img1: Buffer.from([1]),
    img2: Buffer.from([2]),
    document_fields: false,
    as_of: '',
    liveness,
  }) as VerifyRequest__Output;

describe('checkVerify: liveness', () => {
  it.each([
    ['LIVENESS_MODE_UNSPECIFIED', 'report'],
    ['LIVENESS_REPORT', 'report'],
    ['LIVENESS_OFF', 'off'],
    ['LIVENESS_REQUIRE', 'require'],
    [undefined, 'report'],
  ])('%s → %s', (mode, option) => {
    const checked = checkVerify(request(mode), LIMITS);
    expect(checked.ok && checked.task.liveness).toBe(option);
  });

  it('refuses an enum number it does not know (proto-loader keeps those as numbers)', () => {
    const checked = checkVerify(request(7), LIMITS);
    expect(checked).toMatchObject({ ok: false, error: { reason: 'BAD_REQUEST' } });
  });
});
