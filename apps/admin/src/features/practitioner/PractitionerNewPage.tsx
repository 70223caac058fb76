import { useMutation } from '@apollo/client/react';
import { Controller } from 'react-hook-form';
import { Link, useNavigate } from 'react-router';
import { z } from 'zod';
import { FormAlert, SelectField, SubmitButton, TextField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { EmptyState } from '../../components/status';
import { graphql } from '../../gql';
import type { Discipline, Modality } from '../../gql/graphql';
import { evictList } from '../../lib/apollo';
import { useClinic } from '../../lib/clinic-context';
import { DISCIPLINES, MODALITIES } from '../../lib/format';
import { fieldError, flattenErrors, optionalText, useServerErrors, useZodForm } from '../../lib/form';
import { AvailabilityEditor, defaultSlots, slotsSchema } from './AvailabilityEditor';

const CREATE_PRACTITIONER = graphql(`
  mutation CreatePractitioner($input: CreatePractitionerInput!) {
    createPractitioner(input: $input) {
      id
      displayName
    }
  }
`);

/** Which modalities a discipline usually offers: a starting point, not a rule. */
const SUGGESTED: Record<Discipline, Modality[]> = {
  MASSAGE_THERAPIST: ['SWEDISH', 'DEEP_TISSUE', 'TRIGGER_POINT', 'MYOFASCIAL_RELEASE'],
  PHYSIOTHERAPIST: ['PHYSIOTHERAPY', 'ASSISTED_STRETCHING'],
  PAIN_SPECIALIST: ['PAIN_MANAGEMENT', 'MEDICAL_ASSESSMENT'],
  ACUPUNCTURIST: ['ACUPUNCTURE', 'CUPPING'],
  PHYSICIAN: ['MEDICAL_ASSESSMENT'],
};

const practitionerSchema = z.object({
  displayName: z.string().trim().min(1, 'Enter the practitioner’s name.'),
  email: z.string(),
  discipline: z.custom<Discipline>(),
  modalities: z.array(z.custom<Modality>()).min(1, 'Choose at least one modality.'),
  availability: slotsSchema,
});

export function PractitionerNewPage() {
  const navigate = useNavigate();
  const { clinics, clinicId, loading: clinicsLoading } = useClinic();
  const defaultClinic = clinicId ?? clinics[0]?.id ?? '';
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
  // The form starts once the clinics are known: its default hours are at the clinic picked in the header.
  if (!defaultClinic) return null;
  return <PractitionerForm key={defaultClinic} defaultClinic={defaultClinic} onCreated={(id) => navigate(`/practitioners?created=${encodeURIComponent(id)}`)} />;
}

function PractitionerForm({ defaultClinic, onCreated }: { defaultClinic: string; onCreated(id: string): void }) {
  const { clinics } = useClinic();
  const form = useZodForm(practitionerSchema, {
    defaultValues: { displayName: '', email: '', discipline: 'MASSAGE_THERAPIST', modalities: SUGGESTED.MASSAGE_THERAPIST, availability: defaultSlots(defaultClinic) },
  });
  const server = useServerErrors(form);
  const { errors } = form.formState;
  const [createPractitioner, { loading }] = useMutation(CREATE_PRACTITIONER, { update: (cache) => evictList(cache, 'practitioners') });
  const modalitiesError = fieldError(errors, 'modalities');
  const disciplineField = form.register('discipline', {
    // A new discipline suggests its usual modalities, until the person picks their own.
    onChange: (e: { target: { value: string } }) => {
      if (!form.getFieldState('modalities').isDirty) form.resetField('modalities', { defaultValue: SUGGESTED[e.target.value as Discipline] });
    },
  });

  const submit = form.handleSubmit(async (v) => {
    server.clear();
    try {
      const { data } = await createPractitioner({
        variables: {
          input: {
            displayName: v.displayName.trim(),
            email: optionalText(v.email),
            discipline: v.discipline,
            modalities: (Object.keys(MODALITIES) as Modality[]).filter((m) => v.modalities.includes(m)),
            availability: v.availability.map(({ clinicId: c, weekday, start, end }) => ({ clinicId: c, weekday, start, end })),
          },
        },
      });
      if (data) onCreated(data.createPractitioner.id);
    } catch (error) {
      server.apply(error, ['displayName', 'email', 'discipline', 'modalities', 'availability']);
    }
  });

  return (
    <>
      <PageHeader title="New practitioner" description="Someone who sees clients: their discipline, what they offer and when they work." />
      <form ref={server.ref} className="card form" onSubmit={submit} noValidate aria-label="New practitioner">
        <FormAlert errors={server.alert} />
        <div className="form-grid">
          <TextField label="Full name" required {...form.register('displayName')} error={fieldError(errors, 'displayName')} />
          <TextField label="Email" type="email" {...form.register('email')} error={fieldError(errors, 'email')} hint="For their calendar feed and reminders." />
          <SelectField label="Discipline" required {...disciplineField} error={fieldError(errors, 'discipline')}>
            {Object.entries(DISCIPLINES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
        </div>
        <fieldset className={`checks${modalitiesError ? ' field--invalid' : ''}`} aria-describedby={modalitiesError ? 'modalities-error' : undefined}>
          <legend>Modalities offered</legend>
          <div className="check-grid">
            {(Object.entries(MODALITIES) as [Modality, string][]).map(([value, label]) => (
              <label key={value} className="check">
                <input type="checkbox" value={value} {...form.register('modalities')} />
                {label}
              </label>
            ))}
          </div>
          {modalitiesError ? (
            <p className="field-error" id="modalities-error">
              {modalitiesError}
            </p>
          ) : null}
        </fieldset>
        <Controller
          control={form.control}
          name="availability"
          render={({ field }) => <AvailabilityEditor rows={field.value} onChange={field.onChange} clinics={clinics} errors={flattenErrors(errors, 'availability')} />}
        />
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
