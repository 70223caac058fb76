import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Controller } from 'react-hook-form';
import { Link, useParams } from 'react-router';
import { z } from 'zod';
import { FormAlert, SubmitButton } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { EmptyState, Loading, QueryError } from '../../components/status';
import { graphql } from '../../gql';
import type { PractitionerHoursQuery } from '../../gql/graphql';
import { useMe } from '../../lib/auth';
import { useClinic } from '../../lib/clinic-context';
import { DISCIPLINES, summarizeHours } from '../../lib/format';
import { flattenErrors, useServerErrors, useZodForm } from '../../lib/form';
import { FeedPanel } from '../practitioner-feed/FeedPanel';
import { AvailabilityEditor, slotKey, slotsSchema } from './AvailabilityEditor';
import type { SlotRow } from './AvailabilityEditor';

const PRACTITIONER_HOURS = graphql(`
  query PractitionerHours($id: ID!) {
    practitioner(id: $id) {
      id
      displayName
      discipline
      availability {
        id
        clinicId
        weekday
        start
        end
        clinic {
          id
          name
        }
      }
    }
  }
`);

const SET_AVAILABILITY = graphql(`
  mutation SetPractitionerAvailability($practitionerId: ID!, $windows: [AvailabilityInput!]!) {
    setPractitionerAvailability(practitionerId: $practitionerId, windows: $windows) {
      id
      availability {
        id
        clinicId
        weekday
        start
        end
      }
    }
  }
`);

const CLEAR_AVAILABILITY = graphql(`
  mutation ClearPractitionerAvailability($practitionerId: ID!, $clinicId: ID!) {
    clearPractitionerAvailability(practitionerId: $practitionerId, clinicId: $clinicId) {
      id
      availability {
        id
        clinicId
        weekday
        start
        end
      }
    }
  }
`);

type Practitioner = NonNullable<PractitionerHoursQuery['practitioner']>;

const hoursSchema = z.object({ availability: slotsSchema });

function toRows(p: Practitioner, editable: Set<string>): SlotRow[] {
  return p.availability
    .filter((a) => editable.has(a.clinicId))
    .sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start))
    .map((a) => ({ key: slotKey(), clinicId: a.clinicId, weekday: a.weekday, start: a.start, end: a.end }));
}

function HoursForm({
  practitioner,
  elsewhere,
  saved,
  setSaved,
}: {
  practitioner: Practitioner;
  elsewhere: string[];
  saved: string | null;
  setSaved(message: string | null): void;
}) {
  const me = useMe();
  const { clinics } = useClinic();
  const editable = new Set(clinics.map((c) => c.id));
  const form = useZodForm(hoursSchema, { defaultValues: { availability: toRows(practitioner, editable) } });
  const server = useServerErrors(form);
  const [setAvailability, setState] = useMutation(SET_AVAILABILITY, { refetchQueries: ['PractitionerHours', 'Practitioners'] });
  const [clearAvailability, clearState] = useMutation(CLEAR_AVAILABILITY, { refetchQueries: ['PractitionerHours', 'Practitioners'] });
  const busy = setState.loading || clearState.loading;
  const clinicName = (id: string) => clinics.find((c) => c.id === id)?.name ?? practitioner.availability.find((a) => a.clinicId === id)?.clinic.name ?? 'a clinic';

  const submit = form.handleSubmit(async ({ availability: rows }) => {
    setSaved(null);
    // Clinics whose every window was removed: clearing a clinic is its own action, confirmed.
    const before = new Set(practitioner.availability.filter((a) => editable.has(a.clinicId)).map((a) => a.clinicId));
    const after = new Set(rows.map((r) => r.clinicId));
    const cleared = [...before].filter((id) => !after.has(id));
    if (cleared.length) {
      const names = cleared.map(clinicName).join(' and ');
      // A manager who leaves the practitioner working only elsewhere can't give them hours again (FORBIDDEN).
      const locksOut = !me.roles.includes('ORG_ADMIN') && rows.length === 0 && elsewhere.length > 0;
      const ok = window.confirm(
        `Remove all of ${practitioner.displayName}'s hours at ${names}? They can't be booked there until hours are added again.` +
          (locksOut ? ` They will then work only at clinics you don't manage, so only an organization admin can add hours here again.` : ''),
      );
      if (!ok) return;
    }
    server.clear();
    try {
      for (const clinicId of cleared) await clearAvailability({ variables: { practitionerId: practitioner.id, clinicId } });
      if (rows.length) {
        await setAvailability({
          variables: { practitionerId: practitioner.id, windows: rows.map(({ clinicId, weekday, start, end }) => ({ clinicId, weekday, start, end })) },
        });
      }
      setSaved(
        rows.length
          ? 'Hours saved.'
          : `Hours removed at ${cleared.map(clinicName).join(' and ')}: ${practitioner.displayName} can't be booked there until hours are added again.`,
      );
    } catch (error) {
      // The API names a window `windows.3.start`; the editor shows rows as `availability.3`.
      // A FORBIDDEN is said with what the manager may do (below, in the form's alert).
      server.apply(error, ['windows', 'availability'], (field) => field.replace(/^windows/, 'availability'));
    }
  });

  return (
    <form ref={server.ref} className="card form" onSubmit={submit} noValidate aria-label="Weekly hours">
      <FormAlert errors={server.alert.code === 'FORBIDDEN' ? { ...server.alert, form: `You can change ${practitioner.displayName}'s hours only at the clinics you manage. ${server.alert.form ?? ''}`.trim() } : server.alert} />
      {saved ? (
        <div className="alert alert--success" role="status">
          {saved}
        </div>
      ) : null}
      {elsewhere.length ? (
        <p className="muted">
          Also works at {elsewhere.join(', ')}: those hours are managed there and stay as they are.
        </p>
      ) : null}
      <Controller
        control={form.control}
        name="availability"
        render={({ field }) => (
          <AvailabilityEditor
            rows={field.value}
            onChange={(next) => {
              field.onChange(next);
              setSaved(null);
            }}
            clinics={clinics}
            errors={flattenErrors(form.formState.errors, 'availability')}
            emptyText={
              practitioner.availability.some((a) => editable.has(a.clinicId))
                ? `Every window removed: saving removes ${practitioner.displayName}'s hours at these clinics, and they can't be booked there.`
                : `No hours here yet: ${practitioner.displayName} can't be booked until some are added.`
            }
          />
        )}
      />
      <div className="form-actions">
        <SubmitButton busy={busy} busyLabel="Saving hours…">
          Save hours
        </SubmitButton>
        <Link to="/practitioners" className="button button--quiet">
          Back to practitioners
        </Link>
      </div>
    </form>
  );
}

