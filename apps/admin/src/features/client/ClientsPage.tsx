import { Link } from 'react-router';
import { TextField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { ListView } from '../../components/ListView';
import type { Column } from '../../components/ListView';
import { EmptyState } from '../../components/status';
import { graphql } from '../../gql';
import type { ClientsQuery } from '../../gql/graphql';
import { useClinic } from '../../lib/clinic-context';
import { formatDate } from '../../lib/format';
import { useCursorList } from '../../lib/list';
import { useTypedParam } from '../../lib/typed-param';
import { clientName } from './client-format';

export const CLIENTS = graphql(`
  query Clients($first: Int!, $after: String, $search: String, $clinicId: ID) {
    clients(first: $first, after: $after, search: $search, clinicId: $clinicId) {
      totalCount
      totalCountCapped
      edges {
        cursor
        node {
          id
          firstName
          lastName
          preferredName
          dateOfBirth
          phone
          email
          clinicIds
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type ClientRow = ClientsQuery['clients']['edges'][number]['node'];

const PAGE = 25;

const COLUMNS: Column<ClientRow>[] = [
  { header: 'Name', rowHeader: true, cell: (c) => <Link to={`/clients/${c.id}`}>{clientName(c)}</Link> },
  { header: 'Date of birth', cell: (c) => (c.dateOfBirth ? formatDate(c.dateOfBirth, { weekday: false }) : <span className="muted">Not given</span>) },
  { header: 'Phone', cell: (c) => c.phone ?? <span className="muted">—</span> },
  { header: 'Email', cell: (c) => c.email ?? <span className="muted">—</span> },
];

export function ClientsPage() {
  const { clinicId, clinic } = useClinic();
  const { text, setText, value: search } = useTypedParam('q', 250);
  const list = useCursorList(CLIENTS, { variables: { first: PAGE, search: search || null, clinicId }, connection: (d) => d.clients });
  const count = list.totalCount === null ? null : `${list.totalCount}${list.totalCount >= 1000 ? '+' : ''}`;

  return (
    <>
      <PageHeader
        title="Clients"
        description={clinic ? `Clients of ${clinic.name}` : 'Clients of every clinic'}
        actions={
          <Link to="/clients/new" className="button button--primary">
            New client
          </Link>
        }
      />
      <div className="toolbar" role="search" aria-label="Find a client">
        <TextField
          label="Search by name, phone or email"
          name="search"
          type="search"
          autoComplete="off"
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="field--wide"
        />
        {count !== null ? (
          <p className="muted" aria-live="polite">
            {count} {list.totalCount === 1 ? 'client' : 'clients'}
            {search ? ` matching “${search}”` : ''}
          </p>
        ) : null}
      </div>
      <ListView
        list={list}
        label="Clients"
        columns={COLUMNS}
        rowKey={(c) => c.id}
        loadingLabel="Loading clients…"
        moreLabel="Show more clients"
        empty={
          search ? (
            <EmptyState
              title={`No client matches “${search}”`}
              action={
                <Link to="/clients/new" className="button button--primary">
                  Add a new client
                </Link>
              }
            >
              Try part of the name, the last digits of the phone number, or the email address.
            </EmptyState>
          ) : (
            <EmptyState
              title={clinic ? `No clients at ${clinic.name} yet` : 'No clients yet'}
              action={
                <Link to="/clients/new" className="button button--primary">
                  Add the first client
                </Link>
              }
            >
              A client&apos;s details, appointments and referrals live on their page.
            </EmptyState>
          )
        }
      />
    </>
  );
}
