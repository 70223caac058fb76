import { useMutation } from '@apollo/client/react';
import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { FormAlert, SelectField, SubmitButton, TextField, useErrorFocus, useFieldId } from '../components/forms';
import { PageHeader } from '../components/Layout';
import { EmptyState } from '../components/status';
import { graphql } from '../gql';
import { evictList } from '../lib/apollo';
import type { Discipline, Modality } from '../gql/graphql';
import { useClinic } from '../lib/clinic-context';
import type { ClinicOption } from '../lib/clinic-context';
import { NO_ERRORS, readErrors } from '../lib/errors';
import type { FormErrors } from '../lib/errors';
import { DISCIPLINES, MODALITIES, WEEKDAYS } from '../lib/format';
import { Link, useRouter } from '../lib/router';

const CREATE_PRACTITIONER = graphql(`
  mutation CreatePractitioner($input: CreatePractitionerInput!) {
    createPractitioner(input: $input) {
      id
      displayName
    }
  }
`);

export interface SlotRow {
  key: number;
  clinicId: string;
  weekday: number;
  start: string;
  end: string;
}

/** Which modalities a discipline usually offers: a starting point, not a rule. */
const SUGGESTED: Record<Discipline, Modality[]> = {
  MASSAGE_THERAPIST: ['SWEDISH', 'DEEP_TISSUE', 'TRIGGER_POINT', 'MYOFASCIAL_RELEASE'],
  PHYSIOTHERAPIST: ['PHYSIOTHERAPY', 'ASSISTED_STRETCHING'],
  PAIN_SPECIALIST: ['PAIN_MANAGEMENT', 'MEDICAL_ASSESSMENT'],
  ACUPUNCTURIST: ['ACUPUNCTURE', 'CUPPING'],
  PHYSICIAN: ['MEDICAL_ASSESSMENT'],
};

let nextKey = 1;

/** A fresh React key for a slot row. */
export const slotKey = (): number => nextKey++;

function defaultSlots(clinicId: string): SlotRow[] {
  return [1, 2, 3, 4, 5].map((weekday) => ({ key: nextKey++, clinicId, weekday, start: '09:00', end: '17:00' }));
}

