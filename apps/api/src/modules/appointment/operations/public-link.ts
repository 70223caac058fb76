import { Appointment } from '@fascia/db';
import { type LinkPurpose, verifyLinkToken } from '@fascia/jobs';
import type { LinkActor } from '../../../context';
import { badInput, conflict } from '../../../common/errors';
import { cancelIn } from './change-status';
import { type AppointmentChange, type AppointmentDeps, lock } from './shared';

/**
 * The public path: a client's confirm or cancel link from a reminder, with no sign-in
 * (docs/worker.md). A security boundary: the signed token is the only credential. It names
 * the appointment and the start it was sent for and expires at that start; the organization
 * comes from the appointment it names, never from the caller. Each link is honoured once
 * (`appointment_link_use`).
 */

/** The confirm link: the appointment must still be BOOKED at the time the reminder was sent for. A second use is CONFLICT. */
export async function confirmByLink(deps: AppointmentDeps, token: unknown, secret: string): Promise<Appointment> {
  const { appointment, tenant } = await fromLink(deps, token, 'appointment-confirm', secret);
  return deps.db.tenant(tenant, async (tx) => {
    const a = await lock(tx, tenant, appointment.id, 'appointment.confirm_by_link');
    if (a.status !== 'BOOKED' || a.startsAt.getTime() !== appointment.startsAt.getTime()) throw conflict('This appointment has changed since the reminder was sent.', { field: 'token' });
    const used = await tx.em.query(
      `INSERT INTO appointment_link_use (organization_id, appointment_id, purpose, starts_at) VALUES ($1, $2, 'appointment-confirm', $3) ON CONFLICT DO NOTHING RETURNING appointment_id`,
      [a.organizationId, a.id, a.startsAt],
    );
    if ((used as unknown[]).length === 0) throw conflict('This link has already been used.', { field: 'token' });
    await tx.audit({ action: 'appointment.confirm_by_link', recordType: 'appointment', recordId: a.id, detail: { startsAt: a.startsAt.toISOString() } });
    return a;
  });
}

/** The cancel link: a client cancellation (late when within lateCancelHours), once, only before the appointment. */
export async function cancelByLink(deps: AppointmentDeps, token: unknown, secret: string): Promise<AppointmentChange> {
  const { appointment, tenant } = await fromLink(deps, token, 'appointment-cancel', secret);
  // The cancellation and the record of the link's use commit together, or neither does.
  return deps.db.tenant(tenant, async (tx) => {
    const current = await lock(tx, tenant, appointment.id, 'appointment.cancel');
    if (current.status !== 'BOOKED') throw conflict('This link has already been used, or the appointment is no longer booked.', { field: 'token' });
    const change = await cancelIn(tx, tenant, appointment.id, 'Cancelled by the client from a reminder link', 'CLIENT', deps.clock.now());
    await tx.em.query(`INSERT INTO appointment_link_use (organization_id, appointment_id, purpose, starts_at) VALUES ($1, $2, 'appointment-cancel', $3) ON CONFLICT DO NOTHING`, [
      appointment.organizationId,
      appointment.id,
      appointment.startsAt,
    ]);
    return change;
  });
}

/** Verifies a reminder link and finds its appointment (as fascia_system: the caller has no organization yet). */
async function fromLink(deps: AppointmentDeps, token: unknown, purpose: LinkPurpose, secret: string): Promise<{ appointment: Appointment; tenant: LinkActor }> {
  const verified = typeof token === 'string' ? verifyLinkToken(token, purpose, secret, deps.clock.now()) : null;
  if (!verified) throw badInput('token', 'This link is invalid or has expired.');
  const appointment = await deps.db.system((em) => em.findOneBy(Appointment, { id: verified.id }));
  if (!appointment) throw badInput('token', 'This link is invalid or has expired.');
  if (Math.floor(appointment.startsAt.getTime() / 1000) !== Math.floor(verified.expiresAt.getTime() / 1000)) {
    throw conflict('This appointment has moved since the reminder was sent; use the link in the newer reminder.', { field: 'token' });
  }
  // No user: the link's holder acts for the client. Audit events carry no actor.
  const tenant: LinkActor = { organizationId: appointment.organizationId, userId: null, roles: [], clinicIds: null, requestId: null, sourceAddress: null };
  return { appointment, tenant };
}
