import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { z } from 'zod';
import { FormAlert, SelectField, SubmitButton, TextAreaField, TextField } from '../../components/forms';
import { graphql } from '../../gql';
import type { AppointmentKind, ReferralAction, ReferralDetailFragment } from '../../gql/graphql';
import { evictList } from '../../lib/apollo';
import { useClinic } from '../../lib/clinic-context';
import { NO_ERRORS, readErrors } from '../../lib/errors';
import type { FormErrors } from '../../lib/errors';
import { fieldError, optionalText, useServerErrors, useZodForm } from '../../lib/form';
import { formatDate, formatDateTime } from '../../lib/format';
import {
  ACCEPT_REFERRAL,
  ASSIGN_REFERRAL,
  BOOK_REFERRAL_APPOINTMENT,
  CANCEL_REFERRAL,
  CLOSE_REFERRAL,
  COMPLETE_REFERRAL,
  DECLINE_REFERRAL,
  LINK_REFERRAL_CLIENT,
  REFERRAL,
  SEND_REFERRAL,
  WITHDRAW_CONSENT,
} from './documents';
import { ACTION_LABEL } from './referral-format';

type Referral = ReferralDetailFragment;

const REFERRAL_PRACTITIONERS = graphql(`
  query ReferralPractitioners($clinicId: ID, $discipline: Discipline) {
    practitioners(first: 100, clinicId: $clinicId, discipline: $discipline) {
      totalCount
      edges {
        cursor
        node {
          id
          displayName
          discipline
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const LINK_CANDIDATES = graphql(`
  query ReferralLinkCandidates($search: String!) {
    clients(first: 10, search: $search) {
      totalCount
      edges {
        cursor
        node {
          id
          firstName
          lastName
          dateOfBirth
          phone
          email
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Inboxes, outboxes and counts change with every action: their cached pages are dropped. */
const refreshLists = {
  update(cache: Parameters<typeof evictList>[0]) {
    evictList(cache, 'referralsInbox');
    evictList(cache, 'referralsOutbox');
    cache.evict({ id: 'ROOT_QUERY', fieldName: 'clientReferrals' });
  },
};

/** A CONFLICT on a referral step: someone on either side acted first (the page shows the new state). */
const RACE = { CONFLICT: 'Someone else changed it first' };

/** After a refusal: a CONFLICT means the referral moved meanwhile, so the page reloads it to show where it stands. */
function useReloadOnConflict(): (e: FormErrors) => void {
  const client = useApolloClient();
  return (e) => {
    if (e.code === 'CONFLICT') void client.refetchQueries({ include: [REFERRAL] });
  };
}

/** The actions that open a small form first; the others act on one click. */
const WITH_FORM: ReferralAction[] = ['DECLINE', 'CANCEL', 'WITHDRAW_CONSENT', 'ASSIGN', 'LINK_CLIENT', 'BOOK', 'COMPLETE'];

/** The order the buttons appear in: the step forward first, the ways out last. */
const ORDER: ReferralAction[] = ['SEND', 'ACCEPT', 'ASSIGN', 'LINK_CLIENT', 'BOOK', 'COMPLETE', 'CLOSE', 'DECLINE', 'WITHDRAW_CONSENT', 'CANCEL'];

const reasonSchema = z.object({ reason: z.string().trim().min(1, 'Give a reason: the other side reads it.') });

function ReasonForm({ label, hint, submit, busyLabel, onDone, run }: { label: string; hint: string; submit: string; busyLabel: string; onDone(msg: string): void; run(reason: string): Promise<unknown> }) {
  const form = useZodForm(reasonSchema, { defaultValues: { reason: '' } });
  const reload = useReloadOnConflict();
  const server = useServerErrors(form);
  const [busy, setBusy] = useState(false);
  return (
    <form
      ref={server.ref}
      className="action-form"
      noValidate
      aria-label={submit}
      onSubmit={form.handleSubmit(async ({ reason }) => {
        server.clear();
        setBusy(true);
        try {
          await run(reason);
          onDone(`${submit}: done.`);
        } catch (error) {
          reload(server.apply(error, ['reason']));
        } finally {
          setBusy(false);
        }
      })}
    >
      <FormAlert errors={server.alert} titles={RACE} />
      <TextAreaField label={label} required rows={3} hint={hint} {...form.register('reason')} error={fieldError(form.formState.errors, 'reason')} />
      <SubmitButton busy={busy} busyLabel={busyLabel}>
        {submit}
      </SubmitButton>
    </form>
  );
}

const assignSchema = z.object({ practitionerId: z.string().min(1, 'Choose the practitioner who takes the referral.') });

function AssignForm({ r, onDone }: { r: Referral; onDone(msg: string): void }) {
  const practitioners = useQuery(REFERRAL_PRACTITIONERS, { variables: { discipline: r.to.discipline } });
  const form = useZodForm(assignSchema, { defaultValues: { practitionerId: '' } });
  const reload = useReloadOnConflict();
  const server = useServerErrors(form);
  const [assign, { loading }] = useMutation(ASSIGN_REFERRAL, refreshLists);
  const options = practitioners.data?.practitioners.edges.map((e) => e.node) ?? [];
  return (
    <form
      ref={server.ref}
      className="action-form"
      noValidate
      aria-label="Assign"
      onSubmit={form.handleSubmit(async ({ practitionerId }) => {
        server.clear();
        try {
          await assign({ variables: { input: { id: r.id, practitionerId } } });
          onDone(`Assigned to ${options.find((p) => p.id === practitionerId)?.displayName ?? 'the practitioner'}.`);
        } catch (error) {
          reload(server.apply(error, ['practitionerId']));
        }
      })}
    >
      <FormAlert errors={server.alert} titles={RACE} />
      <SelectField label="Practitioner" required {...form.register('practitionerId')} error={fieldError(form.formState.errors, 'practitionerId')} hint="They can then read what the client consented to share.">
        <option value="">Choose…</option>
        {options.map((p) => (
          <option key={p.id} value={p.id}>
            {p.displayName}
          </option>
        ))}
      </SelectField>
      <SubmitButton busy={loading} busyLabel="Assigning…">
        Assign
      </SubmitButton>
    </form>
  );
}

const linkSchema = z.object({ mode: z.enum(['create', 'existing']), clientId: z.string() }).refine((v) => v.mode === 'create' || v.clientId, {
  path: ['clientId'],
  message: 'Choose the client record, or create a new one.',
});

function LinkClientForm({ r, onDone }: { r: Referral; onDone(msg: string): void }) {
  const form = useZodForm(linkSchema, { defaultValues: { mode: 'create', clientId: '' } });
  const reload = useReloadOnConflict();
  const server = useServerErrors(form);
  const [link, { loading }] = useMutation(LINK_REFERRAL_CLIENT, { update: (cache) => (refreshLists.update(cache), evictList(cache, 'clients')) });
  const mode = form.watch('mode');
  // Candidates: the referred client's name as it travelled, in this organization's own records.
  const candidates = useQuery(LINK_CANDIDATES, { variables: { search: r.client.displayName }, skip: mode !== 'existing' });
  const found = candidates.data?.clients.edges.map((e) => e.node) ?? [];
  const clientError = fieldError(form.formState.errors, 'clientId');
  return (
    <form
      ref={server.ref}
      className="action-form"
      noValidate
      aria-label="Link client"
      onSubmit={form.handleSubmit(async (v) => {
        server.clear();
        try {
          await link({ variables: { input: v.mode === 'create' ? { id: r.id, createClient: true } : { id: r.id, clientId: v.clientId, createClient: false } } });
          onDone(v.mode === 'create' ? `${r.client.displayName} is now a client of your organization.` : 'Linked to your client record.');
        } catch (error) {
          reload(server.apply(error, ['clientId']));
        }
      })}
    >
      <FormAlert errors={server.alert} titles={RACE} />
      <fieldset className="choices">
        <legend>Client record in your organization</legend>
        <label className="check">
          <input type="radio" value="create" {...form.register('mode')} />
          Create a new client from the referral ({[r.client.displayName, r.client.dateOfBirth ? `born ${formatDate(r.client.dateOfBirth, { weekday: false })}` : null, r.client.phone, r.client.email].filter(Boolean).join(', ')})
        </label>
        <label className="check">
          <input type="radio" value="existing" {...form.register('mode')} />
          Use a client you already have
        </label>
      </fieldset>
      {mode === 'existing' ? (
        <fieldset className={`choices${clientError ? ' field--invalid' : ''}`} aria-describedby={clientError ? `link-${r.id}-error` : undefined}>
          <legend>Clients named like {r.client.displayName}</legend>
          {candidates.loading && !candidates.data ? <p className="muted">Looking…</p> : null}
          {candidates.data && found.length === 0 ? <p className="muted">None found: create a new client instead.</p> : null}
          {found.map((c) => (
            <label key={c.id} className="check">
              <input type="radio" value={c.id} {...form.register('clientId')} />
              {c.firstName} {c.lastName}
              <span className="muted small"> {[c.dateOfBirth ? formatDate(c.dateOfBirth, { weekday: false }) : null, c.phone, c.email].filter(Boolean).join(' · ')}</span>
            </label>
          ))}
          {clientError ? (
            <p className="field-error" id={`link-${r.id}-error`}>
              {clientError}
            </p>
          ) : null}
        </fieldset>
      ) : null}
      <SubmitButton busy={loading} busyLabel="Linking…">
        Link client
      </SubmitButton>
    </form>
  );
}

const bookSchema = z.object({
  clinicId: z.string().min(1, 'Choose the clinic.'),
  practitionerId: z.string().min(1, 'Choose the practitioner.'),
  startsAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'Enter the date and time of the appointment.'),
  durationMinutes: z.string().regex(/^\d+$/, 'Enter the length in minutes.'),
  kind: z.custom<AppointmentKind>(),
});

/** The server names BookAppointmentInput's fields; the form uses the same names. */
const BOOK_FIELDS = ['clinicId', 'practitionerId', 'startsAt', 'durationMinutes', 'kind'];

function BookForm({ r, onDone }: { r: Referral; onDone(msg: string): void }) {
  const { clinics } = useClinic();
  const defaultClinic = clinics.find((c) => c.name === r.to.clinicName)?.id ?? clinics[0]?.id ?? '';
  const form = useZodForm(bookSchema, { defaultValues: { clinicId: defaultClinic, practitionerId: '', startsAt: '', durationMinutes: '60', kind: 'INTAKE' } });
  const reload = useReloadOnConflict();
  const server = useServerErrors(form);
  const clinicId = form.watch('clinicId');
  const clinic = clinics.find((c) => c.id === clinicId);
  const practitioners = useQuery(REFERRAL_PRACTITIONERS, { variables: { clinicId: clinicId || null, discipline: r.to.discipline }, skip: !clinicId });
  const options = practitioners.data?.practitioners.edges.map((e) => e.node) ?? [];
  const named = options.find((p) => p.displayName === r.to.practitionerName);
  const [book, { loading }] = useMutation(BOOK_REFERRAL_APPOINTMENT, { refetchQueries: [REFERRAL], awaitRefetchQueries: true, update: (cache) => refreshLists.update(cache) });
  const err = (n: string) => fieldError(form.formState.errors, n);
  if (!r.client.localClientId) {
    return <p className="muted">Link the client to a record of your organization first: the appointment is booked for that record.</p>;
  }
  const clientId = r.client.localClientId;
  return (
    <form
      ref={server.ref}
      className="action-form"
      noValidate
      aria-label="Book appointment"
      onSubmit={form.handleSubmit(async (v) => {
        server.clear();
        try {
          const { data } = await book({
            variables: {
              input: { clientId, clinicId: v.clinicId, practitionerId: v.practitionerId, startsAt: v.startsAt, durationMinutes: Number(v.durationMinutes), kind: v.kind, referralId: r.id },
            },
          });
          if (data) onDone(`Booked with ${data.bookAppointment.practitioner.displayName} at ${data.bookAppointment.clinic.name}, ${formatDateTime(data.bookAppointment.localStart)} (clinic time).`);
        } catch (error) {
          reload(server.apply(error, BOOK_FIELDS));
        }
      })}
    >
      <FormAlert errors={server.alert} titles={{ CONFLICT: 'That time is not free' }} />
      <div className="form-grid">
        <SelectField label="Clinic" required {...form.register('clinicId', { onChange: () => form.setValue('practitionerId', '') })} error={err('clinicId')}>
          {clinics.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Practitioner" required {...form.register('practitionerId')} error={err('practitionerId')}>
          <option value="">{named ? 'Choose…' : options.length ? 'Choose…' : 'No practitioner of this discipline here'}</option>
          {options.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName}
              {p.id === named?.id ? ' (named in the referral)' : ''}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Starts at (clinic time)"
          type="datetime-local"
          required
          {...form.register('startsAt')}
          error={err('startsAt')}
          hint={clinic ? `In ${clinic.timeZone.replace(/_/g, ' ')}, whatever this computer's zone.` : undefined}
        />
        <TextField label="Length (minutes)" type="number" min={15} max={240} step={5} required className="field--narrow" {...form.register('durationMinutes')} error={err('durationMinutes')} />
        <SelectField label="Kind of visit" required {...form.register('kind')} error={err('kind')}>
          <option value="INTAKE">First visit (intake)</option>
          <option value="SESSION">Session</option>
        </SelectField>
      </div>
      <SubmitButton busy={loading} busyLabel="Booking…">
        Book appointment
      </SubmitButton>
    </form>
  );
}

const replySchema = z.object({
  findings: z.string().trim().min(1, 'Write your findings: they are what the referrer asked for.'),
  treatment: z.string(),
  recommendations: z.string(),
  onwardReferral: z.string(),
});

function ReplyForm({ r, onDone }: { r: Referral; onDone(msg: string): void }) {
  const form = useZodForm(replySchema, { defaultValues: { findings: '', treatment: '', recommendations: '', onwardReferral: '' } });
  const reload = useReloadOnConflict();
  const server = useServerErrors(form);
  const [complete, { loading }] = useMutation(COMPLETE_REFERRAL, refreshLists);
  const err = (n: string) => fieldError(form.formState.errors, n);
  return (
    <form
      ref={server.ref}
      className="action-form"
      noValidate
      aria-label="Reply to the referrer"
      onSubmit={form.handleSubmit(async (v) => {
        server.clear();
        try {
          await complete({
            variables: {
              input: { id: r.id, reply: { findings: v.findings.trim(), treatment: optionalText(v.treatment), recommendations: optionalText(v.recommendations), onwardReferral: optionalText(v.onwardReferral) } },
            },
          });
          onDone(`Reply sent to ${r.from.practitionerName}.`);
        } catch (error) {
          reload(server.apply(error, ['findings', 'treatment', 'recommendations', 'onwardReferral'], (f) => f.replace(/^reply\./, '')));
        }
      })}
    >
      <FormAlert errors={server.alert} titles={RACE} />
      <p className="hint">The question was: “{r.clinicalQuestion}”</p>
      <TextAreaField label="Findings" required rows={4} {...form.register('findings')} error={err('findings')} />
      <TextAreaField label="What was done" rows={3} {...form.register('treatment')} error={err('treatment')} />
      <TextAreaField label="Recommendations" rows={3} {...form.register('recommendations')} error={err('recommendations')} />
      <TextAreaField label="Onward referral" rows={2} {...form.register('onwardReferral')} error={err('onwardReferral')} hint="If the client should see someone else, say who and why." />
      <SubmitButton busy={loading} busyLabel="Sending reply…">
        Send reply and complete
      </SubmitButton>
    </form>
  );
}

/** When there is nothing to do: who acts next, in a sentence. */
function waitingFor(r: Referral): string {
  const sent = r.side === 'SENT';
  switch (r.status) {
    case 'CLOSED':
    case 'CANCELLED':
    case 'EXPIRED':
    case 'DECLINED':
      return 'This referral is finished: nothing more to do.';
    case 'SENT':
      return sent ? `Waiting for ${r.to.clinicName} to accept or decline.` : 'A colleague of the right role answers it (accept or decline).';
    case 'ACCEPTED':
      return sent ? `Accepted: ${r.to.clinicName} books the client next.` : 'Accepted: the receiving practitioner books the client next.';
    case 'SCHEDULED':
      return sent ? `Booked: ${r.to.practitionerName ?? r.to.clinicName} replies after seeing the client.` : 'Booked: the practitioner replies after seeing the client.';
    case 'COMPLETED':
      return sent ? 'Read the reply below, then close the referral.' : `Your reply is with ${r.from.practitionerName}, who closes the referral.`;
    default:
      return 'Nothing for you to do now: the other side acts next.';
  }
}

/** What this person may do with the referral now (the server's `allowedActions`), each next to its form. */
export function ReferralActions({ r }: { r: Referral }) {
  const [open, setOpen] = useState<ReferralAction | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<FormErrors>(NO_ERRORS);
  const [send, sending] = useMutation(SEND_REFERRAL, refreshLists);
  const [accept, accepting] = useMutation(ACCEPT_REFERRAL, refreshLists);
  const [close, closing] = useMutation(CLOSE_REFERRAL, refreshLists);
  const [decline] = useMutation(DECLINE_REFERRAL, refreshLists);
  const [cancel] = useMutation(CANCEL_REFERRAL, refreshLists);
  const [withdraw] = useMutation(WITHDRAW_CONSENT, refreshLists);
  const reload = useReloadOnConflict();
  const actions = ORDER.filter((a) => r.allowedActions.includes(a));
  const finish = (message: string) => {
    setOpen(null);
    setError(NO_ERRORS);
    setDone(message);
  };
  const oneClick = async (run: () => Promise<unknown>, message: string) => {
    setDone(null);
    setError(NO_ERRORS);
    try {
      await run();
      finish(message);
    } catch (e) {
      const read = readErrors(e, []);
      setError(read);
      reload(read);
    }
  };

  const forms: Partial<Record<ReferralAction, ReactNode>> = {
    DECLINE: (
      <ReasonForm
        label="Why you decline"
        hint="The referrer reads it, with the client's next step in mind."
        submit="Decline referral"
        busyLabel="Declining…"
        onDone={() => finish('Declined. The referrer has been told why.')}
        run={(reason) => decline({ variables: { input: { id: r.id, reason, expectedStatus: r.status } } })}
      />
    ),
    CANCEL: (
      <ReasonForm
        label="Why you cancel"
        hint="The receiver reads it; their access to the shared records ends now."
        submit="Cancel referral"
        busyLabel="Cancelling…"
        onDone={() => finish('Cancelled. The receiver has been told.')}
        run={(reason) => cancel({ variables: { input: { id: r.id, reason, expectedStatus: r.status } } })}
      />
    ),
    WITHDRAW_CONSENT: (
      <ReasonForm
        label="Why consent is withdrawn"
        hint="The receiver can no longer read the shared records; the referral itself stays."
        submit="Withdraw consent"
        busyLabel="Withdrawing…"
        onDone={() => finish('Consent withdrawn: the shared records are closed to the receiver.')}
        run={(reason) => withdraw({ variables: { input: { id: r.id, reason, expectedStatus: r.status } } })}
      />
    ),
    ASSIGN: <AssignForm r={r} onDone={finish} />,
    LINK_CLIENT: <LinkClientForm r={r} onDone={finish} />,
    BOOK: <BookForm r={r} onDone={finish} />,
    COMPLETE: <ReplyForm r={r} onDone={finish} />,
  };

  const clickOf: Partial<Record<ReferralAction, () => void>> = {
    SEND: () => void oneClick(() => send({ variables: { id: r.id } }), 'Sent. The receiver has been told.'),
    ACCEPT: () => void oneClick(() => accept({ variables: { input: { id: r.id, expectedStatus: r.status } } }), 'Accepted. Link the client to a record of yours, then book them.'),
    CLOSE: () => void oneClick(() => close({ variables: { id: r.id } }), 'Closed. The receiver’s access to the shared records has ended.'),
  };
  const busy = sending.loading || accepting.loading || closing.loading;

  return (
    <section className="card" aria-labelledby="referral-actions">
      <h2 id="referral-actions">What you can do</h2>
      {done ? (
        <div className="alert alert--success" role="status">
          {done}
        </div>
      ) : null}
      <FormAlert errors={error} titles={RACE} />
      {actions.length === 0 ? (
        <p className="muted">{waitingFor(r)}</p>
      ) : (
        <div className="action-buttons">
          {actions.map((a) => {
            const withForm = WITH_FORM.includes(a);
            const quiet = a === 'CANCEL' || a === 'DECLINE' || a === 'WITHDRAW_CONSENT';
            return (
              <button
                key={a}
                type="button"
                className={`button${quiet ? ' button--danger-quiet' : a === actions[0] ? ' button--primary' : ''}`}
                aria-expanded={withForm ? open === a : undefined}
                aria-controls={withForm && open === a ? `action-${a}` : undefined}
                disabled={busy && !withForm}
                onClick={() => {
                  setDone(null);
                  setError(NO_ERRORS);
                  if (withForm) setOpen(open === a ? null : a);
                  else clickOf[a]?.();
                }}
              >
                {ACTION_LABEL[a] ?? a}
              </button>
            );
          })}
        </div>
      )}
      {open && forms[open] ? (
        <div id={`action-${open}`} className="action-panel">
          {forms[open]}
        </div>
      ) : null}
      {r.side === 'RECEIVED' && r.client.localClientId ? (
        <p className="small">
          <Link to={`/clients/${r.client.localClientId}`}>Open {r.client.displayName}&apos;s record in your organization</Link>
        </p>
      ) : null}
    </section>
  );
}
