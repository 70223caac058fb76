import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { z } from 'zod';
import { FormAlert, SelectField, SubmitButton, TextAreaField, TextField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { EmptyState, Loading, QueryError } from '../../components/status';
import type { BookPlanSeriesMutation, PlanBodyFieldsFragment, PlanPageQuery } from '../../gql/graphql';
import { useMe } from '../../lib/auth';
import { fieldError, optionalText, useServerErrors, useZodForm } from '../../lib/form';
import { formatDate, formatDateTime } from '../../lib/format';
import { clientName } from '../client/client-format';
import '../clinical.css';
import { Findings } from '../intake/Findings';
import { label } from '../intake/intake-model';
import { ACCEPT_PLAN, BOOK_SERIES, EDIT_PLAN, PLAN, PLAN_CLIENT, PLAN_PRACTITIONERS } from './documents';
import { EvidenceTag, Reasoned } from './Evidence';

type Plan = NonNullable<PlanPageQuery['plan']>;
type Body = PlanBodyFieldsFragment;

export const PLAN_STATUS: Record<string, string> = {
  PROPOSED: 'Proposed',
  ACTIVE: 'Active',
  MAINTENANCE: 'Maintenance',
  COMPLETED: 'Completed',
  DISCONTINUED: 'Discontinued',
};

export const CHANGE_KIND: Record<string, string> = {
  PROPOSED: 'Proposed',
  BLOCKED: 'Blocked by screening',
  ACCEPTED: 'Accepted',
  EDITED: 'Edited',
  MAINTENANCE: 'Moved to maintenance',
  COMPLETED: 'Completed',
  DISCONTINUED: 'Discontinued',
  STEP_DOWN: 'Stepped down',
  CONTINUE: 'Continued',
  CHANGE_APPROACH: 'Approach changed',
  REFER: 'Referral advised',
  MOVE_TO_MAINTENANCE: 'Moved to maintenance',
  STOP_AND_REFER: 'Stopped and referred',
};

const MEASURES: Record<string, string> = { 'pain-nrs': 'Pain (0–10)', psfs: 'Function (PSFS, 0–10)', odi: 'Oswestry (0–100)', ndi: 'Neck Disability (0–50)' };

export function measureLabel(m: string): string {
  return MEASURES[m] ?? m;
}

/** "plan:left+neck:central" → "Lower back (left), neck"; the complaint key as words. */
export function complaintWords(key: string): string {
  if (key === 'wellness') return 'Wellness and relaxation';
  return key
    .split('+')
    .map((part) => {
      const [region, side] = part.split(':');
      return `${label(region)}${side && side !== 'central' && side !== 'bilateral' ? ` (${side})` : ''}`;
    })
    .join(', ');
}

function range(r: { min: number; likely: number; max: number }, unit: string): string {
  return r.min === r.max ? `${r.likely} ${unit}` : `${r.likely} ${unit} (${r.min}–${r.max})`;
}

/** Who changed a version: "you", a practitioner by name, or "a colleague". */
export function useWho(clinicId: string | null): (userId: string) => string {
  const me = useMe();
  const { data } = useQuery(PLAN_PRACTITIONERS, { variables: { clinicId } });
  const names = new Map((data?.practitioners.edges ?? []).filter((e) => e.node.userId).map((e) => [e.node.userId as string, e.node.displayName]));
  return (userId) => (userId === me.user.id ? `you (${me.user.displayName})` : (names.get(userId) ?? 'a colleague'));
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function PlanBodyView({ body }: { body: Body }) {
  return (
    <>
      {body.warnings.length ? (
        <div className="alert alert--info" role="note">
          <strong>To know</strong>
          {body.warnings.map((w) => (
            <p key={w.code}>{w.message}</p>
          ))}
        </div>
      ) : null}
      <Section id="plan-summary" title="Summary">
        <dl className="details">
          {body.protocol ? (
            <>
              <dt>Protocol</dt>
              <dd>
                {label(body.protocol)}
                {body.protocolDescription ? <div className="small muted">{body.protocolDescription}</div> : null}
              </dd>
            </>
          ) : null}
          {body.severity ? (
            <>
              <dt>Severity</dt>
              <dd>
                {label(body.severity)}
                {body.severityReason ? <div className="small muted">{body.severityReason}</div> : null}
              </dd>
            </>
          ) : null}
          {body.expectedSessions ? (
            <>
              <dt>Sessions expected</dt>
              <dd>
                <Reasoned value={range(body.expectedSessions, 'sessions')} reason={body.expectedSessions.reason} evidence={body.expectedSessions.evidence} />
              </dd>
            </>
          ) : null}
        </dl>
      </Section>
      <Section id="plan-phases" title="Phases">
        <ol className="phase-list">
          {body.phases.map((p) => (
            <li key={p.index} className={p.index === body.currentPhaseIndex ? 'phase phase--current' : 'phase'}>
              <h3>
                {p.label}
                {p.index === body.currentPhaseIndex ? <span className="badge">Current</span> : null}
              </h3>
              <p className="muted">{p.purpose}</p>
              <dl className="details details--phase">
                <dt>Sessions</dt>
                <dd>
                  <Reasoned value={range(p.sessions, p.kind === 'maintenance' ? 'visits a year' : 'sessions')} reason={p.sessions.reason} evidence={p.sessions.evidence} />
                </dd>
                <dt>How often</dt>
                <dd>
                  <Reasoned value={p.frequency.description} reason={p.frequency.reason} evidence={p.frequency.evidence} />
                </dd>
                {p.durationWeeks ? (
                  <>
                    <dt>How long</dt>
                    <dd>
                      <Reasoned value={range(p.durationWeeks, 'weeks')} reason={p.durationWeeks.reason} evidence={p.durationWeeks.evidence} />
                    </dd>
                  </>
                ) : null}
                <dt>Session length</dt>
                <dd>
                  <Reasoned value={`${p.sessionLengthMinutes.value} minutes`} reason={p.sessionLengthMinutes.reason} evidence={p.sessionLengthMinutes.evidence} />
                </dd>
                <dt>Re-assess</dt>
                <dd>
                  <Reasoned value={`every ${p.reassessment.everySessions} sessions or ${p.reassessment.everyWeeks} weeks`} reason={p.reassessment.reason} evidence={p.reassessment.evidence} />
                </dd>
              </dl>
            </li>
          ))}
        </ol>
      </Section>
      <div className="grid-2">
        <Section id="plan-techniques" title="Techniques">
          {body.techniques.length === 0 ? <p className="muted">None.</p> : null}
          <ul className="reason-list">
            {body.techniques.map((t) => (
              <li key={`${t.complaintId}-${t.technique}`}>
                <Reasoned value={`${label(t.technique)}, ${t.pressure} pressure at most`} reason={t.reason} evidence={t.evidence} />
              </li>
            ))}
          </ul>
          {body.excludedTechniques.length ? (
            <>
              <h3>Ruled out</h3>
              <ul className="reason-list">
                {body.excludedTechniques.map((t) => (
                  <li key={`${t.complaintId}-${t.technique}`}>
                    <strong>{label(t.technique)}</strong> — {t.reason}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </Section>
        <Section id="plan-benchmarks" title="Benchmarks to meet at each re-assessment">
          {body.benchmarks.length === 0 ? <p className="muted">None.</p> : null}
          <ul className="reason-list">
            {body.benchmarks.map((b) => (
              <li key={b.id}>
                <Reasoned value={`${measureLabel(b.measure)}: from ${b.baseline} to ${b.direction === 'decrease' ? 'at most' : 'at least'} ${b.target}`} reason={b.reason} evidence={b.evidence} />
              </li>
            ))}
          </ul>
        </Section>
      </div>
      {body.safeguards.length || body.homeCare.length ? (
        <div className="grid-2">
          <Section id="plan-safeguards" title="Safeguards">
            {body.safeguards.length === 0 ? <p className="muted">None apply.</p> : null}
            <ul className="reason-list">
              {body.safeguards.map((s) => (
                <li key={s.id}>
                  <strong>{label(s.source)}</strong>: {s.reason}
                  {s.maxSessionsPerWeek ? ` At most ${s.maxSessionsPerWeek} a week.` : ''}
                  {s.maxSessionMinutes ? ` At most ${s.maxSessionMinutes} minutes.` : ''} <EvidenceTag evidence={s.evidence} />
                </li>
              ))}
            </ul>
          </Section>
          <Section id="plan-homecare" title="Home care">
            {body.homeCare.length === 0 ? <p className="muted">None.</p> : null}
            <ul className="reason-list">
              {body.homeCare.map((hc, i) => (
                <li key={i}>
                  <Reasoned value={`${label(hc.kind)}, ${hc.daysPerWeek.value} days a week`} reason={`${hc.description} ${hc.daysPerWeek.reason}`} evidence={hc.daysPerWeek.evidence} />
                </li>
              ))}
            </ul>
          </Section>
        </div>
      ) : null}
    </>
  );
}

const whole = (lo: number, hi: number) =>
  z
    .string()
    .trim()
    .refine((v) => v === '' || (/^\d+$/.test(v) && Number(v) >= lo && Number(v) <= hi), `A whole number from ${lo} to ${hi}.`);

/** Per phase: its sessions (fewest, likely, most), its rhythm (sessions per weeks) and each session's length — the API's limits. */
const phaseSchema = z.object({
  sessionsMin: whole(1, 100),
  sessionsLikely: whole(1, 100),
  sessionsMax: whole(1, 100),
  frequencySessions: whole(1, 7),
  frequencyPerWeeks: whole(1, 26),
  sessionLengthMinutes: whole(15, 180),
});
const editSchema = z.object({
  reason: z.string().trim().min(1, 'Say why the plan changes: it is kept with the version.').max(2000, 'At most 2,000 characters.'),
  phases: z.array(phaseSchema),
});
type PhaseValues = z.infer<typeof phaseSchema>;
const PHASE_FIELDS = ['sessionsMin', 'sessionsLikely', 'sessionsMax', 'frequencySessions', 'frequencyPerWeeks', 'sessionLengthMinutes'] as const;

function phaseValues(p: Body['phases'][number]): PhaseValues {
  return {
    sessionsMin: String(p.sessions.min),
    sessionsLikely: String(p.sessions.likely),
    sessionsMax: String(p.sessions.max),
    frequencySessions: String(p.frequency.sessions),
    frequencyPerWeeks: String(p.frequency.perWeeks),
    sessionLengthMinutes: String(p.sessionLengthMinutes.value),
  };
}

/**
 * Edits every phase of the plan (sessions, rhythm, length) with a reason, saved as a new
 * version. Only the phases and numbers that changed are sent, so the version's change list
 * names just those; the server's refusals show next to the field they name (its
 * `phases[n]` is the n-th phase sent, mapped back to the phase's own fields).
 */
function EditPhases({ plan, onDone, onCancel }: { plan: Plan; onDone(): void; onCancel(): void }) {
  const phases = plan.current.phases;
  const form = useZodForm(editSchema, { defaultValues: { reason: '', phases: phases.map(phaseValues) } });
  const server = useServerErrors(form);
  const [edit, editing] = useMutation(EDIT_PLAN, { refetchQueries: ['PlanPage'], awaitRefetchQueries: true });
  const errors = form.formState.errors;
  return (
    <form
      ref={server.ref}
      className="form"
      noValidate
      aria-label="Edit the plan"
      onSubmit={form.handleSubmit(async (v) => {
        server.clear();
        // Sent: the phases with a change, and in each only the numbers that changed.
        const sent: number[] = [];
        const edits = phases.flatMap((p, i) => {
          const was = phaseValues(p);
          const changed = Object.fromEntries(PHASE_FIELDS.map((f) => [f, v.phases[i][f] === '' || Number(v.phases[i][f]) === Number(was[f]) ? null : Number(v.phases[i][f])]));
          if (Object.values(changed).every((x) => x === null)) return [];
          sent.push(i);
          return [{ index: p.index, ...changed }];
        });
        if (edits.length === 0) {
          form.setError('root', { type: 'client', message: 'Nothing changed: change a number of a phase, or cancel.' });
          return;
        }
        try {
          await edit({ variables: { planId: plan.id, input: { reason: v.reason.trim(), phases: edits } } });
          onDone();
        } catch (e) {
          // `phases.<n-th sent>.<field>` → the form's `phases.<phase position>.<field>`.
          server.apply(e, ['reason', 'phases'], (f) => f.replace(/^phases\.(\d+)\./, (_, n: string) => `phases.${sent[Number(n)] ?? n}.`));
        }
      })}
    >
      <h3>Edit the plan</h3>
      <FormAlert errors={server.alert} />
      {errors.root?.message ? (
        <p className="field-error" role="alert">
          {errors.root.message}
        </p>
      ) : null}
      {phases.map((p, i) => {
        const fe = (f: (typeof PHASE_FIELDS)[number]) => errors.phases?.[i]?.[f]?.message;
        const reg = (f: (typeof PHASE_FIELDS)[number]) => form.register(`phases.${i}.${f}` as const);
        return (
          <fieldset key={p.index} className="phase-edit">
            <legend>
              {p.label}
              {p.index === plan.current.currentPhaseIndex ? ' (current phase)' : ''}
            </legend>
            <div className="form-grid form-grid--3">
              <TextField label="Fewest sessions" inputMode="numeric" {...reg('sessionsMin')} error={fe('sessionsMin')} />
              <TextField label="Likely sessions" inputMode="numeric" {...reg('sessionsLikely')} error={fe('sessionsLikely')} />
              <TextField label="Most sessions" inputMode="numeric" {...reg('sessionsMax')} error={fe('sessionsMax')} />
              <TextField label="Sessions per period" inputMode="numeric" {...reg('frequencySessions')} error={fe('frequencySessions')} hint={`Now ${p.frequency.description}`} />
              <TextField label="Period (weeks)" inputMode="numeric" {...reg('frequencyPerWeeks')} error={fe('frequencyPerWeeks')} />
              <TextField label="Session length (minutes)" inputMode="numeric" {...reg('sessionLengthMinutes')} error={fe('sessionLengthMinutes')} />
            </div>
          </fieldset>
        );
      })}
      <TextAreaField label="Why it changes" required rows={2} {...form.register('reason')} error={fieldError(errors, 'reason')} />
      <div className="form-actions">
        <SubmitButton busy={editing.loading} busyLabel="Saving…">
          Save as a new version
        </SubmitButton>
        <button type="button" className="button button--quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AcceptOrEdit({ plan }: { plan: Plan }) {
  const [mode, setMode] = useState<'idle' | 'edit'>('idle');
  const [saved, setSaved] = useState(false);
  const acceptForm = useZodForm(z.object({ reason: z.string() }), { defaultValues: { reason: '' } });
  const acceptServer = useServerErrors(acceptForm);
  const [accept, accepting] = useMutation(ACCEPT_PLAN, { refetchQueries: ['PlanPage'] });

  return (
    <section className="card" aria-labelledby="plan-decide">
      <h2 id="plan-decide">Accept or edit</h2>
      {saved ? (
        <div className="alert alert--success" role="status">
          <p>Saved as version {plan.currentVersion}.</p>
        </div>
      ) : null}
      <form
        ref={acceptServer.ref}
        className="inline-form"
        noValidate
        aria-label="Accept the plan"
        onSubmit={acceptForm.handleSubmit(async (v) => {
          acceptServer.clear();
          try {
            await accept({ variables: { planId: plan.id, reason: optionalText(v.reason) } });
          } catch (e) {
            acceptServer.apply(e, ['reason']);
          }
        })}
      >
        <FormAlert errors={acceptServer.alert} />
        <TextField label="Note with the acceptance" {...acceptForm.register('reason')} error={fieldError(acceptForm.formState.errors, 'reason')} className="field--wide" />
        <SubmitButton busy={accepting.loading} busyLabel="Accepting…">
          Accept the plan
        </SubmitButton>
      </form>
      {mode === 'idle' ? (
        <button type="button" className="button" onClick={() => setMode('edit')}>
          Edit before accepting
        </button>
      ) : (
        <EditPhases
          plan={plan}
          onDone={() => {
            setMode('idle');
            setSaved(true);
          }}
          onCancel={() => setMode('idle')}
        />
      )}
    </section>
  );
}

/** A live plan (active or in maintenance): edit its phases as a new version. */
function EditLivePlan({ plan }: { plan: Plan }) {
  const [mode, setMode] = useState<'idle' | 'edit'>('idle');
  const [saved, setSaved] = useState(false);
  return (
    <section className="card" aria-labelledby="plan-edit">
      <h2 id="plan-edit">Change the plan</h2>
      {saved ? (
        <div className="alert alert--success" role="status">
          <p>Saved as version {plan.currentVersion}. Booked sessions keep their times: move them on the calendar if the rhythm changed.</p>
        </div>
      ) : null}
      {mode === 'idle' ? (
        <>
          <p className="small muted">Change any phase&apos;s sessions, rhythm or session length, with a reason; the change is kept as a new version.</p>
          <button
            type="button"
            className="button"
            onClick={() => {
              setSaved(false);
              setMode('edit');
            }}
          >
            Edit the phases
          </button>
        </>
      ) : (
        <EditPhases
          plan={plan}
          onDone={() => {
            setMode('idle');
            setSaved(true);
          }}
          onCancel={() => setMode('idle')}
        />
      )}
    </section>
  );
}

function tomorrow(): string {
  const d = new Date(Date.now() + 24 * 3600_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

type PlanPractitioner = { id: string; displayName: string };

/**
 * The form waits for the clinic's practitioners: a select drawn before its options showed the
 * first name in the list (Dr. Priya Nair) while the form held the plan's own practitioner (Maya
 * Okafor), so the series would have been booked with someone the page did not show.
 */
function BookSeries({ plan }: { plan: Plan }) {
  const { data, error, refetch } = useQuery(PLAN_PRACTITIONERS, { variables: { clinicId: plan.clinicId } });
  if (error) return <QueryError error={error} retry={() => void refetch()} />;
  if (!data) return <Loading label="Loading the clinic’s practitioners…" />;
  return <BookSeriesForm plan={plan} practitioners={data.practitioners.edges.map((e) => e.node)} />;
}

function BookSeriesForm({ plan, practitioners }: { plan: Plan; practitioners: PlanPractitioner[] }) {
  const schema = z.object({
    practitionerId: z.string().min(1, 'Choose who gives the sessions.'),
    startFrom: z.string().min(1, 'Choose the first possible day.'),
    maintenanceVisits: z.string(),
  });
  const form = useZodForm(schema, { defaultValues: { practitionerId: plan.practitionerId, startFrom: tomorrow(), maintenanceVisits: '0' } });
  const server = useServerErrors(form);
  const [book, { loading }] = useMutation(BOOK_SERIES);
  const [booked, setBooked] = useState<BookPlanSeriesMutation['bookPlanSeries'] | null>(null);
  const errors = form.formState.errors;
  return (
    <section className="card" aria-labelledby="plan-series">
      <h2 id="plan-series">Book the series</h2>
      {booked ? (
        <div className="alert alert--success" role="status">
          <strong>
            {booked.appointments.length} sessions booked
          </strong>
          <p>In the clinic&apos;s time ({booked.timeZone}), inside the practitioner&apos;s hours.</p>
          <ol className="series-list">
            {booked.appointments.map((a) => (
              <li key={a.id}>
                Session {a.sessionNumber}: {formatDateTime(a.localStart)} · {a.durationMinutes} min
              </li>
            ))}
          </ol>
        </div>
      ) : (
        <form
          ref={server.ref}
          className="form"
          noValidate
          aria-label="Book the series"
          onSubmit={form.handleSubmit(async (v) => {
            server.clear();
            try {
              const { data: res } = await book({
                variables: { input: { planId: plan.id, clinicId: plan.clinicId, practitionerId: v.practitionerId, startFrom: v.startFrom, maintenanceVisits: Number(v.maintenanceVisits) || 0 } },
                refetchQueries: ['PlanPage'],
              });
              if (res) setBooked(res.bookPlanSeries);
            } catch (e) {
              server.apply(e, ['practitionerId', 'startFrom', 'maintenanceVisits', 'planId'], (f) => (f === 'planId' ? 'startFrom' : f));
            }
          })}
        >
          <p className="hint">Every session of the plan, spaced as its phases say, inside the practitioner&apos;s hours at this clinic and around existing bookings.</p>
          <FormAlert errors={server.alert} />
          <div className="form-grid form-grid--3">
            <SelectField label="Practitioner" required {...form.register('practitionerId')} error={fieldError(errors, 'practitionerId')}>
              {practitioners.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.displayName}
                </option>
              ))}
            </SelectField>
            <TextField label="First possible day" type="date" required {...form.register('startFrom')} error={fieldError(errors, 'startFrom')} />
            <TextField label="Maintenance visits after" inputMode="numeric" {...form.register('maintenanceVisits')} error={fieldError(errors, 'maintenanceVisits')} />
          </div>
          <div className="form-actions">
            <SubmitButton busy={loading} busyLabel="Booking…">
              Book the series
            </SubmitButton>
          </div>
        </form>
      )}
    </section>
  );
}

export function Versions({ plan }: { plan: Pick<Plan, 'versions' | 'clinicId'> }) {
  const who = useWho(plan.clinicId);
  return (
    <ol className="timeline" aria-label="Plan versions">
      {plan.versions.map((v) => (
        <li key={v.version}>
          <strong>
            Version {v.version}: {CHANGE_KIND[v.changeKind] ?? label(v.changeKind.toLowerCase())}
          </strong>{' '}
          <span className="muted small">
            by {who(v.changedBy)}, {formatDate(v.changedAt)}
          </span>
          {v.reason ? <p className="timeline-reason">{v.reason}</p> : null}
        </li>
      ))}
    </ol>
  );
}

export function PlanPage() {
  const { id = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(PLAN, { variables: { id } });
  const clientId = data?.plan?.clientId ?? '';
  const client = useQuery(PLAN_CLIENT, { variables: { id: clientId }, skip: !clientId });
  if (error) return <QueryError error={error} retry={() => void refetch()} />;
  if (!data && loading) return <Loading label="Loading plan…" />;
  const plan = data?.plan;
  if (!plan) {
    return (
      <EmptyState title="Plan not found" action={<Link to="/clients">Back to clients</Link>}>
        It may belong to a clinic you do not work at, or to another organization.
      </EmptyState>
    );
  }
  const c = client.data?.client;
  const body = plan.current;
  return (
    <>
      <PageHeader
        title={`Plan: ${complaintWords(plan.complaintKey)}`}
        description={
          <>
            {c ? <Link to={`/clients/${c.id}`}>{clientName(c)}</Link> : null} · <span className={`status status--${plan.status.toLowerCase()}`}>{PLAN_STATUS[plan.status]}</span> · version {plan.currentVersion}
          </>
        }
        actions={
          <Link to={`/clients/${plan.clientId}/chart`} className="button">
            Open the chart
          </Link>
        }
      />
      {body.blocked ? (
        <section className="card" aria-labelledby="plan-blocked">
          <h2 id="plan-blocked">Not to be treated now</h2>
          {body.blockedReason ? <p>{body.blockedReason}</p> : null}
          {body.referralAdvice ? (
            <p>
              <strong>Refer to {label(body.referralAdvice.to)}</strong> ({body.referralAdvice.urgency}): {body.referralAdvice.reason}
            </p>
          ) : null}
          <Findings findings={body.findings} blocked />
        </section>
      ) : (
        <>
          {plan.status === 'PROPOSED' ? <AcceptOrEdit plan={plan} /> : null}
          {plan.status === 'ACTIVE' || plan.status === 'MAINTENANCE' ? <BookSeries plan={plan} /> : null}
          {plan.status === 'ACTIVE' || plan.status === 'MAINTENANCE' ? <EditLivePlan plan={plan} /> : null}
          {body.findings.length ? (
            <Section id="plan-screening" title="Screening">
              <Findings findings={body.findings} blocked={false} />
            </Section>
          ) : null}
          <PlanBodyView body={body} />
        </>
      )}
      <Section id="plan-versions" title="Versions">
        <Versions plan={plan} />
      </Section>
    </>
  );
}
