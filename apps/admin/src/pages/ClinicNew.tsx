import { useMutation } from '@apollo/client/react';
import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { FormAlert, SelectField, SubmitButton, TextField, useErrorFocus } from '../components/forms';
import { PageHeader } from '../components/Layout';
import { OpeningHoursEditor, defaultWeekHours, validateWeekHours, weekHoursToWindows } from '../components/OpeningHoursEditor';
import type { WeekHours } from '../components/OpeningHoursEditor';
import { graphql } from '../gql';
import { evictList } from '../lib/apollo';
import { useClinic } from '../lib/clinic-context';
import { NO_ERRORS, readErrors } from '../lib/errors';
import type { FormErrors } from '../lib/errors';
import { browserCountry, browserTimeZone, countries, timeZones } from '../lib/format';
import { Link, useRouter } from '../lib/router';

const CREATE_CLINIC = graphql(`
  mutation CreateClinic($input: CreateClinicInput!) {
    createClinic(input: $input) {
      id
      name
      timeZone
    }
  }
`);

interface ClinicForm {
  name: string;
  phone: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  timeZone: string;
}

const REQUIRED: { key: keyof ClinicForm; message: string }[] = [
  { key: 'name', message: 'Give the clinic a name.' },
  { key: 'addressLine1', message: 'Enter the street address.' },
  { key: 'city', message: 'Enter the city.' },
  { key: 'country', message: 'Choose the country.' },
  { key: 'timeZone', message: 'Choose the time zone.' },
];

export function ClinicNewPage() {
  const { navigate } = useRouter();
  const { setClinicId } = useClinic();
  const zones = useMemo(timeZones, []);
  const countryList = useMemo(countries, []);
  const [form, setForm] = useState<ClinicForm>(() => ({
    name: '',
    phone: '',
    addressLine1: '',
    addressLine2: '',
    city: '',
    region: '',
    postalCode: '',
    country: browserCountry(),
    timeZone: browserTimeZone(),
  }));
  const [hours, setHours] = useState<WeekHours>(defaultWeekHours);
  const [dayErrors, setDayErrors] = useState<Record<number, string>>({});
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const formRef = useErrorFocus(errors);
  const [createClinic, { loading }] = useMutation(CREATE_CLINIC, { update: (cache) => evictList(cache, 'clinics') });

  const bind = (key: keyof ClinicForm) => ({
    name: key,
    value: form[key],
    error: errors.fields[key],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value })),
  });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const fields: Record<string, string> = {};
    for (const r of REQUIRED) if (!form[r.key].trim()) fields[r.key] = r.message;
    const hourErrors = validateWeekHours(hours);
    setDayErrors(hourErrors);
    if (Object.keys(fields).length || Object.keys(hourErrors).length) {
      setErrors({ fields, form: null, code: null });
      return;
    }
    setErrors(NO_ERRORS);
    const optional = (v: string) => (v.trim() ? v.trim() : null);
    try {
      const { data } = await createClinic({
        variables: {
          input: {
            name: form.name.trim(),
            phone: optional(form.phone),
            addressLine1: form.addressLine1.trim(),
            addressLine2: optional(form.addressLine2),
            city: form.city.trim(),
            region: optional(form.region),
            postalCode: optional(form.postalCode),
            country: form.country,
            timeZone: form.timeZone,
            openingHours: weekHoursToWindows(hours),
          },
        },
      });
      if (data) {
        setClinicId(data.createClinic.id);
        navigate(`/clinics?created=${encodeURIComponent(data.createClinic.id)}`);
      }
    } catch (error) {
      const e = readErrors(error, [...REQUIRED.map((r) => r.key), 'addressLine2', 'region', 'postalCode', 'phone', 'openingHours']);
      // openingHours.N… names the N-th window sent, which is the N-th open day.
      const sent = weekHoursToWindows(hours);
      const days: Record<number, string> = {};
      for (const [field, message] of Object.entries(e.fields)) {
        const m = /^openingHours\.(\d+)/.exec(field);
        if (m && sent[Number(m[1])]) days[sent[Number(m[1])].weekday] ??= message;
      }
      setDayErrors(days);
      setErrors(e);
    }
  }

  const hoursError = errors.fields.openingHours;

  return (
    <>
      <PageHeader title="New clinic" description="A location where clients are seen: its address, time zone and opening hours." />
      <form ref={formRef} className="card form" onSubmit={submit} noValidate aria-label="New clinic">
        <FormAlert errors={errors} />
        <div className="form-grid">
          <TextField label="Clinic name" required autoComplete="organization" {...bind('name')} className="span-2" />
          <TextField label="Street address" required autoComplete="address-line1" {...bind('addressLine1')} className="span-2" />
          <TextField label="Address line 2" autoComplete="address-line2" {...bind('addressLine2')} className="span-2" />
          <TextField label="City" required autoComplete="address-level2" {...bind('city')} />
          <TextField label="Region / state" autoComplete="address-level1" {...bind('region')} />
          <TextField label="Postal code" autoComplete="postal-code" {...bind('postalCode')} />
          <SelectField label="Country" required {...bind('country')}>
            {countryList.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </SelectField>
          <SelectField label="Time zone" required {...bind('timeZone')} hint="Appointments and opening hours are in this zone.">
            {zones.includes(form.timeZone) ? null : <option value={form.timeZone}>{form.timeZone}</option>}
            {zones.map((z) => (
              <option key={z} value={z}>
                {z.replace(/_/g, ' ')}
              </option>
            ))}
          </SelectField>
          <TextField label="Phone" type="tel" autoComplete="tel" {...bind('phone')} />
        </div>
        <OpeningHoursEditor value={hours} onChange={setHours} dayErrors={dayErrors} error={hoursError} />
        <div className="form-actions">
          <SubmitButton busy={loading} busyLabel="Creating clinic…">
            Create clinic
          </SubmitButton>
          <Link to="/clinics" className="button button--quiet">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
