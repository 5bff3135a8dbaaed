import { RateLimitedError } from '../../platform/errors/app-error';

/** Test-mode requests of one account beyond TEST_RATE_LIMIT_POINTS per window (whatever its number of keys). */
export class TestModeRateLimitedError extends RateLimitedError {
  constructor(retryAfterS: number) {
    super(retryAfterS);
    this.message = `Too many test-mode requests for this account. Retry after ${retryAfterS} s.`;
  }
}
