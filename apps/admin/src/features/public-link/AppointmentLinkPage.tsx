import { useMutation } from '@apollo/client/react';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { AuthCard, Loading } from '../../components/status';
import { graphql } from '../../gql';
import type { AppointmentLinkResultFieldsFragment } from '../../gql/graphql';

export const LINK_RESULT_FIELDS = graphql(`
  fragment AppointmentLinkResultFields on AppointmentLinkResult {
    appointmentId
    status
    startsAt
    localStart
    timeZone
    clinicName
    clinicPhone
    practitionerName
    clientConfirmedAt
  }
`);

const CONFIRM = graphql(`
  mutation ConfirmAppointmentByLink($token: String!) {
    confirmAppointmentByLink(token: $token) {
      ...AppointmentLinkResultFields
    }
  }
`);

const CANCEL = graphql(`
  mutation CancelAppointmentByLink($token: String!) {
    cancelAppointmentByLink(token: $token) {
      ...AppointmentLinkResultFields
    }
  }
`);

type Purpose = 'confirm' | 'cancel';
type Refusal = 'INVALID' | 'TOO_LATE' | 'ALREADY_USED' | 'CHANGED' | 'UNKNOWN';

type State =
  | { kind: 'idle' }
  | { kind: 'working' }
  | { kind: 'done'; result: AppointmentLinkResultFieldsFragment }
  | { kind: 'refused'; reason: Refusal; message: string };

/** "Tuesday 9 December 2026 at 10:00" — the clinic's wall time, as the reminder said it. */
function when(r: AppointmentLinkResultFieldsFragment): string {
  const [date, time] = r.localStart.split('T');
  const [y, m, d] = date.split('-').map(Number);
  const date0 = new Date(Date.UTC(y, m - 1, d));
  const part = (o: Intl.DateTimeFormatOptions) => date0.toLocaleDateString('en-GB', { ...o, timeZone: 'UTC' });
  return `${part({ weekday: 'long' })} ${d} ${part({ month: 'long' })} ${y} at ${time}`;
}

function refusalOf(error: unknown): { reason: Refusal; message: string } {
  if (CombinedGraphQLErrors.is(error)) {
    const e = error.errors[0];
    const reason = (e?.extensions as { reason?: unknown } | undefined)?.reason;
    const known: Refusal[] = ['INVALID', 'TOO_LATE', 'ALREADY_USED', 'CHANGED'];
    return { reason: known.includes(reason as Refusal) ? (reason as Refusal) : 'UNKNOWN', message: e?.message ?? '' };
  }
  return { reason: 'UNKNOWN', message: 'We could not reach the clinic’s booking system.' };
}

const REFUSALS: Record<Refusal, { title: string; text: string }> = {
  ALREADY_USED: { title: 'This link has already been used', text: 'Nothing has changed: your earlier answer stands. If you need to change your appointment, please call the clinic.' },
  TOO_LATE: { title: 'This link has expired', text: 'The appointment has already started, so the link no longer works. Please call the clinic.' },
  CHANGED: {
    title: 'This appointment has changed',
    text: 'The appointment was moved or cancelled after this reminder was sent. Use the link in your most recent reminder, or call the clinic.',
  },
  INVALID: { title: 'This link is not valid', text: 'The link may be incomplete: try copying the whole link from the email, or call the clinic.' },
  UNKNOWN: { title: 'Something went wrong', text: 'Your answer was not recorded. Please try again in a moment, or call the clinic.' },
};

/**
 * The client's page for the links in a reminder (no sign-in): /appointment/confirm?token=… confirms at
 * once (opening the link is the client's answer); /appointment/cancel?token=… asks first, so a mail
 * scanner that opens links cannot cancel a visit. Each outcome is said in a sentence.
 */
export function AppointmentLinkPage({ purpose }: { purpose: Purpose }) {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [confirm] = useMutation(CONFIRM);
  const [cancel] = useMutation(CANCEL);
  const started = useRef(false);

  const run = async (which: Purpose) => {
    setState({ kind: 'working' });
    try {
      const { data } = which === 'confirm' ? await confirm({ variables: { token } }) : await cancel({ variables: { token } });
      const result = data && ('confirmAppointmentByLink' in data ? data.confirmAppointmentByLink : data.cancelAppointmentByLink);
      if (result) setState({ kind: 'done', result });
    } catch (error) {
      setState({ kind: 'refused', ...refusalOf(error) });
    }
  };

  useEffect(() => {
    if (purpose !== 'confirm' || started.current) return;
    started.current = true;
    if (!token) setState({ kind: 'refused', reason: 'INVALID', message: '' });
    else void run('confirm');
  }, [purpose, token]);

  if (state.kind === 'refused') {
    const r = REFUSALS[state.reason];
    return (
      <AuthCard title={r.title}>
        <div className="alert alert--info" role="status" data-outcome={state.reason}>
          <p>{r.text}</p>
        </div>
      </AuthCard>
    );
  }
  if (state.kind === 'done') {
    const r = state.result;
    const cancelled = r.status === 'CANCELLED' || r.status === 'LATE_CANCELLED';
    return (
      <AuthCard title={cancelled ? 'Your appointment is cancelled' : 'Thank you — your appointment is confirmed'}>
        <div className="alert alert--success" role="status" data-outcome={cancelled ? 'CANCELLED' : 'CONFIRMED'}>
          <p>
            {cancelled ? 'We have cancelled your appointment' : 'We look forward to seeing you'} with {r.practitionerName} at {r.clinicName} on {when(r)}.
          </p>
          {r.status === 'LATE_CANCELLED' ? <p>This is within the clinic’s late-cancellation window, so the clinic’s late-cancellation terms may apply.</p> : null}
        </div>
        <p className="muted">
          {cancelled ? 'To book another time' : 'If anything changes'}
          {r.clinicPhone ? `, call ${r.clinicName} on ${r.clinicPhone}.` : `, please contact ${r.clinicName}.`}
        </p>
      </AuthCard>
    );
  }
  if (purpose === 'cancel') {
    return (
      <AuthCard title="Cancel your appointment?">
        <p className="auth-lead">If you cannot come, cancel here and the time goes to someone else. This cannot be undone from this page.</p>
        <div className="form-actions">
          <button type="button" className="button button--primary" disabled={state.kind === 'working' || !token} onClick={() => void run('cancel')}>
            {state.kind === 'working' ? 'Cancelling…' : 'Cancel my appointment'}
          </button>
        </div>
        {!token ? <p className="field-error">This link is incomplete: copy the whole link from the email.</p> : null}
      </AuthCard>
    );
  }
  return (
    <div className="auth-page">
      <Loading label="Confirming your appointment…" />
    </div>
  );
}
