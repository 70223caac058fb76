import { useMutation, useQuery } from '@apollo/client/react';
import { useMemo } from 'react';
import { Controller } from 'react-hook-form';
import { Link, useNavigate } from 'react-router';
import { z } from 'zod';
import { FormAlert, SelectField, SubmitButton, TextField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { Loading } from '../../components/status';
import { OpeningHoursEditor, defaultWeekHours, validateWeekHours, weekHoursToWindows } from './OpeningHoursEditor';
import type { WeekHours } from './OpeningHoursEditor';
import { graphql } from '../../gql';
import { evictList } from '../../lib/apollo';
import { useClinic } from '../../lib/clinic-context';
import { browserCountry, browserTimeZone, countries, timeZones } from '../../lib/format';
import { fieldError, flattenErrors, optionalText, useServerErrors, useZodForm } from '../../lib/form';

const CREATE_CLINIC = graphql(`
  mutation CreateClinic($input: CreateClinicInput!) {
    createClinic(input: $input) {
      id
      name
      timeZone
    }
  }
`);

/** Where the organization's clinics are: a new clinic starts in the same country and zone. */
const CLINIC_PLACES = graphql(`
  query ClinicPlaces {
    clinics(first: 100) {
      totalCount
      edges {
        cursor
        node {
          id
          country
          timeZone
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/**
 * The country and zone a new clinic starts with: those most of the organization's clinics
 * have (an organization admin sees them all), else the browser's — never a fixed default.
 */
export function placeDefaults(clinics: readonly { country: string; timeZone: string }[]): { country: string; timeZone: string; fromClinics: boolean } {
  const counts = new Map<string, number>();
  let best: { country: string; timeZone: string } | null = null;
  let bestCount = 0;
  for (const c of clinics) {
    const key = `${c.country} ${c.timeZone}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n > bestCount) {
      bestCount = n;
      best = c;
    }
  }
  return best ? { country: best.country, timeZone: best.timeZone, fromClinics: true } : { country: browserCountry(), timeZone: browserTimeZone(), fromClinics: false };
}

const clinicSchema = z
  .object({
    name: z.string().trim().min(1, 'Give the clinic a name.'),
    phone: z.string(),
    addressLine1: z.string().trim().min(1, 'Enter the street address.'),
    addressLine2: z.string(),
    city: z.string().trim().min(1, 'Enter the city.'),
    region: z.string(),
    postalCode: z.string(),
    country: z.string().min(1, 'Choose the country.'),
    timeZone: z.string().min(1, 'Choose the time zone.'),
    hours: z.custom<WeekHours>(),
  })
  .superRefine((v, ctx) => {
    for (const [day, message] of Object.entries(validateWeekHours(v.hours))) ctx.addIssue({ code: 'custom', path: ['hours', day], message });
  });

/** Fields the server may name that the form shows next to an input. */
const KNOWN = ['name', 'addressLine1', 'city', 'country', 'timeZone', 'addressLine2', 'region', 'postalCode', 'phone', 'openingHours'];

export function ClinicNewPage() {
  const { data, error } = useQuery(CLINIC_PLACES, { fetchPolicy: 'cache-and-network' });
  if (!data && !error) return <Loading label="Opening the new clinic form…" />;
  // Without the list (an error), the browser's country and zone are the best guess.
  return <ClinicNewForm defaults={placeDefaults(data?.clinics.edges.map((e) => e.node) ?? [])} />;
}

function ClinicNewForm({ defaults }: { defaults: ReturnType<typeof placeDefaults> }) {
  const navigate = useNavigate();
  const { setClinicId } = useClinic();
  const zones = useMemo(timeZones, []);
  const countryList = useMemo(countries, []);
  const form = useZodForm(clinicSchema, {
    defaultValues: {
      name: '',
      phone: '',
      addressLine1: '',
      addressLine2: '',
      city: '',
      region: '',
      postalCode: '',
      country: defaults.country,
      timeZone: defaults.timeZone,
      hours: defaultWeekHours(),
    },
  });
  const server = useServerErrors(form);
  const { errors } = form.formState;
  const [createClinic, { loading }] = useMutation(CREATE_CLINIC, { update: (cache) => evictList(cache, 'clinics') });
  const timeZone = form.watch('timeZone');
  const err = (name: string) => fieldError(errors, name);

  const submit = form.handleSubmit(async (v) => {
    server.clear();
    const sent = weekHoursToWindows(v.hours);
    try {
      const { data } = await createClinic({
        variables: {
          input: {
            name: v.name.trim(),
            phone: optionalText(v.phone),
            addressLine1: v.addressLine1.trim(),
            addressLine2: optionalText(v.addressLine2),
            city: v.city.trim(),
            region: optionalText(v.region),
            postalCode: optionalText(v.postalCode),
            country: v.country,
            timeZone: v.timeZone,
            openingHours: sent,
          },
        },
      });
      if (data) {
        setClinicId(data.createClinic.id);
        navigate(`/clinics?created=${encodeURIComponent(data.createClinic.id)}`);
      }
    } catch (error) {
      // openingHours.N… names the N-th window sent, which is the N-th open day: shown on that day.
      server.apply(error, KNOWN, (field) => {
        const m = /^openingHours\.(\d+)/.exec(field);
        return m && sent[Number(m[1])] ? `hours.${sent[Number(m[1])].weekday}` : field;
      });
    }
  });

  const dayErrors: Record<number, string> = {};
  for (const [day, message] of Object.entries(flattenErrors(errors, 'hours'))) {
    const m = /^hours\.(\d+)$/.exec(day);
    if (m) dayErrors[Number(m[1])] = message;
  }

  return (
    <>
      <PageHeader title="New clinic" description="A location where clients are seen: its address, time zone and opening hours." />
      <form ref={server.ref} className="card form" onSubmit={submit} noValidate aria-label="New clinic">
        <FormAlert errors={server.alert} />
        <div className="form-grid">
          <TextField label="Clinic name" required autoComplete="organization" {...form.register('name')} error={err('name')} className="span-2" />
          <TextField label="Street address" required autoComplete="address-line1" {...form.register('addressLine1')} error={err('addressLine1')} className="span-2" />
          <TextField label="Address line 2" autoComplete="address-line2" {...form.register('addressLine2')} error={err('addressLine2')} className="span-2" />
          <TextField label="City" required autoComplete="address-level2" {...form.register('city')} error={err('city')} />
          <TextField label="Region / state" autoComplete="address-level1" {...form.register('region')} error={err('region')} />
          <TextField label="Postal code" autoComplete="postal-code" {...form.register('postalCode')} error={err('postalCode')} />
          <SelectField label="Country" required {...form.register('country')} error={err('country')}>
            {countryList.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </SelectField>
          <SelectField label="Time zone" required {...form.register('timeZone')} error={err('timeZone')} hint={defaults.fromClinics ? 'Appointments and opening hours are in this zone; your other clinics use it.' : 'Appointments and opening hours are in this zone.'}>
            {zones.includes(timeZone) ? null : <option value={timeZone}>{timeZone}</option>}
            {zones.map((z) => (
              <option key={z} value={z}>
                {z.replace(/_/g, ' ')}
              </option>
            ))}
          </SelectField>
          <TextField label="Phone" type="tel" autoComplete="tel" {...form.register('phone')} error={err('phone')} />
        </div>
        <Controller
          control={form.control}
          name="hours"
          render={({ field }) => <OpeningHoursEditor value={field.value} onChange={field.onChange} dayErrors={dayErrors} error={err('openingHours')} />}
        />
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
