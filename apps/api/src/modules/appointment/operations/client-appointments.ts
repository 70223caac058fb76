import { Appointment } from '@fascia/db';
import { z } from 'zod';
import type { Tenant } from '../../../context';
import { decodeCursor, pageSize, pageWithCount, toPage, type Page } from '../../../common/pagination';
import { parse, uuid } from '../../../common/validation';
import type { AppointmentDeps } from './shared';

export const APPOINTMENT_WHEN = ['UPCOMING', 'PAST'] as const;
export type AppointmentWhen = (typeof APPOINTMENT_WHEN)[number];

const argsSchema = z.object({
  clientId: uuid,
  when: z.enum(APPOINTMENT_WHEN, { message: 'must be UPCOMING or PAST' }),
});

/**
 * A client's appointments outside the calendar (issue 13 item 3): UPCOMING (starting from now,
 * soonest first) or PAST (started before now, most recent first), every status, at clinics the
 * member's roles reach — an appointment elsewhere does not show, so an unreachable client has
 * none. Not clinical: any member (the front desk too) reads them; the note stays behind its own
 * field's rule. One statement for the page and its capped count, on appointment_client_idx.
 */
export function clientAppointments(
  deps: AppointmentDeps,
  tenant: Tenant,
  args: { clientId: unknown; when?: unknown; first?: number | null; after?: string | null },
): Promise<Page<Appointment>> {
  const { clientId, when } = parse(argsSchema, { clientId: args.clientId, when: args.when ?? 'UPCOMING' }, '');
  const size = pageSize(args.first);
  const after = decodeCursor(args.after, 'time');
  const now = deps.clock.now();
  return deps.db.tenant(tenant, async (tx) => {
    const qb = tx.repo(Appointment).qb('t').andWhere('t.clientId = :clientId', { clientId });
    if (tenant.clinicIds) qb.andWhere('t.clinicId IN (:...clinics)', { clinics: tenant.clinicIds.length ? tenant.clinicIds : [null] });
    const upcoming = when === 'UPCOMING';
    qb.andWhere(upcoming ? 't.startsAt >= :now' : 't.startsAt < :now', { now });
    const page = qb.clone();
    if (after) page.andWhere(upcoming ? '(t.startsAt, t.id) > (:s, :id)' : '(t.startsAt, t.id) < (:s, :id)', { s: after[0], id: after[1] });
    const dir = upcoming ? 'ASC' : 'DESC';
    page.orderBy('t.startsAt', dir).addOrderBy('t.id', dir).limit(size + 1);
    const { rows, total } = await pageWithCount(page, qb);
    return toPage(rows, size, total, (a) => a.startsAt.toISOString());
  });
}
