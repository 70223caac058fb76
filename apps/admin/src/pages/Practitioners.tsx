import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { SelectField } from '../components/forms';
import { PageHeader } from '../components/Layout';
import { EmptyState, LoadMore, Loading, QueryError } from '../components/status';
import { graphql } from '../gql';
import type { Discipline } from '../gql/graphql';
import { useMe } from '../lib/auth';
import { useClinic } from '../lib/clinic-context';
import { DISCIPLINES, MODALITIES, weekdayLabel } from '../lib/format';
import { Link, useRouter } from '../lib/router';

const PRACTITIONERS = graphql(`
  query Practitioners($first: Int!, $after: String, $clinicId: ID, $discipline: Discipline) {
    practitioners(first: $first, after: $after, clinicId: $clinicId, discipline: $discipline) {
      totalCount
      edges {
        cursor
        node {
          id
          displayName
          discipline
          modalities
          email
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
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const PAGE = 25;

export function PractitionersPage() {
  const me = useMe();
  const { clinicId, clinic } = useClinic();
  const { location } = useRouter();
  const [discipline, setDiscipline] = useState<Discipline | ''>('');
  const canCreate = me.roles.includes('ORG_ADMIN') || me.roles.includes('CLINIC_MANAGER');
  const { data, loading, error, refetch, fetchMore } = useQuery(PRACTITIONERS, {
    variables: { first: PAGE, clinicId, discipline: discipline || null },
    notifyOnNetworkStatusChange: true,
  });
  const practitioners = data?.practitioners.edges.map((e) => e.node) ?? [];
  const created = practitioners.find((p) => p.id === location.search.get('created'));

  return (
    <>
      <PageHeader
        title="Practitioners"
        description={clinic ? `Working at ${clinic.name}` : 'Across all clinics'}
        actions={
          canCreate ? (
            <Link to="/practitioners/new" className="button button--primary">
              New practitioner
            </Link>
          ) : null
        }
      />
      {created ? (
        <div className="alert alert--success" role="status">
          <strong>Practitioner added.</strong> {created.displayName} can now be booked in their available hours.
        </div>
      ) : null}
      <div className="toolbar">
        <SelectField label="Discipline" name="discipline" value={discipline} onChange={(e) => setDiscipline(e.target.value as Discipline | '')}>
          <option value="">All disciplines</option>
          {Object.entries(DISCIPLINES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        {data ? (
          <p className="muted" aria-live="polite">
            {data.practitioners.totalCount} {data.practitioners.totalCount === 1 ? 'practitioner' : 'practitioners'}
          </p>
        ) : null}
      </div>
      {error ? <QueryError error={error} retry={() => void refetch()} /> : null}
      {!data && loading ? <Loading label="Loading practitioners…" /> : null}
      {data && practitioners.length === 0 ? (
        <EmptyState
          title={clinic ? `No practitioners at ${clinic.name} yet` : 'No practitioners yet'}
          action={
            canCreate ? (
              <Link to="/practitioners/new" className="button button--primary">
                Add a practitioner
              </Link>
            ) : null
          }
        >
          A practitioner works in one discipline, offers some modalities and has weekly hours at one or more clinics.
        </EmptyState>
      ) : null}
      {practitioners.length > 0 ? (
        <div className="table-wrap">
          <table className="table" aria-label="Practitioners">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Discipline</th>
                <th scope="col">Modalities</th>
                <th scope="col">Weekly hours</th>
                {canCreate ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {practitioners.map((p) => {
                const hours = p.availability.filter((a) => !clinicId || a.clinicId === clinicId);
                return (
                  <tr key={p.id}>
                    <th scope="row">
                      {p.displayName}
                      {p.email ? <div className="muted small">{p.email}</div> : null}
                    </th>
                    <td>{DISCIPLINES[p.discipline]}</td>
                    <td>
                      <ul className="chips chips--small">
                        {p.modalities.map((m) => (
                          <li key={m} className="chip">
                            {MODALITIES[m]}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td className="small">
                      {hours.length === 0 ? (
                        <span className="muted">None set</span>
                      ) : (
                        <ul className="plain">
                          {[...hours]
                            .sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start))
                            .map((a) => (
                              <li key={a.id}>
                                <span className="nowrap">
                                  {weekdayLabel(a.weekday, true)} {a.start}–{a.end}
                                </span>
                                {clinicId ? null : <span className="muted"> · {a.clinic.name}</span>}
                              </li>
                            ))}
                        </ul>
                      )}
                    </td>
                    {canCreate ? (
                      <td>
                        <Link to={`/practitioners/${p.id}/hours`} className="button button--quiet">
                          Edit hours<span className="visually-hidden"> of {p.displayName}</span>
                        </Link>
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {data ? (
        <LoadMore
          hasNextPage={data.practitioners.pageInfo.hasNextPage}
          loading={loading}
          onMore={() => fetchMore({ variables: { after: data.practitioners.pageInfo.endCursor } })}
          label="Show more practitioners"
        />
      ) : null}
    </>
  );
}
