import { useQuery } from '@apollo/client/react';
import { type ReactNode, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/Layout';
import { EmptyState, Loading, QueryError } from '../../components/status';
import { graphql } from '../../gql';
import type { AppointmentStatus } from '../../gql/graphql';
import { useMe } from '../../lib/auth';
import { useClinic } from '../../lib/clinic-context';
import { downloadWithToken } from '../../lib/download';
import { DISCIPLINES, formatDate } from '../../lib/format';
import { REFERRAL_STATUS, URGENCY, statusClass } from '../referral/referral-format';
import { clientName } from './client-format';

const CLIENT = graphql(`
  query ClientPage($id: ID!) {
    client(id: $id) {
      id
      firstName
      lastName
      preferredName
      dateOfBirth
      phone
      email
      clinicIds
      reminderConsent
      preferredChannels
      emergencyContact {
        name
        phone
        relationship
      }
      createdAt
    }
  }
`);

/** Appointments come with the chart, which is clinical: the front desk finds them on the calendar. */
const CLIENT_APPOINTMENTS = graphql(`
  query ClientAppointments($clientId: ID!) {
    clientChart(clientId: $clientId) {
      appointments {
        id
        localStart
        durationMinutes
        status
        kind
        timeZone
        clinic {
          id
          name
        }
        practitioner {
          id
          displayName
        }
      }
    }
  }
`);

export const APPOINTMENT_STATUS: Record<AppointmentStatus, string> = {
  BOOKED: 'Booked',
  CHECKED_IN: 'Checked in',
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
  LATE_CANCELLED: 'Cancelled late',
  NO_SHOW: 'Did not come',
};

/** "Tue 3 Mar 2026, 09:00": a clinic-local wall time (YYYY-MM-DDTHH:mm) as written, not moved to the browser's zone. */
export function formatLocal(local: string): string {
  const [date, time] = local.split('T');
  const [y, m, d] = date.split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return `${day}, ${time?.slice(0, 5) ?? ''}`;
}

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Appointments({ clientId }: { clientId: string }) {
  const clinical = useClinical();
  const { data, loading, error, refetch } = useQuery(CLIENT_APPOINTMENTS, { variables: { clientId }, skip: !clinical });
  if (!clinical) return <p className="muted">Appointments are on the clinic&apos;s calendar.</p>;
  if (error) return <QueryError error={error} retry={() => void refetch()} />;
  if (!data && loading) return <Loading label="Loading appointments…" />;
  const appointments = [...(data?.clientChart?.appointments ?? [])].reverse();
  if (appointments.length === 0) return <p className="muted">No appointments yet.</p>;
  return (
    <div className="table-wrap">
      <table className="table table--compact" aria-label="Appointments">
        <thead>
          <tr>
            <th scope="col">When (clinic time)</th>
            <th scope="col">Practitioner</th>
            <th scope="col">Clinic</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {appointments.map((a) => (
            <tr key={a.id}>
              <th scope="row">
                <Link to={`/appointments/${a.id}`}>{formatLocal(a.localStart)}</Link> <span className="muted small">· {a.durationMinutes} min</span>
              </th>
              <td>{a.practitioner.displayName}</td>
              <td>{a.clinic.name}</td>
              <td>
                <span className={statusClass(a.status)}>{APPOINTMENT_STATUS[a.status]}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ClientPage() {
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const { clinics } = useClinic();
  const { data, loading, error, refetch } = useQuery(CLIENT, { variables: { id } });
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
  const clinicNames = client.clinicIds.map((cid) => clinics.find((c) => c.id === cid)?.name).filter(Boolean);

  return (
    <>
      <PageHeader title={clientName(client)} description={client.dateOfBirth ? `Born ${formatDate(client.dateOfBirth)}` : undefined} actions={<ClientActions clientId={client.id} />} />
      {search.get('created') ? (
        <div className="alert alert--success" role="status">
          <strong>Client added.</strong> {client.firstName} {client.lastName} can now be booked and referred.
        </div>
      ) : null}
      <div className="grid-2">
        <section className="card" aria-labelledby="client-identity">
          <h2 id="client-identity">Contact</h2>
          <dl className="details">
            <Detail term="Phone">{client.phone ? <a href={`tel:${client.phone}`}>{client.phone}</a> : <span className="muted">Not given</span>}</Detail>
            <Detail term="Email">{client.email ? <a href={`mailto:${client.email}`}>{client.email}</a> : <span className="muted">Not given</span>}</Detail>
            <Detail term="Reminders">{client.reminderConsent ? `Yes, by ${client.preferredChannels.map((c) => c.toLowerCase()).join(' and ') || 'email'}` : 'No consent given'}</Detail>
            {client.emergencyContact ? (
              <Detail term="Emergency contact">
                {client.emergencyContact.name}
                {client.emergencyContact.relationship ? ` (${client.emergencyContact.relationship})` : ''}, {client.emergencyContact.phone}
              </Detail>
            ) : null}
          </dl>
        </section>
        <section className="card" aria-labelledby="client-clinics">
          <h2 id="client-clinics">Clinics</h2>
          {clinicNames.length ? (
            <ul className="chips">
              {clinicNames.map((n) => (
                <li key={n} className="chip">
                  {n}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">Every clinic of the organization.</p>
          )}
          <p className="muted small">Client since {formatDate(client.createdAt)}</p>
        </section>
      </div>
      <section className="card" aria-labelledby="client-appointments">
        <h2 id="client-appointments">Appointments</h2>
        <Appointments clientId={client.id} />
      </section>
      <ClientReferrals clientId={client.id} />
    </>
  );
}

const CLINICAL = ['ORG_ADMIN', 'CLINIC_MANAGER', 'PRACTITIONER'];

function useClinical(): boolean {
  const me = useMe();
  return me.roles.some((r) => CLINICAL.includes(r));
}

function ClientActions({ clientId }: { clientId: string }) {
  const clinical = useClinical();
  if (!clinical) return null;
  return (
    <>
      <Link to={`/clients/${clientId}/chart`} className="button button--primary">
        Chart
      </Link>
      <Link to={`/clients/${clientId}/intake`} className="button">
        Record an intake
      </Link>
      <Link to={`/clients/${clientId}/reassessment/new`} className="button">
        Re-assess
      </Link>
      <Link to={`/clients/${clientId}/refer`} className="button">
        Refer
      </Link>
      <FhirExportButton clientId={clientId} />
    </>
  );
}

/** Downloads the client's record as a FHIR R4 Bundle (GET /fhir/Patient/{id}/$everything). */
function FhirExportButton({ clientId }: { clientId: string }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const run = async () => {
    setState({ busy: true, error: null });
    try {
      await downloadWithToken(`/fhir/Patient/${clientId}/$everything`, `patient-${clientId}-fhir.json`);
      setState({ busy: false, error: null });
    } catch (err) {
      setState({ busy: false, error: err instanceof Error ? err.message : 'The export failed; try again.' });
    }
  };
  return (
    <>
      <button type="button" className="button" onClick={() => void run()} disabled={state.busy} aria-describedby={state.error ? 'fhir-export-error' : undefined}>
        {state.busy ? 'Exporting…' : 'Export (FHIR)'}
      </button>
      {state.error && (
        <span id="fhir-export-error" role="alert" className="field-error">
          {state.error}
        </span>
      )}
    </>
  );
}

const CLIENT_REFERRALS = graphql(`
  query ClientReferrals($clientId: ID!) {
    clientReferrals(clientId: $clientId) {
      id
      status
      urgency
      reason
      sentAt
      createdAt
      overdue
      unreadCount
      to {
        organizationName
        clinicName
        practitionerName
        discipline
      }
      reply {
        repliedAt
      }
    }
  }
`);

/** The referrals made for this client, newest first, each opening its page. */
function ClientReferrals({ clientId }: { clientId: string }) {
  const clinical = useClinical();
  const { data, loading, error, refetch } = useQuery(CLIENT_REFERRALS, { variables: { clientId }, skip: !clinical });
  if (!clinical) return null;
  const referrals = data?.clientReferrals ?? [];
  return (
    <section className="card" aria-labelledby="client-referrals">
      <h2 id="client-referrals">Referrals</h2>
      {error ? <QueryError error={error} retry={() => void refetch()} /> : null}
      {!data && loading ? <Loading label="Loading referrals…" /> : null}
      {data && referrals.length === 0 ? <p className="muted">Not referred yet. “Refer” sends this client to a practitioner or clinic of your organization or its partners.</p> : null}
      {referrals.length > 0 ? (
        <div className="table-wrap">
          <table className="table table--compact" aria-label="Referrals of this client">
            <thead>
              <tr>
                <th scope="col">To</th>
                <th scope="col">Reason</th>
                <th scope="col">Urgency</th>
                <th scope="col">Status</th>
                <th scope="col">Sent</th>
              </tr>
            </thead>
            <tbody>
              {referrals.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/referrals/${r.id}`}>{r.to.practitionerName ?? `Any ${DISCIPLINES[r.to.discipline].toLowerCase()}`}</Link>
                    <div className="muted small">
                      {r.to.clinicName} · {r.to.organizationName}
                    </div>
                  </th>
                  <td className="small">{r.reason}</td>
                  <td>
                    <span className={statusClass(r.urgency)}>{URGENCY[r.urgency].label}</span>
                  </td>
                  <td>
                    <span className={statusClass(r.status)}>{REFERRAL_STATUS[r.status]}</span>
                    {r.overdue ? <div className="overdue small">Answer overdue</div> : null}
                    {r.unreadCount ? <div className="small">{r.unreadCount} new {r.unreadCount === 1 ? 'message' : 'messages'}</div> : null}
                  </td>
                  <td className="small">{r.sentAt ? formatDate(r.sentAt) : <span className="muted">Draft</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