/** The hours as the front desk and practitioners see them: read, per clinic, and who changes them. */
function ReadOnlyHours({ practitioner }: { practitioner: NonNullable<PractitionerHoursQuery['practitioner']> }) {
  const byClinic = new Map<string, { name: string; windows: { weekday: number; start: string; end: string }[] }>();
  for (const a of practitioner.availability) {
    const entry = byClinic.get(a.clinicId) ?? { name: a.clinic.name, windows: [] };
    entry.windows.push(a);
    byClinic.set(a.clinicId, entry);
  }
  return (
    <section className="card" aria-labelledby="hours-title">
      <h2 id="hours-title">When {practitioner.displayName} can be booked</h2>
      {byClinic.size === 0 ? (
        <p className="muted">No weekly hours yet, so {practitioner.displayName} can&apos;t be booked.</p>
      ) : (
        <dl className="details">
          {[...byClinic.entries()].map(([clinicId, c]) => (
            <div key={clinicId} style={{ display: 'contents' }}>
              <dt>{c.name}</dt>
              <dd>{summarizeHours(c.windows)}</dd>
            </div>
          ))}
        </dl>
      )}
      <p className="muted small">An organization admin or a clinic manager changes these hours.</p>
    </section>
  );
}

export function PractitionerHoursPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { clinics, loading: clinicsLoading } = useClinic();
  const { data, loading, error, refetch } = useQuery(PRACTITIONER_HOURS, { variables: { id } });
  // Kept here: after a manager clears their own clinic the practitioner works only elsewhere,
  // the form gives way to that sentence, and the outcome must still be said.
  const [saved, setSaved] = useState<string | null>(null);
  if (error) return <QueryError error={error} retry={() => void refetch()} />;
  if ((!data && loading) || clinicsLoading) return <Loading label="Loading hours…" />;
  const practitioner = data?.practitioner;
  if (!practitioner) {
    return (
      <EmptyState title="Practitioner not found" action={<Link to="/practitioners">Back to practitioners</Link>}>
        They may have been removed, or they belong to another organization.
      </EmptyState>
    );
  }
  const canEdit = me.roles.includes('ORG_ADMIN') || me.roles.includes('CLINIC_MANAGER');
  const reach = new Set(clinics.map((c) => c.id));
  const elsewhere = [...new Map(practitioner.availability.filter((a) => !reach.has(a.clinicId)).map((a) => [a.clinicId, a.clinic.name])).values()];
  // A manager limited to clinics may not touch a practitioner who works only elsewhere (the API: FORBIDDEN).
  const onlyElsewhere = !me.roles.includes('ORG_ADMIN') && practitioner.availability.length > 0 && practitioner.availability.every((a) => !reach.has(a.clinicId));

  return (
    <>
      <PageHeader title={`${practitioner.displayName}: weekly hours`} description={`${DISCIPLINES[practitioner.discipline]} · when they can be booked, in each clinic's local time`} />
      {!canEdit ? (
        <ReadOnlyHours practitioner={practitioner} />
      ) : onlyElsewhere ? (
        <>
          {saved ? (
            <div className="alert alert--success" role="status">
              {saved}
            </div>
          ) : null}
          <div className="alert alert--info" role="status">
          {practitioner.displayName} works only at {elsewhere.join(', ')}, which you don&apos;t manage, so you can&apos;t change their hours. Ask an organization admin or
          that clinic&apos;s manager.
          </div>
        </>
      ) : (
        <HoursForm practitioner={practitioner} elsewhere={elsewhere} saved={saved} setSaved={setSaved} />
      )}
      {canEdit ? <FeedPanel practitionerId={practitioner.id} name={practitioner.displayName} /> : null}
    </>
  );
}
