import { useQuery } from '@apollo/client/react';
import { useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/Layout';
import { EmptyState, Loading, QueryError } from '../../components/status';
import { graphql } from '../../gql';
import type { AppointmentStatus, AppointmentWhen, ClientAppointmentListQuery } from '../../gql/graphql';
import { ListView, type Column } from '../../components/ListView';
import { NO_ERRORS } from '../../lib/errors';
import { useCursorList } from '../../lib/list';
import { AppointmentPanel } from '../calendar/AppointmentPanel';
import { CALENDAR_CLINIC } from '../calendar/documents';
import '../calendar/calendar.css';
import { useMe } from '../../lib/auth';
import { useClinic } from '../../lib/clinic-context';
import { downloadWithToken } from '../../lib/download';
import { DISCIPLINES, formatDate, formatDateTime } from '../../lib/format';
import { REFERRAL_STATUS, URGENCY, statusClass } from '../referral/referral-format';
import { clientName } from './client-format';
import { TableScroll } from '../../components/TableScroll';

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

/**
 * The client's appointments outside the calendar (not clinical: the front desk sees them too),
 * upcoming and past, a page at a time; each opens the calendar's appointment panel to move or
 * cancel it.
 */
const CLIENT_APPOINTMENT_LIST = graphql(`
  query ClientAppointmentList($clientId: ID!, $when: AppointmentWhen!, $first: Int, $after: String) {
    clientAppointments(clientId: $clientId, when: $when, first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          ...CalendarAppointment
          timeZone
          clinic {
            id
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
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

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

type ListedAppointment = ClientAppointmentListQuery['clientAppointments']['edges'][number]['node'];

/** The calendar's panel for one appointment of the list, with its clinic's practitioners and rooms for a move. */
function ManagePanel({ a, onChanged, onClose, notice }: { a: ListedAppointment; notice: string | null; onChanged(msg: string): void; onClose(): void }) {
  const { data, loading, error, refetch } = useQuery(CALENDAR_CLINIC, { variables: { id: a.clinicId } });
  if (error) return <QueryError error={error} retry={() => void refetch()} />;
  if (!data && loading) return <Loading label="Loading the clinic's practitioners and rooms…" />;
  const clinic = data?.clinic;
  if (!clinic) return null;
  const practitioners = data.practitioners.edges.map((e) => ({ id: e.node.id, name: e.node.displayName }));
  if (!practitioners.some((p) => p.id === a.practitionerId)) practitioners.push({ id: a.practitionerId, name: a.practitioner.displayName });
  return (
    <AppointmentPanel
      a={a}
      zone={clinic.timeZone}
      lateCancelHours={clinic.lateCancelHours}
      practitioners={practitioners}
      rooms={clinic.rooms.map((r) => ({ id: r.id, name: r.name }))}
      notice={notice}
      error={NO_ERRORS}
      onChanged={(_, msg) => onChanged(msg)}
      onClose={onClose}
      refetchQueries={[CLIENT_APPOINTMENT_LIST]}
      showClientLink={false}
    />
  );
}

function AppointmentList({ clientId, when, selected, onSelect }: { clientId: string; when: AppointmentWhen; selected: string | null; onSelect(a: ListedAppointment): void }) {
  const list = useCursorList(CLIENT_APPOINTMENT_LIST, { variables: { clientId, when, first: 10 }, connection: (d) => d.clientAppointments });
  const clinical = useClinical();
  const upcoming = when === 'UPCOMING';
  const columns: Column<ListedAppointment>[] = [
    {
      header: 'When (clinic time)',
      rowHeader: true,
      // The session page (check-in, the note) is clinical: the front desk moves and cancels from here.
      cell: (a) => (
        <>
          {clinical ? <Link to={`/appointments/${a.id}`}>{formatDateTime(a.localStart)}</Link> : formatDateTime(a.localStart)} <span className="muted small nowrap">· {a.durationMinutes} min</span>
        </>
      ),
    },
    { header: 'Practitioner', cell: (a) => a.practitioner.displayName },
    { header: 'Clinic', cell: (a) => a.clinic.name },
    {
      header: 'Status',
      cell: (a) => (
        <>
          <span className={statusClass(a.status)}>{APPOINTMENT_STATUS[a.status]}</span>
          {a.statusReason ? <div className="muted small">{a.statusReason}</div> : null}
        </>
      ),
    },
    {
      header: <span className="visually-hidden">Actions</span>,
      cell: (a) =>
        a.status === 'BOOKED' ? (
          <button type="button" className="button button--quiet" aria-expanded={selected === a.id} onClick={() => onSelect(a)}>
            <span aria-hidden="true">Move or cancel</span>
            <span className="visually-hidden">
              Move or cancel the appointment of {formatDateTime(a.localStart)}
            </span>
          </button>
        ) : null,
    },
  ];
  return (
    <ListView
      list={list}
      label={upcoming ? 'Upcoming appointments' : 'Past appointments'}
      columns={columns}
      rowKey={(a) => a.id}
      rowClassName={(a) => (a.id === selected ? 'row--selected' : undefined)}
      empty={<p className="muted">{upcoming ? 'Nothing booked ahead. Book from the calendar.' : 'No past appointments.'}</p>}
      loadingLabel={upcoming ? 'Loading upcoming appointments…' : 'Loading past appointments…'}
      moreLabel={upcoming ? 'Show later appointments' : 'Show earlier appointments'}
    />
  );
}

function Appointments({ clientId }: { clientId: string }) {
  const [selected, setSelected] = useState<ListedAppointment | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const select = (a: ListedAppointment) => {
    setNotice(null);
    setSelected(selected?.id === a.id ? null : a);
  };
  return (
    <>
      <h3>Upcoming</h3>
      <AppointmentList clientId={clientId} when="UPCOMING" selected={selected?.id ?? null} onSelect={select} />
      {notice && !selected ? (
        <div className="alert alert--success" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      {selected ? (
        <ManagePanel
          key={selected.id}
          a={selected}
          notice={notice}
          onChanged={(msg) => {
            setNotice(msg);
            setSelected(null);
          }}
          onClose={() => setSelected(null)}
        />
      ) : null}
      <h3>Past</h3>
      <AppointmentList clientId={clientId} when="PAST" selected={selected?.id ?? null} onSelect={select} />
      <p className="muted small">
        <Link to="/calendar">Open the calendar</Link> to book a new appointment.
      </p>
    </>
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
      <PageHeader title={clientName(client)} description={client.dateOfBirth ? `Born ${formatDate(client.dateOfBirth, { weekday: false })}` : undefined} actions={<ClientActions clientId={client.id} />} />
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
        <TableScroll label="Referrals of this client">
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
                  <td className="small nowrap">{r.sentAt ? formatDate(r.sentAt) : <span className="muted">Draft</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
    </section>
  );
}
