import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { NavLink, useSearchParams } from 'react-router';
import { FormAlert, SelectField, TextField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { DataTable, ListView } from '../../components/ListView';
import type { Column } from '../../components/ListView';
import { EmptyState, Loading, QueryError } from '../../components/status';
import { graphql } from '../../gql';
import type { Channel, QueueHealthQuery, ReminderKind, ReminderLogEntryFieldsFragment, ReminderLogFilter, ReminderStatus } from '../../gql/graphql';
import { useClinic } from '../../lib/clinic-context';
import { NO_ERRORS, readErrors } from '../../lib/errors';
import type { FormErrors } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useCursorList } from '../../lib/list';
import { replaceParam } from '../../lib/typed-param';
import { CHANNEL_LABEL, KIND_LABEL } from '../settings/reminder-format';
import './operations.css';

const QUEUE_HEALTH = graphql(`
  query QueueHealth {
    queueHealth(limit: 50) {
      failedJobs {
        queue
        jobId
        name
        attemptsMade
        failedReason
        failedAt
        deliveryKeys
      }
      queues {
        key
        name
        waiting
        active
        delayed
        failed
        completed
        oldestWaitingSeconds
      }
      deadLetters {
        id
        channel
        recipient
        template
        status
        attempts
        lastError
        createdAt
      }
      failedReminders {
        id
        kind
        channel
        status
        attempts
        lastError
        sendAt
      }
    }
  }
`);

const RETRY_DEAD_LETTER = graphql(`
  mutation RetryDeadLetter($input: DeadLetterInput!) {
    retryDeadLetter(input: $input) {
      queue
      jobId
      name
      action
    }
  }
`);

const DISCARD_DEAD_LETTER = graphql(`
  mutation DiscardDeadLetter($input: DeadLetterInput!) {
    discardDeadLetter(input: $input) {
      queue
      jobId
      name
      action
    }
  }
`);

const REMINDER_LOG_ENTRY = graphql(`
  fragment ReminderLogEntryFields on ReminderLogEntry {
    id
    kind
    channel
    status
    sendAt
    attempts
    lastError
    clientId
    clientName
    clinicName
    appointmentStartsAt
    updatedAt
  }
`);

