import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState, type ReactNode } from 'react';
import { z } from 'zod';
import { FormAlert, SubmitButton, TextField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { EmptyState, Loading, QueryError } from '../../components/status';
import { graphql } from '../../gql';
import type { WebhookEndpointsQuery } from '../../gql/graphql';
import { NO_ERRORS, readErrors, type FormErrors } from '../../lib/errors';
import { fieldError, optionalText, useServerErrors, useZodForm } from '../../lib/form';
import { formatDateTime } from '../../lib/format';
import { TableScroll } from '../../components/TableScroll';

/** What an enable/disable changes, and the list shows. */
graphql(`
  fragment WebhookEndpointState on WebhookEndpoint {
    id
    events
    enabled
    disabledReason
    disabledAt
    consecutiveFailures
  }
`);

/** A new signing secret (shown once), from creating an endpoint or rotating its secret. */
graphql(`
  fragment WebhookSecretIssued on WebhookEndpointWithSecret {
    secret
    endpoint {
      id
    }
  }
`);

const ENDPOINTS = graphql(`
  query WebhookEndpoints {
    webhookEndpoints {
      ...WebhookEndpointState
      url
      description
      createdAt
    }
  }
`);

const CREATE = graphql(`
  mutation CreateWebhookEndpoint($input: WebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      ...WebhookSecretIssued
    }
  }
`);

const UPDATE = graphql(`
  mutation UpdateWebhookEndpoint($id: ID!, $patch: WebhookEndpointPatch!) {
    updateWebhookEndpoint(id: $id, patch: $patch) {
      ...WebhookEndpointState
    }
  }
`);

const ROTATE = graphql(`
  mutation RotateWebhookSecret($id: ID!) {
    rotateWebhookSecret(id: $id) {
      ...WebhookSecretIssued
    }
  }
`);

const SEND_TEST = graphql(`
  mutation SendTestWebhook($id: ID!) {
    sendTestWebhook(id: $id)
  }
`);

const DELETE = graphql(`
  mutation DeleteWebhookEndpoint($id: ID!) {
    deleteWebhookEndpoint(id: $id)
  }
`);

const DELIVERIES = graphql(`
  query WebhookDeliveries($endpointId: ID!) {
    webhookDeliveries(endpointId: $endpointId, first: 50) {
      id
      eventId
      eventType
      status
      attempts
      lastStatusCode
      lastError
      lastDurationMs
      createdAt
      lastAttemptAt
      tries {
        attempt
        ok
        statusCode
      }
    }
  }
`);

type Endpoint = WebhookEndpointsQuery['webhookEndpoints'][number];

/** What an endpoint may subscribe to (the API's WEBHOOK_SUBSCRIPTIONS families). */
const EVENT_CHOICES: { value: string; label: string }[] = [
  { value: 'appointment.*', label: 'Appointments: booked, rescheduled, moved, cancelled, checked in, completed, no-show' },
  { value: 'plan.*', label: 'Plans: each new version' },
  { value: 'note.signed', label: 'Session notes signed' },
  { value: 'reassessment.recorded', label: 'Re-assessments recorded' },
  { value: 'referral.*', label: 'Referrals: each change of state' },
];

const schema = z.object({
  url: z.string().trim().min(1, 'Enter the address that receives the events').url('Enter a full address, e.g. https://example.com/hooks/fascia'),
  description: z.string().max(200, 'At most 200 characters').optional(),
  events: z.array(z.string()).min(1, 'Choose at least one kind of event'),
});

function SecretNotice({ secret, onDone }: { secret: string; onDone(): void }) {
  const id = useId();
  return (
    <div className="alert alert--success" role="status">
      <strong>Copy the signing secret now: it is not shown again.</strong>
      <p>
        <label htmlFor={id}>Signing secret</label>
        <input id={id} readOnly value={secret} onFocus={(e) => e.currentTarget.select()} />
      </p>
      <div className="form-actions">
        <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(secret)}>
          Copy secret
        </button>
        <button type="button" className="button" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </div>
  );
}

