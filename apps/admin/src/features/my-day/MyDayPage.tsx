import { FeedPanel } from '../practitioner-feed/FeedPanel';
import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { FormAlert, SubmitButton, TextField } from '../../components/forms';
import { EmptyState, Loading, QueryError } from '../../components/status';
import type { MyDayQuery } from '../../gql/graphql';
import { useMe } from '../../lib/auth';
import { NO_ERRORS, readErrors } from '../../lib/errors';
import type { FormErrors } from '../../lib/errors';
import { fieldError, useServerErrors, useZodForm } from '../../lib/form';
import { DashboardPage } from '../dashboard/DashboardPage';
import { StatusBadge } from '../calendar/AppointmentPanel';
import { KINDS, timeOf } from '../calendar/zone';
import '../calendar/calendar.css';
import { COMPLETE_TASK, DAY_PRACTITIONERS, DISMISS_TASK, MY_DAY } from './documents';
import { formatDate } from '../../lib/format';

type Day = NonNullable<MyDayQuery['myDay']>;
type Visit = Day['visits'][number];
type Task = Visit['openTasks'][number];

const TASK_KIND = { PLAN_REVIEW: 'Plan review', REASSESSMENT_DUE: 'Re-assessment due' } as const;
const SOURCE = { INTAKE: 'at intake', SESSION_START: 'at the start of a session', SESSION_END: 'after a session', REASSESSMENT: 'at a re-assessment' } as const;

/** `/`: a practitioner (and nothing else) lands on their day; everyone else on the dashboard. */
export function HomePage() {
  const me = useMe();
  const onlyPractitioner = me.roles.length > 0 && me.roles.every((r) => r === 'PRACTITIONER');
  return onlyPractitioner ? <Navigate to="/my-day" replace /> : <DashboardPage />;
}

/** The client's most recent pain score (read with the day), with when and where it was taken. */
function LastPain({ pain }: { pain: Visit['lastPain'] }) {
  if (!pain || pain.painNrs == null) return <p className="small muted">No pain score recorded yet.</p>;
  return (
    <p className="small">
      Last pain score: <span className="pain">{pain.painNrs}/10</span>{' '}
      <span className="muted">
        ({SOURCE[pain.source]}, {formatDate(pain.at)})
      </span>
    </p>
  );
}

const dismissSchema = z.object({ reason: z.string().trim().min(1, 'Say why the task is not needed.').max(2000, 'At most 2,000 characters.') });

function TaskItem({ task, showClient, onResolved }: { task: Task; showClient: boolean; onResolved(msg: string): void }) {
  const [dismissing, setDismissing] = useState(false);
  const [error, setError] = useState<FormErrors>(NO_ERRORS);
  const refetch = { refetchQueries: [MY_DAY], awaitRefetchQueries: true };
  const [complete, completeState] = useMutation(COMPLETE_TASK, refetch);
  const [dismiss] = useMutation(DISMISS_TASK, refetch);
  const form = useZodForm(dismissSchema, { defaultValues: { reason: '' } });
  const server = useServerErrors(form);
  const client = task.client ? `${task.client.preferredName ?? task.client.firstName} ${task.client.lastName}` : 'a client';
  const label = `${TASK_KIND[task.kind]}${showClient ? ` for ${client}` : ''}`;
  return (
    <li className="task">
      <strong>{label}</strong> <span className="muted small">due {formatDate(task.dueAt)}</span>
      <p className="small">{task.reason}</p>
      <FormAlert errors={error} />
      <div className="task-actions">
        <button
          type="button"
          className="button"
          disabled={completeState.loading}
          onClick={async () => {
            setError(NO_ERRORS);
            try {
              await complete({ variables: { id: task.id } });
              onResolved(`${label}: done.`);
            } catch (e) {
              setError(readErrors(e, []));
            }
          }}
        >
          <span aria-hidden="true">Done</span>
          <span className="visually-hidden">Done: {label}</span>
        </button>
        <button type="button" className="button button--quiet" aria-expanded={dismissing} onClick={() => setDismissing(!dismissing)}>
          <span aria-hidden="true">Dismiss…</span>
          <span className="visually-hidden">Dismiss: {label}</span>
        </button>
      </div>
      {dismissing ? (
        <form
          ref={server.ref}
          className="inline-form"
          noValidate
          aria-label={`Dismiss ${label}`}
          onSubmit={form.handleSubmit(async ({ reason }) => {
            server.clear();
            try {
              await dismiss({ variables: { id: task.id, reason } });
              onResolved(`${label}: dismissed.`);
            } catch (e) {
              server.apply(e, ['reason']);
            }
          })}
        >
          <FormAlert errors={server.alert} />
          <TextField label="Why it is not needed" required {...form.register('reason')} error={fieldError(form.formState.errors, 'reason')} />
          <SubmitButton busy={form.formState.isSubmitting} busyLabel="Dismissing…">
            Dismiss task
          </SubmitButton>
        </form>
      ) : null}
    </li>
  );
}

