import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { useFieldArray } from 'react-hook-form';
import type { UseFormReturn } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { FormAlert, SelectField, SubmitButton, TextField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { EmptyState, Loading, QueryError } from '../../components/status';
import type { RecordIntakeMutation } from '../../gql/graphql';
import { useMe } from '../../lib/auth';
import { useClinic } from '../../lib/clinic-context';
import { readErrors } from '../../lib/errors';
import type { FormErrors } from '../../lib/errors';
import { NO_ERRORS } from '../../lib/errors';
import { fieldError, useServerErrors, useZodForm } from '../../lib/form';
import { formatDate } from '../../lib/format';
import { clientName } from '../client/client-format';
import '../clinical.css';
import { PLAN_PRACTITIONERS } from '../plan/documents';
import { INTAKE_CLIENT, PROPOSE_PLAN, RECORD_INTAKE } from './documents';
import { Findings } from './Findings';
import {
  ACTIVITY_LEVELS,
  BODY_REGIONS,
  CAUSES,
  CONDITIONS,
  DVT_RISKS,
  DVT_SIGNS,
  EMPTY_COMPLAINT,
  GENERAL_HEALTH,
  GOALS,
  HISTORY,
  INTAKE_FIELDS,
  MEDICATION_CLASSES,
  PRESSURES,
  RED_FLAGS,
  SELF_CARE,
  SESSIONS_PER_WEEK,
  SIDES,
  SLEEP_QUALITIES,
  WORK_POSTURES,
  emptyIntake,
  fromIntakeData,
  intakeSchema,
  label,
  toIntakeInput,
} from './intake-model';
import type { IntakeForm } from './intake-model';

type Form = UseFormReturn<IntakeForm, unknown, IntakeForm>;

const FIELD_WORDS: Record<string, string> = { painWorst: 'the worst pain', painNow: 'pain now', onsetDate: 'the start date', historyOfCancer: 'the cancer history', chronicity: 'the chronicity' };

/** "Contradicts painWorst: pain now (9) cannot exceed the worst pain (8)." → "Pain now (9) cannot exceed the worst pain (8)." */
function plainMessage(message: string): string {
  const m = message.replace(/^contradicts \w+:\s*/i, '').replace(/\b(painWorst|painNow|onsetDate|historyOfCancer|chronicity)\b/g, (w) => FIELD_WORDS[w] ?? w);
  return m.charAt(0).toUpperCase() + m.slice(1);
}

function ageFrom(dateOfBirth: string | null | undefined): string {
  if (!dateOfBirth) return '';
  const [y, m, d] = dateOfBirth.split('-').map(Number);
  const now = new Date();
  let age = now.getFullYear() - y;
  if (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d)) age -= 1;
  return String(age);
}

