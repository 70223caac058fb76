import { useQuery } from '@apollo/client/react';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../components/Layout';
import { EmptyState, Loading, QueryError } from '../../components/status';
import type { ReferralDetailFragment } from '../../gql/graphql';
import { DISCIPLINES, formatDate, formatDateTime } from '../../lib/format';
import { REFERRAL, SHARED_RECORDS_QUERY } from './documents';
import { ReferralThread } from './ReferralThread';
import { ReferralActions } from './ReferralActions';
import { CONSENT_METHOD, INBOX_STATUS, REFERRAL_STATUS, SHARED_RECORDS, URGENCY, statusClass } from './referral-format';

type Referral = ReferralDetailFragment;

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** How far along the workflow a status is: orders events written in one transaction (same `at`), e.g. created then sent. */
const STEP: Record<string, number> = { DRAFT: 1, SENT: 2, ACCEPTED: 3, DECLINED: 3, SCHEDULED: 4, COMPLETED: 5, CLOSED: 6, CANCELLED: 7, EXPIRED: 7 };
const stepOf = (s: string | null | undefined) => (s ? (STEP[s] ?? 8) : 0);

function Timeline({ r }: { r: Referral }) {
  const labels = r.side === 'RECEIVED' ? INBOX_STATUS : REFERRAL_STATUS;
  const events = [...r.events].sort(
    (a, b) => a.at.localeCompare(b.at) || stepOf(a.toStatus) - stepOf(b.toStatus) || stepOf(a.fromStatus) - stepOf(b.fromStatus),
  );
  return (
    <section className="card" aria-labelledby="referral-timeline">
      <h2 id="referral-timeline">Timeline</h2>
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.id}>
            {e.fromStatus === e.toStatus && e.reason ? (
              // A step that kept the status (assigning, linking, consent withdrawn) is told by its reason.
              <span>{e.reason}</span>
            ) : (
              <span className={statusClass(e.toStatus)}>{labels[e.toStatus]}</span>
            )}
            <div className="muted small">
              {e.actorName}
              {e.byOwnOrganization ? '' : ` (${r.side === 'RECEIVED' ? r.from.organizationName : r.to.organizationName})`} · <time dateTime={e.at}>{formatDateTime(e.at)}</time>
            </div>
            {e.reason && e.fromStatus !== e.toStatus ? <p className="timeline-reason">“{e.reason}”</p> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

function SharedRecordsView({ r }: { r: Referral }) {
  const { data, loading, error, refetch } = useQuery(SHARED_RECORDS_QUERY, { variables: { referralId: r.id }, fetchPolicy: 'network-only' });
  const s = data?.referralSharedRecords;
  // What the client consented to that has nothing in it yet: said, not left blank.
  const missing = s
    ? s.consented
        .filter((t) => (t === 'INTAKE_SUMMARY' && !s.intakeSummary) || (t === 'CURRENT_PLAN' && !s.currentPlan) || (t === 'SIGNED_NOTES' && !s.signedNotes?.length))
        .map((t) => SHARED_RECORDS[t].label.toLowerCase())
    : [];
  return (
    <section className="card" aria-labelledby="referral-shared">
      <h2 id="referral-shared">Shared records</h2>
      <p className="muted small">Read-only, as the client consented, until {formatDate(r.consent.endsOn)}. Each reading is recorded.</p>
      {error ? <QueryError error={error} retry={() => void refetch()} /> : null}
      {!data && loading ? <Loading label="Loading shared records…" /> : null}
      {s ? (
        <>
          {s.intakeSummary ? (
            <details open>
              <summary>
                Intake summary (version {s.intakeSummary.version}, {formatDate(s.intakeSummary.recordedAt)}){s.intakeSummary.blocked ? ' — screening blocked treatment' : ''}
              </summary>
              <RecordText value={s.intakeSummary.intake} />
              {s.intakeSummary.findings.length ? (
                <>
                  <h3 className="small">Screening findings</h3>
                  <RecordText value={s.intakeSummary.findings} />
                </>
              ) : null}
            </details>
          ) : null}
          {s.currentPlan ? (
            <details>
              <summary>
                Current plan (version {s.currentPlan.version}, {s.currentPlan.status.toLowerCase()})
              </summary>
              <RecordText value={s.currentPlan.body} />
            </details>
          ) : null}
          {s.outcomeHistory ? (
            <details open>
              <summary>Outcome history ({s.outcomeHistory.length} {s.outcomeHistory.length === 1 ? 'measurement' : 'measurements'})</summary>
              {s.outcomeHistory.length === 0 ? <p className="muted">No pain or function scores recorded yet.</p> : null}
              {s.outcomeHistory.length > 0 ? (
              <table className="table table--compact" aria-label="Outcome history">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col" className="num">
                      Pain (0–10)
                    </th>
                    <th scope="col" className="num">
                      Function (PSFS 0–10)
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {s.outcomeHistory.map((p, i) => (
                    <tr key={i}>
                      <th scope="row">{formatDate(p.at)}</th>
                      <td className="num">{p.painNrs ?? '—'}</td>
                      <td className="num">{p.psfs ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              ) : null}
            </details>
          ) : null}
          {s.signedNotes?.length ? (
            <details>
              <summary>Signed session notes ({s.signedNotes.length})</summary>
              {s.signedNotes.map((n) => (
                <article key={n.id} className="shared-note">
                  <h3 className="small">
                    {formatDateTime(n.signedAt)}
                    {n.painBefore !== null && n.painBefore !== undefined ? ` · pain ${n.painBefore} → ${n.painAfter ?? '?'}` : ''}
                  </h3>
                  <RecordText value={n.soap} />
                </article>
              ))}
            </details>
          ) : null}
          {missing.length ? <p className="muted">Consented but not recorded yet: {missing.join(', ')}.</p> : null}
        </>
      ) : null}
    </section>
  );
}

/** A shared record's JSON as labelled lines: keys in words, nested values indented. */
function RecordText({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <p className="muted">Not recorded.</p>;
  const words = (k: string) => k.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  const render = (v: unknown): ReactNode => {
    if (v === null || v === undefined || v === '') return <span className="muted">—</span>;
    if (Array.isArray(v)) {
      if (v.length === 0) return <span className="muted">none</span>;
      if (v.every((x) => typeof x !== 'object' || x === null)) return v.join(', ');
      return (
        <ul className="record-list">
          {v.map((x, i) => (
            <li key={i}>{render(x)}</li>
          ))}
        </ul>
      );
    }
    if (typeof v === 'object') {
      return (
        <dl className="details details--record">
          {Object.entries(v as Record<string, unknown>).map(([k, x]) => (
            <Detail key={k} term={words(k)}>
              {render(x)}
            </Detail>
          ))}
        </dl>
      );
    }
    return String(v);
  };
  return <div className="record">{render(value)}</div>;
}

export function ReferralPage() {
  const { id = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(REFERRAL, { variables: { id } });
  if (error) return <QueryError error={error} retry={() => void refetch()} />;
  if (!data && loading) return <Loading label="Loading referral…" />;
  const r = data?.referral;
  if (!r) {
    return (
      <EmptyState title="Referral not found" action={<Link to="/referrals/inbox">Back to referrals</Link>}>
        It may belong to an organization you are not a partner of.
      </EmptyState>
    );
  }
  const received = r.side === 'RECEIVED';
  const labels = received ? INBOX_STATUS : REFERRAL_STATUS;
  const showShared = received && r.consent.live && r.sharedRecords.length > 0;

  return (
    <>
      <PageHeader
        title={`Referral: ${r.client.displayName}`}
        description={
          received
            ? `From ${r.from.practitionerName}, ${r.from.clinicName} (${r.from.organizationName})`
            : `To ${r.to.practitionerName ?? `a ${DISCIPLINES[r.to.discipline].toLowerCase()}`} at ${r.to.clinicName} (${r.to.organizationName})`
        }
        actions={
          <Link to={received ? '/referrals/inbox' : '/referrals/outbox'} className="button button--quiet">
            {received ? 'All referrals received' : 'All referrals sent'}
          </Link>
        }
      />
      <p className="referral-state">
        <span className={statusClass(r.status)}>{labels[r.status]}</span> <span className={statusClass(r.urgency)}>{URGENCY[r.urgency].label}</span>
        {r.overdue ? <span className="overdue"> Answer overdue since {r.dueAt ? formatDateTime(r.dueAt) : 'its deadline'}</span> : null}
        {r.status === 'SENT' && !r.overdue && r.dueAt ? <span className="muted small"> Answer due by {formatDateTime(r.dueAt)}</span> : null}
      </p>
      {r.consent.withdrawnAt ? (
        <div className="alert alert--info" role="status">
          <strong>Consent withdrawn</strong> on {formatDateTime(r.consent.withdrawnAt)}: the shared records are no longer available{received ? ' to you' : ' to the receiver'}.
        </div>
      ) : null}
      <div className="grid-2 grid--top">
        <section className="card" aria-labelledby="referral-details">
          <h2 id="referral-details">The referral</h2>
          <dl className="details">
            <Detail term="Reason">{r.reason}</Detail>
            <Detail term="Clinical question">{r.clinicalQuestion}</Detail>
            <Detail term="From">
              {r.from.practitionerName}, {r.from.clinicName}
              {received ? ` (${r.from.organizationName})` : ''}
            </Detail>
            <Detail term="To">
              {r.to.practitionerName ?? <span className="muted">Any {DISCIPLINES[r.to.discipline].toLowerCase()}: the clinic assigns</span>}, {r.to.clinicName}
              {received ? '' : ` (${r.to.organizationName})`}
            </Detail>
            <Detail term="Sent">{r.sentAt ? formatDateTime(r.sentAt) : <span className="muted">Not yet: a draft</span>}</Detail>
            {r.validUntil && (r.status === 'SENT' || r.status === 'DRAFT') ? <Detail term="Expires unanswered">{formatDateTime(r.validUntil)}</Detail> : null}
          </dl>
          <h3 className="small">Client</h3>
          <dl className="details">
            <Detail term="Name">
              {r.client.localClientId ? <Link to={`/clients/${r.client.localClientId}`}>{r.client.displayName}</Link> : r.client.displayName}
            </Detail>
            {r.client.dateOfBirth ? <Detail term="Date of birth">{formatDate(r.client.dateOfBirth, { weekday: false })}</Detail> : null}
            {r.client.phone ? <Detail term="Phone">{r.client.phone}</Detail> : null}
            {r.client.email ? <Detail term="Email">{r.client.email}</Detail> : null}
          </dl>
          <h3 className="small">Consent</h3>
          <dl className="details">
            <Detail term="Shared records">{r.sharedRecords.length ? r.sharedRecords.map((s) => SHARED_RECORDS[s].label).join(', ') : 'None: contact details and the question only'}</Detail>
            <Detail term="Given">
              {CONSENT_METHOD[r.consent.method]}, recorded {formatDateTime(r.consent.recordedAt)}
              {r.consent.recordedBy ? ` by ${r.consent.recordedBy}` : ''}
            </Detail>
            <Detail term="Holds until">
              {formatDate(r.consent.endsOn)} {r.consent.live ? <span className="status status--active">live</span> : <span className="status">ended</span>}
            </Detail>
          </dl>
        </section>
        <ReferralActions r={r} />
      </div>
      {r.reply ? (
        <section className="card reply" aria-labelledby="referral-reply">
          <h2 id="referral-reply">Reply from {r.reply.repliedByName}</h2>
          <p className="muted small">{formatDateTime(r.reply.repliedAt)}</p>
          <dl className="details">
            <Detail term="Findings">{r.reply.findings}</Detail>
            {r.reply.treatment ? <Detail term="What was done">{r.reply.treatment}</Detail> : null}
            {r.reply.recommendations ? <Detail term="Recommendations">{r.reply.recommendations}</Detail> : null}
            {r.reply.onwardReferral ? <Detail term="Onward referral">{r.reply.onwardReferral}</Detail> : null}
          </dl>
        </section>
      ) : null}
      {showShared ? <SharedRecordsView r={r} /> : null}
      <div className="grid-2 grid--top">
        <ReferralThread r={r} />
        <Timeline r={r} />
      </div>
    </>
  );
}