function CreateForm({ onCreated }: { onCreated(secret: string): void }) {
  const form = useZodForm(schema, { defaultValues: { url: '', description: '', events: ['appointment.*'] } });
  const server = useServerErrors(form);
  const [create, state] = useMutation(CREATE, { refetchQueries: ['WebhookEndpoints'] });
  const errors = form.formState.errors;
  const submit = form.handleSubmit(async (v) => {
    server.clear();
    try {
      const res = await create({ variables: { input: { url: v.url, description: optionalText(v.description), events: v.events } } });
      if (res.data) {
        form.reset();
        onCreated(res.data.createWebhookEndpoint.secret);
      }
    } catch (e) {
      server.apply(e, ['url', 'description', 'events'], (f) => f.replace(/^input\./, ''));
    }
  });
  return (
    <form ref={server.ref} className="card form" onSubmit={submit} noValidate aria-label="New webhook endpoint">
      <h2>Add an endpoint</h2>
      <FormAlert errors={server.alert} />
      <TextField label="Receiving address (https)" {...form.register('url')} error={fieldError(errors, 'url')} required hint="Must resolve to a public address." />
      <TextField label="Description" {...form.register('description')} error={fieldError(errors, 'description')} hint="Optional: what receives these events." />
      <fieldset className="field" aria-describedby={errors.events ? 'webhook-events-error' : undefined}>
        <legend>Events</legend>
        {EVENT_CHOICES.map((c) => (
          <label key={c.value} className="check">
            <input type="checkbox" value={c.value} {...form.register('events')} /> {c.label}
          </label>
        ))}
        {fieldError(errors, 'events') ? (
          <p className="field-error" id="webhook-events-error">
            {fieldError(errors, 'events')}
          </p>
        ) : null}
      </fieldset>
      <div className="form-actions">
        <SubmitButton busy={state.loading} busyLabel="Adding…">
          Add endpoint
        </SubmitButton>
      </div>
    </form>
  );
}

function DeliveryLog({ endpointId }: { endpointId: string }) {
  const { data, loading, error, refetch } = useQuery(DELIVERIES, { variables: { endpointId }, fetchPolicy: 'cache-and-network' });
  if (error) return <QueryError error={error} retry={() => void refetch()} />;
  if (!data && loading) return <Loading label="Loading deliveries…" />;
  const rows = data?.webhookDeliveries ?? [];
  return (
    <div>
      <div className="form-actions">
        <button type="button" className="button" onClick={() => void refetch()}>
          Refresh the log
        </button>
      </div>
      {rows.length === 0 ? (
        <p className="muted">No deliveries yet. Send a test event to check the receiver.</p>
      ) : (
        <TableScroll label="Latest deliveries"><table className="table">
          <caption className="visually-hidden">Latest deliveries</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last response</th>
              <th scope="col">Last attempt</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id}>
                <td>{d.eventType}</td>
                <td>{d.status}</td>
                <td>
                  {d.attempts}
                  {d.tries.length > 0 ? (
                    <div className="muted small" aria-label="Each try's answer, oldest first">
                      {d.tries.map((a) => (a.statusCode ?? (a.ok ? 'ok' : 'no answer'))).join(', ')}
                    </div>
                  ) : null}
                </td>
                <td>
                  {d.lastStatusCode ?? '—'}
                  {d.lastDurationMs != null ? ` · ${d.lastDurationMs} ms` : ''}
                  {d.lastError ? <div className="muted small">{d.lastError}</div> : null}
                </td>
                <td>{d.lastAttemptAt ? formatDateTime(d.lastAttemptAt) : 'not yet'}</td>
              </tr>
            ))}
          </tbody>
        </table></TableScroll>
      )}
    </div>
  );
}

/** One of an endpoint's actions: runs `what` through the card's `run` (its notice or its error shown on the card). */
function ActionButton({ busy, run, what, className = 'button', children }: { busy: boolean; run(what: () => Promise<string | null>): Promise<void>; what(): Promise<string | null>; className?: string; children: ReactNode }) {
  return (
    <button type="button" className={className} disabled={busy} onClick={() => void run(what)}>
      {children}
    </button>
  );
}

