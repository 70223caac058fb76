import { useQuery } from '@apollo/client/react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../components/Layout';
import { EmptyState, Loading, QueryError } from '../../components/status';
import type { ClientChartPageQuery } from '../../gql/graphql';
import { formatDate, formatDateTime } from '../../lib/format';
import { clientName } from '../client/client-format';
import { APPOINTMENT_STATUS } from '../client/ClientPage';
import '../clinical.css';
import { OUTCOMES, label } from '../intake/intake-model';
import { CHANGE_KIND, PLAN_STATUS, Versions, complaintWords } from '../plan/PlanPage';
import { CLIENT_CHART } from './documents';
import { TrajectoryChart } from './TrajectoryChart';
import { TableScroll } from '../../components/TableScroll';

type Chart = NonNullable<ClientChartPageQuery['clientChart']>;
type ChartPlan = Chart['client']['plans'][number];

const KIND: Record<string, string> = { INTAKE: 'Intake', SESSION: 'Session', REASSESSMENT: 'Re-assessment', MAINTENANCE: 'Maintenance' };
const OVERALL: Record<string, string> = { 'all-met': 'All benchmarks met', improving: 'Improving', stalled: 'Stalled', worse: 'Worse' };

function PlanTimeline({ plan }: { plan: ChartPlan }) {
  const next = plan.nextReassessment;
  return (
    <article className="chart-plan" aria-labelledby={`plan-${plan.id}`}>
      <div className="card-head">
        <h3 id={`plan-${plan.id}`}>
          <Link to={`/plans/${plan.id}`}>{complaintWords(plan.complaintKey)}</Link>{' '}
          <span className={`status status--${plan.status.toLowerCase()}`}>{plan.current.blocked ? 'Blocked' : PLAN_STATUS[plan.status]}</span>
        </h3>
        <span className="muted small">
          {plan.current.protocol ? `${label(plan.current.protocol)} · ` : ''}version {plan.currentVersion}
        </span>
      </div>
      {plan.current.phases.length ? (
        <ol className="phase-strip" aria-label="Phases">
          {plan.current.phases.map((p) => (
            <li key={p.index} className={p.index === plan.current.currentPhaseIndex ? 'phase-chip phase-chip--current' : p.index < plan.current.currentPhaseIndex ? 'phase-chip phase-chip--done' : 'phase-chip'}>
              <strong>{p.label}</strong>
              <span className="small">
                {p.completedSessions != null ? `${p.completedSessions} given` : `${p.sessions.likely} sessions`}, {p.frequency.description}
              </span>
              {p.index === plan.current.currentPhaseIndex ? <span className="visually-hidden"> (current phase)</span> : null}
            </li>
          ))}
        </ol>
      ) : null}
      {next ? (
        <p className={next.isDue ? 'alert alert--info' : 'small'}>
          {next.isDue ? 'A re-assessment is due now.' : `Next re-assessment at session ${next.dueAtSession} or by ${formatDate(next.dueBy)}, whichever comes first.`}
        </p>
      ) : null}
      <h4>Versions</h4>
      <Versions plan={plan} />
      <h4>Re-assessments</h4>
      {plan.reassessments.length === 0 ? <p className="muted small">None yet.</p> : null}
      <ol className="timeline">
        {plan.reassessments.map((r) => (
          <li key={r.id}>
            <strong>
              {formatDate(r.assessedAt)}: {CHANGE_KIND[r.decision] ?? r.decision}
            </strong>{' '}
            <span className="muted small">
              after {r.sessionsCompleted} sessions · {OVERALL[r.evaluation.overall] ?? r.evaluation.overall} · {r.status.toLowerCase()}
            </span>
            <p className="timeline-reason">{r.evaluation.summary}</p>
          </li>
        ))}
      </ol>
    </article>
  );
}

