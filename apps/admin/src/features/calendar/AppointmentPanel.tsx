import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { Link } from 'react-router';
import { z } from 'zod';
import { FormAlert, SelectField, SubmitButton, TextAreaField, TextField } from '../../components/forms';
import type { CalendarAppointmentChangeFragment, CalendarAppointmentFragment } from '../../gql/graphql';
import { NO_ERRORS, readErrors } from '../../lib/errors';
import type { FormErrors } from '../../lib/errors';
import { fieldError, optionalText, useServerErrors, useZodForm } from '../../lib/form';
import type { Option } from './BookingForm';
import { CANCEL_APPOINTMENT, CHECK_IN, CLINIC_CALENDAR, MARK_NO_SHOW, RESCHEDULE_APPOINTMENT } from './documents';
import { KINDS, STATUS, statusLabel, timeOf, todayIn } from './zone';
import { formatDate } from '../../lib/format';

type Appointment = CalendarAppointmentFragment;

const TITLES = { CONFLICT: 'That cannot be done now', BAD_USER_INPUT: 'That cannot be done' };

export function StatusBadge({ status, clientConfirmedAt }: { status: Appointment['status']; clientConfirmedAt?: string | null }) {
  const s = STATUS[status];
  return (
    <span className={`status-badge status-badge--${s.tone}`}>
      <span aria-hidden="true">{s.glyph}</span> {statusLabel(status, clientConfirmedAt)}
    </span>
  );
}

/** What a status change did, in a sentence (a late cancellation says so; a missed plan session says where it went). */
export function changeMessage(change: CalendarAppointmentChangeFragment, lateCancelHours: number): string {
  const a = change.appointment;
  const parts: string[] = [];
  if (a.status === 'LATE_CANCELLED') parts.push(`Late cancellation: the client cancelled less than ${lateCancelHours} hours before the start.`);
  else if (a.status === 'CANCELLED') parts.push('Cancelled. The time is free again.');
  else if (a.status === 'NO_SHOW') parts.push('Marked as a no-show.');
  if (change.rebooked) parts.push(`The missed plan session is booked again on ${formatDate(change.rebooked.localStart.slice(0, 10))} at ${timeOf(change.rebooked.localStart)}.`);
  if (change.moved.length) parts.push(`${change.moved.length} later session${change.moved.length === 1 ? '' : 's'} of the plan moved to keep the spacing.`);
  if (change.shiftProblem) parts.push(`The rest of the plan could not be moved: ${change.shiftProblem}`);
  return parts.join(' ');
}

const rescheduleSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Give the day (YYYY-MM-DD).'),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Give the start time (HH:MM).'),
  durationMinutes: z.string().regex(/^\d+$/, 'Give the length in minutes.'),
  practitionerId: z.string().min(1, 'Choose the practitioner.'),
  roomId: z.string(),
  reason: z.string(),
});

/** What a change refetches: the clinic's calendar by default; the client page its own lists. */
type Refetch = NonNullable<useMutation.Options['refetchQueries']>;

