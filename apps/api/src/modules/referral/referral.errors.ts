import { ReferralStepError } from '@fascia/db';
import { AppError } from '../../common/errors';

/**
 * A refusal of the referral steps in packages/db (`ReferralStepError`: NOT_FOUND, FORBIDDEN,
 * CONFLICT, BAD_USER_INPUT with the field) as the GraphQL error a person can act on. A refusal
 * to read shared records carries its DENIED audit event, which `Db.tenant` wrote already.
 */
export function asAppError(err: unknown): unknown {
  if (err instanceof ReferralStepError) return new AppError(err.code, err.message, err.field ? { field: err.field } : {});
  return err;
}
