import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { z } from 'zod';
import { FormAlert, SelectField, SubmitButton, TextAreaField, TextField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { EmptyState, Loading, QueryError } from '../../components/status';
import type { RecordReassessmentPageMutation, ReassessmentClientQuery } from '../../gql/graphql';
import { fieldError, useServerErrors, useZodForm } from '../../lib/form';
import { clientName } from '../client/client-format';
import { ACCEPT_REASSESSMENT, DISMISS_REASSESSMENT, PREVIEW_REPLAN, REASSESSMENT_CLIENT, RECORD_REASSESSMENT } from './documents';
import { DECISION, MEASURE, OVERALL, RESULT_STATUS } from './reassessment-format';
import { ReplanDiff } from './ReplanDiff';

type Plan = NonNullable<ReassessmentClientQuery['client']>['plans'][number];
type Complaints = Map<string, string>;
type Recorded = RecordReassessmentPageMutation['recordReassessment'];

const score = (max: number, label: string) =>
  z
    .string()
    .trim()
    .refine((v) => v === '' || (/^\d+(\.\d+)?$/.test(v) && Number(v) <= max), `Enter ${label} from 0 to ${max}, or leave it empty.`);

const schema = z
  .object({
    pain: z.array(z.object({ complaintId: z.string(), score: z.string().trim().regex(/^(10|\d)$/, 'Enter a whole number from 0 to 10.') })),
    psfs: score(10, 'the mean PSFS score'),
    odi: score(100, 'the ODI percentage'),
    ndi: score(50, 'the NDI score'),
    addComplaint: z.boolean(),
    complaint: z.object({ region: z.string(), side: z.string(), onsetDate: z.string(), cause: z.string(), painNow: z.string(), painWorst: z.string() }),
  })
  .superRefine((v, ctx) => {
    if (!v.addComplaint) return;
    const c = v.complaint;
    if (!c.region.trim()) ctx.addIssue({ code: 'custom', path: ['complaint', 'region'], message: 'Name the body region, e.g. shoulder.' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(c.onsetDate)) ctx.addIssue({ code: 'custom', path: ['complaint', 'onsetDate'], message: 'Enter the day it started.' });
    if (!/^(10|\d)$/.test(c.painNow)) ctx.addIssue({ code: 'custom', path: ['complaint', 'painNow'], message: 'Enter a whole number from 0 to 10.' });
    if (!/^(10|\d)$/.test(c.painWorst)) ctx.addIssue({ code: 'custom', path: ['complaint', 'painWorst'], message: 'Enter a whole number from 0 to 10.' });
  });

/** Server paths (`measures.pain.0.score`, `newComplaints.0.region`) → the form's fields. */
function rename(field: string): string {
  return field.replace(/^measures\./, '').replace(/^newComplaints\.0\./, 'complaint.');
}
const KNOWN = ['measures', 'newComplaints'];

/** /clients/:id/reassessment/new?plan=…: record the measures, read the next step, accept or dismiss it, then re-plan the booked series. */
export function ReassessmentPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const q = useQuery(REASSESSMENT_CLIENT, { variables: { id } });
  const [recorded, setRecorded] = useState<Recorded | null>(null);
  const [outcome, setOutcome] = useState<'accepted' | 'dismissed' | null>(null);

  if (q.loading && !q.data) return <Loading />;
  if (q.error) return <QueryError error={q.error} retry={() => void q.refetch()} />;
  const client = q.data?.client;
  if (!client) return <EmptyState title="Client not found" action={<Link to="/clients">Back to clients</Link>} />;
  const live = client.plans.filter((p) => p.status === 'ACTIVE' || p.status === 'MAINTENANCE');
  const plan = live.find((p) => p.id === params.get('plan')) ?? live[0];
  const title = `Re-assessment · ${clientName(client)}`;
  if (!plan) {
    return (
      <>
        <PageHeader title={title} />
        <EmptyState title="No active plan to re-assess" action={<Link to={`/clients/${client.id}`}>Back to the client</Link>}>
          A re-assessment reads progress against an accepted plan; this client has none active.
        </EmptyState>
      </>
    );
  }
  const phase = plan.current.phases[plan.current.currentPhaseIndex];
  // Complaints named as people say them ("neck, central"), from the intake the plan came from.
  const complaints: Complaints = new Map(
    (client.intakes.find((i) => i.id === plan.intakeId)?.complaints ?? []).map((c) => [c.id, `${c.region.replace(/-/g, ' ')}${c.side === 'central' ? '' : `, ${c.side}`}`]),
  );
  return (
    <>
      <PageHeader
        title={title}
        description={`${phase ? `${phase.label}, ${phase.frequency.description}` : 'Plan'} · ${plan.nextReassessment ? `${plan.nextReassessment.sessionsCompleted} sessions given${plan.nextReassessment.isDue ? ', re-assessment due' : ''}` : ''}`}
        actions={<Link to={`/clients/${client.id}`} className="button">Back to the client</Link>}
      />
      {!recorded ? <MeasuresForm plan={plan} complaints={complaints} onRecorded={setRecorded} /> : <NextStep rec={recorded} complaints={complaints} outcome={outcome} onOutcome={setOutcome} />}
      {recorded && outcome === 'accepted' ? <ReplanDiff planId={plan.id} clientId={client.id} /> : null}
    </>
  );
}

function MeasuresForm({ plan, complaints, onRecorded }: { plan: Plan; complaints: Complaints; onRecorded(r: Recorded): void }) {
  const benchmarks = plan.current.benchmarks;
  const painBenchmarks = benchmarks.filter((b) => b.measure === 'pain-nrs' && b.complaintId);
  const has = (m: string) => benchmarks.some((b) => b.measure === m);
  const form = useZodForm(schema, {
    defaultValues: {
      pain: painBenchmarks.map((b) => ({ complaintId: b.complaintId!, score: '' })),
      psfs: '',
      odi: '',
      ndi: '',
      addComplaint: false,
      complaint: { region: '', side: 'central', onsetDate: '', cause: 'unknown', painNow: '', painWorst: '' },
    },
  });
  const server = useServerErrors(form);
  const [record] = useMutation(RECORD_REASSESSMENT);
  const { errors, isSubmitting } = form.formState;
  const err = (n: string) => fieldError(errors, n);
  const addComplaint = form.watch('addComplaint');

  const submit = form.handleSubmit(async (v) => {
    server.clear();
    const num = (s: string) => (s.trim() === '' ? null : Number(s));
    const c = v.complaint;
    try {
      const res = await record({
        variables: {
          input: {
            planId: plan.id,
            measures: {
              pain: v.pain.map((p) => ({ complaintId: p.complaintId, score: Number(p.score) })),
              psfs: num(v.psfs) === null ? null : [{ activity: 'overall', score: num(v.psfs)! }],
              odi: num(v.odi),
              ndi: num(v.ndi),
            },
            newComplaints: v.addComplaint
              ? [{ region: c.region.trim(), side: c.side, onsetDate: c.onsetDate, cause: c.cause, painNow: Number(c.painNow), painWorst: Number(c.painWorst) }]
              : null,
          },
        },
      });
      if (res.data) onRecorded(res.data.recordReassessment);
    } catch (e) {
      server.apply(e, KNOWN, rename);
    }
  });

  return (
    <form ref={server.ref} onSubmit={(e) => void submit(e)} noValidate className="card" aria-labelledby="measures-title">
      <h2 id="measures-title">Today’s measures</h2>
      <FormAlert errors={server.alert} />
      <table className="table table--compact table--spaced" aria-label="Baseline and benchmarks">
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col">At the start</th>
            <th scope="col">Benchmark</th>
          </tr>
        </thead>
        <tbody>
          {benchmarks.map((b) => (
            <tr key={b.id}>
              <td>
                {MEASURE[b.measure] ?? b.measure}
                {b.complaintId ? <span className="muted small"> · {complaints.get(b.complaintId) ?? b.complaintId}</span> : null}
              </td>
              <td>{b.baseline}</td>
              <td>
                {b.direction === 'decrease' ? 'at most' : 'at least'} {b.target}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="measure-grid">
        {painBenchmarks.map((b, i) => (
          <TextField
            key={b.id}
            label={`Pain now, ${complaints.get(b.complaintId!) ?? `complaint ${b.complaintId}`} (0–10)`}
            inputMode="numeric"
            required
            hint={`It was ${b.baseline} at the start.`}
            error={err(`pain.${i}.score`)}
            {...form.register(`pain.${i}.score`)}
          />
        ))}
        {has('psfs') ? <TextField label="Function, PSFS mean (0–10)" inputMode="decimal" error={err('psfs')} {...form.register('psfs')} /> : null}
        {has('odi') ? <TextField label="Back disability, ODI (%)" inputMode="decimal" error={err('odi')} {...form.register('odi')} /> : null}
        {has('ndi') ? <TextField label="Neck disability, NDI (0–50)" inputMode="decimal" error={err('ndi')} {...form.register('ndi')} /> : null}
      </div>
      <div className="field field--checkbox">
        <label>
          <input type="checkbox" {...form.register('addComplaint')} /> The client reports a new complaint
        </label>
      </div>
      {addComplaint ? (
        <fieldset className="measure-grid">
          <legend>New complaint</legend>
          <TextField label="Body region" required hint="e.g. shoulder, upper-back, hip" error={err('complaint.region')} {...form.register('complaint.region')} />
          <SelectField label="Side" required error={err('complaint.side')} {...form.register('complaint.side')}>
            <option value="left">Left</option>
            <option value="right">Right</option>
            <option value="both">Both</option>
            <option value="central">Central</option>
          </SelectField>
          <TextField label="Started on" type="date" required error={err('complaint.onsetDate')} {...form.register('complaint.onsetDate')} />
          <SelectField label="Cause" required error={err('complaint.cause')} {...form.register('complaint.cause')}>
            {['sprain', 'strain', 'sport', 'overuse', 'posture', 'trauma', 'post-surgical', 'unknown'].map((c) => (
              <option key={c} value={c}>
                {c === 'unknown' ? 'Not known' : c[0].toUpperCase() + c.slice(1).replace('-', ' ')}
              </option>
            ))}
          </SelectField>
          <TextField label="Pain now (0–10)" inputMode="numeric" required error={err('complaint.painNow')} {...form.register('complaint.painNow')} />
          <TextField label="Worst pain (0–10)" inputMode="numeric" required error={err('complaint.painWorst')} {...form.register('complaint.painWorst')} />
        </fieldset>
      ) : null}
      <div className="form-actions">
        <SubmitButton busy={isSubmitting} busyLabel="Comparing…">
          Record the re-assessment
        </SubmitButton>
      </div>
    </form>
  );
}

const dismissSchema = z.object({ reason: z.string().trim().min(2, 'Say why the next step is dismissed.') });

function NextStep({ rec, complaints, outcome, onOutcome }: { rec: Recorded; complaints: Complaints; outcome: 'accepted' | 'dismissed' | null; onOutcome(o: 'accepted' | 'dismissed'): void }) {
  const [accept, accepting] = useMutation(ACCEPT_REASSESSMENT);
  const [dismiss] = useMutation(DISMISS_REASSESSMENT);
  const [dismissing, setDismissing] = useState(false);
  const form = useZodForm(dismissSchema, { defaultValues: { reason: '' } });
  const server = useServerErrors(form);
  const next = rec.proposedPlan.phases[rec.proposedPlan.currentPhaseIndex];
  const preview = useQuery(PREVIEW_REPLAN, { variables: { reassessmentId: rec.id }, skip: outcome !== null, fetchPolicy: 'network-only' });
  const impact = preview.data?.proposeReplan;
  const changes = impact ? impact.cancel.length + impact.move.length + impact.add.length : 0;

  const onAccept = async () => {
    server.clear();
    try {
      await accept({ variables: { id: rec.id }, refetchQueries: ['ReassessmentClient'] });
      onOutcome('accepted');
    } catch (e) {
      server.apply(e, []);
    }
  };
  const onDismiss = form.handleSubmit(async (v) => {
    try {
      await dismiss({ variables: { id: rec.id, reason: v.reason } });
      onOutcome('dismissed');
    } catch (e) {
      server.apply(e, ['reason']);
    }
  });

  return (
    <>
      <section className="card" aria-labelledby="progress-title">
        <h2 id="progress-title">Progress against the start</h2>
        <p>
          <strong>{OVERALL[rec.evaluation.overall] ?? rec.evaluation.overall}.</strong> {rec.evaluation.summary}
        </p>
        <table className="table table--compact" aria-label="Measures compared with the start and the benchmarks">
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col">At the start</th>
              <th scope="col">Today</th>
              <th scope="col">Change</th>
              <th scope="col">Benchmark</th>
            </tr>
          </thead>
          <tbody>
            {rec.evaluation.results.map((r) => (
              <tr key={r.benchmarkId}>
                <td>
                  {MEASURE[r.measure] ?? r.measure}
                  {r.complaintId ? <span className="muted small"> · {complaints.get(r.complaintId) ?? r.complaintId}</span> : null}
                </td>
                <td>{r.baseline}</td>
                <td>{r.current ?? '—'}</td>
                <td>{r.improvement == null ? '—' : r.improvement > 0 ? `${r.improvement} better` : r.improvement < 0 ? `${-r.improvement} worse` : 'no change'}</td>
                <td>{RESULT_STATUS[r.status] ?? r.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rec.painChanges.length ? (
          <div className="alert alert--error" role="note">
            <strong>New or worse pain</strong>
            <ul>
              {rec.painChanges.map((c) => (
                <li key={`${c.complaintId}-${c.kind}`}>{c.finding}</li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>
      <section className="card" aria-labelledby="next-step-title">
        <h2 id="next-step-title">Proposed next step: {DECISION[rec.decision] ?? rec.decision}</h2>
        <p>{rec.reason}</p>
        {rec.changes.length ? (
          <ul>
            {rec.changes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        ) : null}
        {next ? (
          <p className="muted">
            Then: {next.label}, {next.frequency.description}.
          </p>
        ) : null}
        {impact && outcome === null ? (
          <p>
            <strong>For the booked sessions:</strong>{' '}
            {changes === 0 ? 'nothing changes.' : `accepting it re-plans them — the new rhythm ${impact.summary}. You confirm that next.`}
          </p>
        ) : null}
        <FormAlert errors={server.alert} />
        {outcome === 'accepted' ? (
          <div className="alert alert--success" role="status">
            <strong>Next step accepted.</strong> The plan has a new version; review what it means for the booked sessions below.
          </div>
        ) : outcome === 'dismissed' ? (
          <div className="alert alert--success" role="status">
            <strong>Next step dismissed.</strong> The plan stays as it was.
          </div>
        ) : dismissing ? (
          <form ref={server.ref} onSubmit={(e) => void onDismiss(e)} noValidate>
            <TextAreaField label="Why dismiss it?" required error={fieldError(form.formState.errors, 'reason')} {...form.register('reason')} />
            <div className="form-actions">
              <SubmitButton busy={form.formState.isSubmitting}>Dismiss the next step</SubmitButton>
              <button type="button" className="button" onClick={() => setDismissing(false)}>
                Back
              </button>
            </div>
          </form>
        ) : (
          <div className="form-actions">
            <button type="button" className="button button--primary" onClick={() => void onAccept()} disabled={accepting.loading} aria-busy={accepting.loading || undefined}>
              {accepting.loading ? 'Accepting…' : 'Accept the next step'}
            </button>
            <button type="button" className="button" onClick={() => setDismissing(true)}>
              Dismiss…
            </button>
          </div>
        )}
      </section>
    </>
  );
}
