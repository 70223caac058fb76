import { readSharedRecords, Referral, ReferralInbox, type ShareableRecordType, SHAREABLE_RECORD_TYPES, type TenantTx } from '@fascia/db';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Tenant } from '../../../context';
import { decodeCursor, type Page, pageSize, toPage } from '../../../common/pagination';
import { findReadableClient } from '../../../auth/scope';
import { parse, uuid } from '../../../common/validation';
import { trajectoryOf } from '../../chart/chart.service';
import type { ReferralFilter, ReferralType, SharedRecordsType } from '../referral.types';
import { callerPractitionerId, inTenant, receivedViews, type ReferralDeps, sentViews, viewOf } from './shared';

/** One referral, from the caller's side (null when neither side is the caller's organization, or out of its clinics). */
export function getReferral(deps: ReferralDeps, tenant: Tenant, id: string): Promise<ReferralType | null> {
  parse(uuid, id, 'id');
  const now = deps.clock.now();
  return inTenant(deps, tenant, (tx) => viewOf(tx, tenant, id, now));
}

function filtered<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, tenant: Tenant, filter: ReferralFilter | null, now: Date, cols: { clinic: string; discipline: string }): SelectQueryBuilder<E> {
  if (tenant.clinicIds !== null) qb.andWhere(`${cols.clinic} = ANY(CAST(:scope AS uuid[]))`, { scope: tenant.clinicIds });
  if (filter?.status?.length) qb.andWhere('t.status IN (:...statuses)', { statuses: filter.status });
  if (filter?.overdue === true) qb.andWhere(`t.status = 'SENT' AND t.dueAt <= :now`, { now });
  if (filter?.overdue === false) qb.andWhere(`NOT (t.status = 'SENT' AND t.dueAt IS NOT NULL AND t.dueAt <= :now)`, { now });
  if (filter?.discipline) qb.andWhere(`${cols.discipline} = :discipline`, { discipline: filter.discipline });
  if (filter?.clinicId) {
    parse(uuid, filter.clinicId, 'filter.clinicId');
    qb.andWhere(`${cols.clinic} = :clinic`, { clinic: filter.clinicId });
  }
  return qb;
}

async function pageOf<E extends { id: string; createdAt: Date }>(qb: SelectQueryBuilder<E>, first: number | null, after: string | null): Promise<{ rows: E[]; size: number; total: number }> {
  const size = pageSize(first);
  const cursor = decodeCursor(after, 'time');
  const total = await qb.clone().getCount();
  if (cursor) qb.andWhere('(t.createdAt, t.id) < (:cAt, :cId)', { cAt: cursor[0], cId: cursor[1] });
  const rows = await qb.orderBy('t.createdAt', 'DESC').addOrderBy('t.id', 'DESC').limit(size + 1).getMany();
  return { rows, size, total };
}

/** The referrals the caller's organization sent (its clinics'), newest first. */
export function outbox(deps: ReferralDeps, tenant: Tenant, filter: ReferralFilter | null, first: number | null, after: string | null): Promise<Page<ReferralType>> {
  const now = deps.clock.now();
  return inTenant(deps, tenant, async (tx) => {
    const qb = filtered(tx.repo(Referral).qb('t'), tenant, filter, now, { clinic: 't.referringClinicId', discipline: 't.targetDiscipline' });
    const { rows, size, total } = await pageOf(qb, first, after);
    const views = await sentViews(tx, tenant, rows, now);
    return toPage(views, size, total, (v) => v.createdAt.toISOString());
  });
}

/** The referrals sent to the caller's organization (its clinics'), newest first. */
export function inbox(deps: ReferralDeps, tenant: Tenant, filter: ReferralFilter | null, first: number | null, after: string | null): Promise<Page<ReferralType>> {
  const now = deps.clock.now();
  return inTenant(deps, tenant, async (tx) => {
    const qb = filtered(tx.repo(ReferralInbox).qb('t'), tenant, filter, now, { clinic: 't.clinicId', discipline: 't.discipline' });
    const { rows, size, total } = await pageOf(qb, first, after);
    const views = await receivedViews(tx, tenant, rows, now, await callerPractitionerId(tx, tenant));
    return toPage(views, size, total, (v) => v.createdAt.toISOString());
  });
}

/** The referrals made for one client of the caller's organization (its chart's "Referrals"). */
export function clientReferrals(deps: ReferralDeps, tenant: Tenant, clientId: string): Promise<ReferralType[]> {
  parse(uuid, clientId, 'clientId');
  const now = deps.clock.now();
  return inTenant(deps, tenant, async (tx) => {
    const client = await findReadableClient(tx, tenant, clientId, 'referral.list');
    if (!client) return [];
    const rows = await tx.repo(Referral).find({ where: { clientId }, order: { createdAt: 'DESC', id: 'DESC' }, take: 200 });
    return sentViews(tx, tenant, rows, now);
  });
}

/**
 * The consented records of a referral received by the caller's organization, read through the
 * consent's grant (packages/db `readSharedRecords`, audited there with the grant): each null
 * unless consented; FORBIDDEN once the consent was withdrawn or the referral ended.
 */
export function sharedRecords(deps: ReferralDeps, tenant: Tenant, referralId: string, types: ShareableRecordType[] | null): Promise<SharedRecordsType> {
  parse(uuid, referralId, 'referralId');
  const now = deps.clock.now();
  return inTenant(deps, tenant, async (tx: TenantTx) => {
    const read = await readSharedRecords(tx, referralId, types ?? SHAREABLE_RECORD_TYPES, now);
    const addenda = new Map<string, string[]>();
    for (const a of read.signedNotes?.addenda ?? []) addenda.set(a.noteId, [...(addenda.get(a.noteId) ?? []), a.body]);
    const intake = read.intakeSummary;
    const plan = read.currentPlan;
    return {
      referralId,
      consented: read.consented,
      intakeSummary: intake
        ? { id: intake.id, version: intake.version, recordedAt: intake.createdAt, blocked: intake.blocked, intake: intake.data, findings: intake.findings }
        : null,
      currentPlan: plan ? { id: plan.plan.id, status: plan.plan.status, version: plan.plan.currentVersion, changedAt: plan.version?.changedAt ?? null, body: plan.version?.body ?? null } : null,
      outcomeHistory: read.outcomeHistory ? trajectoryOf(read.outcomeHistory.intakes, read.outcomeHistory.notes, [], read.outcomeHistory.reassessments) : null,
      signedNotes: read.signedNotes
        ? read.signedNotes.notes.map((n) => ({
            id: n.id,
            signedAt: n.signedAt as Date,
            durationMinutes: n.durationMinutes,
            painBefore: n.checkin?.painNow ?? null,
            painAfter: n.painAfter,
            soap: n.soap,
            techniques: n.techniques,
            addenda: addenda.get(n.id) ?? [],
          }))
        : null,
    };
  });
}
