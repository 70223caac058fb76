import type { EntityManager } from 'typeorm';
import { scopeOf } from '../tenant/request-storage';
import type { TenantTx } from '../tenant/tenant-scope';

/**
 * The one door for everything that crosses an organization's boundary (docs/referrals.md).
 *
 * `throughExchange` runs `step` inside the caller's own transaction as `fascia_exchange`, the
 * role whose row-level-security policies expose only rows the current organization and user
 * are a party to (a partner's directory entry, the other side of a referral, a client's
 * consented records), then switches back to `fascia_app`. The tenant settings
 * (`fascia.org_id`, `fascia.user_id`) stay the caller's, so the policies judge the caller.
 * Callers keep their own checks in front of it; row-level security is the second lock.
 *
 * Nothing outside `packages/db/src/exchange` may switch to this role: a test greps for it.
 *
 * In an API request's transaction the role switch, the step and the switch back run as one
 * exclusive section (RequestScope.exclusive): a read request's other fields, which share the
 * connection and run concurrently, send nothing in between, so none of their statements runs
 * as fascia_exchange (nor does the step's run as fascia_app). `step` sends its statements
 * through the entity manager it is given: the section's own.
 */
export async function throughExchange<T>(tx: TenantTx, step: (em: EntityManager) => Promise<T>): Promise<T> {
  const run = async (em: EntityManager) => {
    await em.query(`SELECT set_config('role', 'fascia_exchange', true)`);
    try {
      return await step(em);
    } finally {
      await backToApp(em);
    }
  };
  const scope = scopeOf(tx.tenant);
  return scope ? scope.exclusive(tx.em, run) : run(tx.em);
}

const IN_FAILED_TRANSACTION = '25P02';

async function backToApp(em: EntityManager): Promise<void> {
  try {
    await em.query(`SELECT set_config('role', 'fascia_app', true)`);
  } catch (err) {
    // A failed statement aborted the transaction: it takes no more commands, and its rollback
    // (whole, or to the step's savepoint) undoes the role switch with everything else.
    if ((err as { code?: string }).code !== IN_FAILED_TRANSACTION) throw err;
  }
}
