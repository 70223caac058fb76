import type { Appointment, TenantTx } from '@fascia/db';
import { emitEvent, enqueue } from '@fascia/jobs';

/**
 * What happened to an appointment:
 * - `booked`: a new row that holds time (a single booking, a series' sessions, the new row of a
 *   reschedule, a missed session booked again);
 * - `replaced`: the old row of a reschedule (now CANCELLED, its successor names it in `rescheduledFrom`);
 * - `moved`: same row, new time (a missed session shifted the rest of the plan);
 * - the status changes: `cancelled`, `late_cancelled`, `no_show`, `checked_in`, `completed`.
 */
export type AppointmentChangeKind =
  | 'booked'
  | 'replaced'
  | 'moved'
  | 'cancelled'
  | 'late_cancelled'
  | 'no_show'
  | 'checked_in'
  | 'completed';

/**
 * The one place every appointment write passes through, inside the write's transaction
 * (after the rows are stored, before COMMIT). Every change, whatever its kind, writes one
 * `appointment.changed` outbox row per appointment: the worker reconciles that
 * appointment's reminders against its state when the job runs (schedules them for a
 * BOOKED future appointment, cancels those computed for another start or for an
 * appointment no longer BOOKED — see docs/worker.md), and one webhook event (`appointment.<kind>`,
 * `appointment.rescheduled` for the old row of a reschedule). A rolled-back write leaves no job;
 * a committed one cannot lose it.
 */
export async function appointmentChanged(tx: TenantTx, appointments: Appointment[], kind: AppointmentChangeKind): Promise<void> {
  for (const a of appointments) {
    await enqueue(tx.em, 'appointment.changed', { organizationId: a.organizationId, appointmentId: a.id });
    await emitEvent(tx.em, kind === 'replaced' ? 'appointment.rescheduled' : `appointment.${kind}`, a.organizationId, { appointmentId: a.id, clinicId: a.clinicId, practitionerId: a.practitionerId, clientId: a.clientId, rescheduledFrom: a.rescheduledFrom ?? null });
  }
}
