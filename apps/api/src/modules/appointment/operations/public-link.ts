import { Appointment, Clinic, Practitioner, type TenantTx } from '@fascia/db';
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

/**
 * Why a link was refused, in `extensions.reason`, so the client's page can say it in words:
 * INVALID (forged, malformed, another purpose, an unknown appointment), TOO_LATE (the
 * appointment has started: the link expired at its start), ALREADY_USED (this link was
 * honoured before), CHANGED (the appointment moved or is no longer booked).
 */
export type LinkRefusal = 'INVALID' | 'TOO_LATE' | 'ALREADY_USED' | 'CHANGED';

/** What the client's page shows: the appointment and, in words, where and with whom. */
export interface LinkOutcome {
  appointment: Appointment;
  clinicName: string;
  clinicPhone: string | null;
  timeZone: string;
  practitionerName: string;
}

/** The clinic and practitioner of the appointment, in the link's transaction (two primary-key reads). */
async function outcome(tx: TenantTx, appointment: Appointment): Promise<LinkOutcome> {
  const clinic = await tx.repo(Clinic).findOneBy({ id: appointment.clinicId });
  if (!clinic) throw new Error(`appointment ${appointment.id}: its clinic is missing`);
  const practitioner = await tx.repo(Practitioner).findOneBy({ id: appointment.practitionerId });
  return { appointment, clinicName: clinic.name, clinicPhone: clinic.phone, timeZone: clinic.timeZone, practitionerName: practitioner?.displayName ?? 'your practitioner' };
}

const alreadyUsed = () => conflict('This link has already been used.', { field: 'token', reason: 'ALREADY_USED' satisfies LinkRefusal });

/**
 * The confirm link: the appointment must still be BOOKED at the time the reminder was sent for.
 * The confirmation is stored on the appointment (`client_confirmed_at`, shown as
 * `Appointment.clientConfirmedAt`). A second use is CONFLICT with reason ALREADY_USED.
 */
export async function confirmByLink(deps: AppointmentDeps, token: unknown, secret: string): Promise<LinkOutcome> {
  const { appointment, tenant } = await fromLink(deps, token, 'appointment-confirm', secret);
  return deps.db.tenant(tenant, async (tx) => {
    const a = await lock(tx, tenant, appointment.id, 'appointment.confirm_by_link');
    const used = await tx.em.query(
      `INSERT INTO appointment_link_use (organization_id, appointment_id, purpose, starts_at) VALUES ($1, $2, 'appointment-confirm', $3) ON CONFLICT DO NOTHING RETURNING appointment_id`,
      [a.organizationId, a.id, appointment.startsAt],
    );
    if ((used as unknown[]).length === 0) throw alreadyUsed();
    if (a.status !== 'BOOKED' || a.startsAt.getTime() !== appointment.startsAt.getTime()) {
      throw conflict('This appointment has changed since the reminder was sent.', { field: 'token', reason: 'CHANGED' satisfies LinkRefusal });
    }
    // Only this column: not an appointment change (no reminder reconcile, updated_at kept).
    const [row] = (await tx.em.query(`UPDATE appointment SET client_confirmed_at = coalesce(client_confirmed_at, $3) WHERE organization_id = $1 AND id = $2 RETURNING client_confirmed_at`, [
      a.organizationId,
      a.id,
      deps.clock.now(),
    ])) as [{ client_confirmed_at: Date }[], number];
    a.clientConfirmedAt = row[0].client_confirmed_at;
    await tx.audit({ action: 'appointment.confirm_by_link', recordType: 'appointment', recordId: a.id, detail: { startsAt: a.startsAt.toISOString() } });
    return outcome(tx, a);
  });
}

/** The cancel link: a client cancellation (late when within lateCancelHours), once, only before the appointment. */
export async function cancelByLink(deps: AppointmentDeps, token: unknown, secret: string): Promise<LinkOutcome & { change: AppointmentChange }> {
  const { appointment, tenant } = await fromLink(deps, token, 'appointment-cancel', secret);
  // The cancellation and the record of the link's use commit together, or neither does.
  return deps.db.tenant(tenant, async (tx) => {
    const current = await lock(tx, tenant, appointment.id, 'appointment.cancel');
    const used = (await tx.em.query(`SELECT 1 FROM appointment_link_use WHERE organization_id = $1 AND appointment_id = $2 AND purpose = 'appointment-cancel' AND starts_at = $3`, [
      appointment.organizationId,
      appointment.id,
      appointment.startsAt,
    ])) as unknown[];
    if (used.length > 0) throw alreadyUsed();
    if (current.status !== 'BOOKED') throw conflict('This appointment is no longer booked.', { field: 'token', reason: 'CHANGED' satisfies LinkRefusal });
    const change = await cancelIn(tx, tenant, appointment.id, 'Cancelled by the client from a reminder link', 'CLIENT', deps.clock.now());
    await tx.em.query(`INSERT INTO appointment_link_use (organization_id, appointment_id, purpose, starts_at) VALUES ($1, $2, 'appointment-cancel', $3) ON CONFLICT DO NOTHING`, [
      appointment.organizationId,
      appointment.id,
      appointment.startsAt,
    ]);
    return { ...(await outcome(tx, change.appointment)), change };
  });
}

/** Verifies a reminder link and finds its appointment (as fascia_system: the caller has no organization yet). */
async function fromLink(deps: AppointmentDeps, token: unknown, purpose: LinkPurpose, secret: string): Promise<{ appointment: Appointment; tenant: LinkActor }> {
  // Signature first (an expiry long past still verifies against the epoch), then the time.
  const signed = typeof token === 'string' ? verifyLinkToken(token, purpose, secret, new Date(0)) : null;
  if (!signed) throw badInput('token', 'This link is not valid. Use the link in your most recent reminder, or call the clinic.', { reason: 'INVALID' satisfies LinkRefusal });
  const appointment = await deps.db.system((em) => em.findOneBy(Appointment, { id: signed.id }));
  if (!appointment) throw badInput('token', 'This link is not valid. Use the link in your most recent reminder, or call the clinic.', { reason: 'INVALID' satisfies LinkRefusal });
  if (signed.expiresAt.getTime() <= deps.clock.now().getTime()) {
    throw badInput('token', 'This link has expired: the appointment has already started. Please call the clinic.', { reason: 'TOO_LATE' satisfies LinkRefusal });
  }
  if (Math.floor(appointment.startsAt.getTime() / 1000) !== Math.floor(signed.expiresAt.getTime() / 1000)) {
    throw conflict('This appointment has moved since the reminder was sent; use the link in the newer reminder.', { field: 'token', reason: 'CHANGED' satisfies LinkRefusal });
  }
  // No user: the link's holder acts for the client. Audit events carry no actor.
  const tenant: LinkActor = { organizationId: appointment.organizationId, userId: null, roles: [], clinicIds: null, requestId: null, sourceAddress: null };
  return { appointment, tenant };
}
