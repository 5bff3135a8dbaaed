import { API_ERRORS, ApiError, type ApiErrorCode, errorFromResponse } from '../src/errors';

describe("the SDK's error map", () => {
  it.each(Object.keys(API_ERRORS) as ApiErrorCode[])(
    '%s becomes a typed error carrying its code, from its documented body',
    (code) => {
      const { status, envelope } = API_ERRORS[code];
      const body =
        envelope === 'published'
          ? { error: 'Published', message: 'm', status, hint: 'h', request_id: 'req_1' }
          : {
              status: status >= 500 ? 'error' : 'failed',
              result: code,
              message: 'm',
              hint: 'h',
              request_id: 'req_1',
            };
      const error = errorFromResponse(status, body);
      expect(error.code).toBe(code);
      expect(error.status).toBe(status);
      expect(error.hint).toBe('h');
      // A class of its own per status, never the catch-all.
      expect(error.constructor).not.toBe(ApiError);
    },
  );
});
