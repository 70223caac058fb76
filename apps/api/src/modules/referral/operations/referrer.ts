import { applyReferralStep, lockReferralAsReferrer, type ReferralStatus, revokeGrants } from '@fascia/db';
import type { Tenant } from '../../../context';
import { badInput, notFound } from '../../../common/errors';
import { inClinicScope } from '../../../auth/scope';
import { parse, uuid } from '../../../common/validation';
import type { ReferralType } from '../referral.types';
import { actorOf, assertMayAct, inTenant, notifyReferralChanged, type ReferralDeps, referrerCaller, sentViews, text } from './shared';

type ReferrerAction = 'CANCEL' | 'CLOSE';

/** The referrer's own moves: CANCEL (from any open state, with a reason) and CLOSE (once completed). */
export function referrerStep(deps: ReferralDeps, tenant: Tenant, action: ReferrerAction, id: string, reason: string | null, expectedStatus: ReferralStatus | null = null): Promise<ReferralType> {
  parse(uuid, id, action === 'CANCEL' ? 'input.id' : 'id');
  const why = action === 'CANCEL' ? text(reason, 'input.reason', 2000, true) : null;
  const now = deps.clock.now();
  return inTenant(deps, tenant, async (tx) => {
    const locked = await lockReferralAsReferrer(tx, id);
    if (!inClinicScope(tenant, locked.referral.referringClinicId)) throw notFound('referral', id);
    assertMayAct(referrerCaller(tenant, locked.referral), action === 'CANCEL' ? 'cancel' : 'close');
    await applyReferralStep(tx, locked, { action, actor: await actorOf(tx, tenant), reason: why, now, expectedStatus, notify: notifyReferralChanged });
    await tx.audit({ action: `referral.${action.toLowerCase()}`, recordType: 'referral', recordId: id, detail: why ? { reason: why } : null });
    return (await sentViews(tx, tenant, [locked.referral], now))[0];
  });
}

/**
 * The client withdraws consent (recorded by the referrer): the grants are revoked at once — the
 * receiver's next read is FORBIDDEN — and both sides show "consent withdrawn"; the referral stays.
 */
export function withdrawConsent(deps: ReferralDeps, tenant: Tenant, id: string, reason: string, expectedStatus: ReferralStatus | null = null): Promise<ReferralType> {
  parse(uuid, id, 'input.id');
  const why = text(reason, 'input.reason', 2000, true);
  const now = deps.clock.now();
  return inTenant(deps, tenant, async (tx) => {
    const locked = await lockReferralAsReferrer(tx, id);
    const r = locked.referral;
    if (!inClinicScope(tenant, r.referringClinicId)) throw notFound('referral', id);
    assertMayAct(referrerCaller(tenant, r), 'withdraw the consent of');
    if (r.consentWithdrawnAt) throw badInput('input.id', 'The consent of this referral was already withdrawn.');
    await applyReferralStep(tx, locked, {
      action: 'WITHDRAW_CONSENT',
      actor: await actorOf(tx, tenant),
      reason: `Consent withdrawn: ${why}`,
      now,
      expectedStatus,
      referral: { consentWithdrawnAt: now },
      notify: notifyReferralChanged,
    });
    await revokeGrants(tx, locked, now);
    await tx.audit({ action: 'referral.consent-withdraw', recordType: 'referral', recordId: id, detail: { reason: why } });
    return (await sentViews(tx, tenant, [r], now))[0];
  });
}