function RescheduleForm({ a, zone, practitioners, rooms, refetch, onDone }: { a: Appointment; zone: string; practitioners: Option[]; rooms: Option[]; refetch: Refetch; onDone(a: Appointment, msg: string): void }) {
  const form = useZodForm(rescheduleSchema, {
    defaultValues: { date: a.localStart.slice(0, 10), time: timeOf(a.localStart), durationMinutes: String(a.durationMinutes), practitionerId: a.practitionerId, roomId: a.roomId ?? '', reason: '' },
  });
  const server = useServerErrors(form);
  const [reschedule, { loading }] = useMutation(RESCHEDULE_APPOINTMENT, { refetchQueries: refetch, awaitRefetchQueries: true });
  const errors = form.formState.errors;
  return (
    <form
      ref={server.ref}
      className="action-form"
      noValidate
      aria-label="Reschedule"
      onSubmit={form.handleSubmit(async (v) => {
        server.clear();
        try {
          const r = await reschedule({
            variables: {
              id: a.id,
              input: { startsAt: `${v.date}T${v.time}`, durationMinutes: Number(v.durationMinutes), practitionerId: v.practitionerId, roomId: v.roomId || null, reason: optionalText(v.reason) },
            },
          });
          const moved = r.data?.rescheduleAppointment;
          if (moved) onDone(moved, `Moved to ${formatDate(moved.localStart.slice(0, 10))} at ${timeOf(moved.localStart)}.`);
        } catch (error) {
          server.apply(error, ['startsAt', 'durationMinutes', 'practitionerId', 'roomId', 'reason', 'clientId'], (f) => (f === 'startsAt' ? 'time' : f));
        }
      })}
    >
      <FormAlert errors={server.alert} titles={{ CONFLICT: 'That time is taken', BAD_USER_INPUT: 'It cannot move there' }} />
      <div className="form-grid">
        <TextField label="New day" type="date" required {...form.register('date')} error={fieldError(errors, 'date')} />
        <TextField label="New start time" type="time" step={300} required {...form.register('time')} error={fieldError(errors, 'time')} hint={`Clinic time (${zone})`} />
      </div>
      <TextField label="Length (minutes)" type="number" min={5} max={480} required {...form.register('durationMinutes')} error={fieldError(errors, 'durationMinutes')} />
      <SelectField label="Practitioner" required {...form.register('practitionerId')} error={fieldError(errors, 'practitionerId')}>
        {practitioners.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      <SelectField label="Room" {...form.register('roomId')} error={fieldError(errors, 'roomId')}>
        <option value="">No room</option>
        {rooms.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </SelectField>
      <TextField label="Why" {...form.register('reason')} error={fieldError(errors, 'reason')} />
      <SubmitButton busy={loading} busyLabel="Moving…">
        Move appointment
      </SubmitButton>
    </form>
  );
}

const cancelSchema = z.object({
  reason: z.string().trim().min(1, 'Say why: it is kept with the appointment.'),
  cancelledBy: z.enum(['CLIENT', 'CLINIC']),
});

function CancelForm({ a, lateCancelHours, refetch, onDone }: { a: Appointment; lateCancelHours: number; refetch: Refetch; onDone(a: Appointment, msg: string): void }) {
  const form = useZodForm(cancelSchema, { defaultValues: { reason: '', cancelledBy: 'CLIENT' } });
  const server = useServerErrors(form);
  const [cancel, { loading }] = useMutation(CANCEL_APPOINTMENT, { refetchQueries: refetch, awaitRefetchQueries: true });
  const errors = form.formState.errors;
  return (
    <form
      ref={server.ref}
      className="action-form"
      noValidate
      aria-label="Cancel appointment"
      onSubmit={form.handleSubmit(async (v) => {
        server.clear();
        try {
          const r = await cancel({ variables: { id: a.id, reason: v.reason, cancelledBy: v.cancelledBy } });
          const change = r.data?.cancelAppointment;
          if (change) onDone(change.appointment, changeMessage(change, lateCancelHours));
        } catch (error) {
          server.apply(error, ['reason', 'cancelledBy']);
        }
      })}
    >
      <FormAlert errors={server.alert} titles={TITLES} />
      <fieldset className="radio-row">
        <legend>Who cancels</legend>
        <label className="check">
          <input type="radio" value="CLIENT" {...form.register('cancelledBy')} />
          The client (late within {lateCancelHours} hours of the start)
        </label>
        <label className="check">
          <input type="radio" value="CLINIC" {...form.register('cancelledBy')} />
          The clinic (never late)
        </label>
      </fieldset>
      <TextAreaField label="Reason" required rows={2} {...form.register('reason')} error={fieldError(errors, 'reason')} />
      <SubmitButton busy={loading} busyLabel="Cancelling…">
        Cancel appointment
      </SubmitButton>
    </form>
  );
}

/**
 * One appointment, next to the calendar: who, when, where, its status in words; and what can
 * be done with it now — check in (on its day), move, cancel, mark a no-show (after the start).
 */
export function AppointmentPanel({
  a,
  zone,
  lateCancelHours,
  practitioners,
  rooms,
  notice,
  error,
  onChanged,
  onClose,
  refetchQueries = [CLINIC_CALENDAR],
  showClientLink = true,
}: {
  a: Appointment;
  zone: string;
  lateCancelHours: number;
  practitioners: Option[];
  rooms: Option[];
  /** What the last action did (kept when the appointment left the calendar, e.g. cancelled). */
  notice: string | null;
  /** A refusal from outside the panel (a drag that the server refused). */
  error: FormErrors;
  onChanged(a: Appointment, msg: string): void;
  onClose(): void;
  /** What a change refetches (default: the clinic's calendar). */
  refetchQueries?: Refetch;
  /** The link to the client's page (not on the client's page itself). */
  showClientLink?: boolean;
}) {
  const [open, setOpen] = useState<'reschedule' | 'cancel' | null>(null);
  const [actionError, setActionError] = useState<FormErrors>(NO_ERRORS);
  const refetch = { refetchQueries, awaitRefetchQueries: true };
  const [checkIn, checkInState] = useMutation(CHECK_IN, refetch);
  const [noShow, noShowState] = useMutation(MARK_NO_SHOW, refetch);
  const today = todayIn(zone);
  const isToday = a.localStart.slice(0, 10) === today;
  const started = new Date(a.startsAt).getTime() <= Date.now();
  const booked = a.status === 'BOOKED';
  const shown = actionError.form ? actionError : error;

  const run = async (f: () => Promise<void>) => {
    setActionError(NO_ERRORS);
    try {
      await f();
    } catch (e) {
      setActionError(readErrors(e, []));
    }
  };

  const done = (next: Appointment, msg: string) => {
    setOpen(null);
    onChanged(next, msg);
  };

  return (
    <section className="cal-panel card" aria-labelledby="appointment-title">
      <div className="cal-panel__head">
        <h2 id="appointment-title">{a.clientName || 'Client'}</h2>
        <button type="button" className="button button--quiet" onClick={onClose}>
          Close
        </button>
      </div>
      <p>
        <StatusBadge status={a.status} clientConfirmedAt={a.clientConfirmedAt} />
      </p>
      {notice ? (
        <div className="alert alert--success" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      <FormAlert errors={shown} titles={TITLES} />
      <dl className="facts">
        <dt>When</dt>
        <dd>
          {formatDate(a.localStart.slice(0, 10))}, {timeOf(a.localStart)}–{timeOf(a.localEnd)} ({a.durationMinutes} min)
        </dd>
        <dt>With</dt>
        <dd>{a.practitioner.displayName}</dd>
        <dt>Room</dt>
        <dd>{a.room?.name ?? 'No room'}</dd>
        <dt>Visit</dt>
        <dd>
          {KINDS[a.kind]}
          {a.sessionNumber ? `, plan session ${a.sessionNumber}` : ''}
        </dd>
        {a.statusReason ? (
          <>
            <dt>Note</dt>
            <dd>{a.statusReason}</dd>
          </>
        ) : null}
      </dl>
      {showClientLink ? (
        <p>
          <Link to={`/clients/${a.clientId}`}>Open the client&apos;s page</Link>
        </p>
      ) : null}
      {booked ? (
        <div className="cal-actions">
          {isToday ? (
            <button
              type="button"
              className="button button--primary"
              disabled={checkInState.loading}
              onClick={() =>
                void run(async () => {
                  const r = await checkIn({ variables: { id: a.id } });
                  if (r.data) onChanged(r.data.checkIn, `${a.clientName} is checked in.`);
                })
              }
            >
              Check in
            </button>
          ) : null}
          <button type="button" className="button" aria-expanded={open === 'reschedule'} onClick={() => setOpen(open === 'reschedule' ? null : 'reschedule')}>
            Reschedule
          </button>
          <button type="button" className="button" aria-expanded={open === 'cancel'} onClick={() => setOpen(open === 'cancel' ? null : 'cancel')}>
            Cancel…
          </button>
          {started ? (
            <button
              type="button"
              className="button"
              disabled={noShowState.loading}
              onClick={() =>
                void run(async () => {
                  const r = await noShow({ variables: { id: a.id } });
                  if (r.data) onChanged(r.data.markNoShow.appointment, changeMessage(r.data.markNoShow, lateCancelHours));
                })
              }
            >
              Mark no-show
            </button>
          ) : null}
        </div>
      ) : null}
      {booked && !isToday ? <p className="muted small">Check-in opens on the day of the appointment.</p> : null}
      {booked && open === 'reschedule' ? <RescheduleForm a={a} zone={zone} practitioners={practitioners} rooms={rooms} refetch={refetchQueries} onDone={done} /> : null}
      {booked && open === 'cancel' ? <CancelForm a={a} lateCancelHours={lateCancelHours} refetch={refetchQueries} onDone={done} /> : null}
    </section>
  );
}
