import {
  allowedReferralActions,
  Client,
  Clinic,
  type Clock,
  type Db,
  Organization,
  Practitioner,
  Referral,
  type ReferralCaller,
  ReferralInbox,
  type TenantTx,
  User,
} from '@fascia/db';
import { DateTime } from 'luxon';
import { In } from 'typeorm';
import type { Tenant } from '../../../context';
import { AppError, badInput } from '../../../common/errors';
import { asAppError } from '../referral.errors';
import { inClinicScope } from '../../../auth/scope';
import type { ReferralActionValue, ReferralType } from '../referral.types';

export interface ReferralDeps {
  db: Db;
  clock: Clock;
}

/** The worker's notice to the other side and its webhook event, in the step's transaction (shared with the worker's expiry). */
export { notifyReferralChanged } from '@fascia/jobs';

export { asAppError };

/** Runs a referral step in the tenant's transaction; refusals come out as GraphQL errors. */
export async function inTenant<T>(deps: ReferralDeps, tenant: Tenant, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  try {
    return await deps.db.tenant(tenant, fn);
  } catch (err) {
    throw asAppError(err);
  }
}

/** The caller's name as the other side sees it in the timeline: the practitioner's name, else the login's. */
export async function actorOf(tx: TenantTx, tenant: Tenant): Promise<{ userId: string; name: string; practitionerId: string | null }> {
  const rows = (await tx.em.query(
    `SELECT u.display_name, p.id AS practitioner_id, p.display_name AS practitioner_name
       FROM app_user u LEFT JOIN practitioner p ON p.organization_id = $1 AND p.user_id = u.id AND p.archived_at IS NULL
      WHERE u.id = $2`,
    [tx.organizationId, tenant.userId],
  )) as { display_name: string; practitioner_id: string | null; practitioner_name: string | null }[];
  const r = rows[0];
  return { userId: tenant.userId, name: r?.practitioner_name ?? r?.display_name ?? 'A colleague', practitionerId: r?.practitioner_id ?? null };
}

const MANAGERS = ['ORG_ADMIN', 'CLINIC_MANAGER'] as const;
const isManagerAt = (tenant: Tenant, clinicId: string): boolean => tenant.roles.some((r) => (MANAGERS as readonly string[]).includes(r)) && inClinicScope(tenant, clinicId);

/** What the caller may do on the referrer's side: the referring user, or a manager of the referring clinic. */
export function referrerCaller(tenant: Tenant, r: Referral): ReferralCaller {
  return { party: 'REFERRER', mayAct: r.referringUserId === tenant.userId || isManagerAt(tenant, r.referringClinicId), isManager: false, mayBook: false };
}

/** On the receiver's side: the named or assigned practitioner, or a manager of the receiving clinic (front desk books). */
export function receiverCaller(tenant: Tenant, i: ReferralInbox, callerPractitionerId: string | null): ReferralCaller {
  const manager = isManagerAt(tenant, i.clinicId);
  const assignee = callerPractitionerId !== null && i.practitionerId === callerPractitionerId;
  return {
    party: 'RECEIVER',
    mayAct: manager || assignee,
    isManager: manager,
    mayBook: inClinicScope(tenant, i.clinicId) && (manager || assignee || tenant.roles.includes('FRONT_DESK')),
  };
}

/** FORBIDDEN unless the caller may take a step on this side. */
export function assertMayAct(caller: ReferralCaller, what: string): void {
  if (!caller.mayAct) {
    throw new AppError(
      'FORBIDDEN',
      caller.party === 'REFERRER'
        ? `Only the referring practitioner or a manager of the referring clinic can ${what} this referral.`
        : `Only the practitioner the referral is addressed to, or a manager of the receiving clinic, can ${what} this referral.`,
    );
  }
}

const displayName = (c: { firstName: string; lastName: string; preferredName: string | null }): string =>
  `${c.preferredName || c.firstName} ${c.lastName}`;

const endsOn = (d: Date, zone: string): string => DateTime.fromJSDate(d).setZone(zone).minus({ milliseconds: 1 }).toISODate() ?? '';

