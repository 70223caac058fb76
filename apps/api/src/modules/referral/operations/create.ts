import { randomUUID } from 'node:crypto';
import {
  Client,
  Clinic,
  CONSENT_METHODS,
  type Discipline,
  DISCIPLINES,
  lockReferralAsReferrer,
  type LockedReferral,
  Organization,
  ReassessmentRecord,
  Referral,
  REFERRAL_URGENCIES,
  type ReferralUrgency,
  SHAREABLE_RECORD_TYPES,
  sendReferral,
  type TenantTx,
  throughExchange,
  type WeeklyWindow,
} from '@fascia/db';
import { referralFollowUpTimes } from '@fascia/follow-up';
import { DateTime } from 'luxon';
import type { Tenant } from '../../../context';
import { AppError, badInput, conflict, notFound } from '../../../common/errors';
import { assertClientWritable, inClinicScope } from '../../../auth/scope';
import { parse, uuid } from '../../../common/validation';
import type { CreateReferralInput, ReferralDraftType, ReferralType } from '../referral.types';
import { actorOf, inTenant, notifyReferralChanged, type ReferralDeps, referrerCaller, assertMayAct, sentViews, text } from './shared';

/** A clinic of the caller's organization or of an ACTIVE partner, as the directory shows it (through the door). */
interface TargetClinic {
  id: string;
  organization_id: string;
  name: string;
  time_zone: string;
  opening_hours: WeeklyWindow[];
  archived_at: Date | null;
  organization_name: string;
}

async function targetClinicOf(tx: TenantTx, clinicId: string): Promise<TargetClinic | null> {
  const rows = (await throughExchange(tx, (em) =>
    em.query(
      `SELECT c.id, c.organization_id, c.name, c.time_zone, c.opening_hours, c.archived_at, o.name AS organization_name
         FROM clinic c JOIN organization o ON o.id = c.organization_id
        WHERE c.id = $1 AND (c.organization_id = fascia_current_org() OR fascia_is_active_partner(c.organization_id))`,
      [clinicId],
    ),
  )) as TargetClinic[];
  return rows[0] ?? null;
}

/** Checks the target (a named practitioner working at the clinic, or a pool: the discipline offered there) through the door. */
async function targetOf(
  tx: TenantTx,
  input: { targetClinicId: string; targetPractitionerId: string | null; targetDiscipline: Discipline },
): Promise<{ clinic: TargetClinic; practitionerName: string | null }> {
  const clinic = await targetClinicOf(tx, input.targetClinicId);
  if (!clinic) {
    throw badInput('input.targetClinicId', 'No clinic of your organization or of an active referral partner has this id; invite the organization as a partner first (referralPartners).');
  }
  if (clinic.archived_at) throw badInput('input.targetClinicId', `${clinic.name} is archived and takes no referrals.`);
  const practitioners = (await throughExchange(tx, (em) =>
    em.query(
      `SELECT p.id, p.display_name, p.discipline,
              EXISTS (SELECT 1 FROM practitioner_availability a WHERE a.organization_id = p.organization_id AND a.practitioner_id = p.id AND a.clinic_id = $2) AS works_there
         FROM practitioner p
        WHERE p.organization_id = $1 AND p.archived_at IS NULL
          AND (p.id = $3 OR ($3::uuid IS NULL AND p.discipline = $4))`,
      [clinic.organization_id, clinic.id, input.targetPractitionerId, input.targetDiscipline],
    ),
  )) as { id: string; display_name: string; discipline: string; works_there: boolean }[];
  if (input.targetPractitionerId) {
    const p = practitioners[0];
    if (!p) throw badInput('input.targetPractitionerId', `No practitioner with this id works for ${clinic.organization_name}; pick one from the referral directory.`);
    if (p.discipline !== input.targetDiscipline) {
      throw badInput('input.targetDiscipline', `${p.display_name} is a ${p.discipline}, not a ${input.targetDiscipline}; choose the matching discipline or another practitioner.`);
    }
    if (!p.works_there) throw badInput('input.targetPractitionerId', `${p.display_name} does not work at ${clinic.name}; pick the clinic they work at.`);
    return { clinic, practitionerName: p.display_name };
  }
  if (!practitioners.some((p) => p.works_there)) {
    throw badInput('input.targetDiscipline', `No ${input.targetDiscipline} works at ${clinic.name}; choose another clinic or discipline from the referral directory.`);
  }
  return { clinic, practitionerName: null };
}

