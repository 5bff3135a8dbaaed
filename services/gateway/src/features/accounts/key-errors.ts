import { AppError } from '../../platform/errors/app-error';

/**
 * Key management refusals (dashboard and admin CLI): part of the same closed taxonomy, rendered by the one error
 * middleware in the envelope `{status, result, message, request_id}`.
 */
export class KeyNameTakenError extends AppError {
  readonly code = 'key_name_taken';
  constructor(name: string) {
    super(
      `An active key is already named “${name}” (names are compared ignoring case). Choose another name, or roll or revoke that key.`,
    );
  }
}

export class KeyRevokedError extends AppError {
  readonly code = 'key_revoked';
  constructor() {
    super('This key is revoked: it can no longer be renamed or rolled. Create a new key instead.');
  }
}
