import { useLazyQuery, useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { SelectField, TextField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { ListView } from '../../components/ListView';
import type { Column } from '../../components/ListView';
import { EmptyState, QueryError } from '../../components/status';
import { graphql } from '../../gql';
import type { AuditEventFieldsFragment, AuditEventFilter, AuditOutcome } from '../../gql/graphql';
import { formatDateTime } from '../../lib/format';
import { useCursorList } from '../../lib/list';

const AUDIT_EVENT_FIELDS = graphql(`
  fragment AuditEventFields on AuditEvent {
    id
    occurredAt
    action
    outcome
    actor {
      id
      email
      displayName
    }
    recordType
    recordId
    recordIds
    sourceAddress
    requestId
  }
`);

const AUDIT_EVENTS = graphql(`
  query AuditEvents($first: Int!, $after: String, $filter: AuditEventFilter) {
    auditEvents(first: $first, after: $after, filter: $filter) {
      totalCount
      totalCountCapped
      edges {
        cursor
        node {
          ...AuditEventFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const AUDIT_CSV = graphql(`
  query AuditEventsCsv($filter: AuditEventFilter) {
    auditEventsCsv(filter: $filter) {
      csv
      rowCount
      capped
      limit
    }
  }
`);

const AUDIT_PEOPLE = graphql(`
  query AuditPeople {
    members(first: 200) {
      edges {
        node {
          id
          user {
            id
            displayName
            email
          }
        }
      }
    }
  }
`);

const AUDIT_CLIENT_SEARCH = graphql(`
  query AuditClientSearch($search: String!) {
    clients(first: 8, search: $search) {
      edges {
        node {
          id
          firstName
          lastName
          preferredName
        }
      }
    }
  }
`);

void AUDIT_EVENT_FIELDS;

const OUTCOME: Record<AuditOutcome, { label: string; className: string }> = {
  SUCCESS: { label: 'Allowed', className: 'status status--completed' },
  DENIED: { label: 'Denied', className: 'status status--emergency' },
  FAILURE: { label: 'Failed', className: 'status status--urgent' },
};

/** 'client.update' → 'Client update'; 'auth.sign_in' → 'Auth sign in'. */
function actionLabel(action: string): string {
  const s = action.replace(/[._]/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** 'session_note' → 'session note', and its plural for a count ('112 session notes'). */
function recordNoun(type: string, count: number): string {
  const noun = type.replace(/_/g, ' ');
  return count === 1 ? noun : `${noun}s`;
}

/** The record an event is about: its type and id, or for a read of several records how many, with their ids on demand. */
function RecordCell({ event: e }: { event: AuditEventFieldsFragment }) {
  if (!e.recordType) return <span className="muted">—</span>;
  if (e.recordIds?.length) {
    const n = e.recordIds.length;
    return (
      <>
        {n.toLocaleString()} {recordNoun(e.recordType, n)}
        <details className="muted">
          <summary>{n === 1 ? 'Its id' : `Their ${n.toLocaleString()} ids`}</summary>
          <ul className="plain" aria-label={`Ids of the ${recordNoun(e.recordType, n)} read`}>
            {e.recordIds.map((id) => (
              <li key={id}>
                <code>{id}</code>
              </li>
            ))}
          </ul>
        </details>
      </>
    );
  }
  return (
    <>
      {e.recordType.replace(/_/g, ' ')}
      <div className="muted">{e.recordId ?? ''}</div>
    </>
  );
}

const COLUMNS: Column<AuditEventFieldsFragment>[] = [
  { header: 'When', rowHeader: true, className: 'small nowrap', cell: (e) => formatDateTime(e.occurredAt) },
  {
    header: 'Who',
    cell: (e) =>
      e.actor ? (
        <>
          {e.actor.displayName}
          <div className="muted small">{e.actor.email}</div>
        </>
      ) : (
        <span className="muted">A client link or the system</span>
      ),
  },
  {
    header: 'What',
    cell: (e) => (
      <>
        {actionLabel(e.action)}
        <div className="muted small">
          <code>{e.action}</code>
        </div>
      </>
    ),
  },
  // Allowed or denied beside what was done: on a narrow laptop the last columns scroll out of view, and this one matters most.
  { header: 'Outcome', cell: (e) => <span className={OUTCOME[e.outcome].className}>{OUTCOME[e.outcome].label}</span> },
  { header: 'Record', className: 'small', cell: (e) => <RecordCell event={e} /> },
  { header: 'From', className: 'small', cell: (e) => e.sourceAddress ?? <span className="muted">—</span> },
];

/** The filters live in the URL (?person=&record=&recordLabel=&action=&outcome=&from=&to=). */
function useAuditFilter() {
  const [params, setParams] = useSearchParams();
  const v = (k: string) => params.get(k) ?? '';
  const startOf = (d: string) => new Date(`${d}T00:00:00`).toISOString();
  const filter: AuditEventFilter = {
    actorUserId: v('person') || null,
    recordId: v('record') || null,
    action: v('action').trim() || null,
    outcome: (v('outcome') as AuditOutcome) || null,
    from: v('from') ? startOf(v('from')) : null,
    to: v('to') ? new Date(new Date(`${v('to')}T00:00:00`).getTime() + 86_400_000).toISOString() : null,
  };
  const set = (changes: Record<string, string>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, value] of Object.entries(changes)) {
          if (value) next.set(k, value);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );
  return { filter, v, set, filtered: Object.values(filter).some(Boolean) };
}

/** Find a client by name and narrow the log to their record. */
function ClientPicker({ label, onPick, onClear }: { label: string; onPick(id: string, name: string): void; onClear(): void }) {
  const [text, setText] = useState('');
  const [term, setTerm] = useState('');
  useEffect(() => {
    const id = setTimeout(() => setTerm(text.trim()), 250);
    return () => clearTimeout(id);
  }, [text]);
  const { data } = useQuery(AUDIT_CLIENT_SEARCH, { variables: { search: term }, skip: term.length < 2 });
  const matches = term.length >= 2 ? (data?.clients.edges.map(({ node: c }) => ({ id: c.id, displayName: `${c.preferredName ?? c.firstName} ${c.lastName}` })) ?? []) : [];
  if (label) {
    return (
      <div className="field">
        <span className="small muted">Client</span>
        <div className="chips">
          <span className="chip">{label}</span>
          <button type="button" className="button button--quiet" onClick={onClear}>
            Any client
          </button>
        </div>
      </div>
    );
  }
  return (
    <div>
      <TextField label="Client" name="client" type="search" autoComplete="off" placeholder="Name, phone or email" value={text} onChange={(e) => setText(e.target.value)} />
      {matches.length ? (
        <ul className="plain" aria-label="Matching clients">
          {matches.map((c) => (
            <li key={c.id}>
              <button type="button" className="button button--quiet" onClick={() => onPick(c.id, c.displayName)}>
                {c.displayName}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Download text as a file, from the browser (the CSV arrives in the answer). */
function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Who read or changed which record, when, from where, allowed or denied: search and export (organization admins). */
export function AuditPage() {
  const f = useAuditFilter();
  const people = useQuery(AUDIT_PEOPLE);
  const list = useCursorList(AUDIT_EVENTS, { variables: { first: 50, filter: f.filter }, connection: (d) => d.auditEvents });
  const [exportCsv, exported] = useLazyQuery(AUDIT_CSV, { fetchPolicy: 'network-only' });
  const [note, setNote] = useState<string | null>(null);
  const count = list.totalCount === null ? null : `${list.totalCount}${list.totalCount >= 1000 ? '+' : ''}`;

  const onExport = async () => {
    setNote(null);
    const { data } = await exportCsv({ variables: { filter: f.filter } });
    const out = data?.auditEventsCsv;
    if (!out) return;
    download(`audit-log-${new Date().toISOString().slice(0, 10)}.csv`, out.csv);
    setNote(
      out.capped
        ? `Exported the newest ${out.limit.toLocaleString()} events: more match. Narrow the dates and export again for the rest.`
        : `Exported ${out.rowCount.toLocaleString()} event${out.rowCount === 1 ? '' : 's'}.`,
    );
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who read or changed which record, when, from where, and whether it was allowed. Reading this log is recorded too."
        actions={
          <button type="button" className="button" onClick={() => void onExport()} disabled={exported.loading}>
            {exported.loading ? 'Exporting…' : 'Export CSV'}
          </button>
        }
      />
      {exported.error ? <QueryError error={exported.error} /> : null}
      {note ? (
        <div className="alert alert--info" role="status">
          {note}
        </div>
      ) : null}
      <div className="toolbar" role="search" aria-label="Search the audit log">
        <SelectField label="Person" name="person" value={f.v('person')} onChange={(e) => f.set({ person: e.target.value })}>
          <option value="">Anyone</option>
          {(people.data?.members.edges ?? []).map(({ node }) => (
            <option key={node.id} value={node.user.id}>
              {node.user.displayName} ({node.user.email})
            </option>
          ))}
        </SelectField>
        <ClientPicker label={f.v('record') ? f.v('recordLabel') || f.v('record') : ''} onPick={(id, name) => f.set({ record: id, recordLabel: name })} onClear={() => f.set({ record: '', recordLabel: '' })} />
        <TextField label="Action" name="action" placeholder="e.g. chart.read" value={f.v('action')} onChange={(e) => f.set({ action: e.target.value.trim().toLowerCase() })} />
        <SelectField label="Outcome" name="outcome" value={f.v('outcome')} onChange={(e) => f.set({ outcome: e.target.value })}>
          <option value="">Any outcome</option>
          <option value="SUCCESS">Allowed</option>
          <option value="DENIED">Denied</option>
          <option value="FAILURE">Failed</option>
        </SelectField>
        <TextField label="From" name="from" type="date" value={f.v('from')} onChange={(e) => f.set({ from: e.target.value })} />
        <TextField label="Until" name="to" type="date" value={f.v('to')} onChange={(e) => f.set({ to: e.target.value })} />
      </div>
      {count !== null ? (
        <p className="muted small" role="status">
          {count} event{list.totalCount === 1 ? '' : 's'}
          {f.filtered ? (list.totalCount === 1 ? ' matches' : ' match') : ''}
        </p>
      ) : null}
      <ListView
        list={list}
        label="Audit events"
        columns={COLUMNS}
        rowKey={(e) => e.id}
        rowClassName={(e) => (e.outcome === 'DENIED' ? 'row--overdue' : undefined)}
        loadingLabel="Loading the audit log…"
        moreLabel="Show older events"
        empty={f.filtered ? <EmptyState title="No event matches this search">Widen the dates or clear a filter.</EmptyState> : <EmptyState title="Nothing recorded yet" />}
      />
    </>
  );
}