const OPEN_FOR_CONSENT = ['SENT', 'ACCEPTED', 'SCHEDULED', 'COMPLETED'];

/**
 * The referrer's views of its referrals, for one page: the related rows (clients, clinics,
 * referring practitioners and users, the organization) in one query each, however long the page.
 */
export async function sentViews(tx: TenantTx, tenant: Tenant, rows: Referral[], now: Date): Promise<ReferralType[]> {
  if (rows.length === 0) return [];
  const ids = <T>(f: (r: Referral) => T | null) => [...new Set(rows.map(f).filter((x): x is T => x !== null))];
  // One after another: outside a request's scope (the seed, the worker) nothing queues a transaction's statements.
  const clients = await tx.repo(Client).findBy({ id: In(ids((r) => r.clientId)) });
  const clinics = await tx.repo(Clinic).findBy({ id: In(ids((r) => r.referringClinicId)) });
  const practitioners = await tx.repo(Practitioner).findBy({ id: In(ids((r) => r.referringPractitionerId)) });
  const users = await tx.em.findBy(User, { id: In(ids((r) => r.referringUserId)) });
  const org = await tx.em.findOneBy(Organization, { id: tx.organizationId });
  const byId = <E extends { id: string }>(list: E[]) => new Map(list.map((e) => [e.id, e]));
  const client = byId(clients);
  const clinic = byId(clinics);
  const practitioner = byId(practitioners);
  const user = byId(users);
  return rows.map((r) => {
    const c = client.get(r.clientId);
    const cl = clinic.get(r.referringClinicId);
    const zone = cl?.timeZone ?? 'UTC';
    const live = !r.consentWithdrawnAt && r.consentEndsAt > now && OPEN_FOR_CONSENT.includes(r.status);
    return {
      id: r.id,
      organizationId: r.organizationId,
      side: 'SENT',
      status: r.status,
      urgency: r.urgency,
      reason: r.reason,
      clinicalQuestion: r.clinicalQuestion,
      sharedRecords: r.sharedRecords,
      consent: {
        method: r.consentMethod,
        recordedAt: r.consentRecordedAt,
        recordedBy: user.get(r.consentRecordedByUserId)?.displayName ?? null,
        endsOn: endsOn(r.consentEndsAt, zone),
        withdrawnAt: r.consentWithdrawnAt,
        live,
      },
      client: {
        displayName: c ? displayName(c) : 'Client',
        dateOfBirth: c?.dateOfBirth ?? null,
        phone: c?.phone ?? null,
        email: c?.email ?? null,
        localClientId: r.clientId,
      },
      from: {
        organizationName: org?.name ?? '',
        clinicName: cl?.name ?? '',
        practitionerName: (r.referringPractitionerId ? practitioner.get(r.referringPractitionerId)?.displayName : null) ?? user.get(r.referringUserId)?.displayName ?? '',
      },
      to: {
        organizationName: r.targetNames.organizationName ?? '',
        clinicName: r.targetNames.clinicName ?? '',
        practitionerName: r.targetNames.practitionerName ?? null,
        discipline: r.targetDiscipline,
      },
      createdAt: r.createdAt,
      sentAt: r.sentAt,
      dueAt: r.dueAt,
      validUntil: r.validUntil,
      overdue: r.status === 'SENT' && r.dueAt !== null && r.dueAt <= now,
      reply: r.reply,
      appointmentId: null,
      sourceReassessmentId: r.sourceReassessmentId,
      allowedActions: allowedReferralActions(referrerCaller(tenant, r), {
        status: r.status,
        consentWithdrawn: r.consentWithdrawnAt !== null,
        unassignedPool: false,
        clientLinked: false,
      }) as ReferralActionValue[],
    };
  });
}

