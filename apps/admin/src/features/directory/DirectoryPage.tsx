import { useQuery } from '@apollo/client/react';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { SelectField, TextField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { ListView } from '../../components/ListView';
import type { Column } from '../../components/ListView';
import { EmptyState } from '../../components/status';
import { graphql } from '../../gql';
import type { Discipline, Modality, DirectoryEntriesQuery } from '../../gql/graphql';
import { useMe } from '../../lib/auth';
import { DISCIPLINES, MODALITIES, clinicNow, countries, countryName } from '../../lib/format';
import { useTypedParam } from '../../lib/typed-param';
import { useCursorList } from '../../lib/list';
import { REFERRAL_PARTNERS } from '../partners/documents';
import { entryName, referHref } from './directory-links';
import { ReferClientPicker } from './ReferClientPicker';
import '../partners/network.css';

export const REFERRAL_DIRECTORY = graphql(`
  query DirectoryEntries($first: Int!, $after: String, $filter: DirectoryFilter) {
    referralDirectory(first: $first, after: $after, filter: $filter) {
      totalCount
      edges {
        cursor
        node {
          id
          discipline
          isOwnOrganization
          practitioner {
            id
            displayName
            discipline
            modalities
          }
          clinic {
            id
            name
            addressLine1
            postalCode
            city
            country
            timeZone
          }
          organization {
            id
            name
            slug
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

export type DirectoryEntry = DirectoryEntriesQuery['referralDirectory']['edges'][number]['node'];

const PAGE = 25;
/** About as many characters as two filter columns (2 × 11rem) show in a select, its arrow aside. */
const ORGANIZATION_NAME_FITS_TWO_COLUMNS = 34;

function columns(clientId: string | null, clinical: boolean, onRefer: (e: DirectoryEntry) => void): Column<DirectoryEntry>[] {
  const cols: Column<DirectoryEntry>[] = [
    {
      header: 'Who',
      rowHeader: true,
      cell: (e) =>
        e.practitioner ? (
          <>
            {e.practitioner.displayName}
            <span className="muted small block">{DISCIPLINES[e.discipline]}</span>
          </>
        ) : (
          <>
            {DISCIPLINES[e.discipline]} pool
            <span className="muted small block">The clinic’s manager assigns a practitioner</span>
          </>
        ),
    },
    {
      header: 'Offers',
      cell: (e) =>
        e.practitioner && e.practitioner.modalities.length ? (
          <ul className="chips chips--small" aria-label={`What ${e.practitioner.displayName} offers`}>
            {e.practitioner.modalities.map((m) => (
              <li key={m} className="chip">
                {MODALITIES[m]}
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted">{e.practitioner ? 'Not listed' : 'Whatever the assigned practitioner offers'}</span>
        ),
    },
    {
      header: 'Clinic',
      cell: (e) => (
        <>
          {e.clinic.name}
          <span className="muted small block">
            {e.clinic.addressLine1}, {e.clinic.city}
            {e.clinic.postalCode ? ` ${e.clinic.postalCode}` : ''}, {countryName(e.clinic.country)}
          </span>
        </>
      ),
    },
    {
      header: 'Time zone',
      cell: (e) => (
        <>
          {e.clinic.timeZone.replace(/_/g, ' ')}
          <span className="muted small block">{clinicNow(e.clinic.timeZone).time} there now</span>
        </>
      ),
    },
    {
      header: 'Organization',
      cell: (e) => (e.isOwnOrganization ? <span className="status status--own">Your organization</span> : <span>{e.organization.name}</span>),
    },
  ];
  if (clientId) {
    cols.push({
      header: <span className="visually-hidden">Refer</span>,
      className: 'nowrap',
      cell: (e) => (
        <Link className="button" to={referHref(clientId, e)}>
          Refer to {e.practitioner ? e.practitioner.displayName : `this ${DISCIPLINES[e.discipline].toLowerCase()} pool`}
        </Link>
      ),
    });
  } else if (clinical) {
    cols.push({
      header: <span className="visually-hidden">Refer</span>,
      className: 'nowrap',
      cell: (e) => (
        <button type="button" className="button" aria-label={`Refer a client to ${entryName(e)}`} onClick={() => onRefer(e)}>
          Refer a client
        </button>
      ),
    });
  }
  return cols;
}

const FILTER_KEYS = ['discipline', 'modality', 'city', 'country', 'organizationId'] as const;

export function DirectoryPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const clientId = params.get('clientId');
  // The front desk reads the directory; referring is clinical work (the Refer form's route).
  const clinical = me.roles.some((r) => r !== 'FRONT_DESK');
  const { text: city, setText: setCity, value: cityFilter } = useTypedParam('city', 300);
  const countryList = useMemo(countries, []);
  const partners = useQuery(REFERRAL_PARTNERS);
  const activePartners = (partners.data?.referralPartners ?? []).filter((p) => p.status === 'ACTIVE');
  // A select cannot wrap its chosen name: the Organization filter takes two of the row's columns, or
  // the whole row when a name is longer than two columns hold (network.css).
  const ownLabel = `${me.organization.name} (yours)`;
  const longestOrganization = Math.max(ownLabel.length, ...activePartners.map((p) => p.partnerOrganization.name.length));

  const set = (key: (typeof FILTER_KEYS)[number], value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const discipline = (params.get('discipline') as Discipline | null) || null;
  const modality = (params.get('modality') as Modality | null) || null;
  const country = params.get('country') || null;
  const organizationId = params.get('organizationId') || null;
  const filter = { discipline, modality, city: cityFilter || null, country, organizationId };
  const filtered = FILTER_KEYS.some((k) => (k === 'city' ? cityFilter : params.get(k)));

  const list = useCursorList(REFERRAL_DIRECTORY, { variables: { first: PAGE, filter }, connection: (d) => d.referralDirectory });
  const [referTo, setReferTo] = useState<DirectoryEntry | null>(null);
  const cols = useMemo(() => columns(clientId, clinical, setReferTo), [clientId, clinical]);

  return (
    <>
      <PageHeader
        title="Referral directory"
        description={`Who can receive a referral: the practitioners and clinic pools of ${me.organization.name} and of its active partners, each clinic with its time zone.`}
        actions={
          <Link to="/partners" className="button">
            Referral partners
          </Link>
        }
      />
      {clientId ? (
        <div className="alert alert--info" role="note">
          <p>Choose who receives the referral: “Refer to …” opens the referral form with them filled in.</p>
        </div>
      ) : (
        <p className="muted">
          {clinical
            ? 'To refer a client, choose “Refer a client” on a row, or open the client’s page and choose Refer.'
            : 'Practitioners and managers refer a client from the client’s page; here you can look up who receives referrals and where.'}
        </p>
      )}
      <div className="toolbar filters" role="search" aria-label="Filter the directory">
        <SelectField label="Discipline" name="discipline" value={discipline ?? ''} onChange={(e) => set('discipline', e.target.value)}>
          <option value="">Any discipline</option>
          {Object.entries(DISCIPLINES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <SelectField label="Offers" name="modality" value={modality ?? ''} onChange={(e) => set('modality', e.target.value)}>
          <option value="">Anything</option>
          {Object.entries(MODALITIES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <TextField label="City" name="city" type="text" autoComplete="address-level2" value={city} onChange={(e) => setCity(e.target.value)} />
        <SelectField label="Country" name="country" value={country ?? ''} onChange={(e) => set('country', e.target.value)}>
          <option value="">Any country</option>
          {countryList.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Organization"
          name="organizationId"
          value={organizationId ?? ''}
          onChange={(e) => set('organizationId', e.target.value)}
          className={longestOrganization > ORGANIZATION_NAME_FITS_TWO_COLUMNS ? 'filter--organization filter--whole-row' : 'filter--organization'}
        >
          <option value="">Any organization</option>
          <option value={me.organization.id}>{ownLabel}</option>
          {activePartners.map((p) => (
            <option key={p.partnerOrganization.id} value={p.partnerOrganization.id}>
              {p.partnerOrganization.name}
            </option>
          ))}
        </SelectField>
        {list.totalCount !== null ? (
          <p className="muted" aria-live="polite">
            {list.totalCount} {list.totalCount === 1 ? 'entry' : 'entries'}
            {filtered ? (list.totalCount === 1 ? ' matches' : ' match') : ''}
          </p>
        ) : null}
      </div>
      {referTo ? <ReferClientPicker key={referTo.id} entry={referTo} onClose={() => setReferTo(null)} /> : null}
      <ListView
        list={list}
        label="Referral directory"
        columns={cols}
        rowKey={(e) => e.id}
        loadingLabel="Loading the directory…"
        moreLabel="Show more of the directory"
        empty={
          filtered ? (
            <EmptyState
              title="Nobody matches these filters"
              action={
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    setCity('');
                    setParams(clientId ? { clientId } : {}, { replace: true });
                  }}
                >
                  Clear the filters
                </button>
              }
            >
              A city must match exactly; a modality keeps practitioners who offer it and pools with at least one who does.
            </EmptyState>
          ) : (
            <EmptyState title="Nobody can receive referrals yet" action={<Link to="/partners">See referral partners</Link>}>
              The directory lists practitioners with weekly hours at a clinic, in your organization and in partner organizations that have accepted.
            </EmptyState>
          )
        }
      />
    </>
  );
}
