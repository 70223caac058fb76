import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link } from 'react-router';
import { FormAlert } from '../../components/forms';
import { Loading, QueryError } from '../../components/status';
import { NO_ERRORS, readErrors, type FormErrors } from '../../lib/errors';
import { APPLY_REPLAN, PROPOSE_REPLAN } from './documents';
import { formatWall } from './reassessment-format';

type Change = 'Keep' | 'Move' | 'Cancel' | 'Add';
interface Row {
  key: string;
  change: Change;
  session: number | null;
  when: string;
  from?: string;
  conflict?: string | null;
}



/** The re-planned series (cancel / move / add / keep, in the clinic's zone); confirming applies it in one step. */
export function ReplanDiff({ planId, clientId }: { planId: string; clientId: string }) {
  const q = useQuery(PROPOSE_REPLAN, { variables: { planId }, fetchPolicy: 'network-only' });
  const [apply, applying] = useMutation(APPLY_REPLAN);
  const [alert, setAlert] = useState<FormErrors>(NO_ERRORS);
  const [done, setDone] = useState<{ kept: number; moved: number; cancelled: number; added: number } | null>(null);

  if (q.loading) return <Loading label="Re-planning the booked sessions…" />;
  if (q.error || !q.data) return <QueryError error={q.error} retry={() => void q.refetch()} />;
  const p = q.data.proposeReplan;

  if (done) {
    return (
      <section className="card" aria-labelledby="replan-done">
        <h2 id="replan-done">Schedule updated</h2>
        <div className="alert alert--success" role="status">
          <strong>The booked sessions now follow the new rhythm.</strong> {done.kept} kept, {done.moved} moved, {done.cancelled} cancelled (by the clinic, no late-cancel
          charge), {done.added} added. Reminders follow the new times.
        </div>
        <Link to={`/clients/${clientId}`} className="button button--primary">
          Back to the client
        </Link>
      </section>
    );
  }

  const rows: Row[] = [
    ...p.keep.map((k) => ({ key: `k${k.appointmentId}`, change: 'Keep' as const, session: k.sessionNumber, when: k.localStart, conflict: k.conflict })),
    ...p.move.map((m) => ({ key: `m${m.appointmentId}`, change: 'Move' as const, session: m.sessionNumber, when: m.localStart, from: m.fromLocalStart, conflict: m.conflict })),
    ...p.cancel.map((c) => ({ key: `c${c.appointmentId}`, change: 'Cancel' as const, session: null, when: c.localStart })),
    ...p.add.map((a) => ({ key: `a${a.sessionNumber}`, change: 'Add' as const, session: a.sessionNumber, when: a.localStart, conflict: a.conflict })),
  ];
  rows.sort((a, b) => (a.from ?? a.when).localeCompare(b.from ?? b.when));
  const changes = p.move.length + p.cancel.length + p.add.length;

  const confirm = async () => {
    setAlert(NO_ERRORS);
    try {
      const res = await apply({ variables: { input: { planId: p.planId, proposalToken: p.token, expectedPlanVersion: p.planVersion } } });
      const r = res.data?.applyReplan;
      if (r) setDone({ kept: r.kept.length, moved: r.moved.length, cancelled: r.cancelled.length, added: r.added.length });
    } catch (e) {
      setAlert(readErrors(e, []));
    }
  };

  return (
    <section className="card" aria-labelledby="replan-title">
      <h2 id="replan-title">The booked sessions under the new rhythm</h2>
      <p>
        Times are in the clinic’s time zone ({p.timeZone}). The proposal {p.summary}. Nothing changes until you confirm.
      </p>
      <FormAlert errors={alert} titles={{ CONFLICT: 'The schedule changed meanwhile' }} />
      {rows.length === 0 ? (
        <p className="muted">This plan has no sessions booked ahead and the new rhythm needs none.</p>
      ) : (
        <table className="table table--compact" aria-label="Re-planned sessions">
          <thead>
            <tr>
              <th scope="col">Change</th>
              <th scope="col">Session</th>
              <th scope="col">When</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-change={r.change.toLowerCase()}>
                <td>
                  <span className={`change change--${r.change.toLowerCase()}`}>{r.change}</span>
                </td>
                <td>{r.session ?? '—'}</td>
                <td>
                  {r.change === 'Cancel' ? <s>{formatWall(r.when)}</s> : formatWall(r.when)}
                  {r.from ? <span className="muted small"> (was {formatWall(r.from)})</span> : null}
                </td>
                <td>{r.conflict ? <span className="field-error">{r.conflict}</span> : r.change === 'Cancel' ? 'Cancelled by the clinic; no late-cancel charge' : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="form-actions">
        {alert.code === 'CONFLICT' ? (
          <button type="button" className="button" onClick={() => { setAlert(NO_ERRORS); void q.refetch(); }}>
            Review the new proposal
          </button>
        ) : null}
        <button type="button" className="button button--primary" onClick={() => void confirm()} disabled={applying.loading || changes === 0 || p.move.some((m) => m.conflict) || p.add.some((a) => a.conflict)} aria-busy={applying.loading || undefined}>
          {applying.loading ? 'Updating the schedule…' : changes === 0 ? 'Nothing to change' : 'Confirm the new schedule'}
        </button>
        <Link to={`/clients/${clientId}`} className="button">
          Leave the schedule as it is
        </Link>
      </div>
    </section>
  );
}