const REMINDER_LOG = graphql(`
  query ReminderLog($first: Int!, $after: String, $filter: ReminderLogFilter) {
    reminderLog(first: $first, after: $after, filter: $filter) {
      totalCount
      totalCountCapped
      edges {
        cursor
        node {
          ...ReminderLogEntryFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

void REMINDER_LOG_ENTRY;

export const REMINDER_STATUS: Record<ReminderStatus, { label: string; className: string }> = {
  SCHEDULED: { label: 'Waiting', className: 'status status--booked' },
  SENT: { label: 'Sent', className: 'status status--completed' },
  SKIPPED: { label: 'Skipped', className: 'status status--invited' },
  CANCELLED: { label: 'Cancelled', className: 'status status--cancelled' },
  FAILED: { label: 'Failed, will retry', className: 'status status--urgent' },
  DEAD: { label: 'Failed, gave up', className: 'status status--emergency' },
};

export function OperationsTabs() {
  return (
    <nav className="tabs" aria-label="Operations">
      <NavLink to="/operations" end>
        Queues and dead letters
      </NavLink>
      <NavLink to="/operations/deliveries">Delivery log</NavLink>
      <NavLink to="/operations/exports">FHIR export</NavLink>
    </nav>
  );
}

function wait(seconds: number | null | undefined): string {
  if (seconds == null) return '—';
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

type Queue = QueueHealthQuery['queueHealth']['queues'][number];
type DeadLetter = QueueHealthQuery['queueHealth']['deadLetters'][number];
type FailedJob = QueueHealthQuery['queueHealth']['failedJobs'][number];

/** The worker's jobs, in words. */
const JOB_LABEL: Record<string, string> = {
  'staff.invitation.send': 'Send a staff invitation',
  'appointment.changed': 'Update an appointment’s reminders',
  'reminder.send': 'Send a reminder',
  'reminder.send-batch': 'Send reminders that fell due',
  'referral.changed': 'Tell a partner about a referral',
  'referral.follow-up': 'Follow up an unanswered referral',
  'sweep.clinic': 'A clinic’s periodic check',
};

/**
 * Retry (run again from its first attempt) or discard (remove for good, with a reason) one
 * dead-lettered job. The server re-checks everything; its refusal is shown beside the buttons.
 */
function FailedJobActions({ job, onDone }: { job: FailedJob; onDone(message: string): void }) {
  const [discarding, setDiscarding] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const refetch = { refetchQueries: [QUEUE_HEALTH], awaitRefetchQueries: true };
  const [retry, retryState] = useMutation(RETRY_DEAD_LETTER, refetch);
  const [discard, discardState] = useMutation(DISCARD_DEAD_LETTER, refetch);
  const what = JOB_LABEL[job.name] ?? job.name;
  const input = { queue: job.queue, jobId: job.jobId };
  const run = async (act: () => Promise<unknown>, message: string) => {
    setErrors(NO_ERRORS);
    try {
      await act();
      onDone(message);
    } catch (err) {
      setErrors(readErrors(err, ['input.reason']));
    }
  };
  const busy = retryState.loading || discardState.loading;
  return (
    <div className="dead-letter-actions">
      {!discarding ? (
        <div className="button-row">
          <button type="button" className="button" disabled={busy} aria-busy={retryState.loading || undefined} onClick={() => void run(() => retry({ variables: { input } }), `“${what}” will run again.`)}>
            {retryState.loading ? 'Retrying…' : 'Retry'}
            <span className="visually-hidden"> {what}</span>
          </button>
          <button type="button" className="button button--danger-quiet" disabled={busy} onClick={() => setDiscarding(true)}>
            Discard…<span className="visually-hidden"> {what}</span>
          </button>
        </div>
      ) : (
        <form
          className="dead-letter-discard"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => discard({ variables: { input: { ...input, reason: reason.trim() || null } } }), `“${what}” was discarded; it will not run again.`);
          }}
        >
          <TextField label="Why discard it? (optional)" name={`reason-${job.jobId}`} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} error={errors.fields['input.reason']} hint="Kept in the audit log." />
          <div className="button-row">
            <button type="submit" className="button button--danger-quiet" disabled={busy} aria-busy={discardState.loading || undefined}>
              {discardState.loading ? 'Discarding…' : 'Discard for good'}
            </button>
            <button type="button" className="button button--quiet" disabled={busy} onClick={() => setDiscarding(false)}>
              Keep it
            </button>
          </div>
        </form>
      )}
      <FormAlert errors={errors} />
    </div>
  );
}
type FailedReminder = QueueHealthQuery['queueHealth']['failedReminders'][number];

const QUEUE_COLUMNS: Column<Queue>[] = [
  { header: 'Queue', rowHeader: true, cell: (q) => q.name },
  { header: 'Waiting', cell: (q) => q.waiting },
  { header: 'Running', cell: (q) => q.active },
  { header: 'Scheduled', cell: (q) => q.delayed },
  { header: 'Failed', cell: (q) => (q.failed > 0 ? <strong className="overdue">{q.failed}</strong> : 0) },
  { header: 'Done (kept)', cell: (q) => q.completed },
  { header: 'Oldest waiting', cell: (q) => wait(q.oldestWaitingSeconds) },
];

const DEAD_COLUMNS: Column<DeadLetter>[] = [
  { header: 'Message', rowHeader: true, cell: (d) => <>{d.template}<div className="muted small">{d.channel === 'EMAIL' ? 'Email' : 'Text'} to {d.recipient}</div></> },
  { header: 'Status', cell: (d) => <span className={d.status === 'DEAD' ? 'status status--emergency' : 'status status--urgent'}>{d.status === 'DEAD' ? 'Gave up' : 'Will retry'}</span> },
  { header: 'Attempts', cell: (d) => d.attempts },
  { header: 'Last error', cell: (d) => <span className="small">{d.lastError ?? '—'}</span> },
  { header: 'Created', className: 'small', cell: (d) => formatDateTime(d.createdAt) },
];

const FAILED_COLUMNS: Column<FailedReminder>[] = [
  { header: 'Reminder', rowHeader: true, cell: (r) => `${KIND_LABEL[r.kind as ReminderKind] ?? r.kind} · ${CHANNEL_LABEL[r.channel as Channel] ?? r.channel}` },
  { header: 'Status', cell: (r) => <span className={REMINDER_STATUS[r.status as ReminderStatus]?.className ?? 'status'}>{REMINDER_STATUS[r.status as ReminderStatus]?.label ?? r.status}</span> },
  { header: 'Attempts', cell: (r) => r.attempts },
  { header: 'Why', cell: (r) => <span className="small">{r.lastError ?? '—'}</span> },
  { header: 'Due to send', className: 'small', cell: (r) => formatDateTime(r.sendAt) },
];

/** The worker's queues (shared: counts only) and this organization's dead letters. */
export function QueuesPage() {
  const { data, loading, error, refetch } = useQuery(QUEUE_HEALTH, { fetchPolicy: 'cache-and-network', pollInterval: 30_000 });
  const h = data?.queueHealth;
  const [notice, setNotice] = useState<string | null>(null);
  const jobColumns: Column<FailedJob>[] = [
    {
      header: 'Job',
      rowHeader: true,
      cell: (j) => (
        <>
          {JOB_LABEL[j.name] ?? j.name}
          <div className="muted small">
            {j.name} · {j.queue} · {j.jobId}
            {j.deliveryKeys.length ? ` · undelivered: ${j.deliveryKeys.join(', ')}` : ''}
          </div>
        </>
      ),
    },
    { header: 'Attempts', cell: (j) => j.attemptsMade },
    { header: 'Last error', cell: (j) => <span className="small">{j.failedReason ?? '—'}</span> },
    { header: 'Gave up', className: 'small', cell: (j) => (j.failedAt ? formatDateTime(j.failedAt) : '—') },
    { header: 'Action', cell: (j) => <FailedJobActions job={j} onDone={setNotice} /> },
  ];
  return (
    <>
      <PageHeader
        title="Operations"
        description="Is the background work keeping up? The queues the worker runs, and the messages that could not be delivered."
        actions={
          <button type="button" className="button" onClick={() => void refetch()}>
            Refresh
          </button>
        }
      />
      <OperationsTabs />
      {error ? <QueryError error={error} retry={() => void refetch()} /> : null}
      {!h && loading ? <Loading label="Reading the queues…" /> : null}
      {h ? (
        <>
          <section className="card" aria-labelledby="queues-title">
            <h2 id="queues-title" className="section-title">
              Queues
            </h2>
            <p className="muted small">Shared by every organization on this server, so only the numbers are shown.</p>
            <DataTable label="Queues" columns={QUEUE_COLUMNS} rows={h.queues} rowKey={(q) => q.key} />
          </section>
          <section className="card" aria-labelledby="jobs-title">
            <h2 id="jobs-title" className="section-title">
              Jobs the worker gave up on
            </h2>
            <p className="muted small">Each was tried as often as its retry policy allows. Retry runs it again from the start (a message it could not send becomes sendable again); discard removes it for good. Both are recorded in the audit log.</p>
            {notice ? (
              <div className="alert alert--success" role="status">
                {notice}
              </div>
            ) : null}
            {h.failedJobs.length === 0 ? (
              <EmptyState title="No jobs in the dead letters">A job that still fails after its last retry appears here, with its error, to retry or discard.</EmptyState>
            ) : (
              <DataTable label="Jobs the worker gave up on" columns={jobColumns} rows={h.failedJobs} rowKey={(j) => `${j.queue}:${j.jobId}`} />
            )}
          </section>
          <section className="card" aria-labelledby="dead-title">
            <h2 id="dead-title" className="section-title">
              Undelivered messages
            </h2>
            {h.deadLetters.length === 0 ? (
              <EmptyState title="Every message was delivered">Messages that fail are retried; those that still fail appear here with the reason.</EmptyState>
            ) : (
              <DataTable label="Undelivered messages" columns={DEAD_COLUMNS} rows={h.deadLetters} rowKey={(d) => d.id} />
            )}
          </section>
          <section className="card" aria-labelledby="failed-title">
            <h2 id="failed-title" className="section-title">
              Failed reminders
            </h2>
            {h.failedReminders.length === 0 ? (
              <EmptyState title="No failed reminders">A reminder that cannot be prepared (for example a template the worker refuses) appears here.</EmptyState>
            ) : (
              <DataTable label="Failed reminders" columns={FAILED_COLUMNS} rows={h.failedReminders} rowKey={(r) => r.id} />
            )}
          </section>
        </>
      ) : null}
    </>
  );
}

const LOG_COLUMNS: Column<ReminderLogEntryFieldsFragment>[] = [
  {
    header: 'Client',
    rowHeader: true,
    cell: (r) => (
      <>
        {r.clientName}
        <div className="muted small">{r.clinicName ?? ''}</div>
      </>
    ),
  },
  {
    header: 'Reminder',
    cell: (r) => (
      <>
        {KIND_LABEL[r.kind]}
        <div className="muted small">
          {CHANNEL_LABEL[r.channel]}
          {r.appointmentStartsAt ? ` · for ${formatDateTime(r.appointmentStartsAt)}` : ''}
        </div>
      </>
    ),
  },
  {
    header: 'Outcome',
    cell: (r) => (
      <>
        <span className={REMINDER_STATUS[r.status].className}>{REMINDER_STATUS[r.status].label}</span>
        {r.lastError ? <div className="muted small">{r.lastError}</div> : null}
      </>
    ),
  },
  { header: 'Send time', className: 'small', cell: (r) => formatDateTime(r.sendAt) },
  { header: 'Attempts', cell: (r) => r.attempts },
];

/** The delivery log's filters live in the URL (?status=&channel=&kind=&clinic=&from=&to=). */
function useLogFilter() {
  const [params, setParams] = useSearchParams();
  const v = (k: string) => params.get(k) ?? '';
  // Dates are the browser's days: from its midnight, until the next midnight after `to`.
  const day = (d: string) => (d ? new Date(`${d}T00:00:00`).toISOString() : null);
  const to = v('to') ? new Date(new Date(`${v('to')}T00:00:00`).getTime() + 86_400_000).toISOString() : null;
  const filter: ReminderLogFilter = {
    status: (v('status') as ReminderStatus) || null,
    channel: (v('channel') as Channel) || null,
    kind: (v('kind') as ReminderKind) || null,
    clinicId: v('clinic') || null,
    from: day(v('from')),
    to,
  };
  const set = (key: string, value: string) => replaceParam(setParams, key, value);
  return { filter, v, set, filtered: Object.values(filter).some(Boolean) };
}

/** Every reminder: sent, skipped with its reason, failed, cancelled or waiting; newest first. */
export function DeliveryLogPage() {
  const f = useLogFilter();
  const { clinics } = useClinic();
  const list = useCursorList(REMINDER_LOG, { variables: { first: 50, filter: f.filter }, connection: (d) => d.reminderLog });
  return (
    <>
      <PageHeader title="Delivery log" description="Every reminder your clinics sent, skipped or could not deliver, with the reason, newest first." />
      <OperationsTabs />
      <div className="toolbar" role="group" aria-label="Filters">
        <SelectField label="Outcome" name="status" value={f.v('status')} onChange={(e) => f.set('status', e.target.value)}>
          <option value="">Any outcome</option>
          {(Object.keys(REMINDER_STATUS) as ReminderStatus[]).map((s) => (
            <option key={s} value={s}>
              {REMINDER_STATUS[s].label}
            </option>
          ))}
        </SelectField>
        <SelectField label="Channel" name="channel" value={f.v('channel')} onChange={(e) => f.set('channel', e.target.value)}>
          <option value="">Email and text</option>
          <option value="EMAIL">Email</option>
          <option value="SMS">Text message</option>
        </SelectField>
        <SelectField label="Kind" name="kind" value={f.v('kind')} onChange={(e) => f.set('kind', e.target.value)}>
          <option value="">Any kind</option>
          {(Object.keys(KIND_LABEL) as ReminderKind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Clinic" name="clinic" value={f.v('clinic')} onChange={(e) => f.set('clinic', e.target.value)}>
          <option value="">All clinics</option>
          {clinics.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <TextField label="Sent from" name="from" type="date" value={f.v('from')} onChange={(e) => f.set('from', e.target.value)} />
        <TextField label="Sent until" name="to" type="date" value={f.v('to')} onChange={(e) => f.set('to', e.target.value)} />
      </div>
      {list.totalCount !== null ? (
        <p className="muted small" role="status">
          {list.totalCount}
          {list.totalCount >= 1000 ? '+' : ''} reminder{list.totalCount === 1 ? '' : 's'}
          {f.filtered ? (list.totalCount === 1 ? ' matches' : ' match') : ''}
        </p>
      ) : null}
      <ListView
        list={list}
        label="Delivery log"
        columns={LOG_COLUMNS}
        rowKey={(r) => r.id}
        loadingLabel="Loading the delivery log…"
        moreLabel="Show more reminders"
        empty={
          f.filtered ? (
            <EmptyState title="No reminder matches these filters">Clear a filter to see more.</EmptyState>
          ) : (
            <EmptyState title="No reminders yet">Reminders appear here once appointments are booked for clients who agreed to reminders.</EmptyState>
          )
        }
      />
    </>
  );
}