function Options({ values, placeholder }: { values: readonly string[]; placeholder?: string }) {
  return (
    <>
      {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
      {values.map((v) => (
        <option key={v} value={v}>
          {label(v)}
        </option>
      ))}
    </>
  );
}

function Check({ form, name, children }: { form: Form; name: Parameters<Form['register']>[0]; children: string }) {
  return (
    <label className="check">
      <input type="checkbox" {...form.register(name)} />
      {children}
    </label>
  );
}

function Complaints({ form }: { form: Form }) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name: 'complaints' });
  const errors = form.formState.errors;
  const err = (p: string) => fieldError(errors, p);
  const widespread = form.watch('complaints');
  const listError = errors.complaints?.message ?? errors.complaints?.root?.message;
  return (
    <fieldset className="intake-section">
      <legend>Complaints</legend>
      <p className="hint">Each place it hurts. Widespread pain (as in fibromyalgia) is one complaint. A relaxation or maintenance client may have none.</p>
      {listError ? <p className="field-error">{listError}</p> : null}
      {fields.map((f, i) => (
        <div key={f.id} className="repeat" role="group" aria-label={`Complaint ${i + 1}`}>
          <div className="repeat-head">
            <h3>Complaint {i + 1}</h3>
            <button type="button" className="button button--quiet" onClick={() => remove(i)}>
              Remove complaint {i + 1}
            </button>
          </div>
          <label className="check">
            <input type="checkbox" {...form.register(`complaints.${i}.widespread`)} />
            Widespread pain (all over)
          </label>
          <div className="form-grid form-grid--3">
            {widespread[i]?.widespread ? null : (
              <>
                <SelectField label="Region" required {...form.register(`complaints.${i}.region`)} error={err(`complaints.${i}.region`)}>
                  <Options values={BODY_REGIONS} placeholder="Choose…" />
                </SelectField>
                <SelectField label="Side" required {...form.register(`complaints.${i}.side`)} error={err(`complaints.${i}.side`)}>
                  <Options values={SIDES} placeholder="Choose…" />
                </SelectField>
              </>
            )}
            <TextField label="Started on" type="date" required {...form.register(`complaints.${i}.onsetDate`)} error={err(`complaints.${i}.onsetDate`)} />
            <SelectField label="Cause" required {...form.register(`complaints.${i}.cause`)} error={err(`complaints.${i}.cause`)}>
              <Options values={CAUSES} placeholder="Choose…" />
            </SelectField>
            <TextField label="Pain now (0–10)" inputMode="numeric" required {...form.register(`complaints.${i}.painNow`)} error={err(`complaints.${i}.painNow`)} />
            <TextField label="Worst pain this week (0–10)" inputMode="numeric" required {...form.register(`complaints.${i}.painWorst`)} error={err(`complaints.${i}.painWorst`)} />
          </div>
        </div>
      ))}
      <button type="button" className="button" onClick={() => append({ ...EMPTY_COMPLAINT })}>
        Add a complaint
      </button>
    </fieldset>
  );
}

function FunctionBaselines({ form }: { form: Form }) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name: 'function.psfs' });
  const err = (p: string) => fieldError(form.formState.errors, p);
  return (
    <fieldset className="intake-section">
      <legend>Function baselines</legend>
      <p className="hint">Up to five activities the client finds hard (Patient-Specific Functional Scale: 0 unable, 10 as before).</p>
      {err('function.psfs') ? <p className="field-error">{err('function.psfs')}</p> : null}
      {fields.map((f, i) => (
        <div key={f.id} className="form-grid form-grid--3 repeat-row">
          <TextField label={`Activity ${i + 1}`} required {...form.register(`function.psfs.${i}.activity`)} error={err(`function.psfs.${i}.activity`)} />
          <TextField label={`Activity ${i + 1} score (0–10)`} inputMode="numeric" required {...form.register(`function.psfs.${i}.score`)} error={err(`function.psfs.${i}.score`)} />
          <button type="button" className="button button--quiet" onClick={() => remove(i)}>
            Remove activity {i + 1}
          </button>
        </div>
      ))}
      {fields.length < 5 ? (
        <button type="button" className="button" onClick={() => append({ activity: '', score: '' })}>
          Add an activity
        </button>
      ) : null}
      <div className="form-grid">
        <TextField label="Oswestry Disability Index (0–100)" inputMode="numeric" {...form.register('function.odi')} error={err('function.odi')} hint="Low back complaints only." />
        <TextField label="Neck Disability Index (0–50)" inputMode="numeric" {...form.register('function.ndi')} error={err('function.ndi')} hint="Neck complaints only." />
      </div>
    </fieldset>
  );
}