/** One clinic's part of the day: the practitioner's appointments there today, in order. */
function ClinicDay({ clinic, visits, onResolved }: { clinic: Day['clinics'][number]; visits: Visit[]; onResolved(msg: string): void }) {
  return (
    <section className="card" aria-labelledby={`day-${clinic.id}`}>
      <h2 id={`day-${clinic.id}`}>
        {clinic.name} <span className="muted small">· {formatDate(clinic.date)} · times in {clinic.timeZone}</span>
      </h2>
      {visits.length === 0 ? <p className="muted">Nothing booked here today.</p> : null}
      {visits.length ? (
        <ol className="day-list" aria-label={`Appointments at ${clinic.name} today`}>
          {visits.map(({ appointment: a, lastPain, openTasks }) => (
            <li key={a.id} className="day-item">
              <span className="day-time">
                {timeOf(a.localStart)}–{timeOf(a.localEnd)}
              </span>
              <div>
                <h3>
                  <Link to={`/clients/${a.clientId}`}>{a.clientName}</Link>
                </h3>
                <p className="small muted">
                  {KINDS[a.kind]}
                  {a.sessionNumber ? `, plan session ${a.sessionNumber}` : ''}
                  {a.room ? ` · ${a.room.name}` : ''} · {a.durationMinutes} min
                </p>
                <LastPain pain={lastPain} />
                {openTasks.length ? (
                  <ul className="task-list" aria-label={`Open tasks for ${a.clientName}`}>
                    {openTasks.map((t) => (
                      <TaskItem key={t.id} task={t} showClient={false} onResolved={onResolved} />
                    ))}
                  </ul>
                ) : (
                  <p className="small muted">No open tasks for {a.clientName}.</p>
                )}
              </div>
              <StatusBadge status={a.status} />
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

/**
 * A practitioner's day: today's appointments at each of their clinics, in order, with each
 * client's last pain score and open tasks; and every open task, to complete or dismiss — one
 * request (`myDay`, one SQL statement). A clinic manager or organization admin picks whose day
 * to see.
 */
export function MyDayPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [notice, setNotice] = useState<string | null>(null);
  const manages = me.roles.some((r) => r === 'ORG_ADMIN' || r === 'CLINIC_MANAGER');
  // Only a manager chooses: a practitioner's page is the one request below.
  const pq = useQuery(DAY_PRACTITIONERS, { skip: !manages });
  const all = pq.data?.practitioners.edges.map((e) => e.node) ?? [];
  const mine = all.find((p) => p.userId === me.user.id) ?? null;
  const asked = manages ? (all.find((p) => p.id === params.get('practitioner')) ?? null) : null;
  const chosenId = asked && asked.id !== mine?.id ? asked.id : null;
  const dayQ = useQuery(MY_DAY, { variables: { practitionerId: chosenId }, skip: manages && !pq.data, fetchPolicy: 'cache-and-network' });
  const day = dayQ.data?.myDay ?? null;

  if (pq.error) return <QueryError error={pq.error} retry={() => void pq.refetch()} />;
  if (dayQ.error) return <QueryError error={dayQ.error} retry={() => void dayQ.refetch()} />;
  if ((manages && pq.loading && !pq.data) || (dayQ.loading && !dayQ.data)) return <Loading label="Loading your day…" />;

  const firstName = me.user.displayName.split(' ')[0];
  const own = day && (mine ? day.practitioner.id === mine.id : !chosenId);
  const title = !day ? 'My day' : own ? `Your day, ${firstName}` : `${day.practitioner.displayName}'s day`;

  return (
    <>
      <div className="page-header">
        <div>
          <h1>{title}</h1>
          <p className="page-description">Today&apos;s appointments in order, each client&apos;s last pain score and the open tasks.</p>
        </div>
        {manages ? (
          <label className="cal-toolbar__field">
            <span>Practitioner</span>
            <select value={day?.practitioner.id ?? ''} onChange={(e) => setParams(e.target.value ? { practitioner: e.target.value } : {}, { replace: true })}>
              {!day ? <option value="">Choose…</option> : null}
              {all.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.displayName}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {notice ? (
        <div className="alert alert--success" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      {!day ? (
        <EmptyState title={manages ? 'Choose a practitioner' : 'No practitioner record linked to you'} action={<Link to="/calendar">Open the calendar</Link>}>
          {manages
            ? 'Pick whose day to see above.'
            : 'Your sign-in is not linked to a practitioner yet. An organization admin can link it on the Staff page.'}
        </EmptyState>
      ) : (
        <>
          {day.clinics.length === 0 ? (
            <EmptyState title="No working hours yet">{day.practitioner.displayName} has no weekly hours at any clinic, so nothing can be booked with them.</EmptyState>
          ) : null}
          {day.clinics.map((c) => (
            <ClinicDay key={c.id} clinic={c} visits={day.visits.filter((v) => v.appointment.clinicId === c.id)} onResolved={setNotice} />
          ))}
          <section className="card" aria-labelledby="open-tasks">
            <h2 id="open-tasks">
              Open tasks <span className="count">{day.openTasks.length}</span>
            </h2>
            {day.openTasks.length === 0 ? <p className="muted">No open tasks. Re-assessments due and plan reviews appear here.</p> : null}
            {day.openTasks.length ? (
              <ul className="task-list">
                {day.openTasks.map((t) => (
                  <TaskItem key={t.id} task={t} showClient onResolved={setNotice} />
                ))}
              </ul>
            ) : null}
          </section>
          <FeedPanel practitionerId={day.practitioner.id} name={day.practitioner.displayName} />
        </>
      )}
    </>
  );
}
