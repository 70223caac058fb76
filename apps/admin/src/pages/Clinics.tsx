import { useQuery } from '@apollo/client/react';
import { PageHeader } from '../components/Layout';
import { EmptyState, LoadMore, Loading, QueryError } from '../components/status';
import { graphql } from '../gql';
import { useMe } from '../lib/auth';
import { countryName, summarizeHours } from '../lib/format';
import { Link, useRouter } from '../lib/router';

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

export function ClinicsPage() {
  const me = useMe();
  const canCreate = me.roles.includes('ORG_ADMIN');
  const { data, loading, error, refetch, fetchMore } = useQuery(CLINICS, { variables: { first: PAGE }, notifyOnNetworkStatusChange: true });
  const clinics = data?.clinics.edges.map((e) => e.node) ?? [];
  const { location } = useRouter();
  const created = clinics.find((c) => c.id === location.search.get('created'));

  return (
    <>
      <PageHeader
        title="Clinics"
        description={data ? `${data.clinics.totalCount} ${data.clinics.totalCount === 1 ? 'location' : 'locations'} in ${me.organization.name}` : undefined}
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
      {error ? <QueryError error={error} retry={() => void refetch()} /> : null}
      {!data && loading ? <Loading label="Loading clinics…" /> : null}
      {data && clinics.length === 0 ? (
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
      ) : null}
      {clinics.length > 0 ? (
        <div className="table-wrap">
          <table className="table" aria-label="Clinics">
            <thead>
              <tr>
                <th scope="col">Clinic</th>
                <th scope="col">Address</th>
                <th scope="col">Time zone</th>
                <th scope="col">Opening hours</th>
                <th scope="col" className="num">
                  Rooms
                </th>
              </tr>
            </thead>
            <tbody>
              {clinics.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`/clinics/${c.id}`}>{c.name}</Link>
                    {c.phone ? <div className="muted small">{c.phone}</div> : null}
                  </th>
                  <td>
                    {c.addressLine1}
                    <div className="muted small">
                      {[c.postalCode, c.city].filter(Boolean).join(' ')} · {countryName(c.country)}
                    </div>
                  </td>
                  <td>{c.timeZone}</td>
                  <td className="small">{summarizeHours(c.openingHours)}</td>
                  <td className="num">{c.rooms.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data ? (
        <LoadMore
          hasNextPage={data.clinics.pageInfo.hasNextPage}
          loading={loading}
          onMore={() => fetchMore({ variables: { first: PAGE, after: data.clinics.pageInfo.endCursor } })}
          label="Show more clinics"
        />
      ) : null}
    </>
  );
}
