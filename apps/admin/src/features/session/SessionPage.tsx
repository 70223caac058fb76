import { useMutation, useQuery } from '@apollo/client/react';
import { Fragment, useRef } from 'react';
import { useFieldArray } from 'react-hook-form';
import { Link, useParams } from 'react-router';
import { z } from 'zod';
import { FormAlert, SelectField, SubmitButton, TextAreaField, TextField, useFieldId } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { EmptyState, Loading, QueryError } from '../../components/status';
import type { NoteFieldsFragment, SessionAppointmentQuery, SessionPressure, SessionTechnique } from '../../gql/graphql';
import { fieldError, optionalText, useServerErrors, useZodForm } from '../../lib/form';
import { formatDate, formatDateTime } from '../../lib/format';
import { APPOINTMENT_STATUS } from '../client/ClientPage';
import '../clinical.css';
import { BODY_REGIONS, label } from '../intake/intake-model';
import { useWho } from '../plan/PlanPage';
import { ADD_ADDENDUM, CHECK_IN, SESSION_APPOINTMENT, SIGN_NOTE, START_NOTE, UPDATE_NOTE } from './documents';

type Appointment = NonNullable<SessionAppointmentQuery['appointment']>;

const PRESSURES: SessionPressure[] = ['LIGHT', 'MODERATE', 'FIRM', 'DEEP'];
const TECHNIQUES: SessionTechnique[] = ['SWEDISH', 'DEEP_TISSUE', 'TRIGGER_POINT', 'MYOFASCIAL_RELEASE', 'ASSISTED_STRETCHING', 'HOT_COLD', 'CUPPING', 'SCRAPING'];
const HOME_CARE_KINDS = ['stretch', 'exercise', 'self-massage', 'posture', 'relaxation'];

const words = (v: string) => label(v.toLowerCase().replace(/_/g, '-'));
const num = (s: string) => (s.trim() === '' ? null : Number(s));