function EndpointCard({ endpoint, onSecret }: { endpoint: Endpoint; onSecret(secret: string): void }) {
  const headingId = useId();
  const [showLog, setShowLog] = useState(false);
  const [alert, setAlert] = useState<FormErrors>(NO_ERRORS);
  const [notice, setNotice] = useState<string | null>(null);
  const [update, u] = useMutation(UPDATE, { refetchQueries: ['WebhookEndpoints'] });
  const [rotate, r] = useMutation(ROTATE);
  const [sendTest, s] = useMutation(SEND_TEST);
  const [remove, d] = useMutation(DELETE, { refetchQueries: ['WebhookEndpoints'] });
  const busy = u.loading || r.loading || s.loading || d.loading;
  const act = async (what: () => Promise<string | null>) => {
    setAlert(NO_ERRORS);
    setNotice(null);
    try {
      setNotice(await what());
    } catch (e) {
      setAlert(readErrors(e));
    }
  };
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{endpoint.description || endpoint.url}</h2>
      <dl className="details">
        <div>
          <dt>Address</dt>
          <dd>{endpoint.url}</dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>{endpoint.events.join(', ')}</dd>
        </div>
        <div>
          <dt>State</dt>
          <dd>
            {endpoint.enabled ? 'Enabled' : 'Disabled'}
            {endpoint.consecutiveFailures > 0 ? ` · ${endpoint.consecutiveFailures} failed attempts in a row` : ''}
          </dd>
        </div>
      </dl>
      {!endpoint.enabled && endpoint.disabledReason ? (
        <p className="alert alert--info" role="status">
          {endpoint.disabledReason} {endpoint.disabledAt ? `(${formatDateTime(endpoint.disabledAt)})` : ''}
        </p>
      ) : null}
      <FormAlert errors={alert} />
      {notice ? (
        <p className="alert alert--success" role="status">
          {notice}
        </p>
      ) : null}
      <div className="form-actions">
        <ActionButton busy={busy} run={act} what={async () => {
          await update({ variables: { id: endpoint.id, patch: { enabled: !endpoint.enabled } } });
          return endpoint.enabled ? 'Endpoint disabled: no events are sent to it.' : 'Endpoint enabled.';
        }}>
          {endpoint.enabled ? 'Disable' : 'Enable'}
        </ActionButton>
        <ActionButton busy={busy} run={act} what={async () => {
          await sendTest({ variables: { id: endpoint.id } });
          setShowLog(true);
          return 'A test event was queued; its delivery appears in the log below.';
        }}>
          Send test event
        </ActionButton>
        <ActionButton busy={busy} run={act} what={async () => {
          if (!window.confirm('Make a new signing secret? The receiver must use it at once: the old one stops working.')) return null;
          const res = await rotate({ variables: { id: endpoint.id } });
          if (res.data) onSecret(res.data.rotateWebhookSecret.secret);
          return null;
        }}>
          Rotate secret
        </ActionButton>
        <button type="button" className="button" aria-expanded={showLog} onClick={() => setShowLog((v) => !v)}>
          {showLog ? 'Hide delivery log' : 'Delivery log'}
        </button>
        <ActionButton busy={busy} run={act} className="button button--danger-quiet" what={async () => {
          if (!window.confirm(`Delete the endpoint ${endpoint.url} and its delivery log?`)) return null;
          await remove({ variables: { id: endpoint.id } });
          return null;
        }}>
          Delete
        </ActionButton>
      </div>
      {showLog ? <DeliveryLog endpointId={endpoint.id} /> : null}
    </section>
  );
}

/**
 * `/settings/webhooks` (organization admins): endpoints that receive signed events (Standard
 * Webhooks), their delivery logs, a test event, and the signing secret shown once.
 */
export function WebhooksPage() {
  const { data, loading, error, refetch } = useQuery(ENDPOINTS);
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Send signed events (ids and the kind of event, never clinical content) to your own systems. Deliveries are retried; an endpoint that keeps failing is disabled and you are told by email."
      />
      {secret ? <SecretNotice secret={secret} onDone={() => setSecret(null)} /> : null}
      <CreateForm onCreated={setSecret} />
      {error ? <QueryError error={error} retry={() => void refetch()} /> : null}
      {!data && loading ? <Loading label="Loading endpoints…" /> : null}
      {data && data.webhookEndpoints.length === 0 ? <EmptyState title="No endpoints yet">Add one above to start receiving events.</EmptyState> : null}
      {data?.webhookEndpoints.map((e) => (
        <EndpointCard key={e.id} endpoint={e} onSecret={setSecret} />
      ))}
    </>
  );
}
