import { AppError } from '../../platform/errors/app-error';

/**
 * The money path's errors, in the same closed taxonomy and envelope as every other (rendered by the one error
 * middleware). Kept beside the top-up service so that this feature touches no shared error file.
 */
export class TopupNotConfiguredError extends AppError {
  readonly code = 'payments_not_configured';
  constructor() {
    super('Card payments are not set up on this server. See the billing page for how to add credit.');
  }
}

/** A Stripe webhook whose Stripe-Signature header does not verify (or is missing, or too old). */
export class InvalidSignatureError extends AppError {
  readonly code = 'invalid_signature';
  constructor() {
    super('The Stripe-Signature header does not verify against this endpoint’s signing secret.');
  }
}

export class PaymentProviderError extends AppError {
  readonly code = 'payment_provider_unavailable';
  constructor() {
    super('The payment provider could not be reached. Nothing was charged. Please retry in a minute.');
  }
  override headers(): Record<string, string> {
    return { 'Retry-After': '30' };
  }
}
