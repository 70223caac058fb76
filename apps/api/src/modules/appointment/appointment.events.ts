import type { Appointment, TenantTx } from '@fascia/db';

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
 * (after the rows are stored, before COMMIT). Reminder jobs (issue 5) belong here:
 * `enqueue(tx.em, …, { organizationId, appointmentId })` for `booked` and `moved`, and
 * dropping the pending ones for the others — so a reminder exists exactly when its
 * appointment does, and a rolled-back booking leaves none.
 */
export async function appointmentChanged(tx: TenantTx, appointments: Appointment[], kind: AppointmentChangeKind): Promise<void> {
  // Nothing to do until the worker's reminders (issue 5) hook in here.
  void tx;
  void appointments;
  void kind;
}
