import { useMutation } from '@apollo/client/react';
import { Link, useNavigate } from 'react-router';
import { z } from 'zod';
import { FormAlert, SubmitButton, TextField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { graphql } from '../../gql';
import { evictList } from '../../lib/apollo';
import { useClinic } from '../../lib/clinic-context';
import { fieldError, optionalText, useServerErrors, useZodForm } from '../../lib/form';

const CREATE_CLIENT = graphql(`
  mutation CreateClient($input: CreateClientInput!) {
    createClient(input: $input) {
      id
      firstName
      lastName
    }
  }
`);

const clientSchema = z.object({
  firstName: z.string().trim().min(1, 'Enter the client’s first name.'),
  lastName: z.string().trim().min(1, 'Enter the client’s last name.'),
  preferredName: z.string(),
  dateOfBirth: z.string(),
  phone: z.string(),
  email: z.string(),
  reminderConsent: z.boolean(),
  clinicIds: z.array(z.string()),
});

const KNOWN = ['firstName', 'lastName', 'preferredName', 'dateOfBirth', 'phone', 'email', 'reminderConsent', 'clinicIds'];

export function ClientNewPage() {
  const navigate = useNavigate();
  const { clinics, clinicId } = useClinic();
  const form = useZodForm(clientSchema, {
    defaultValues: { firstName: '', lastName: '', preferredName: '', dateOfBirth: '', phone: '', email: '', reminderConsent: false, clinicIds: clinicId ? [clinicId] : [] },
  });
  const server = useServerErrors(form);
  const { errors } = form.formState;
  const [createClient, { loading }] = useMutation(CREATE_CLIENT, { update: (cache) => evictList(cache, 'clients') });
  const err = (name: string) => fieldError(errors, name);
  const clinicsError = err('clinicIds');

  const submit = form.handleSubmit(async (v) => {
    server.clear();
    try {
      const { data } = await createClient({
        variables: {
          input: {
            firstName: v.firstName.trim(),
            lastName: v.lastName.trim(),
            preferredName: optionalText(v.preferredName),
            dateOfBirth: optionalText(v.dateOfBirth),
            phone: optionalText(v.phone),
            email: optionalText(v.email),
            reminderConsent: v.reminderConsent,
            clinicIds: v.clinicIds.length ? v.clinicIds : null,
          },
        },
      });
      if (data) navigate(`/clients/${data.createClient.id}?created=1`);
    } catch (error) {
      server.apply(error, KNOWN);
    }
  });

  return (
    <>
      <PageHeader title="New client" description="Who they are and how to reach them. Intake, plans and referrals follow on their page." />
      <form ref={server.ref} className="card form" onSubmit={submit} noValidate aria-label="New client">
        <FormAlert errors={server.alert} />
        <div className="form-grid">
          <TextField label="First name" required autoComplete="off" {...form.register('firstName')} error={err('firstName')} />
          <TextField label="Last name" required autoComplete="off" {...form.register('lastName')} error={err('lastName')} />
          <TextField label="Preferred name" autoComplete="off" {...form.register('preferredName')} error={err('preferredName')} hint="What they like to be called, if not their first name." />
          <TextField label="Date of birth" type="date" {...form.register('dateOfBirth')} error={err('dateOfBirth')} />
          <TextField label="Phone" type="tel" autoComplete="off" {...form.register('phone')} error={err('phone')} />
          <TextField label="Email" type="email" autoComplete="off" {...form.register('email')} error={err('email')} />
        </div>
        <label className="check">
          <input type="checkbox" {...form.register('reminderConsent')} />
          The client agrees to receive appointment reminders
        </label>
        {clinics.length > 1 ? (
          <fieldset className={`checks${clinicsError ? ' field--invalid' : ''}`} aria-describedby={clinicsError ? 'client-clinics-error' : undefined}>
            <legend>Clinics they attend</legend>
            <div className="check-grid">
              {clinics.map((c) => (
                <label key={c.id} className="check">
                  <input type="checkbox" value={c.id} {...form.register('clinicIds')} />
                  {c.name}
                </label>
              ))}
            </div>
            {clinicsError ? (
              <p className="field-error" id="client-clinics-error">
                {clinicsError}
              </p>
            ) : null}
          </fieldset>
        ) : null}
        <div className="form-actions">
          <SubmitButton busy={loading} busyLabel="Adding client…">
            Add client
          </SubmitButton>
          <Link to="/clients" className="button button--quiet">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