function RegionChecks({ legend, name, register, error }: { legend: string; name: string; register: (value: string) => object; error?: string }) {
  const id = useFieldId(name);
  return (
    <fieldset className={`checks${error ? ' field--invalid' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      <div className="check-grid check-grid--regions">
        {BODY_REGIONS.map((r) => (
          <label key={r} className="check">
            <input type="checkbox" value={r} {...register(r)} />
            {label(r)}
          </label>
        ))}
      </div>
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

const checkinSchema = z.object({
  painNow: z.string().trim().min(1, 'Enter today’s pain, 0–10.'),
  painAreas: z.array(z.string()),
  pressureToday: z.string().min(1, 'Choose the pressure they want today.'),
  notes: z.string(),
});

function CheckIn({ appointment }: { appointment: Appointment }) {
  const form = useZodForm(checkinSchema, { defaultValues: { painNow: '', painAreas: [], pressureToday: '', notes: '' } });
  const server = useServerErrors(form);
  const [checkIn, checking] = useMutation(CHECK_IN);
  const [start, starting] = useMutation(START_NOTE, { refetchQueries: ['SessionAppointment'], awaitRefetchQueries: true });
  const errors = form.formState.errors;
  const needsCheckIn = appointment.status === 'BOOKED';
  return (
    <section className="card" aria-labelledby="checkin-title">
      <h2 id="checkin-title">{needsCheckIn ? 'Check in' : 'Start the note'}</h2>
      <form
        ref={server.ref}
        className="form"
        noValidate
        aria-label="Check-in"
        onSubmit={form.handleSubmit(async (v) => {
          server.clear();
          try {
            if (needsCheckIn) await checkIn({ variables: { id: appointment.id } });
            await start({
              variables: {
                appointmentId: appointment.id,
                checkin: { painNow: Number(v.painNow), painAreas: v.painAreas, pressureToday: v.pressureToday as SessionPressure, notes: optionalText(v.notes) },
              },
            });
          } catch (e) {
            server.apply(e, ['checkin'], (f) => f.replace(/^checkin\./, ''));
          }
        })}
      >
        <FormAlert errors={server.alert} />
        <div className="form-grid">
          <TextField label="Pain today (0–10)" inputMode="numeric" required {...form.register('painNow')} error={fieldError(errors, 'painNow')} />
          <SelectField label="Pressure they want today" required {...form.register('pressureToday')} error={fieldError(errors, 'pressureToday')}>
            <option value="">Choose…</option>
            {PRESSURES.map((p) => (
              <option key={p} value={p}>
                {words(p)}
              </option>
            ))}
          </SelectField>
        </div>
        <RegionChecks legend="Where it hurts today" name="painAreas" register={() => form.register('painAreas')} error={fieldError(errors, 'painAreas')} />
        <TextAreaField label="Anything new since last time" rows={2} {...form.register('notes')} error={fieldError(errors, 'notes')} />
        <div className="form-actions">
          <SubmitButton busy={checking.loading || starting.loading} busyLabel="Checking in…">
            {needsCheckIn ? 'Check in and start the note' : 'Start the note'}
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}

const noteSchema = z.object({
  techniques: z.array(z.object({ technique: z.string().min(1, 'Choose the technique.'), pressure: z.string().min(1, 'Choose the pressure.'), areas: z.array(z.string()), minutes: z.string() })),
  durationMinutes: z.string(),
  clientFeedback: z.string(),
  painAfter: z.string(),
  soap: z.object({ subjective: z.string(), objective: z.string(), assessment: z.string(), plan: z.string() }),
  homeCare: z.array(z.object({ kind: z.string().min(1, 'Choose the kind.'), description: z.string().trim().min(1, 'Describe it.'), daysPerWeek: z.string() })),
});

function NoteForm({ note, appointment }: { note: NoteFieldsFragment; appointment: Appointment }) {
  const form = useZodForm(noteSchema, {
    defaultValues: {
      techniques: note.techniques.length
        ? note.techniques.map((t) => ({ technique: t.technique, pressure: t.pressure, areas: t.areas, minutes: t.minutes == null ? '' : String(t.minutes) }))
        : [{ technique: '', pressure: note.checkin.pressureToday, areas: note.checkin.painAreas, minutes: '' }],
      durationMinutes: String(note.durationMinutes ?? appointment.durationMinutes),
      clientFeedback: note.clientFeedback ?? '',
      painAfter: note.painAfter == null ? '' : String(note.painAfter),
      soap: { subjective: note.soap.subjective ?? '', objective: note.soap.objective ?? '', assessment: note.soap.assessment ?? '', plan: note.soap.plan ?? '' },
      homeCare: note.homeCare.map((h) => ({ kind: h.kind, description: h.description, daysPerWeek: h.daysPerWeek == null ? '' : String(h.daysPerWeek) })),
    },
  });
  const techniques = useFieldArray({ control: form.control, name: 'techniques' });
  const homeCare = useFieldArray({ control: form.control, name: 'homeCare' });
  const server = useServerErrors(form);
  const [update, updating] = useMutation(UPDATE_NOTE);
  const [sign, signing] = useMutation(SIGN_NOTE, { refetchQueries: ['SessionAppointment'], awaitRefetchQueries: true });
  const andSign = useRef(false);
  const errors = form.formState.errors;
  const err = (p: string) => fieldError(errors, p);

  const submit = form.handleSubmit(async (v) => {
    server.clear();
    try {
      await update({
        variables: {
          id: note.id,
          input: {
            techniques: v.techniques.map((t) => ({ technique: t.technique as SessionTechnique, pressure: t.pressure as SessionPressure, areas: t.areas, minutes: num(t.minutes) })),
            durationMinutes: num(v.durationMinutes),
            clientFeedback: optionalText(v.clientFeedback),
            painAfter: num(v.painAfter),
            soap: { subjective: optionalText(v.soap.subjective), objective: optionalText(v.soap.objective), assessment: optionalText(v.soap.assessment), plan: optionalText(v.soap.plan) },
            homeCare: v.homeCare.map((h) => ({ kind: h.kind, description: h.description.trim(), daysPerWeek: num(h.daysPerWeek) })),
          },
        },
      });
      if (andSign.current) await sign({ variables: { id: note.id } });
    } catch (e) {
      server.apply(e, ['techniques', 'durationMinutes', 'clientFeedback', 'painAfter', 'soap', 'homeCare']);
    }
  });

  return (
    <form ref={server.ref} className="card form" noValidate aria-label="Session note" onSubmit={submit}>
      <h2>The note</h2>
      <FormAlert errors={server.alert} titles={{ BAD_USER_INPUT: 'The note is not complete' }} />
      <fieldset className="intake-section">
        <legend>Techniques</legend>
        {techniques.fields.map((f, i) => (
          <div key={f.id} className="repeat" role="group" aria-label={`Technique ${i + 1}`}>
            <div className="form-grid form-grid--3">
              <SelectField label={`Technique ${i + 1}`} required {...form.register(`techniques.${i}.technique`)} error={err(`techniques.${i}.technique`)}>
                <option value="">Choose…</option>
                {TECHNIQUES.map((t) => (
                  <option key={t} value={t}>
                    {words(t)}
                  </option>
                ))}
              </SelectField>
              <SelectField label={`Technique ${i + 1}: pressure`} required {...form.register(`techniques.${i}.pressure`)} error={err(`techniques.${i}.pressure`)}>
                {PRESSURES.map((p) => (
                  <option key={p} value={p}>
                    {words(p)}
                  </option>
                ))}
              </SelectField>
              <TextField label={`Technique ${i + 1}: minutes`} inputMode="numeric" {...form.register(`techniques.${i}.minutes`)} error={err(`techniques.${i}.minutes`)} />
            </div>
            <RegionChecks legend={`Technique ${i + 1}: areas worked`} name={`techniques.${i}.areas`} register={() => form.register(`techniques.${i}.areas`)} error={err(`techniques.${i}.areas`)} />
            <button type="button" className="button button--quiet" onClick={() => techniques.remove(i)}>
              Remove technique {i + 1}
            </button>
          </div>
        ))}
        <button type="button" className="button" onClick={() => techniques.append({ technique: '', pressure: note.checkin.pressureToday, areas: [], minutes: '' })}>
          Add a technique
        </button>
      </fieldset>
      <div className="form-grid form-grid--3">
        <TextField label="Duration (minutes)" inputMode="numeric" required {...form.register('durationMinutes')} error={err('durationMinutes')} />
        <TextField label="Pain after (0–10)" inputMode="numeric" required {...form.register('painAfter')} error={err('painAfter')} />
      </div>
      <TextAreaField label="Client feedback" rows={2} {...form.register('clientFeedback')} error={err('clientFeedback')} />
      <fieldset className="intake-section">
        <legend>SOAP</legend>
        <div className="form-grid">
          <TextAreaField label="Subjective" rows={3} {...form.register('soap.subjective')} error={err('soap.subjective')} />
          <TextAreaField label="Objective" rows={3} {...form.register('soap.objective')} error={err('soap.objective')} />
          <TextAreaField label="Assessment" rows={3} {...form.register('soap.assessment')} error={err('soap.assessment')} />
          <TextAreaField label="Plan" rows={3} {...form.register('soap.plan')} error={err('soap.plan')} />
        </div>
      </fieldset>
      <fieldset className="intake-section">
        <legend>Home care</legend>
        {homeCare.fields.map((f, i) => (
          <div key={f.id} className="form-grid form-grid--4 repeat-row">
            <SelectField label={`Home care ${i + 1}: kind`} required {...form.register(`homeCare.${i}.kind`)} error={err(`homeCare.${i}.kind`)}>
              <option value="">Choose…</option>
              {HOME_CARE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {label(k)}
                </option>
              ))}
            </SelectField>
            <TextField label={`Home care ${i + 1}: what to do`} required {...form.register(`homeCare.${i}.description`)} error={err(`homeCare.${i}.description`)} />
            <TextField label={`Home care ${i + 1}: days a week`} inputMode="numeric" {...form.register(`homeCare.${i}.daysPerWeek`)} error={err(`homeCare.${i}.daysPerWeek`)} />
            <button type="button" className="button button--quiet" onClick={() => homeCare.remove(i)}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="button" onClick={() => homeCare.append({ kind: '', description: '', daysPerWeek: '' })}>
          Add home care
        </button>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button" disabled={updating.loading || signing.loading} onClick={() => (andSign.current = false)}>
          {updating.loading && !andSign.current ? 'Saving…' : 'Save the note'}
        </button>
        <button type="submit" className="button button--primary" disabled={updating.loading || signing.loading} onClick={() => (andSign.current = true)}>
          {signing.loading ? 'Signing…' : 'Save and sign'}
        </button>
        <p className="hint">Signing completes the appointment; a signed note cannot change, only gain addenda.</p>
      </div>
    </form>
  );
}

function SignedNote({ note, clinicId }: { note: NoteFieldsFragment; clinicId: string }) {
  const who = useWho(clinicId);
  const form = useZodForm(z.object({ body: z.string().trim().min(1, 'Write the addendum.') }), { defaultValues: { body: '' } });
  const server = useServerErrors(form);
  const [add, { loading }] = useMutation(ADD_ADDENDUM);
  return (
    <>
      <section className="card" aria-labelledby="note-title">
        <h2 id="note-title">
          The note <span className="status status--completed">Signed {note.signedAt ? formatDate(note.signedAt) : ''}</span>
        </h2>
        <NoteView note={note} />
      </section>
      <section className="card" aria-labelledby="addenda-title">
        <h2 id="addenda-title">Addenda</h2>
        {note.addenda.length === 0 ? <p className="muted">None. A correction to a signed note is written here.</p> : null}
        <ol className="timeline">
          {note.addenda.map((a) => (
            <li key={a.id}>
              <span className="muted small">
                {who(a.authorId)}, {formatDate(a.createdAt)}
              </span>
              <p className="timeline-reason">{a.body}</p>
            </li>
          ))}
        </ol>
        <form
          ref={server.ref}
          className="form"
          noValidate
          aria-label="Add an addendum"
          onSubmit={form.handleSubmit(async (v) => {
            server.clear();
            try {
              await add({ variables: { noteId: note.id, body: v.body.trim() } });
              form.reset({ body: '' });
            } catch (e) {
              server.apply(e, ['body']);
            }
          })}
        >
          <FormAlert errors={server.alert} />
          <TextAreaField label="Addendum" required rows={3} {...form.register('body')} error={fieldError(form.formState.errors, 'body')} />
          <div className="form-actions">
            <SubmitButton busy={loading} busyLabel="Adding…">
              Add the addendum
            </SubmitButton>
          </div>
        </form>
      </section>
    </>
  );
}

/** A note as it was written: the check-in, what was done, SOAP and home care. */
export function NoteView({ note }: { note: NoteFieldsFragment }) {
  const soap = (['subjective', 'objective', 'assessment', 'plan'] as const).filter((k) => note.soap[k]);
  return (
    <dl className="details">
      <dt>Check-in</dt>
      <dd>
        Pain {note.checkin.painNow}/10{note.checkin.painAreas.length ? ` (${note.checkin.painAreas.map(label).join(', ')})` : ''}, {words(note.checkin.pressureToday).toLowerCase()} pressure
        {note.checkin.notes ? <div className="small muted">{note.checkin.notes}</div> : null}
      </dd>
      <dt>Techniques</dt>
      <dd>
        {note.techniques.length
          ? note.techniques.map((t, i) => (
              <div key={i}>
                {words(t.technique)}, {words(t.pressure).toLowerCase()}: {t.areas.map(label).join(', ')}
                {t.minutes ? ` · ${t.minutes} min` : ''}
              </div>
            ))
          : 'None recorded'}
      </dd>
      <dt>Duration</dt>
      <dd>{note.durationMinutes ? `${note.durationMinutes} minutes` : 'Not recorded'}</dd>
      <dt>Pain after</dt>
      <dd>{note.painAfter == null ? 'Not recorded' : `${note.painAfter}/10`}</dd>
      {note.clientFeedback ? (
        <>
          <dt>Client feedback</dt>
          <dd>{note.clientFeedback}</dd>
        </>
      ) : null}
      {soap.map((k) => (
        <Fragment key={k}>
          <dt>{label(k)}</dt>
          <dd>{note.soap[k]}</dd>
        </Fragment>
      ))}
      {note.homeCare.length ? (
        <>
          <dt>Home care</dt>
          <dd>
            {note.homeCare.map((h, i) => (
              <div key={i}>
                {label(h.kind)}: {h.description}
                {h.daysPerWeek ? `, ${h.daysPerWeek} days a week` : ''}
              </div>
            ))}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

export function SessionPage() {
  const { id = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(SESSION_APPOINTMENT, { variables: { id } });
  if (error) return <QueryError error={error} retry={() => void refetch()} />;
  if (!data && loading) return <Loading label="Loading the session…" />;
  const a = data?.appointment;
  if (!a) {
    return (
      <EmptyState title="Appointment not found" action={<Link to="/clients">Back to clients</Link>}>
        It may belong to a clinic you do not work at, or to another organization.
      </EmptyState>
    );
  }
  const closed = a.status === 'CANCELLED' || a.status === 'LATE_CANCELLED' || a.status === 'NO_SHOW';
  return (
    <>
      <PageHeader
        title={`Session: ${a.clientName}`}
        description={
          <>
            {formatDateTime(a.localStart)} · {a.durationMinutes} min · {a.practitioner.displayName} at {a.clinic.name}
            {a.sessionNumber ? ` · plan session ${a.sessionNumber}` : ''} · <span className={`status status--${a.status.toLowerCase().replace(/_/g, '-')}`}>{APPOINTMENT_STATUS[a.status]}</span>
          </>
        }
        actions={
          <Link to={`/clients/${a.clientId}/chart`} className="button">
            Open the chart
          </Link>
        }
      />
      {closed ? (
        <EmptyState title="No session to record">This appointment was {APPOINTMENT_STATUS[a.status].toLowerCase()}; there is no note to write.</EmptyState>
      ) : !a.note ? (
        <CheckIn appointment={a} />
      ) : a.note.signed ? (
        <SignedNote note={a.note} clinicId={a.clinicId} />
      ) : (
        <NoteForm key={a.note.id} note={a.note} appointment={a} />
      )}
    </>
  );
}
