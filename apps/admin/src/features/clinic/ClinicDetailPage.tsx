import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { z } from 'zod';
import { FormAlert, SubmitButton, TextField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { EmptyState, Loading, QueryError } from '../../components/status';
import { graphql } from '../../gql';
import { evictList } from '../../lib/apollo';
import { useMe } from '../../lib/auth';
import { SEE_FIELDS } from '../../lib/errors';
import { WEEKDAYS, clinicNow, countryName, formatDate } from '../../lib/format';
import { fieldError, useServerErrors, useZodForm } from '../../lib/form';

const CLINIC = graphql(`
  query Clinic($id: ID!) {
    clinic(id: $id) {
      id
      name
      addressLine1
      addressLine2
      city
      region
      postalCode
      country
      timeZone
      phone
      maxBookingHorizonDays
      createdAt
      openingHours {
        weekday
        start
        end
      }
      rooms {
        id
        clinicId
        name
      }
    }
  }
`);

const CREATE_ROOM = graphql(`
  mutation CreateRoom($input: CreateRoomInput!) {
    createRoom(input: $input) {
      id
      clinicId
      name
    }
  }
`);

const UPDATE_BOOKING_HORIZON = graphql(`
  mutation UpdateClinicBookingHorizon($id: ID!, $input: UpdateClinicInput!) {
    updateClinic(id: $id, input: $input) {
      id
      maxBookingHorizonDays
    }
  }
`);

/** "365 days (about 12 months)": the horizon in words a manager checks at a glance. */
function horizonWords(days: number): string {
  const unit = days === 1 ? 'day' : 'days';
  if (days < 60) return `${days} ${unit}`;
  const months = Math.round(days / 30.44);
  return `${days} ${unit} (about ${months} months)`;
}

const horizonSchema = z.object({
  // Only what isn't a number at all is caught here; the range is the server's rule and message.
  maxBookingHorizonDays: z
    .string()
    .trim()
    .regex(/^\d+$/, 'Enter a whole number of days.'),
});

function BookingHorizon({ clinicId, days, canEdit }: { clinicId: string; days: number; canEdit: boolean }) {
  const [saved, setSaved] = useState(false);
  const form = useZodForm(horizonSchema, { defaultValues: { maxBookingHorizonDays: String(days) } });
  const server = useServerErrors(form);
  const [update, { loading }] = useMutation(UPDATE_BOOKING_HORIZON);
  const field = form.register('maxBookingHorizonDays', { onChange: () => setSaved(false) });

  const submit = form.handleSubmit(async (v) => {
    setSaved(false);
    server.clear();
    try {
      const { data } = await update({ variables: { id: clinicId, input: { maxBookingHorizonDays: Number(v.maxBookingHorizonDays) } } });
      if (data) form.reset({ maxBookingHorizonDays: String(data.updateClinic.maxBookingHorizonDays) });
      setSaved(true);
    } catch (error) {
      server.apply(error, ['maxBookingHorizonDays']);
    }
  });

  return (
    <section className="card" aria-labelledby="clinic-booking">
      <h2 id="clinic-booking">Booking</h2>
      {canEdit ? (
        <form ref={server.ref} className="inline-form" onSubmit={submit} noValidate aria-label="Booking horizon">
          {/* One field: its own message says it all, the form-level banner only for anything else. */}
          {server.alert.form !== SEE_FIELDS ? <FormAlert errors={server.alert} /> : null}
          {saved ? (
            <div className="alert alert--success" role="status">
              Saved. Clients can now be booked up to {horizonWords(days)} ahead.
            </div>
          ) : null}
          <TextField
            label="How far ahead can clients be booked? (days)"
            className="field--narrow"
            type="number"
            inputMode="numeric"
            min={1}
            max={1095}
            required
            {...field}
            error={fieldError(form.formState.errors, 'maxBookingHorizonDays')}
            hint="From 1 to 1095 days (three years). A booking or a plan's sessions can start at most this many days after today, in the clinic's time."
          />
          <SubmitButton busy={loading}>Save</SubmitButton>
        </form>
      ) : (
        <p>Clients can be booked up to {horizonWords(days)} ahead.</p>
      )}
    </section>
  );
}

const roomSchema = z.object({ name: z.string().trim().min(1, 'Give the room a name.') });

function AddRoom({ clinicId }: { clinicId: string }) {
  const form = useZodForm(roomSchema, { defaultValues: { name: '' } });
  const server = useServerErrors(form);
  const [createRoom, { loading }] = useMutation(CREATE_ROOM, { refetchQueries: ['Clinic'], update: (cache) => evictList(cache, 'clinics') });

  const submit = form.handleSubmit(async (v) => {
    server.clear();
    try {
      await createRoom({ variables: { input: { clinicId, name: v.name } } });
      form.reset({ name: '' });
    } catch (error) {
      server.apply(error, ['name']);
    }
  });

  return (
    <form ref={server.ref} className="inline-form" onSubmit={submit} noValidate aria-label="Add a room">
      <FormAlert errors={server.alert} />
      <TextField label="Room name" required {...form.register('name')} error={fieldError(form.formState.errors, 'name')} placeholder="e.g. Treatment room 3" />
      <SubmitButton busy={loading} busyLabel="Adding…">
        Add room
      </SubmitButton>
    </form>
  );
}

export function ClinicDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { data, loading, error, refetch } = useQuery(CLINIC, { variables: { id } });
  if (error) return <QueryError error={error} retry={() => void refetch()} />;
  if (!data && loading) return <Loading label="Loading clinic…" />;
  const clinic = data?.clinic;
  if (!clinic) {
    return (
      <EmptyState title="Clinic not found" action={<Link to="/clinics">Back to clinics</Link>}>
        It may have been removed, or it belongs to another organization.
      </EmptyState>
    );
  }
  const now = clinicNow(clinic.timeZone);
  const canEdit = me.roles.includes('ORG_ADMIN') || me.roles.includes('CLINIC_MANAGER');
  // updateClinic: ORG_ADMIN, or a manager whose clinics include this one (none listed = every clinic).
  const canEditPolicy = me.roles.includes('ORG_ADMIN') || (me.roles.includes('CLINIC_MANAGER') && (me.clinicIds.length === 0 || me.clinicIds.includes(clinic.id)));

  return (
    <>
      <PageHeader
        title={clinic.name}
        description={`${clinic.city}, ${countryName(clinic.country)} · ${clinic.timeZone} · local time ${now.label}`}
        actions={
          <Link to="/practitioners" className="button">
            Practitioners
          </Link>
        }
      />
      <div className="grid-2">
        <section className="card" aria-labelledby="clinic-address">
          <h2 id="clinic-address">Address</h2>
          <address>
            {clinic.addressLine1}
            <br />
            {clinic.addressLine2 ? (
              <>
                {clinic.addressLine2}
                <br />
              </>
            ) : null}
            {[clinic.postalCode, clinic.city, clinic.region].filter(Boolean).join(' ')}
            <br />
            {countryName(clinic.country)}
          </address>
          {clinic.phone ? <p>Phone: <a href={`tel:${clinic.phone}`}>{clinic.phone}</a></p> : null}
          <p className="muted small">Added {formatDate(clinic.createdAt)}</p>
        </section>
        <section className="card" aria-labelledby="clinic-hours">
          <h2 id="clinic-hours">Opening hours</h2>
          <table className="table table--compact">
            <tbody>
              {WEEKDAYS.map((d) => {
                const windows = clinic.openingHours.filter((w) => w.weekday === d.value);
                return (
                  <tr key={d.value} className={now.weekday === d.value ? 'today' : undefined}>
                    <th scope="row">
                      {d.label}
                      {now.weekday === d.value ? <span className="badge">Today</span> : null}
                    </th>
                    <td>{windows.length ? windows.map((w) => `${w.start}–${w.end}`).join(', ') : <span className="muted">Closed</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      </div>
      <section className="card" aria-labelledby="clinic-rooms">
        <h2 id="clinic-rooms">Rooms</h2>
        {clinic.rooms.length ? (
          <ul className="chips">
            {clinic.rooms.map((r) => (
              <li key={r.id} className="chip">
                {r.name}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">
            {canEdit ? 'No rooms yet. Appointments are booked into rooms, so add at least one.' : 'No rooms yet. Appointments are booked into rooms; an organization admin or this clinic’s manager adds them.'}
          </p>
        )}
        {canEdit ? <AddRoom clinicId={clinic.id} /> : null}
      </section>
      <BookingHorizon clinicId={clinic.id} days={clinic.maxBookingHorizonDays} canEdit={canEditPolicy} />
    </>
  );
}
