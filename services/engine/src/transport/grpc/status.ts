// Reason → gRPC status, in one table. Every failed call carries the status of its reason, details
// "<REASON>: <message>" and an encoded ErrorDetail in the trailing metadata `deepface-error-bin`.
import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { ERROR_METADATA_KEY, encodeErrorDetail, type Reason__Output } from '@deepface/proto';
import type { TaskFailure } from '../../contract/failure';

interface StatusRule {
  code: status;
  retryable: boolean;
  /** Hint for the client's backoff, when retryable. */
  retryAfterMs?: number;
}

const CLIENT_ERROR: StatusRule = { code: status.INVALID_ARGUMENT, retryable: false };

const REASON_STATUS: Readonly<Record<Reason__Output, StatusRule>> = {
  ID_REQUIRED: CLIENT_ERROR,
  SELFIE_REQUIRED: CLIENT_ERROR,
  NO_FACE: CLIENT_ERROR,
  MULTIPLE_FACES: CLIENT_ERROR,
  INVALID_IMAGE: CLIENT_ERROR,
  IMAGE_TOO_LARGE: CLIENT_ERROR,
  UNSUPPORTED_FORMAT: CLIENT_ERROR,
  FACE_TOO_SMALL: CLIENT_ERROR,
  BAD_REQUEST: CLIENT_ERROR,
  LIVENESS_FAILED: CLIENT_ERROR,
  LOW_QUALITY: CLIENT_ERROR,
  // A short queue drains in well under a second at a few hundred ms per call.
  OVERLOADED: { code: status.RESOURCE_EXHAUSTED, retryable: true, retryAfterMs: 1000 },
  // Loading takes seconds; a shutting-down instance is replaced by another behind the same address.
  NOT_READY: { code: status.UNAVAILABLE, retryable: true, retryAfterMs: 1000 },
  INTERNAL_ERROR: { code: status.INTERNAL, retryable: false },
  // A worker that failed to set a reason is a bug, not something the client did.
  REASON_UNSPECIFIED: { code: status.INTERNAL, retryable: false },
};

/** What an internal failure tells the client: the cause is in the server's logs, never in the response. */
export const INTERNAL_MESSAGE = 'internal error';

/** The gRPC error for a failure, ready for a unary callback. */
export function toServiceError(failure: TaskFailure): ServiceError {
  const rule = REASON_STATUS[failure.reason];
  const internal = rule.code === status.INTERNAL;
  const reason: Reason__Output = internal ? 'INTERNAL_ERROR' : failure.reason;
  const message = internal ? INTERNAL_MESSAGE : failure.message;
  const metadata = new Metadata();
  metadata.set(
    ERROR_METADATA_KEY,
    encodeErrorDetail({
      reason,
      message,
      image: failure.image ?? 'IMAGE_REF_UNSPECIFIED',
      retryable: rule.retryable,
      retry_after_ms: rule.retryAfterMs ?? 0,
      ...(failure.roles && !internal ? { img1_role: failure.roles.img1, img2_role: failure.roles.img2 } : {}),
      ...(failure.qualityIssues && !internal ? { quality_issues: [...failure.qualityIssues] } : {}),
    }),
  );
  const details = `${reason}: ${message}`;
  return Object.assign(new Error(details), { code: rule.code, details, metadata });
}