/** The receiver's views of its inbox rows, for one page (its clinics and practitioners in one query each). */
export async function receivedViews(tx: TenantTx, tenant: Tenant, rows: ReferralInbox[], now: Date, callerPractitionerId: string | null): Promise<ReferralType[]> {
  if (rows.length === 0) return [];
  const ids = <T>(f: (r: ReferralInbox) => T | null) => [...new Set(rows.map(f).filter((x): x is T => x !== null))];
  const clinics = await tx.repo(Clinic).findBy({ id: In(ids((r) => r.clinicId)) });
  const practitioners = await tx.repo(Practitioner).findBy({ id: In(ids((r) => r.practitionerId)) });
  const org = await tx.em.findOneBy(Organization, { id: tx.organizationId });
  const clinic = new Map(clinics.map((c) => [c.id, c]));
  const practitioner = new Map(practitioners.map((p) => [p.id, p]));
  return rows.map((i) => {
    const zone = clinic.get(i.clinicId)?.timeZone ?? 'UTC';
    const live = !i.consentWithdrawnAt && i.consentEndsAt > now && OPEN_FOR_CONSENT.includes(i.status);
    const s = i.clientSnapshot;
    return {
      id: i.id,
      organizationId: i.organizationId,
      side: 'RECEIVED',
      status: i.status,
      urgency: i.urgency,
      reason: i.reason,
      clinicalQuestion: i.clinicalQuestion,
      sharedRecords: i.sharedRecords,
      consent: { method: i.consentMethod, recordedAt: i.consentRecordedAt, recordedBy: null, endsOn: endsOn(i.consentEndsAt, zone), withdrawnAt: i.consentWithdrawnAt, live },
      client: { displayName: displayName(s), dateOfBirth: s.dateOfBirth, phone: s.phone, email: s.email, localClientId: i.localClientId },
      from: { organizationName: i.sourceOrganizationName, clinicName: i.sourceClinicName, practitionerName: i.referrerName },
      to: {
        organizationName: org?.name ?? '',
        clinicName: clinic.get(i.clinicId)?.name ?? '',
        practitionerName: i.practitionerId ? (practitioner.get(i.practitionerId)?.displayName ?? null) : null,
        discipline: i.discipline,
      },
      createdAt: i.createdAt,
      sentAt: i.sentAt,
      dueAt: i.dueAt,
      validUntil: i.validUntil,
      overdue: i.status === 'SENT' && i.dueAt <= now,
      reply: i.reply,
      appointmentId: i.appointmentId,
      sourceReassessmentId: null,
      allowedActions: allowedReferralActions(receiverCaller(tenant, i, callerPractitionerId), {
        status: i.status,
        consentWithdrawn: i.consentWithdrawnAt !== null,
        unassignedPool: i.practitionerId === null,
        clientLinked: i.localClientId !== null,
      }) as ReferralActionValue[],
    };
  });
}

/** The caller's own practitioner record id, if the login acts as one. */
export async function callerPractitionerId(tx: TenantTx, tenant: Tenant): Promise<string | null> {
  const p = await tx.repo(Practitioner).findOneBy({ userId: tenant.userId });
  return p?.id ?? null;
}

/**
 * The view of one referral from whichever side the caller's organization is on. Within one
 * organization both rows are its own: the referring side's view for whoever may act for the
 * referrer, the receiving side's for everyone else.
 */
export async function viewOf(tx: TenantTx, tenant: Tenant, id: string, now: Date): Promise<ReferralType | null> {
  const sent = await tx.repo(Referral).findOneBy({ id });
  const received = await tx.repo(ReferralInbox).findOneBy({ id });
  const sentInScope = sent && inClinicScope(tenant, sent.referringClinicId) ? sent : null;
  const receivedInScope = received && inClinicScope(tenant, received.clinicId) ? received : null;
  if (sentInScope && (!receivedInScope || referrerCaller(tenant, sentInScope).mayAct)) return (await sentViews(tx, tenant, [sentInScope], now))[0];
  if (receivedInScope) return (await receivedViews(tx, tenant, [receivedInScope], now, await callerPractitionerId(tx, tenant)))[0];
  return null;
}

/** A free-text field, trimmed; BAD_USER_INPUT when empty or too long. */
export function text(value: string | null | undefined, field: string, max: number, required: boolean): string | null {
  const v = (value ?? '').trim();
  if (!v) {
    if (required) throw badInput(field, `${field}: must not be empty`);
    return null;
  }
  if (v.length > max) throw badInput(field, `${field}: must be at most ${max} characters`);
  return v;
}