function SiteList({ form, name, title }: { form: Form; name: 'health.recentSurgery' | 'health.recentFractures'; title: string }) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name });
  const err = (p: string) => fieldError(form.formState.errors, p);
  return (
    <div className="sub-section">
      <h3>{title}</h3>
      {fields.map((f, i) => (
        <div key={f.id} className="form-grid form-grid--4 repeat-row">
          <SelectField label={`${title} ${i + 1}: region`} required {...form.register(`${name}.${i}.region`)} error={err(`${name}.${i}.region`)}>
            <Options values={BODY_REGIONS} placeholder="Choose…" />
          </SelectField>
          <SelectField label={`${title} ${i + 1}: side`} required {...form.register(`${name}.${i}.side`)} error={err(`${name}.${i}.side`)}>
            <Options values={SIDES} placeholder="Choose…" />
          </SelectField>
          <TextField label={`${title} ${i + 1}: date`} type="date" required {...form.register(`${name}.${i}.date`)} error={err(`${name}.${i}.date`)} />
          <button type="button" className="button button--quiet" onClick={() => remove(i)}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="button" onClick={() => append({ region: '', side: '', date: '' })}>
        Add {title.toLowerCase()}
      </button>
    </div>
  );
}

function Health({ form }: { form: Form }) {
  const err = (p: string) => fieldError(form.formState.errors, p);
  const signsError = err('health.dvtSigns');
  return (
    <fieldset className="intake-section">
      <legend>Health history and red flags</legend>
      <div className="grid-2 grid-2--plain">
        <fieldset className="checks">
          <legend>Red flags (any one stops treatment until a doctor has seen them)</legend>
          {RED_FLAGS.map((f) => (
            <Check key={f.key} form={form} name={`health.${f.key}`}>
              {f.label}
            </Check>
          ))}
        </fieldset>
        <fieldset className="checks">
          <legend>History</legend>
          {HISTORY.map((f) => (
            <Check key={f.key} form={form} name={`health.${f.key}`}>
              {f.label}
            </Check>
          ))}
        </fieldset>
        <fieldset className="checks" aria-describedby={signsError ? 'dvt-signs-error' : undefined}>
          <legend>Calf signs of a blood clot (as observed)</legend>
          {DVT_SIGNS.map((f) => (
            <Check key={f.key} form={form} name={`health.dvtSigns.${f.key}`}>
              {f.label}
            </Check>
          ))}
          <SelectField label="Leg with the signs" {...form.register('health.dvtSigns.side')} error={err('health.dvtSigns.side')}>
            <option value="">Both, or not stated</option>
            <option value="left">Left</option>
            <option value="right">Right</option>
          </SelectField>
          {signsError ? (
            <p className="field-error" id="dvt-signs-error">
              {signsError}
            </p>
          ) : null}
        </fieldset>
        <fieldset className="checks">
          <legend>Blood clot risk factors (as asked)</legend>
          {DVT_RISKS.map((f) => (
            <Check key={f.key} form={form} name={`health.dvtRiskFactors.${f.key}`}>
              {f.label}
            </Check>
          ))}
        </fieldset>
      </div>
      <div className="form-grid">
        <TextField label="Clinical Frailty Scale (1–9)" inputMode="numeric" {...form.register('health.clinicalFrailtyScale')} error={err('health.clinicalFrailtyScale')} hint="1 very fit – 9 terminally ill; 5 and over is frail." />
        <TextField label="Weeks pregnant" inputMode="numeric" {...form.register('health.pregnancyWeeks')} error={err('health.pregnancyWeeks')} hint="Leave empty when not pregnant." />
      </div>
      <SiteList form={form} name="health.recentSurgery" title="Recent surgery" />
      <SiteList form={form} name="health.recentFractures" title="Recent fracture" />
    </fieldset>
  );
}

function Medications({ form }: { form: Form }) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name: 'medications' });
  const err = (p: string) => fieldError(form.formState.errors, p);
  return (
    <fieldset className="intake-section">
      <legend>Medications</legend>
      <p className="hint">By name: screening recognises a medicine by its name whatever kind is chosen.</p>
      {fields.map((f, i) => (
        <div key={f.id} className="form-grid form-grid--3 repeat-row">
          <TextField label={`Medication ${i + 1}`} required {...form.register(`medications.${i}.name`)} error={err(`medications.${i}.name`)} />
          <SelectField label={`Medication ${i + 1}: kind`} required {...form.register(`medications.${i}.class`)} error={err(`medications.${i}.class`)}>
            <Options values={MEDICATION_CLASSES} placeholder="Choose…" />
          </SelectField>
          <button type="button" className="button button--quiet" onClick={() => remove(i)}>
            Remove medication {i + 1}
          </button>
        </div>
      ))}
      <button type="button" className="button" onClick={() => append({ name: '', class: '' })}>
        Add a medication
      </button>
    </fieldset>
  );
}