export function AvailabilityEditor({
  rows,
  onChange,
  clinics,
  errors,
  emptyText = 'No hours yet: the practitioner can’t be booked until some are added.',
}: {
  rows: SlotRow[];
  onChange(rows: SlotRow[]): void;
  clinics: ClinicOption[];
  errors: Record<string, string>;
  emptyText?: string;
}) {
  const update = (key: number, patch: Partial<SlotRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const groupError = errors.availability;
  const baseId = useFieldId('availability');
  const groupErrorId = `${baseId}-error`;
  return (
    <fieldset className="availability" aria-describedby={groupError ? groupErrorId : undefined}>
      <legend>Weekly availability</legend>
      <p className="hint">When this practitioner can be booked, in each clinic&apos;s local time.</p>
      {rows.length === 0 ? <p className="muted">{emptyText}</p> : null}
      <ol className="slots">
        {rows.map((r, i) => {
          const rowError =
            errors[`availability.${i}`] ??
            errors[`availability.${i}.start`] ??
            errors[`availability.${i}.end`] ??
            errors[`availability.${i}.weekday`] ??
            errors[`availability.${i}.clinicId`];
          const label = `Slot ${i + 1}`;
          // Every input of the row is marked and points at the row's message.
          const rowErrorId = `${baseId}-${r.key}-error`;
          const invalid = rowError
            ? ({ 'aria-invalid': true, 'aria-describedby': rowErrorId } as const)
            : {};
          return (
            <li key={r.key} className="slot">
              <label>
                <span className="visually-hidden">{label}: clinic</span>
                <select value={r.clinicId} onChange={(e) => update(r.key, { clinicId: e.target.value })} {...invalid}>
                  {clinics.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <span className="visually-hidden">{label}: day</span>
                <select value={r.weekday} onChange={(e) => update(r.key, { weekday: Number(e.target.value) })} {...invalid}>
                  {WEEKDAYS.map((d) => (
                    <option key={d.value} value={d.value}>
                      {d.label}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <span className="visually-hidden">{label}: from</span>
                <input type="time" value={r.start} onChange={(e) => update(r.key, { start: e.target.value })} {...invalid} />
              </label>
              <span aria-hidden="true">to</span>
              <label>
                <span className="visually-hidden">{label}: until</span>
                <input type="time" value={r.end} onChange={(e) => update(r.key, { end: e.target.value })} {...invalid} />
              </label>
              <button type="button" className="button button--quiet" onClick={() => onChange(rows.filter((x) => x.key !== r.key))}>
                Remove<span className="visually-hidden"> {label.toLowerCase()}</span>
              </button>
              {rowError ? (
                <p className="field-error slot-error" id={rowErrorId}>
                  {rowError}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="button"
        onClick={() => {
          const last = rows[rows.length - 1];
          onChange([
            ...rows,
            { key: nextKey++, clinicId: last?.clinicId ?? clinics[0]?.id ?? '', weekday: last ? (last.weekday % 7) + 1 : 1, start: last?.start ?? '09:00', end: last?.end ?? '17:00' },
          ]);
        }}
      >
        Add hours
      </button>
      {groupError ? (
        <p className="field-error" id={groupErrorId}>
          {groupError}
        </p>
      ) : null}
    </fieldset>
  );
}

export function PractitionerNewPage() {
  const { navigate } = useRouter();
  const { clinics, clinicId, loading: clinicsLoading } = useClinic();
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [discipline, setDiscipline] = useState<Discipline>('MASSAGE_THERAPIST');
  const [modalities, setModalities] = useState<Set<Modality>>(() => new Set(SUGGESTED.MASSAGE_THERAPIST));
  const [touchedModalities, setTouchedModalities] = useState(false);
  const [rows, setRows] = useState<SlotRow[] | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const formRef = useErrorFocus(errors);
  const [createPractitioner, { loading }] = useMutation(CREATE_PRACTITIONER, { update: (cache) => evictList(cache, 'practitioners') });

  const defaultClinic = clinicId ?? clinics[0]?.id ?? '';
  const slots = useMemo(() => rows ?? (defaultClinic ? defaultSlots(defaultClinic) : []), [rows, defaultClinic]);

  if (!clinicsLoading && clinics.length === 0) {
    return (
      <EmptyState
        title="Add a clinic first"
        action={
          <Link to="/clinics/new" className="button button--primary">
            New clinic
          </Link>
        }
      >
        Practitioners have weekly hours at a clinic, so the organization needs one before practitioners can be added.
      </EmptyState>
    );
  }

  function chooseDiscipline(d: Discipline) {
    setDiscipline(d);
    if (!touchedModalities) setModalities(new Set(SUGGESTED[d]));
  }

  function toggleModality(m: Modality, on: boolean) {
    setTouchedModalities(true);
    setModalities((prev) => {
      const next = new Set(prev);
      if (on) next.add(m);
      else next.delete(m);
      return next;
    });
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const fields: Record<string, string> = {};
    if (!displayName.trim()) fields.displayName = 'Enter the practitioner’s name.';
    if (modalities.size === 0) fields.modalities = 'Choose at least one modality.';
    slots.forEach((s, i) => {
      if (!s.start || !s.end || s.end <= s.start) fields[`availability.${i}`] = 'The end time must be after the start time.';
    });
    if (Object.keys(fields).length) {
      setErrors({ fields, form: null, code: null });
      return;
    }
    setErrors(NO_ERRORS);
    try {
      const { data } = await createPractitioner({
        variables: {
          input: {
            displayName: displayName.trim(),
            email: email.trim() || null,
            discipline,
            modalities: Object.keys(MODALITIES).filter((m) => modalities.has(m as Modality)) as Modality[],
            availability: slots.map(({ clinicId: c, weekday, start, end }) => ({ clinicId: c, weekday, start, end })),
          },
        },
      });
      if (data) navigate(`/practitioners?created=${encodeURIComponent(data.createPractitioner.id)}`);
    } catch (error) {
      setErrors(readErrors(error, ['displayName', 'email', 'discipline', 'modalities', 'availability']));
    }
  }

  return (
    <>
      <PageHeader title="New practitioner" description="Someone who sees clients: their discipline, what they offer and when they work." />
      <form ref={formRef} className="card form" onSubmit={submit} noValidate aria-label="New practitioner">
        <FormAlert errors={errors} />
        <div className="form-grid">
          <TextField label="Full name" name="displayName" required value={displayName} onChange={(e) => setDisplayName(e.target.value)} error={errors.fields.displayName} />
          <TextField
            label="Email"
            name="email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={errors.fields.email}
            hint="For their calendar feed and reminders."
          />
          <SelectField label="Discipline" name="discipline" required value={discipline} onChange={(e) => chooseDiscipline(e.target.value as Discipline)} error={errors.fields.discipline}>
            {Object.entries(DISCIPLINES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
        </div>
        <fieldset className={`checks${errors.fields.modalities ? ' field--invalid' : ''}`} aria-describedby={errors.fields.modalities ? 'modalities-error' : undefined}>
          <legend>Modalities offered</legend>
          <div className="check-grid">
            {(Object.entries(MODALITIES) as [Modality, string][]).map(([value, label]) => (
              <label key={value} className="check">
                <input type="checkbox" name="modalities" value={value} checked={modalities.has(value)} onChange={(e) => toggleModality(value, e.target.checked)} />
                {label}
              </label>
            ))}
          </div>
          {errors.fields.modalities ? (
            <p className="field-error" id="modalities-error">
              {errors.fields.modalities}
            </p>
          ) : null}
        </fieldset>
        <AvailabilityEditor rows={slots} onChange={setRows} clinics={clinics} errors={errors.fields} />
        <div className="form-actions">
          <SubmitButton busy={loading} busyLabel="Adding practitioner…">
            Add practitioner
          </SubmitButton>
          <Link to="/practitioners" className="button button--quiet">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
