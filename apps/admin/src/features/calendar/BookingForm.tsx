import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { FormAlert, SelectField, SubmitButton, TextField } from '../../components/forms';
import type { AppointmentKind, CalendarAppointmentFragment, CalendarClientPickerQuery } from '../../gql/graphql';
import { evictList } from '../../lib/apollo';
import { useMe } from '../../lib/auth';
import { fieldError, optionalText, useServerErrors, useZodForm } from '../../lib/form';
import { BOOK_APPOINTMENT, BOOK_PLAN_SERIES, CLIENT_PICKER, CLIENT_PLANS, CLINIC_CALENDAR, CREATE_CALENDAR_CLIENT } from './documents';
import { KINDS } from './zone';
import { formatDate } from '../../lib/format';

type PickedClient = CalendarClientPickerQuery['clients']['edges'][number]['node'];

export interface Option {
  id: string;
  name: string;
}

export interface BookingDraft {
  date: string;
  time: string;
  durationMinutes: number;
  practitionerId?: string | null;
  roomId?: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const schema = z
  .object({
    mode: z.enum(['existing', 'new']),
    clientId: z.string(),
    firstName: z.string().trim(),
    lastName: z.string().trim(),
    phone: z.string().trim(),
    email: z.string().trim(),
    reminderConsent: z.boolean(),
    practitionerId: z.string().min(1, 'Choose who sees the client.'),
    roomId: z.string(),
    date: z.string().regex(DATE, 'Give the day (YYYY-MM-DD).'),
    time: z.string().regex(TIME, 'Give the start time (HH:MM).'),
    durationMinutes: z.string().regex(/^\d+$/, 'Choose how long the visit lasts.'),
    kind: z.enum(['SESSION', 'INTAKE', 'REASSESSMENT', 'MAINTENANCE']),
    planId: z.string(),
    series: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.mode === 'existing' && !v.clientId) ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'Find the client and pick them, or add a new client.' });
    if (v.mode === 'new') {
      if (!v.firstName) ctx.addIssue({ code: 'custom', path: ['firstName'], message: "Give the client's first name." });
      if (!v.lastName) ctx.addIssue({ code: 'custom', path: ['lastName'], message: "Give the client's last name." });
      if (!v.phone && !v.email) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'Give a phone number or an email, so the clinic can reach the client.' });
    }
    if (v.series && !v.planId) ctx.addIssue({ code: 'custom', path: ['planId'], message: 'Choose the plan whose series to book.' });
  });

type Values = z.input<typeof schema>;

const DURATIONS = [30, 45, 60, 75, 90, 120];

/** "Sam Rivers · 12 May 1984 · 07700 900123" */
function clientLine(c: PickedClient): string {
  return [`${c.preferredName ?? c.firstName} ${c.lastName}`, c.dateOfBirth ? `born ${formatDate(c.dateOfBirth, { weekday: false })}` : null, c.phone ?? c.email].filter(Boolean).join(' · ');
}