function CheckList({ form, name, values, legend, error, className }: { form: Form; name: 'conditions' | 'goals'; values: readonly string[]; legend: string; error?: string; className?: string }) {
  const id = `intake-${name}-error`;
  return (
    <fieldset className={`checks${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`} aria-describedby={error ? id : undefined}>
      <legend>{legend}</legend>
      <div className="check-grid">
        {values.map((v) => (
          <label key={v} className="check">
            <input type="checkbox" value={v} {...form.register(name)} />
            {label(v)}
          </label>
        ))}
      </div>
      {error ? (
        <p className="field-error" id={id}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

type Saved = RecordIntakeMutation['recordIntake'];

function Screening({ saved, clientId }: { saved: Saved; clientId: string }) {
  const navigate = useNavigate();
  const [propose, { loading }] = useMutation(PROPOSE_PLAN);
  const [error, setError] = useState<FormErrors>(NO_ERRORS);
  return (
    <section className="card" aria-labelledby="screening-title" tabIndex={-1} id="screening">
      <h2 id="screening-title">Screening of intake version {saved.version}</h2>
      <Findings findings={saved.findings} blocked={saved.blocked} />
      <FormAlert errors={error} />
      <div className="form-actions">
        {saved.blocked ? (
          <Link to={`/clients/${clientId}/chart`} className="button">
            Open the chart
          </Link>
        ) : (
          <button
            type="button"
            className="button button--primary"
            disabled={loading}
            onClick={async () => {
              setError(NO_ERRORS);
              try {
                const { data } = await propose({ variables: { intakeId: saved.id } });
                if (data) navigate(`/plans/${data.proposePlan.id}`);
              } catch (e) {
                setError(readErrors(e, []));
              }
            }}
          >
            {loading ? 'Proposing…' : 'Propose a plan'}
          </button>
        )}
      </div>
    </section>
  );
}

export function IntakePage() {
  const { id = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(INTAKE_CLIENT, { variables: { id } });
  if (error) return <QueryError error={error} retry={() => void refetch()} />;
  if (!data && loading) return <Loading label="Loading client…" />;
  const client = data?.client;
  if (!client) {
    return (
      <EmptyState title="Client not found" action={<Link to="/clients">Back to clients</Link>}>
        They may have been removed, or they belong to another organization.
      </EmptyState>
    );
  }
  return <IntakeFormPage client={client} />;
}

function IntakeFormPage({ client }: { client: NonNullable<import('../../gql/graphql').IntakeClientQuery['client']> }) {
  const me = useMe();
  const { clinicId: currentClinic } = useClinic();
  const clinicId = currentClinic && (client.clinicIds.length === 0 || client.clinicIds.includes(currentClinic)) ? currentClinic : (client.clinicIds[0] ?? currentClinic ?? '');
  const isPractitioner = me.roles.includes('PRACTITIONER');
  const practitioners = useQuery(PLAN_PRACTITIONERS, { variables: { clinicId }, skip: !clinicId });
  const options = practitioners.data?.practitioners.edges.map((e) => e.node) ?? [];
  const own = options.find((p) => p.userId === me.user.id);
  const [practitionerId, setPractitionerId] = useState('');
  const [saved, setSaved] = useState<Saved | null>(null);
  // A new version starts from the last one (its answers, not its screening).
  const [defaults] = useState(() => (client.intakes[0] ? fromIntakeData(client.intakes[0].data, ageFrom(client.dateOfBirth)) : emptyIntake(ageFrom(client.dateOfBirth))));
  const form = useZodForm(intakeSchema, { defaultValues: defaults });
  const server = useServerErrors(form);
  const [record, { loading }] = useMutation(RECORD_INTAKE, { refetchQueries: ['IntakeClient'] });
  const err = (p: string) => fieldError(form.formState.errors, p);
  const latest = client.intakes[0];

  const submit = form.handleSubmit(async (v) => {
    server.clear();
    setSaved(null);
    try {
      const { data } = await record({
        variables: {
          input: {
            clientId: client.id,
            clinicId,
            practitionerId: isPractitioner && own ? null : practitionerId || own?.id || null,
            intake: toIntakeInput(v),
          },
        },
      });
      if (data) {
        setSaved(data.recordIntake);
        requestAnimationFrame(() => document.getElementById('screening')?.focus());
      }
    } catch (e) {
      // The API names `input.intake.complaints[0].painNow`: the form's path is `complaints.0.painNow`.
      const rename = (f: string) => f.replace(/^intake\./, '');
      const found = server.apply(e, [...INTAKE_FIELDS.map((f) => `intake.${f}`), 'practitionerId'], rename);
      // The planning validator names the other field in code ("Contradicts painWorst: …"): say it in words.
      for (const [field, message] of Object.entries(found.fields)) {
        form.setError(rename(field) as Parameters<typeof form.setError>[0], { type: 'server', message: plainMessage(message) });
      }
    }
  });

  return (
    <>
      <PageHeader
        title={`Intake: ${clientName(client)}`}
        description={latest ? `Version ${latest.version} was recorded on ${formatDate(latest.createdAt)}; its answers are filled in. Saving records version ${latest.version + 1}.` : 'The first intake: what hurts, their health, and what they want from treatment.'}
        actions={
          <Link to={`/clients/${client.id}`} className="button button--quiet">
            Back to the client
          </Link>
        }
      />
      {saved ? <Screening saved={saved} clientId={client.id} /> : null}
      <form ref={server.ref} className="card form intake-form" onSubmit={submit} noValidate aria-label="Intake">
        <FormAlert errors={server.alert} />
        <fieldset className="intake-section">
          <legend>About the client</legend>
          <div className="form-grid form-grid--3">
            <TextField label="Age" inputMode="numeric" required {...form.register('age')} error={err('age')} />
            <SelectField label="General health" required {...form.register('generalHealth')} error={err('generalHealth')}>
              <Options values={GENERAL_HEALTH} />
            </SelectField>
            {!isPractitioner || !own ? (
              <SelectField label="Practitioner" name="practitionerId" required value={practitionerId} onChange={(e) => setPractitionerId(e.target.value)} error={err('practitionerId')}>
                <option value="">Choose…</option>
                {options.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.displayName}
                  </option>
                ))}
              </SelectField>
            ) : null}
          </div>
        </fieldset>
        <Complaints form={form} />
        <FunctionBaselines form={form} />
        <fieldset className="intake-section">
          <legend>Pressure</legend>
          <SelectField label="Pressure they tolerate" required {...form.register('pressureTolerance')} error={err('pressureTolerance')}>
            <Options values={PRESSURES} placeholder="Choose…" />
          </SelectField>
        </fieldset>
        <Health form={form} />
        <Medications form={form} />
        <CheckList form={form} name="conditions" values={CONDITIONS} legend="Conditions diagnosed" error={err('conditions')} className="intake-section" />
        <fieldset className="intake-section">
          <legend>Lifestyle</legend>
          <div className="form-grid">
            <SelectField label="Activity" required {...form.register('lifestyle.activity')} error={err('lifestyle.activity')}>
              <Options values={ACTIVITY_LEVELS} placeholder="Choose…" />
            </SelectField>
            <SelectField label="Work posture" required {...form.register('lifestyle.workPosture')} error={err('lifestyle.workPosture')}>
              <Options values={WORK_POSTURES} placeholder="Choose…" />
            </SelectField>
            <TextField label="Stress (0–10)" inputMode="numeric" required {...form.register('lifestyle.stress')} error={err('lifestyle.stress')} />
            <SelectField label="Sleep" required {...form.register('lifestyle.sleep')} error={err('lifestyle.sleep')}>
              <Options values={SLEEP_QUALITIES} placeholder="Choose…" />
            </SelectField>
          </div>
        </fieldset>
        <fieldset className="intake-section">
          <legend>Goals and commitment</legend>
          <CheckList form={form} name="goals" values={GOALS} legend="Goals" error={err('goals')} />
          <div className="form-grid form-grid--3">
            <SelectField label="How often they can come" required {...form.register('commitment.sessionsPerWeek')} error={err('commitment.sessionsPerWeek')}>
              <option value="">Choose…</option>
              {SESSIONS_PER_WEEK.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </SelectField>
            <TextField label="Sessions they can afford in all" inputMode="numeric" {...form.register('commitment.budgetSessions')} error={err('commitment.budgetSessions')} hint="Leave empty when not limited." />
            <SelectField label="Home care they will do" required {...form.register('selfCareWillingness')} error={err('selfCareWillingness')}>
              <Options values={SELF_CARE} placeholder="Choose…" />
            </SelectField>
          </div>
        </fieldset>
        <div className="form-actions">
          <SubmitButton busy={loading} busyLabel="Saving and screening…">
            Save intake and screen
          </SubmitButton>
        </div>
      </form>
    </>
  );
}
