import { AccessGrant } from '../entities/access-grant.entity';
import { IntakeRecord } from '../entities/intake.entity';
import { PlanVersion } from '../entities/plan-version.entity';
import { ReassessmentRecord } from '../entities/reassessment.entity';
import { ReferralInbox } from '../entities/referral-inbox.entity';
import { SessionAddendum } from '../entities/session-addendum.entity';
import { SessionNote } from '../entities/session-note.entity';
import { TreatmentPlanRecord } from '../entities/treatment-plan.entity';
import { SHAREABLE_RECORD_TYPES, type ShareableRecordType } from '../tenant/access';
import type { TenantTx } from '../tenant/tenant-scope';
import { throughExchange } from './door';
import { ReferralStepError } from './referrals';

/**
 * The consent-scoped reader (issue 12): what the receiving side of a referral may read of the
 * referred client's records, held by the referrer's organization. One function, one door:
 *
 *  1. the caller's own inbox row of the referral (NOT_FOUND otherwise);
 *  2. through the door, a live grant of that referral to this user in this organization
 *     (not revoked — withdrawal, declining, cancelling, expiry and closing revoke it — and not past
 *     the consent's end): FORBIDDEN without one;
 *  3. for each record type asked for AND named by the grant, its rows — row-level security on the
 *     clinical tables (a live grant for that client and type) is the second lock;
 *  4. one audit event per record type read, each naming the grant and the referral (one INSERT).
 */
export interface SharedRecordsRead {
  grantId: string;
  referralId: string;
  ownerOrganizationId: string;
  clientId: string;
  /** The record types the grant names (what the client consented to share). */
  consented: ShareableRecordType[];
  /** The latest intake version. */
  intakeSummary: IntakeRecord | null;
  /** The plan under care (ACTIVE or MAINTENANCE, else the newest) and its current version. */
  currentPlan: { plan: TreatmentPlanRecord; version: PlanVersion | null } | null;
  /** What the pain/function trajectory is computed from: intakes, signed notes, re-assessments. */
  outcomeHistory: { intakes: IntakeRecord[]; notes: SessionNote[]; reassessments: ReassessmentRecord[] } | null;
  signedNotes: { notes: SessionNote[]; addenda: SessionAddendum[] } | null;
}

export async function readSharedRecords(
  tx: TenantTx,
  referralId: string,
  types: readonly ShareableRecordType[] = SHAREABLE_RECORD_TYPES,
  now: Date,
): Promise<SharedRecordsRead> {
  const inbox = await tx.repo(ReferralInbox).findOneBy({ id: referralId });
  if (!inbox) throw new ReferralStepError('NOT_FOUND', `No referral with id ${referralId} was sent to your organization.`);
  const userId = tx.tenant.userId;
  const out = await throughExchange(tx, async (em) => {
    const grant = userId
      ? await em
          .createQueryBuilder(AccessGrant, 'g')
          .where('g.organizationId = :owner AND g.referralId = :id', { owner: inbox.sourceOrganizationId, id: referralId })
          .andWhere('g.granteeUserId = :user AND g.granteeOrganizationId = :org', { user: userId, org: tx.organizationId })
          .andWhere('g.revokedAt IS NULL AND (g.expiresAt IS NULL OR g.expiresAt > :now)', { now })
          .orderBy('g.createdAt', 'DESC')
          .getOne()
      : null;
    if (!grant) {
      const why = inbox.consentWithdrawnAt
        ? 'the client withdrew their consent'
        : ['CLOSED', 'CANCELLED', 'DECLINED', 'EXPIRED'].includes(inbox.status)
          ? `the referral is ${inbox.status}`
          : inbox.consentEndsAt <= now
            ? 'the consent has ended'
            : 'the consent was not given to you (the referral’s assigned practitioner or the receiving clinic’s manager)';
      throw new ReferralStepError('FORBIDDEN', `The shared records of this referral cannot be read: ${why}.`, undefined, {
        action: 'referral.shared-records.read',
        recordType: 'REFERRAL',
        recordId: referralId,
        detail: { reason: why, ownerOrganizationId: inbox.sourceOrganizationId },
      });
    }
    const consented = SHAREABLE_RECORD_TYPES.filter((t) => grant.recordTypes.includes(t));
    const wanted = new Set(types.filter((t) => consented.includes(t)));
    const owner = grant.organizationId;
    const client = grant.clientId;
    const out: SharedRecordsRead = {
      grantId: grant.id,
      referralId,
      ownerOrganizationId: owner,
      clientId: client,
      consented,
      intakeSummary: null,
      currentPlan: null,
      outcomeHistory: null,
      signedNotes: null,
    };
    const byClient = { owner, client };
    const intakes =
      wanted.has('INTAKE_SUMMARY') || wanted.has('OUTCOME_HISTORY')
        ? await em.createQueryBuilder(IntakeRecord, 'i').where('i.organizationId = :owner AND i.clientId = :client', byClient).orderBy('i.version', 'ASC').getMany()
        : [];
    const notes =
      wanted.has('SIGNED_NOTES') || wanted.has('OUTCOME_HISTORY')
        ? await em
            .createQueryBuilder(SessionNote, 'n')
            .where('n.organizationId = :owner AND n.clientId = :client AND n.signedAt IS NOT NULL', byClient)
            .orderBy('n.createdAt', 'ASC')
            .getMany()
        : [];
    if (wanted.has('INTAKE_SUMMARY')) out.intakeSummary = intakes[intakes.length - 1] ?? null;
    if (wanted.has('CURRENT_PLAN')) {
      const plans = await em
        .createQueryBuilder(TreatmentPlanRecord, 'p')
        .where('p.organizationId = :owner AND p.clientId = :client', byClient)
        .orderBy(`CASE WHEN p.status IN ('ACTIVE','MAINTENANCE') THEN 0 ELSE 1 END`, 'ASC')
        .addOrderBy('p.updatedAt', 'DESC')
        .limit(1)
        .getMany();
      const plan = plans[0];
      if (plan) {
        const version = await em
          .createQueryBuilder(PlanVersion, 'v')
          .where('v.organizationId = :owner AND v.planId = :plan AND v.version = :version', { owner, plan: plan.id, version: plan.currentVersion })
          .getOne();
        out.currentPlan = { plan, version };
      }
    }
    if (wanted.has('OUTCOME_HISTORY')) {
      const reassessments = await em
        .createQueryBuilder(ReassessmentRecord, 'r')
        .where('r.organizationId = :owner AND r.clientId = :client', byClient)
        .orderBy('r.assessedAt', 'ASC')
        .getMany();
      out.outcomeHistory = { intakes, notes, reassessments };
    }
    if (wanted.has('SIGNED_NOTES')) {
      const addenda = notes.length
        ? await em
            .createQueryBuilder(SessionAddendum, 'a')
            .where('a.organizationId = :owner AND a.noteId IN (:...ids)', { owner, ids: notes.map((n) => n.id) })
            .orderBy('a.createdAt', 'ASC')
            .getMany()
        : [];
      out.signedNotes = { notes, addenda };
    }
    return out;
  });
  // Audited as the caller's organization (not through the door): one event per record type read, naming its grant.
  const read = SHAREABLE_RECORD_TYPES.filter((t) => types.includes(t) && out.consented.includes(t));
  await tx.auditMany(
    read.map((recordType) => ({
      action: 'referral.shared-records.read',
      recordType,
      recordId: referralId,
      detail: { basis: 'GRANT', grantId: out.grantId, referralId, ownerOrganizationId: out.ownerOrganizationId, clientId: out.clientId },
    })),
  );
  return out;
}