/** The consent's end: the day after `endsOn`, at midnight in the referring clinic's zone. */
function consentEnd(endsOn: string, zone: string, now: Date): Date {
  const day = DateTime.fromISO(endsOn, { zone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(endsOn) || !day.isValid) throw badInput('input.consent.endsOn', 'input.consent.endsOn: must be a date as yyyy-mm-dd');
  const end = day.plus({ days: 1 }).startOf('day');
  if (end.toJSDate() <= now) throw badInput('input.consent.endsOn', 'input.consent.endsOn: the consent must hold at least until today');
  if (end.diff(DateTime.fromJSDate(now), 'days').days > 366 * 2) throw badInput('input.consent.endsOn', 'input.consent.endsOn: at most two years ahead');
  return end.toJSDate();
}

const oneOf = <T extends string>(values: readonly T[], value: string, field: string): T => {
  if (!(values as readonly string[]).includes(value)) throw badInput(field, `${field}: must be one of ${values.join(', ')}`);
  return value as T;
};

/** Creates a referral (DRAFT) from a client's chart; with `send: true` it is sent at once. */
export function createReferral(deps: ReferralDeps, tenant: Tenant, input: CreateReferralInput): Promise<ReferralType> {
  parse(uuid, input.clientId, 'input.clientId');
  parse(uuid, input.targetClinicId, 'input.targetClinicId');
  if (input.targetPractitionerId) parse(uuid, input.targetPractitionerId, 'input.targetPractitionerId');
  if (input.fromClinicId) parse(uuid, input.fromClinicId, 'input.fromClinicId');
  if (input.fromReassessmentId) parse(uuid, input.fromReassessmentId, 'input.fromReassessmentId');
  const reason = text(input.reason, 'input.reason', 2000, true) as string;
  const clinicalQuestion = text(input.clinicalQuestion, 'input.clinicalQuestion', 2000, true) as string;
  const urgency = oneOf(REFERRAL_URGENCIES, input.urgency, 'input.urgency');
  const targetDiscipline = oneOf(DISCIPLINES, input.targetDiscipline, 'input.targetDiscipline');
  const named = input.sharedRecords.map((t, i) => oneOf(SHAREABLE_RECORD_TYPES, t, `input.sharedRecords[${i}]`));
  const sharedRecords = SHAREABLE_RECORD_TYPES.filter((t) => named.includes(t));
  const consentMethod = oneOf(CONSENT_METHODS, input.consent.method, 'input.consent.method');
  const validForDays = input.validForDays ?? 30;
  if (!Number.isInteger(validForDays) || validForDays < 1 || validForDays > 90) throw badInput('input.validForDays', 'input.validForDays: must be a whole number of days from 1 to 90');
  const now = deps.clock.now();

  return inTenant(deps, tenant, async (tx) => {
    const client = await tx.repo(Client).findOneBy({ id: input.clientId });
    if (!client || client.archivedAt) throw badInput('input.clientId', `No client with id ${input.clientId} exists in your organization.`);
    await assertClientWritable(tx, tenant, client.id, 'referral.create', 'input.clientId');
    const fromClinicId = input.fromClinicId ?? client.clinicIds.find((c) => inClinicScope(tenant, c)) ?? (tenant.clinicIds?.[0] ?? null);
    const fromClinic = fromClinicId ? await tx.repo(Clinic).findOneBy({ id: fromClinicId }) : null;
    if (!fromClinic) throw badInput('input.fromClinicId', 'Name the clinic you refer from (fromClinicId): the client is registered at none of yours.');
    if (!inClinicScope(tenant, fromClinic.id)) throw new AppError('FORBIDDEN', `Your role does not reach ${fromClinic.name}; refer from a clinic you work at.`, { field: 'input.fromClinicId' });
    const consentEndsAt = consentEnd(input.consent.endsOn, fromClinic.timeZone, now);
    if (input.fromReassessmentId) {
      const r = await tx.repo(ReassessmentRecord).findOneBy({ id: input.fromReassessmentId });
      if (!r || r.clientId !== client.id) throw badInput('input.fromReassessmentId', 'No re-assessment of this client has this id.');
    }
    const target = await targetOf(tx, { targetClinicId: input.targetClinicId, targetPractitionerId: input.targetPractitionerId ?? null, targetDiscipline });
    const actor = await actorOf(tx, tenant);
    const row: Referral = {
      organizationId: tx.organizationId,
      id: randomUUID(),
      clientId: client.id,
      referringUserId: tenant.userId,
      referringPractitionerId: actor.practitionerId,
      referringClinicId: fromClinic.id,
      targetOrganizationId: target.clinic.organization_id,
      targetClinicId: target.clinic.id,
      targetPractitionerId: input.targetPractitionerId ?? null,
      targetDiscipline,
      targetNames: { organizationName: target.clinic.organization_name, clinicName: target.clinic.name, practitionerName: target.practitionerName },
      reason,
      clinicalQuestion,
      urgency,
      sharedRecords,
      consentMethod,
      consentRecordedByUserId: tenant.userId,
      consentRecordedAt: now,
      consentEndsAt,
      consentWithdrawnAt: null,
      status: 'DRAFT',
      validForDays,
      validUntil: null,
      sentAt: null,
      dueAt: null,
      respondedAt: null,
      sourceReassessmentId: input.fromReassessmentId ?? null,
      reply: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await tx.em.createQueryBuilder().insert().into(Referral).values(row as never).updateEntity(false).execute();
    await tx.em.query(
      `INSERT INTO referral_event (organization_id, referral_id, from_status, to_status, actor_user_id, actor_organization_id, actor_name, at)
       VALUES ($1, $2, NULL, 'DRAFT', $3, $1, $4, $5)`,
      [tx.organizationId, row.id, tenant.userId, actor.name, now],
    );
    await tx.audit({ action: 'referral.create', recordType: 'referral', recordId: row.id, detail: { clientId: client.id, targetOrganizationId: row.targetOrganizationId, sharedRecords } });
    if (input.send) {
      const locked = await lockReferralAsReferrer(tx, row.id);
      await deliver(tx, tenant, locked, actor, now);
    }
    const fresh = await tx.repo(Referral).findOneBy({ id: row.id });
    return (await sentViews(tx, tenant, [fresh ?? row], now))[0];
  });
}

/**
 * DRAFT → SENT: re-checks the target (a partnership may have ended since the draft), computes
 * the receiver's deadlines in the receiving clinic's zone, and delivers the inbox row and the grants.
 */
export async function deliver(tx: TenantTx, tenant: Tenant, locked: LockedReferral, actor: { userId: string; name: string }, now: Date): Promise<void> {
  const r = locked.referral;
  if (r.status !== 'DRAFT') throw conflict(`This referral is ${r.status}; only a DRAFT can be sent.`, { field: 'id' });
  const target = await targetClinicOf(tx, r.targetClinicId);
  if (!target || target.archived_at) {
    throw conflict('The receiving clinic is no longer reachable (the partnership ended or the clinic closed); cancel this draft and refer elsewhere.', { field: 'id' });
  }
  if (r.consentEndsAt <= now) throw conflict('The client’s consent for this referral has ended; record a new referral with fresh consent.', { field: 'id' });
  // One after another: outside a request's scope (the seed, the worker) nothing queues a transaction's statements.
  const client = await tx.repo(Client).findOneBy({ id: r.clientId });
  const clinic = await tx.repo(Clinic).findOneBy({ id: r.referringClinicId });
  const org = await tx.em.findOneBy(Organization, { id: tx.organizationId });
  if (!client || !clinic || !org) throw conflict('The referred client or the referring clinic no longer exists; this draft cannot be sent.', { field: 'id' });
  const times = referralFollowUpTimes({
    urgency: r.urgency as ReferralUrgency,
    sentAt: now,
    timeZone: target.time_zone,
    openingHours: target.opening_hours,
    validForDays: r.validForDays,
  });
  await sendReferral(tx, locked, {
    actor,
    now,
    notify: notifyReferralChanged,
    delivery: {
      sourceOrganizationName: org.name,
      sourceClinicName: clinic.name,
      referrerName: actor.name,
      clinicId: r.targetClinicId,
      practitionerId: r.targetPractitionerId,
      discipline: r.targetDiscipline,
      urgency: r.urgency,
      reason: r.reason,
      clinicalQuestion: r.clinicalQuestion,
      sharedRecords: r.sharedRecords,
      consentMethod: r.consentMethod,
      consentRecordedAt: r.consentRecordedAt,
      consentEndsAt: r.consentEndsAt,
      clientSnapshot: {
        firstName: client.firstName,
        lastName: client.lastName,
        preferredName: client.preferredName,
        dateOfBirth: client.dateOfBirth,
        phone: client.phone,
        email: client.email,
      },
      sentAt: now,
      dueAt: times.dueAt,
      escalateAt: times.escalateAt,
      validUntil: times.validUntil,
    },
  });
  await tx.audit({ action: 'referral.send', recordType: 'referral', recordId: r.id, detail: { targetOrganizationId: r.targetOrganizationId, sharedRecords: r.sharedRecords } });
}

/** DRAFT → SENT by the referrer. */
export function send(deps: ReferralDeps, tenant: Tenant, id: string): Promise<ReferralType> {
  parse(uuid, id, 'id');
  const now = deps.clock.now();
  return inTenant(deps, tenant, async (tx) => {
    const locked = await lockReferralAsReferrer(tx, id);
    if (!inClinicScope(tenant, locked.referral.referringClinicId)) throw notFound('referral', id);
    assertMayAct(referrerCaller(tenant, locked.referral), 'send');
    await deliver(tx, tenant, locked, await actorOf(tx, tenant), now);
    return (await sentViews(tx, tenant, [locked.referral], now))[0];
  });
}

const ADVICE_DISCIPLINE: Record<string, Discipline> = {
  physician: 'PHYSICIAN',
  physiotherapist: 'PHYSIOTHERAPIST',
  'pain-specialist': 'PAIN_SPECIALIST',
  acupuncturist: 'ACUPUNCTURIST',
};

/** A draft pre-filled from a re-assessment's REFER / STOP_AND_REFER advice (nothing is stored). */
export function draftFromNextStep(deps: ReferralDeps, tenant: Tenant, reassessmentId: string): Promise<ReferralDraftType | null> {
  parse(uuid, reassessmentId, 'reassessmentId');
  return inTenant(deps, tenant, async (tx) => {
    const r = await tx.repo(ReassessmentRecord).findOneBy({ id: reassessmentId });
    if (!r) throw notFound('re-assessment', reassessmentId);
    await assertClientWritable(tx, tenant, r.clientId, 'referral.draft', 'reassessmentId');
    const advice = (r.proposal as { referral?: { to: string; reason: string; urgency: string } }).referral;
    if (!advice || !['REFER', 'STOP_AND_REFER'].includes(r.decision)) {
      throw badInput('reassessmentId', `This re-assessment's next step is ${r.decision}, not a referral (REFER or STOP_AND_REFER).`);
    }
    return {
      clientId: r.clientId,
      reassessmentId: r.id,
      reason: advice.reason,
      urgency: (advice.urgency ?? 'routine').toUpperCase(),
      targetDiscipline: ADVICE_DISCIPLINE[advice.to] ?? 'PHYSICIAN',
      clinicalQuestion: `Re-assessment advised a referral to a ${advice.to}: please assess and advise on further care.`,
    };
  });
}
