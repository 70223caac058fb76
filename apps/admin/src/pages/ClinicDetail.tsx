import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { FormAlert, SubmitButton, TextField, useErrorFocus } from '../components/forms';
import { PageHeader } from '../components/Layout';
import { EmptyState, Loading, QueryError } from '../components/status';
import { graphql } from '../gql';
import { evictList } from '../lib/apollo';
import { useMe } from '../lib/auth';
import { NO_ERRORS, readErrors } from '../lib/errors';
import type { FormErrors } from '../lib/errors';
import { WEEKDAYS, clinicNow, countryName, formatDate } from '../lib/format';
import { Link } from '../lib/router';

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

function AddRoom({ clinicId }: { clinicId: string }) {
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const formRef = useErrorFocus(errors);
  const [createRoom, { loading }] = useMutation(CREATE_ROOM, { refetchQueries: ['Clinic'], update: (cache) => evictList(cache, 'clinics') });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setErrors({ fields: { name: 'Give the room a name.' }, form: null, code: null });
      return;
    }
    setErrors(NO_ERRORS);
    try {
      await createRoom({ variables: { input: { clinicId, name: name.trim() } } });
      setName('');
    } catch (error) {
      setErrors(readErrors(error, ['name']));
    }
  }

  return (
    <form ref={formRef} className="inline-form" onSubmit={submit} noValidate aria-label="Add a room">
      <FormAlert errors={errors} />
      <TextField label="Room name" name="name" required value={name} onChange={(e) => setName(e.target.value)} error={errors.fields.name} placeholder="e.g. Treatment room 3" />
      <SubmitButton busy={loading} busyLabel="Adding…">
        Add room
      </SubmitButton>
    </form>
  );
}

export function ClinicDetailPage({ id }: { id: string }) {
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
          <p className="muted">No rooms yet. Appointments are booked into rooms, so add at least one.</p>
        )}
        {canEdit ? <AddRoom clinicId={clinic.id} /> : null}
      </section>
    </>
  );
}
