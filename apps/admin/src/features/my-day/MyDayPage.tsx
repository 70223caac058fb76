import { FeedPanel } from '../practitioner-feed/FeedPanel';
import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { FormAlert, SubmitButton, TextField } from '../../components/forms';
import { EmptyState, Loading, QueryError } from '../../components/status';
import type { DayOpenTasksQuery } from '../../gql/graphql';
import { useMe } from '../../lib/auth';
import { NO_ERRORS, readErrors } from '../../lib/errors';
import type { FormErrors } from '../../lib/errors';
import { fieldError, useServerErrors, useZodForm } from '../../lib/form';
import { DashboardPage } from '../dashboard/DashboardPage';
import { StatusBadge } from '../calendar/AppointmentPanel';
import { dayLabel, KINDS, timeOf, todayIn } from '../calendar/zone';
import '../calendar/calendar.css';
import { COMPLETE_TASK, DAY_CALENDAR, DAY_PRACTITIONERS, DISMISS_TASK, LAST_PAIN, OPEN_TASKS } from './documents';

type Task = DayOpenTasksQuery['practitionerTasks']['edges'][number]['node'];

const TASK_KIND = { PLAN_REVIEW: 'Plan review', REASSESSMENT_DUE: 'Re-assessment due' } as const;
const SOURCE = { INTAKE: 'at intake', SESSION_START: 'at the start of a session', SESSION_END: 'after a session', REASSESSMENT: 'at a re-assessment' } as const;

/** `/`: a practitioner (and nothing else) lands on their day; everyone else on the dashboard. */
export function HomePage() {
  const me = useMe();
  const onlyPractitioner = me.roles.length > 0 && me.roles.every((r) => r === 'PRACTITIONER');
  return onlyPractitioner ? <Navigate to="/my-day" replace /> : <DashboardPage />;
}

/** The client's most recent pain score (the chart's trajectory), with when and where it was taken. */
function LastPain({ clientId }: { clientId: string }) {
  const { data, loading, error } = useQuery(LAST_PAIN, { variables: { clientId } });
  if (loading && !data) return <p className="muted small">Last pain score: loading…</p>;
  if (error) return <p className="muted small">Last pain score: could not be read ({readErrors(error, []).form}).</p>;
  const points = (data?.clientChart?.trajectory ?? []).filter((p) => p.painNrs !== null && p.painNrs !== undefined);
  const last = points[points.length - 1];
  if (!last) return <p className="muted small">No pain score recorded yet.</p>;
  return (
    <p className="small">
      Last pain score: <span className="pain">{last.painNrs}/10</span>{' '}
      <span className="muted">
        ({SOURCE[last.source]}, {dayLabel(last.at.slice(0, 10))})
      </span>
    </p>
  );
}

const dismissSchema = z.object({ reason: z.string().trim().min(1, 'Say why the task is not needed.').max(2000, 'At most 2,000 characters.') });

