import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { SelectField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { ListView } from '../../components/ListView';
import type { Column } from '../../components/ListView';
import { EmptyState } from '../../components/status';
import { graphql } from '../../gql';
import type { Discipline, PractitionersQuery } from '../../gql/graphql';
import { useMe } from '../../lib/auth';
import { useClinic } from '../../lib/clinic-context';
import { DISCIPLINES, MODALITIES, weekdayLabel } from '../../lib/format';
import { useCursorList } from '../../lib/list';

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

type PractitionerRow = PractitionersQuery['practitioners']['edges'][number]['node'];

function columns(clinicId: string | null, canCreate: boolean): Column<PractitionerRow>[] {
  const cols: Column<PractitionerRow>[] = [
    {
      header: 'Name',
      rowHeader: true,
      cell: (p) => (
        <>
          {p.displayName}
          {p.email ? <div className="muted small">{p.email}</div> : null}
        </>
      ),
    },
    { header: 'Discipline', cell: (p) => DISCIPLINES[p.discipline] },
    {
      header: 'Modalities',
      cell: (p) => (
        <ul className="chips chips--small">
          {p.modalities.map((m) => (
            <li key={m} className="chip">
              {MODALITIES[m]}
            </li>
          ))}
        </ul>
      ),
    },
    {
      header: 'Weekly hours',
      className: 'small',
      cell: (p) => {
        const hours = p.availability.filter((a) => !clinicId || a.clinicId === clinicId);
        if (hours.length === 0) return <span className="muted">None set</span>;
        return (
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
        );
      },
    },
  ];
  if (canCreate) {
    cols.push({
      header: <span className="visually-hidden">Actions</span>,
      cell: (p) => (
        <Link to={`/practitioners/${p.id}/hours`} className="button button--quiet">
          Edit hours<span className="visually-hidden"> of {p.displayName}</span>
        </Link>
      ),
    });
  }
  return cols;
}

export function PractitionersPage() {
  const me = useMe();
  const { clinicId, clinic } = useClinic();
  const [search] = useSearchParams();
  const [discipline, setDiscipline] = useState<Discipline | ''>('');
  const canCreate = me.roles.includes('ORG_ADMIN') || me.roles.includes('CLINIC_MANAGER');
  const list = useCursorList(PRACTITIONERS, { variables: { first: PAGE, clinicId, discipline: discipline || null }, connection: (d) => d.practitioners });
  const created = list.items.find((p) => p.id === search.get('created'));

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
        {list.totalCount !== null ? (
          <p className="muted" aria-live="polite">
            {list.totalCount} {list.totalCount === 1 ? 'practitioner' : 'practitioners'}
          </p>
        ) : null}
      </div>
      <ListView
        list={list}
        label="Practitioners"
        columns={columns(clinicId, canCreate)}
        rowKey={(p) => p.id}
        loadingLabel="Loading practitioners…"
        moreLabel="Show more practitioners"
        empty={
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
        }
      />
    </>
  );
}
