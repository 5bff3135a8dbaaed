import { AppError, ServiceUnavailableError } from '../../platform/errors/app-error';

/**
 * The dashboard's errors: part of the same closed taxonomy (AppError subclasses rendered by the one error
 * middleware), in the envelope `{status, result, message, request_id}`.
 */
export class SessionRequiredError extends AppError {
  readonly code = 'session_required';
  constructor() {
    super('Please sign in.');
  }
}

export class InvalidCredentialsError extends AppError {
  readonly code = 'invalid_credentials';
  constructor() {
    super('The e-mail address or the password is not right.');
  }
}

export class CsrfError extends AppError {
  readonly code = 'csrf_failed';
  constructor() {
    super('This request did not come from the dashboard (missing or wrong CSRF token). Reload the page.');
  }
}

export class SignupsClosedError extends AppError {
  readonly code = 'signups_closed';
  constructor() {
    super('Sign-ups are closed on this server. Ask its administrator for an account.');
  }
}

export class EmailTakenError extends AppError {
  readonly code = 'email_taken';
  constructor() {
    super('An account with this e-mail address already exists. Sign in instead.');
    this.details = { field: 'email' };
  }
}

/** A new password zxcvbn-ts judges too easy to guess (platform/lib/password-strength.ts); `field` names the form field. */
export class WeakPasswordError extends AppError {
  readonly code = 'weak_password';
  constructor(reason: string, field: string) {
    super(reason);
    this.details = { field };
  }
}

/** A password reset link that is unknown, expired or already used: one answer for the three. */
export class ResetTokenInvalidError extends AppError {
  readonly code = 'reset_token_invalid';
  constructor() {
    super('This password reset link is invalid, expired or already used. Ask for a new one.');
  }
}

export class TooManyAttemptsError extends AppError {
  readonly code = 'too_many_attempts';
  constructor(readonly retryAfterS: number) {
    super(`Too many attempts. Try again in ${Math.ceil(retryAfterS / 60)} minute(s).`);
  }
  override headers(): Record<string, string> {
    return { 'Retry-After': String(this.retryAfterS) };
  }
}

/** More password checks at once than the server runs and queues (PASSWORD_HASH_*): nothing was checked. */
export class SignInBusyError extends ServiceUnavailableError {
  constructor() {
    super('Too many sign-ins at once on this server. Please try again in a few seconds.', 2);
  }
}