function TaskItem({ task, showClient, onResolved }: { task: Task; showClient: boolean; onResolved(msg: string): void }) {
  const [dismissing, setDismissing] = useState(false);
  const [error, setError] = useState<FormErrors>(NO_ERRORS);
  const refetch = { refetchQueries: [OPEN_TASKS], awaitRefetchQueries: true };
  const [complete, completeState] = useMutation(COMPLETE_TASK, refetch);
  const [dismiss] = useMutation(DISMISS_TASK, refetch);
  const form = useZodForm(dismissSchema, { defaultValues: { reason: '' } });
  const server = useServerErrors(form);
  const client = task.client ? `${task.client.preferredName ?? task.client.firstName} ${task.client.lastName}` : 'a client';
  const label = `${TASK_KIND[task.kind]}${showClient ? ` for ${client}` : ''}`;
  return (
    <li className="task">
      <strong>{label}</strong> <span className="muted small">due {dayLabel(task.dueAt.slice(0, 10))}</span>
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
function ClinicDay({ clinic, practitionerId, tasks, onResolved }: { clinic: { id: string; name: string; timeZone: string }; practitionerId: string; tasks: Task[]; onResolved(msg: string): void }) {
  const today = todayIn(clinic.timeZone);
  const { data, loading, error, refetch } = useQuery(DAY_CALENDAR, { variables: { clinicId: clinic.id, from: today, practitionerId }, fetchPolicy: 'cache-and-network' });
  const list = data?.calendar.appointments ?? [];
  return (
    <section className="card" aria-labelledby={`day-${clinic.id}`}>
      <h2 id={`day-${clinic.id}`}>
        {clinic.name} <span className="muted small">· {dayLabel(today)} · times in {clinic.timeZone}</span>
      </h2>
      {error ? <QueryError error={error} retry={() => void refetch()} /> : null}
      {loading && !data ? <Loading label="Loading today's appointments…" /> : null}
      {data && list.length === 0 ? <p className="muted">Nothing booked here today.</p> : null}
      {list.length ? (
        <ol className="day-list" aria-label={`Appointments at ${clinic.name} today`}>
          {list.map((a) => {
            const own = tasks.filter((t) => t.clientId === a.clientId);
            return (
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
                  <LastPain clientId={a.clientId} />
                  {own.length ? (
                    <ul className="task-list" aria-label={`Open tasks for ${a.clientName}`}>
                      {own.map((t) => (
                        <TaskItem key={t.id} task={t} showClient={false} onResolved={onResolved} />
                      ))}
                    </ul>
                  ) : (
                    <p className="small muted">No open tasks for {a.clientName}.</p>
                  )}
                </div>
                <StatusBadge status={a.status} />
              </li>
            );
          })}
        </ol>
      ) : null}
    </section>
  );
}

/**
 * A practitioner's day: today's appointments at each of their clinics, in order, with each
 * client's last pain score and open tasks; and every open task, to complete or dismiss. A
 * clinic manager or organization admin picks whose day to see.
 */
export function MyDayPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [notice, setNotice] = useState<string | null>(null);
  const pq = useQuery(DAY_PRACTITIONERS);
  const all = pq.data?.practitioners.edges.map((e) => e.node) ?? [];
  const mine = all.find((p) => p.userId === me.user.id) ?? null;
  const manages = me.roles.some((r) => r === 'ORG_ADMIN' || r === 'CLINIC_MANAGER');
  const chosen = (manages ? all.find((p) => p.id === params.get('practitioner')) : null) ?? mine ?? null;
  const tasksQ = useQuery(OPEN_TASKS, { variables: { practitionerId: chosen && chosen.id !== mine?.id ? chosen.id : null }, skip: !chosen });
  const tasks = tasksQ.data?.practitionerTasks.edges.map((e) => e.node) ?? [];

  if (pq.error) return <QueryError error={pq.error} retry={() => void pq.refetch()} />;
  if (pq.loading && !pq.data) return <Loading label="Loading your day…" />;

  const clinics = new Map<string, { id: string; name: string; timeZone: string }>();
  for (const w of chosen?.availability ?? []) clinics.set(w.clinicId, w.clinic);
  const firstName = me.user.displayName.split(' ')[0];
  const title = !chosen ? 'My day' : chosen.id === mine?.id ? `Your day, ${firstName}` : `${chosen.displayName}'s day`;

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
            <select value={chosen?.id ?? ''} onChange={(e) => setParams(e.target.value ? { practitioner: e.target.value } : {}, { replace: true })}>
              {!chosen ? <option value="">Choose…</option> : null}
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
      {!chosen ? (
        <EmptyState title={manages ? 'Choose a practitioner' : 'No practitioner record linked to you'} action={<Link to="/calendar">Open the calendar</Link>}>
          {manages
            ? 'Pick whose day to see above.'
            : 'Your sign-in is not linked to a practitioner yet. An organization admin can link it on the Staff page.'}
        </EmptyState>
      ) : (
        <>
          {clinics.size === 0 ? <EmptyState title="No working hours yet">{chosen.displayName} has no weekly hours at any clinic, so nothing can be booked with them.</EmptyState> : null}
          {[...clinics.values()].map((c) => (
            <ClinicDay key={c.id} clinic={c} practitionerId={chosen.id} tasks={tasks} onResolved={setNotice} />
          ))}
          <section className="card" aria-labelledby="open-tasks">
            <h2 id="open-tasks">
              Open tasks <span className="count">{tasksQ.data?.practitionerTasks.totalCount ?? '…'}</span>
            </h2>
            {tasksQ.error ? <QueryError error={tasksQ.error} retry={() => void tasksQ.refetch()} /> : null}
            {tasksQ.data && tasks.length === 0 ? <p className="muted">No open tasks. Re-assessments due and plan reviews appear here.</p> : null}
            {tasks.length ? (
              <ul className="task-list">
                {tasks.map((t) => (
                  <TaskItem key={t.id} task={t} showClient onResolved={setNotice} />
                ))}
              </ul>
            ) : null}
          </section>
          <FeedPanel practitionerId={chosen.id} name={chosen.displayName} />
        </>
      )}
    </>
  );
}