function Appointments({ chart }: { chart: Chart }) {
  const rows = [...chart.appointments].reverse();
  if (rows.length === 0) return <p className="muted">No appointments yet.</p>;
  return (
    <TableScroll label="Appointments and their notes">
      <table className="table table--compact" aria-label="Appointments and their notes">
        <thead>
          <tr>
            <th scope="col">When (clinic time)</th>
            <th scope="col">Visit</th>
            <th scope="col">Status</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <tr key={a.id}>
              <th scope="row">
                <Link to={`/appointments/${a.id}`}>{formatDateTime(a.localStart)}</Link>
                <div className="muted small">
                  {a.durationMinutes} min · {a.practitioner.displayName}
                </div>
              </th>
              <td>
                {KIND[a.kind] ?? a.kind}
                {a.sessionNumber ? <span className="muted small"> · plan session {a.sessionNumber}</span> : null}
              </td>
              <td>
                <span className={`status status--${a.status.toLowerCase().replace(/_/g, '-')}`}>{APPOINTMENT_STATUS[a.status]}</span>
              </td>
              <td className="small">
                {a.note ? (
                  <>
                    <div>
                      Pain {a.note.checkin.painNow}
                      {a.note.painAfter != null ? ` → ${a.note.painAfter}` : ''} · {a.note.techniques.map((t) => label(t.technique.toLowerCase().replace(/_/g, '-'))).join(', ') || 'no technique yet'}
                    </div>
                    <div className="muted">
                      {a.note.signed ? 'Signed' : 'Not signed yet'}
                      {a.note.addenda.length ? ` · ${a.note.addenda.length} ${a.note.addenda.length === 1 ? 'addendum' : 'addenda'}` : ''}
                    </div>
                    {a.note.soap.assessment ? <div className="clamp">{a.note.soap.assessment}</div> : null}
                  </>
                ) : (
                  <span className="muted">No note</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

const TASK_KIND: Record<string, string> = { PLAN_REVIEW: 'Review the plan', REASSESSMENT_DUE: 'Re-assessment due' };
const TASK_STATUS: Record<string, string> = { OPEN: 'Open', DONE: 'Done', DISMISSED: 'Dismissed' };

/** The client's tasks (read with the chart): open ones first, by due time, then the resolved. */
function Tasks({ chart }: { chart: Chart }) {
  const tasks = [...chart.tasks].sort((a, b) => Number(b.status === 'OPEN') - Number(a.status === 'OPEN'));
  return (
    <section className="card" aria-labelledby="chart-tasks">
      <h2 id="chart-tasks">Tasks</h2>
      {tasks.length === 0 ? <p className="muted">No task for this client. Re-assessments due and plan reviews appear here.</p> : null}
      {tasks.length ? (
        <ul className="reason-list">
          {tasks.map((t) => (
            <li key={t.id}>
              <strong>{TASK_KIND[t.kind] ?? t.kind}</strong> <span className={`status status--${t.status.toLowerCase()}`}>{TASK_STATUS[t.status] ?? t.status}</span>{' '}
              <span className="muted small">
                {t.status === 'OPEN' ? `due ${formatDate(t.dueAt)}` : `${TASK_STATUS[t.status]?.toLowerCase()} ${t.resolvedAt ? formatDate(t.resolvedAt) : ''}`}
                {t.practitioner ? ` · ${t.practitioner.displayName}` : ''}
              </span>
              <div className="small">{t.reason}</div>
            </li>
          ))}
        </ul>
      ) : null}
      {tasks.some((t) => t.status === 'OPEN') ? (
        <p className="small muted">
          Complete or dismiss open tasks from <Link to="/my-day">the practitioner&apos;s day</Link>.
        </p>
      ) : null}
    </section>
  );
}

const REMINDER_KIND: Record<string, string> = {
  APPOINTMENT: 'Appointment reminder',
  REASSESSMENT_DUE: 'Re-assessment due',
  MAINTENANCE_DUE: 'Maintenance visit due',
  MAINTENANCE_FOLLOW_UP: 'Maintenance follow-up',
  HOME_CARE: 'Home care',
};
const REMINDER_STATUS: Record<string, string> = { SCHEDULED: 'To go', SENT: 'Sent', SKIPPED: 'Skipped', CANCELLED: 'Cancelled', FAILED: 'Failed (retrying)', DEAD: 'Failed' };
const CHANNEL: Record<string, string> = { EMAIL: 'Email', SMS: 'Text message' };
const when = (iso: string) => formatDateTime(iso);

/** Reminders to the client (the delivery rows, read with the chart): channel, when, and what became of each. */
function Reminders({ chart }: { chart: Chart }) {
  const rows = chart.reminders;
  return (
    <section className="card" aria-labelledby="chart-reminders">
      <h2 id="chart-reminders">Reminders sent</h2>
      {rows.length === 0 ? <p className="muted">No reminder yet. Booking an appointment schedules them, if the client agreed to reminders.</p> : null}
      {rows.length ? (
        <TableScroll label="Reminders to the client">
          <table className="table table--compact" aria-label="Reminders to the client">
            <thead>
              <tr>
                <th scope="col">When (your time)</th>
                <th scope="col">Reminder</th>
                <th scope="col">Channel</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{when(r.status === 'SCHEDULED' ? r.sendAt : r.updatedAt)}</th>
                  <td>
                    {REMINDER_KIND[r.kind] ?? r.kind}
                    {r.appointmentStartsAt ? <div className="muted small">for the visit of {when(r.appointmentStartsAt)}</div> : null}
                  </td>
                  <td>{CHANNEL[r.channel] ?? r.channel}</td>
                  <td>
                    <span className={`status status--${r.status.toLowerCase()}`}>{REMINDER_STATUS[r.status] ?? r.status}</span>
                    {r.lastError && r.status !== 'SENT' ? <div className="muted small">{r.lastError}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
    </section>
  );
}

export function ChartPage() {
  const { id = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(CLIENT_CHART, { variables: { clientId: id }, fetchPolicy: 'cache-and-network' });
  if (error) return <QueryError error={error} retry={() => void refetch()} />;
  if (!data && loading) return <Loading label="Loading the chart…" />;
  const chart = data?.clientChart;
  if (!chart) {
    return (
      <EmptyState title="Chart not found" action={<Link to="/clients">Back to clients</Link>}>
        The client may belong to a clinic you do not work at, or to another organization.
      </EmptyState>
    );
  }
  const { client } = chart;
  const live = client.plans.find((p) => p.status === 'ACTIVE' || p.status === 'MAINTENANCE') ?? client.plans.find((p) => !p.current.blocked);
  return (
    <>
      <PageHeader
        title={`Chart: ${clientName(client)}`}
        description={client.dateOfBirth ? `Born ${formatDate(client.dateOfBirth, { weekday: false })}` : undefined}
        actions={
          <>
            <Link to={`/clients/${client.id}/intake`} className="button button--primary">
              Record an intake
            </Link>
            <Link to={`/clients/${client.id}`} className="button button--quiet">
              Client details
            </Link>
          </>
        }
      />
      <section className="card" aria-labelledby="chart-trajectory">
        <h2 id="chart-trajectory">Pain and function</h2>
        {chart.trajectory.length === 0 ? (
          <p className="muted">No measurements yet: the intake gives the first.</p>
        ) : (
          <TrajectoryChart points={chart.trajectory} benchmarks={live?.current.benchmarks ?? []} />
        )}
      </section>
      <section className="card" aria-labelledby="chart-plans">
        <h2 id="chart-plans">Plans</h2>
        {client.plans.length === 0 ? <p className="muted">No plan yet. Record an intake, then propose a plan from it.</p> : null}
        {client.plans.map((p) => (
          <PlanTimeline key={p.id} plan={p} />
        ))}
      </section>
      <section className="card" aria-labelledby="chart-appointments">
        <h2 id="chart-appointments">Appointments and notes</h2>
        <Appointments chart={chart} />
      </section>
      <section className="card" aria-labelledby="chart-intakes">
        <h2 id="chart-intakes">Intakes</h2>
        {client.intakes.length === 0 ? <p className="muted">No intake yet.</p> : null}
        <ol className="timeline">
          {client.intakes.map((i) => {
            const worst = i.blocked ? 'Blocked' : i.findings.length ? 'Restricted' : 'Clear';
            return (
              <li key={i.id}>
                <strong>
                  Version {i.version}, {formatDate(i.createdAt)}
                </strong>{' '}
                <span className={`outcome outcome--${worst.toLowerCase()}`}>{worst}</span>
                {i.findings.map((f) => (
                  <p key={f.rule} className="small timeline-reason">
                    {OUTCOMES[f.outcome]?.word ?? f.outcome}: {f.finding}
                  </p>
                ))}
              </li>
            );
          })}
        </ol>
      </section>
      <Tasks chart={chart} />
      <Reminders chart={chart} />
    </>
  );
}
