import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { FormAlert } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { DataTable, type Column } from '../../components/ListView';
import { EmptyState, Loading, QueryError } from '../../components/status';
import { graphql } from '../../gql';
import type { FhirExportStatus, FhirExportsQuery } from '../../gql/graphql';
import { downloadWithToken } from '../../lib/download';
import { type FormErrors, readErrors } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { OperationsTabs } from './OperationsPages';

const FHIR_EXPORTS = graphql(`
  query FhirExports {
    fhirExports {
      id
      status
      rowsDone
      rowsTotal
      error
      createdAt
      finishedAt
      expiresAt
      files {
        type
        count
        bytes
        url
      }
    }
  }
`);

const START_FHIR_EXPORT = graphql(`
  mutation StartFhirExport {
    startFhirExport {
      id
      status
    }
  }
`);

type Export = FhirExportsQuery['fhirExports'][number];

const STATUS: Record<FhirExportStatus, { label: string; className: string }> = {
  QUEUED: { label: 'Waiting for the worker', className: 'status status--booked' },
  RUNNING: { label: 'Exporting', className: 'status status--booked' },
  DONE: { label: 'Ready', className: 'status status--completed' },
  FAILED: { label: 'Failed', className: 'status status--emergency' },
  EXPIRED: { label: 'Expired', className: 'status status--cancelled' },
};

const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`);

function Progress({ e }: { e: Export }) {
  if (e.status !== 'RUNNING' && e.status !== 'QUEUED') return <>{e.rowsDone.toLocaleString()} records</>;
  const pct = e.rowsTotal > 0 ? Math.floor((e.rowsDone / e.rowsTotal) * 100) : 0;
  return (
    <>
      <progress max={100} value={pct} aria-label={`Export progress: ${pct} %`} /> <span className="small">{e.rowsTotal > 0 ? `${e.rowsDone.toLocaleString()} of ${e.rowsTotal.toLocaleString()} records` : 'starting…'}</span>
    </>
  );
}

function Files({ e, onError }: { e: Export; onError(message: string): void }) {
  if (e.status === 'FAILED') return <span className="small">{e.error}</span>;
  if (e.status === 'EXPIRED') return <span className="muted small">Files deleted; start a new export.</span>;
  if (e.files.length === 0) return <span className="muted small">—</span>;
  return (
    <ul className="record-list">
      {e.files.map((f) => (
        <li key={f.type}>
          <button type="button" className="button button--quiet" onClick={() => void downloadWithToken(f.url, `${f.type}.ndjson`).catch((err: Error) => onError(err.message))}>
            {f.type}.ndjson
          </button>{' '}
          <span className="muted small">
            {f.count.toLocaleString()} resources, {size(f.bytes)}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Organization admins: export the whole organization as FHIR R4 NDJSON (one file per resource type), follow it, download it. */
export function FhirExportPage() {
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, form: null, code: null });
  const { data, loading, error, refetch, startPolling, stopPolling } = useQuery(FHIR_EXPORTS, { fetchPolicy: 'cache-and-network' });
  const exports = data?.fhirExports ?? [];
  const active = exports.some((e) => e.status === 'QUEUED' || e.status === 'RUNNING');
  // Follow a running export every second; stop once none is.
  useEffect(() => {
    if (active) startPolling(1000);
    else stopPolling();
    return () => stopPolling();
  }, [active, startPolling, stopPolling]);
  const [start, { loading: starting }] = useMutation(START_FHIR_EXPORT, { onCompleted: () => void refetch() });
  const columns: Column<Export>[] = [
    { header: 'Started', rowHeader: true, className: 'small', cell: (e) => formatDateTime(e.createdAt) },
    { header: 'Status', cell: (e) => <span className={STATUS[e.status].className}>{STATUS[e.status].label}</span> },
    { header: 'Progress', cell: (e) => <Progress e={e} /> },
    { header: 'Files', cell: (e) => <Files e={e} onError={(m) => setErrors({ fields: {}, form: m, code: null })} /> },
    { header: 'Expires', className: 'small', cell: (e) => (e.expiresAt && e.status === 'DONE' ? formatDateTime(e.expiresAt) : '—') },
  ];
  return (
    <>
      <PageHeader
        title="FHIR export"
        description="Export everything the organization holds as FHIR R4 (Bulk Data NDJSON, one file per resource type), for another system or an archive."
        actions={
          <button
            type="button"
            className="button button--primary"
            disabled={starting || active}
            onClick={() => {
              setErrors({ fields: {}, form: null, code: null });
              start().catch((e: unknown) => setErrors(readErrors(e)));
            }}
          >
            {active ? 'Export under way…' : starting ? 'Starting…' : 'Start an export'}
          </button>
        }
      />
      <OperationsTabs />
      <FormAlert errors={errors} />
      {error ? <QueryError error={error} retry={() => void refetch()} /> : null}
      {!data && loading ? <Loading label="Reading the exports…" /> : null}
      {data ? (
        <section className="card" aria-labelledby="exports-title">
          <h2 id="exports-title" className="section-title">
            FHIR exports
          </h2>
          <p className="muted small">Files are kept for 7 days after an export finishes, then deleted. Downloads are recorded in the audit log.</p>
          {exports.length === 0 ? (
            <EmptyState title="No exports yet">Start one: the worker writes it in the background and this page shows its progress.</EmptyState>
          ) : (
            <DataTable label="FHIR exports" columns={columns} rows={exports} rowKey={(e) => e.id} />
          )}
        </section>
      ) : null}
    </>
  );
}
