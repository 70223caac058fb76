import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/Layout';
import { ListView } from '../../components/ListView';
import type { Column } from '../../components/ListView';
import { EmptyState } from '../../components/status';
import { graphql } from '../../gql';
import type { ClinicsQuery } from '../../gql/graphql';
import { useMe } from '../../lib/auth';
import { countryName, summarizeHours } from '../../lib/format';
import { useCursorList } from '../../lib/list';

export const CLINICS = graphql(`
  query Clinics($first: Int!, $after: String) {
    clinics(first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          id
          name
          addressLine1
          city
          postalCode
          country
          timeZone
          phone
          openingHours {
            weekday
            start
            end
          }
          rooms {
            id
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

const PAGE = 25;

type ClinicRow = ClinicsQuery['clinics']['edges'][number]['node'];

const COLUMNS: Column<ClinicRow>[] = [
  {
    header: 'Clinic',
    rowHeader: true,
    cell: (c) => (
      <>
        <Link to={`/clinics/${c.id}`}>{c.name}</Link>
        {c.phone ? <div className="muted small">{c.phone}</div> : null}
      </>
    ),
  },
  {
    header: 'Address',
    cell: (c) => (
      <>
        {c.addressLine1}
        <div className="muted small">
          {[c.postalCode, c.city].filter(Boolean).join(' ')} · {countryName(c.country)}
        </div>
      </>
    ),
  },
  { header: 'Time zone', cell: (c) => c.timeZone },
  { header: 'Opening hours', className: 'small', cell: (c) => summarizeHours(c.openingHours) },
  { header: 'Rooms', className: 'num', cell: (c) => c.rooms.length },
];

export function ClinicsPage() {
  const me = useMe();
  const canCreate = me.roles.includes('ORG_ADMIN');
  const list = useCursorList(CLINICS, { variables: { first: PAGE }, connection: (d) => d.clinics });
  const [search] = useSearchParams();
  const created = list.items.find((c) => c.id === search.get('created'));

  return (
    <>
      <PageHeader
        title="Clinics"
        description={list.totalCount !== null ? `${list.totalCount} ${list.totalCount === 1 ? 'location' : 'locations'} in ${me.organization.name}` : undefined}
        actions={
          canCreate ? (
            <Link to="/clinics/new" className="button button--primary">
              New clinic
            </Link>
          ) : null
        }
      />
      {created ? (
        <div className="alert alert--success" role="status">
          <strong>Clinic created.</strong> {created.name} is ready: add its rooms and practitioners next.
        </div>
      ) : null}
      <ListView
        list={list}
        label="Clinics"
        columns={COLUMNS}
        rowKey={(c) => c.id}
        loadingLabel="Loading clinics…"
        moreLabel="Show more clinics"
        empty={
          <EmptyState
            title="No clinics yet"
            action={
              canCreate ? (
                <Link to="/clinics/new" className="button button--primary">
                  Add your first clinic
                </Link>
              ) : null
            }
          >
            Each clinic has its own address, time zone, opening hours and rooms.
          </EmptyState>
        }
      />
    </>
  );
}