/** Find a client by name, phone or email; the results are a radio group (keyboard: arrows). */
function ClientPicker({ clinicId, value, onPick, error }: { clinicId: string; value: PickedClient | null; onPick(c: PickedClient | null): void; error?: string }) {
  const [search, setSearch] = useState('');
  const [term, setTerm] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setTerm(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  const { data, loading } = useQuery(CLIENT_PICKER, { variables: { search: term, clinicId }, skip: term.length < 2 });
  const found = data?.clients.edges.map((e) => e.node) ?? [];
  if (value) {
    return (
      <div className={`field${error ? ' field--invalid' : ''}`}>
        <span className="field-label" id="picked-client-label">
          Client
        </span>
        <p className="picked-client" aria-labelledby="picked-client-label">
          <strong>{clientLine(value)}</strong>{' '}
          <button type="button" className="button button--quiet" onClick={() => onPick(null)}>
            Change client
          </button>
        </p>
        {error ? (
          <p className="field-error" id="clientId-error">
            {error}
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <div className={`field client-picker${error ? ' field--invalid' : ''}`}>
      <label htmlFor="client-search">Find client</label>
      <input
        id="client-search"
        type="search"
        autoComplete="off"
        value={search}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'clientId-error' : 'client-search-hint'}
        onChange={(e) => setSearch(e.target.value)}
      />
      {error ? (
        <p className="field-error" id="clientId-error">
          {error}
        </p>
      ) : (
        <p className="hint" id="client-search-hint">
          Name, phone or email; at least two characters.
        </p>
      )}
      {term.length >= 2 ? (
        <fieldset className="client-results">
          <legend className="visually-hidden">Matching clients</legend>
          {loading && !data ? <p className="muted small">Searching…</p> : null}
          {data && found.length === 0 ? <p className="muted small">No client matches “{term}”. Add them as a new client below.</p> : null}
          {found.map((c) => (
            <label key={c.id} className="check">
              <input type="radio" name="client-result" value={c.id} onChange={() => onPick(c)} />
              {clientLine(c)}
            </label>
          ))}
        </fieldset>
      ) : null}
    </div>
  );
}

/**
 * Book from a slot: a client found by search (or added here), the practitioner, the room, the
 * day, time and length. Clinical roles can also book a plan's whole series from the day. The
 * server's refusals (a clash, outside hours, beyond the booking horizon) land on the field
 * they name — the practitioner, the room, the client or the time.
 */
export function BookingForm({
  clinicId,
  zone,
  draft,
  practitioners,
  rooms,
  onBooked,
  onClose,
}: {
  clinicId: string;
  zone: string;
  draft: BookingDraft;
  practitioners: Option[];
  rooms: Option[];
  onBooked(a: CalendarAppointmentFragment, message: string): void;
  onClose(): void;
}) {
  const me = useMe();
  const clinical = me.roles.some((r) => r !== 'FRONT_DESK');
  const form = useZodForm(schema, {
    defaultValues: {
      mode: 'existing',
      clientId: '',
      firstName: '',
      lastName: '',
      phone: '',
      email: '',
      reminderConsent: false,
      practitionerId: draft.practitionerId ?? (practitioners.length === 1 ? practitioners[0].id : ''),
      roomId: draft.roomId ?? '',
      date: draft.date,
      time: draft.time,
      durationMinutes: String(draft.durationMinutes),
      kind: 'SESSION',
      planId: '',
      series: false,
    } satisfies Values,
  });
  const server = useServerErrors(form);
  const { register, watch, setValue, reset, getValues } = form;
  const errors = form.formState.errors;
  const [client, setClient] = useState<PickedClient | null>(null);
  const refetch = { refetchQueries: [CLINIC_CALENDAR], awaitRefetchQueries: true };
  const [createClient] = useMutation(CREATE_CALENDAR_CLIENT, { update: (cache) => evictList(cache, 'clients') });
  const [book] = useMutation(BOOK_APPOINTMENT, refetch);
  const [bookSeries] = useMutation(BOOK_PLAN_SERIES, refetch);
  const [busy, setBusy] = useState(false);

  // A slot picked on the calendar while the form is open moves the form to it.
  useEffect(() => {
    reset({ ...getValues(), date: draft.date, time: draft.time, durationMinutes: String(draft.durationMinutes), ...(draft.practitionerId ? { practitionerId: draft.practitionerId } : {}), ...(draft.roomId ? { roomId: draft.roomId } : {}) });
  }, [draft, reset, getValues]);

  const mode = watch('mode');
  const series = watch('series');
  const plans = useQuery(CLIENT_PLANS, { variables: { clientId: client?.id ?? '' }, skip: !clinical || !client });
  const bookablePlans = (plans.data?.client?.plans ?? []).filter((p) => p.status === 'ACTIVE' || p.status === 'MAINTENANCE');

  const pick = (c: PickedClient | null) => {
    setClient(c);
    setValue('clientId', c?.id ?? '', { shouldValidate: Boolean(c) });
    setValue('planId', '');
    setValue('series', false);
  };

  return (
    <form
      ref={server.ref}
      className="cal-panel card"
      noValidate
      aria-labelledby="booking-title"
      onSubmit={form.handleSubmit(async (v) => {
        server.clear();
        setBusy(true);
        let clientId = v.clientId;
        try {
          if (v.mode === 'new') {
            try {
              const created = await createClient({
                variables: {
                  input: {
                    firstName: v.firstName,
                    lastName: v.lastName,
                    phone: optionalText(v.phone),
                    email: optionalText(v.email),
                    reminderConsent: v.reminderConsent,
                    clinicIds: [clinicId],
                  },
                },
              });
              const c = created.data?.createClient;
              if (!c) return;
              // The client exists now: a refused booking must not add them twice on retry.
              pick(c);
              setValue('mode', 'existing');
              clientId = c.id;
            } catch (error) {
              server.apply(error, ['firstName', 'lastName', 'phone', 'email', 'reminderConsent']);
              return;
            }
          }
          if (v.series) {
            const r = await bookSeries({ variables: { input: { planId: v.planId, clinicId, practitionerId: v.practitionerId, roomId: v.roomId || null, startFrom: v.date } } });
            const list = r.data?.bookPlanSeries.appointments ?? [];
            const at = (a: CalendarAppointmentFragment) => `${formatDate(a.localStart.slice(0, 10))} at ${a.localStart.slice(11, 16)}`;
            if (list.length) onBooked(list[0], `Booked the plan's ${list.length} sessions, from ${at(list[0])} to ${at(list[list.length - 1])}.`);
            return;
          }
          const r = await book({
            variables: {
              input: {
                clinicId,
                clientId,
                practitionerId: v.practitionerId,
                roomId: v.roomId || null,
                startsAt: `${v.date}T${v.time}`,
                durationMinutes: Number(v.durationMinutes),
                kind: v.kind as AppointmentKind,
                planId: v.planId || null,
              },
            },
          });
          const a = r.data?.bookAppointment;
          if (a) onBooked(a, `Booked ${a.clientName} with ${a.practitioner.displayName}, ${formatDate(a.localStart.slice(0, 10))} at ${a.localStart.slice(11, 16)}.`);
        } catch (error) {
          server.apply(error, ['clientId', 'practitionerId', 'roomId', 'startsAt', 'startFrom', 'durationMinutes', 'kind', 'planId'], (f) => (f === 'startsAt' || f === 'startFrom' ? 'time' : f));
        } finally {
          setBusy(false);
        }
      })}
    >
      <div className="cal-panel__head">
        <h2 id="booking-title">Book an appointment</h2>
        <button type="button" className="button button--quiet" onClick={onClose}>
          Close
        </button>
      </div>
      <FormAlert errors={server.alert} titles={{ CONFLICT: 'That time is taken', BAD_USER_INPUT: 'This booking cannot be made' }} />

      {mode === 'existing' ? (
        <>
          <ClientPicker clinicId={clinicId} value={client} onPick={pick} error={fieldError(errors, 'clientId')} />
          {!client ? (
            <button type="button" className="button" onClick={() => setValue('mode', 'new')}>
              New client
            </button>
          ) : null}
        </>
      ) : (
        <fieldset className="new-client">
          <legend>New client</legend>
          <div className="form-grid">
            <TextField label="First name" required autoComplete="off" {...register('firstName')} error={fieldError(errors, 'firstName')} />
            <TextField label="Last name" required autoComplete="off" {...register('lastName')} error={fieldError(errors, 'lastName')} />
            <TextField label="Phone" type="tel" autoComplete="off" {...register('phone')} error={fieldError(errors, 'phone')} />
            <TextField label="Email" type="email" autoComplete="off" {...register('email')} error={fieldError(errors, 'email')} />
          </div>
          {/* Asked at the desk, as on the new-client page: without it no reminder (and no confirm link) goes out. */}
          <label className="check">
            <input type="checkbox" {...register('reminderConsent')} />
            The client agrees to receive appointment reminders
          </label>
          <button type="button" className="button button--quiet" onClick={() => setValue('mode', 'existing')}>
            Find an existing client instead
          </button>
        </fieldset>
      )}

      <SelectField label="Practitioner" required {...register('practitionerId')} error={fieldError(errors, 'practitionerId')}>
        <option value="">Choose…</option>
        {practitioners.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      <SelectField label="Room" {...register('roomId')} error={fieldError(errors, 'roomId')}>
        <option value="">No room</option>
        {rooms.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </SelectField>
      <div className="form-grid">
        <TextField label="Day" type="date" required {...register('date')} error={fieldError(errors, 'date')} />
        <TextField label="Start time" type="time" required step={300} {...register('time')} error={fieldError(errors, 'time')} hint={`Clinic time (${zone})`} />
      </div>
      {!series ? (
        <div className="form-grid">
          <SelectField label="Length" required {...register('durationMinutes')} error={fieldError(errors, 'durationMinutes')}>
            {DURATIONS.map((d) => (
              <option key={d} value={String(d)}>
                {d} minutes
              </option>
            ))}
          </SelectField>
          <SelectField label="Visit" required {...register('kind')} error={fieldError(errors, 'kind')}>
            {Object.entries(KINDS).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </SelectField>
        </div>
      ) : null}
      {clinical && client && bookablePlans.length > 0 ? (
        <>
          <SelectField label="Plan" {...register('planId')} error={fieldError(errors, 'planId')} hint="The visit counts toward this plan.">
            <option value="">No plan</option>
            {bookablePlans.map((p) => (
              <option key={p.id} value={p.id}>
                {p.complaintKey} (version {p.currentVersion}, {p.status.toLowerCase()})
              </option>
            ))}
          </SelectField>
          <label className="check">
            <input type="checkbox" {...register('series')} />
            Book the plan&apos;s whole series from this day (times follow the plan&apos;s rhythm and the practitioner&apos;s hours)
          </label>
        </>
      ) : null}
      <div className="form-actions">
        <SubmitButton busy={busy} busyLabel="Booking…">
          {series ? 'Book the series' : 'Book appointment'}
        </SubmitButton>
      </div>
    </form>
  );
}
