import { useQuery } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { TextField } from '../../components/forms';
import { Loading, QueryError } from '../../components/status';
import { graphql } from '../../gql';
import { formatDate } from '../../lib/format';
import { clientName } from '../client/client-format';
import type { DirectoryEntry } from './DirectoryPage';
import { entryName, referHref } from './directory-links';

const REFER_CLIENT_SEARCH = graphql(`
  query ReferClientSearch($search: String) {
    clients(first: 8, search: $search) {
      totalCount
      edges {
        cursor
        node {
          id
          firstName
          lastName
          preferredName
          dateOfBirth
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/**
 * "Refer a client to …" from the directory: find the client, then the Refer form
 * (features/referral, `/clients/:id/refer`) opens with this receiver chosen.
 */
export function ReferClientPicker({ entry, onClose }: { entry: DirectoryEntry; onClose(): void }) {
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setSearch(text.trim()), 250);
    return () => clearTimeout(t);
  }, [text]);
  const { data, error, loading, refetch } = useQuery(REFER_CLIENT_SEARCH, { variables: { search: search || null }, skip: !search });
  const clients = data?.clients.edges.map((e) => e.node) ?? [];
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.querySelector('input')?.focus();
  }, [entry.id]);

  return (
    <section ref={ref} className="card refer-picker" aria-labelledby="refer-picker-title">
      <h2 id="refer-picker-title">Refer a client to {entryName(entry)}</h2>
      <p className="muted">
        {entry.clinic.name}, {entry.clinic.city} · {entry.isOwnOrganization ? 'your organization' : entry.organization.name}. Find the client; the referral form opens with this receiver chosen.
      </p>
      <TextField label="Find the client by name, phone or email" name="refer-client" type="search" autoComplete="off" value={text} onChange={(e) => setText(e.target.value)} className="field--wide" />
      {error ? <QueryError error={error} retry={() => void refetch()} /> : null}
      {search && loading && !data ? <Loading label="Searching…" /> : null}
      {search && data && clients.length === 0 ? (
        <p className="muted">
          No client matches “{search}”. <Link to="/clients/new">Add a new client</Link> first, then refer them from their page.
        </p>
      ) : null}
      {clients.length > 0 ? (
        <ul className="plain refer-picker-list" aria-label="Matching clients">
          {clients.map((c) => (
            <li key={c.id}>
              <Link to={referHref(c.id, entry)}>Refer {clientName(c)}</Link>
              {c.dateOfBirth ? <span className="muted small"> · born {formatDate(c.dateOfBirth, { weekday: false })}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="form-actions">
        <button type="button" className="button button--quiet" onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}
