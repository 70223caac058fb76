import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { z } from 'zod';
import { FormAlert, SelectField, TextAreaField, TextField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { EmptyState, LoadMore, Loading, QueryError } from '../../components/status';
import { graphql } from '../../gql';
import type { ConsentMethod, Discipline, ReferralUrgency, SharedRecordType } from '../../gql/graphql';
import { evictList } from '../../lib/apollo';
import { DISCIPLINES } from '../../lib/format';
import { fieldError, useServerErrors, useZodForm } from '../../lib/form';
import { useCursorList } from '../../lib/list';
import { clientName } from '../client/client-format';
import { CONSENT_METHOD, SHARED_RECORDS, URGENCY } from './referral-format';

const REFER_CLIENT = graphql(`
  query ReferClient($id: ID!) {
    client(id: $id) {
      id
      firstName
      lastName
      preferredName
      clinicIds
    }
  }
`);

export const REFERRAL_DIRECTORY = graphql(`
  query ReferralDirectory($first: Int!, $after: String, $filter: DirectoryFilter) {
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
            modalities
          }
          clinic {
            id
            name
            city
            country
            timeZone
          }
          organization {
            id
            name
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

/** `?reassessment=ID`: a re-assessment's REFER / STOP_AND_REFER advice fills the form (nothing is stored until sent). */
const REFERRAL_DRAFT = graphql(`
  query ReferralDraftFromNextStep($reassessmentId: ID!) {
    referralDraftFromNextStep(reassessmentId: $reassessmentId) {
      clientId
      reassessmentId
      reason
      clinicalQuestion
      urgency
      targetDiscipline
    }
  }
`);

const CREATE_REFERRAL = graphql(`
  mutation CreateReferral($input: CreateReferralInput!) {
    createReferral(input: $input) {
      id
      status
    }
  }
`);

/** Today plus `days`, as yyyy-mm-dd in the browser's calendar (the consent's last day). */
function dateIn(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const referSchema = z.object({
  discipline: z.custom<Discipline>(),
  targetId: z.string().min(1, 'Choose who receives the referral.'),
  reason: z.string().trim().min(1, 'Say why you are referring the client.'),
  clinicalQuestion: z.string().trim().min(1, 'Write the question you want answered.'),
  urgency: z.custom<ReferralUrgency>(),
  sharedRecords: z.array(z.custom<SharedRecordType>()),
  consentMethod: z.custom<ConsentMethod>(),
  consentEndsOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the last day the consent holds.'),
  validForDays: z.string().regex(/^\d+$/, 'Enter a whole number of days.'),
  send: z.boolean(),
});

type DirectoryNode = { id: string; discipline: Discipline; isOwnOrganization: boolean; practitioner?: { id: string; displayName: string } | null; clinic: { id: string; name: string; city: string; timeZone: string }; organization: { name: string } };

/** The server names input paths; the form's fields are named for people. */
const RENAME: Record<string, string> = {
  targetPractitionerId: 'targetId',
  targetClinicId: 'targetId',
  targetDiscipline: 'discipline',
  'consent.method': 'consentMethod',
  'consent.endsOn': 'consentEndsOn',
  consent: 'consentEndsOn',
};

function entryLabel(e: DirectoryNode): string {
  const who = e.practitioner ? e.practitioner.displayName : `Any ${DISCIPLINES[e.discipline].toLowerCase()} (the clinic assigns)`;
  return who;
}

export function ReferPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const client = useQuery(REFER_CLIENT, { variables: { id } });
  const [params] = useSearchParams();
  const reassessmentId = params.get('reassessment');
  const draft = useQuery(REFERRAL_DRAFT, { variables: { reassessmentId: reassessmentId ?? '' }, skip: !reassessmentId });
  const advice = draft.data?.referralDraftFromNextStep?.clientId === id ? draft.data.referralDraftFromNextStep : null;
  // From the directory's "Refer a client to …": ?to=<directory entry id>&discipline=<its discipline>.
  const givenDiscipline = params.get('discipline');
  const form = useZodForm(referSchema, {
    defaultValues: {
      discipline: givenDiscipline && givenDiscipline in DISCIPLINES ? (givenDiscipline as Discipline) : 'PHYSIOTHERAPIST',
      targetId: params.get('to') ?? '',
      reason: '',
      clinicalQuestion: '',
      urgency: 'ROUTINE',
      sharedRecords: ['INTAKE_SUMMARY', 'OUTCOME_HISTORY'],
      consentMethod: 'VERBAL',
      consentEndsOn: dateIn(90),
      validForDays: '30',
      send: true,
    },
  });
  const server = useServerErrors(form);
  const { errors } = form.formState;
  const err = (name: string) => fieldError(errors, name);
  const discipline = form.watch('discipline');
  // The advice arrives after the form is drawn: it fills what the person has not touched yet.
  const { reset, getFieldState } = form;
  useEffect(() => {
    if (!advice) return;
    reset(
      (v) => ({
        ...v,
        discipline: getFieldState('discipline').isDirty ? v.discipline : advice.targetDiscipline,
        reason: v.reason || advice.reason,
        clinicalQuestion: v.clinicalQuestion || advice.clinicalQuestion,
        urgency: getFieldState('urgency').isDirty ? v.urgency : advice.urgency,
      }),
      { keepDirty: true },
    );
  }, [advice, reset, getFieldState]);
  const directory = useCursorList(REFERRAL_DIRECTORY, { variables: { first: 50, filter: { discipline } }, connection: (d) => d.referralDirectory });
  // The receivers are choices for this discipline: while another discipline's answer loads, the
  // previous one's (the list keeps them, stale) are not offered.
  const receivers = directory.stale ? [] : directory.items;
  const receiversLoading = directory.firstLoad || directory.stale;
  const [createReferral, { loading }] = useMutation(CREATE_REFERRAL, {
    update: (cache) => {
      evictList(cache, 'referralsOutbox');
      cache.evict({ id: 'ROOT_QUERY', fieldName: 'clientReferrals' });
    },
  });

  if (client.error) return <QueryError error={client.error} retry={() => void client.refetch()} />;
  if (!client.data && client.loading) return <Loading label="Loading client…" />;
  const c = client.data?.client;
  if (!c) {
    return (
      <EmptyState title="Client not found" action={<Link to="/clients">Back to clients</Link>}>
        They may have been removed, or they belong to another organization.
      </EmptyState>
    );
  }

  const submit = form.handleSubmit(async (v) => {
    server.clear();
    const target = receivers.find((e) => e.id === v.targetId);
    if (!target) {
      form.setError('targetId', { type: 'client', message: 'Choose who receives the referral.' }, { shouldFocus: true });
      return;
    }
    try {
      const { data } = await createReferral({
        variables: {
          input: {
            clientId: c.id,
            targetPractitionerId: target.practitioner?.id ?? null,
            targetClinicId: target.clinic.id,
            targetDiscipline: target.discipline,
            reason: v.reason.trim(),
            clinicalQuestion: v.clinicalQuestion.trim(),
            urgency: v.urgency,
            sharedRecords: v.sharedRecords,
            consent: { method: v.consentMethod, endsOn: v.consentEndsOn },
            validForDays: Number(v.validForDays),
            fromReassessmentId: advice?.reassessmentId ?? null,
            send: v.send,
          },
        },
      });
      if (data) navigate(`/referrals/${data.createReferral.id}`);
    } catch (error) {
      server.apply(error, [...Object.keys(RENAME), 'reason', 'clinicalQuestion', 'urgency', 'sharedRecords', 'validForDays'], (f) => RENAME[f] ?? f);
    }
  });

  const targetError = err('targetId');
  const recordsError = err('sharedRecords');
  const shared = form.watch('sharedRecords');

  return (
    <>
      <PageHeader title={`Refer ${clientName(c)}`} description="To a named practitioner, or to a discipline at a clinic whose manager assigns it. The receiver sees only what the client consented to share." />
      <form ref={server.ref} className="card form" onSubmit={submit} noValidate aria-label="Refer the client">
        <FormAlert errors={server.alert} />
        {advice ? (
          <div className="alert alert--info" role="status">
            Filled in from the re-assessment&apos;s advice to refer: check it, choose who receives it, and record the client&apos;s consent.
          </div>
        ) : null}
        <h2>Who receives it</h2>
        <div className="form-grid">
          <SelectField label="Discipline" required {...form.register('discipline', { onChange: () => form.setValue('targetId', '') })} error={err('discipline')}>
            {Object.entries(DISCIPLINES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
        </div>
        <fieldset className={`choices${targetError ? ' field--invalid' : ''}`} aria-describedby={targetError ? 'refer-target-error' : undefined}>
          <legend>Receiver</legend>
          <p className="hint">Your own organization and its active partners. A clinic&apos;s pool goes to its manager, who assigns a practitioner.</p>
          {directory.error ? <QueryError error={directory.error} retry={directory.refetch} /> : null}
          {receiversLoading ? <Loading label="Loading the directory…" /> : null}
          {!receiversLoading && !directory.error && receivers.length === 0 ? (
            <p className="muted">No one receives {DISCIPLINES[discipline].toLowerCase()} referrals in your organization or its partners yet.</p>
          ) : null}
          <ul className="choice-list">
            {receivers.map((e) => (
              <li key={e.id}>
                <label className="choice">
                  <input type="radio" value={e.id} {...form.register('targetId')} aria-invalid={targetError ? true : undefined} />
                  <span>
                    <strong>{entryLabel(e)}</strong>
                    <span className="muted small">
                      {' '}
                      · {e.clinic.name}, {e.clinic.city} · {e.isOwnOrganization ? 'your organization' : e.organization.name}
                    </span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
          <LoadMore hasNextPage={!directory.stale && directory.hasNextPage} loading={directory.loading} onMore={directory.loadMore} label="Show more receivers" />
          {targetError ? (
            <p className="field-error" id="refer-target-error">
              {targetError}
            </p>
          ) : null}
        </fieldset>

        <h2>Why</h2>
        <TextAreaField label="Reason for referral" required rows={3} {...form.register('reason')} error={err('reason')} />
        <TextAreaField label="Clinical question" required rows={3} {...form.register('clinicalQuestion')} error={err('clinicalQuestion')} hint="What you want the receiver to assess or answer." />
        <fieldset className="choices">
          <legend>Urgency</legend>
          <div className="check-grid">
            {(Object.entries(URGENCY) as [ReferralUrgency, (typeof URGENCY)[ReferralUrgency]][]).map(([value, u]) => (
              <label key={value} className="check">
                <input type="radio" value={value} {...form.register('urgency')} />
                <span className="check-text">
                  {u.label}
                  <span className="muted small">{u.due}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <h2>Consent</h2>
        <fieldset className={`checks${recordsError ? ' field--invalid' : ''}`} aria-describedby={recordsError ? 'refer-records-error' : undefined}>
          <legend>Records the client agreed to share</legend>
          <div className="check-grid">
            {(Object.entries(SHARED_RECORDS) as [SharedRecordType, (typeof SHARED_RECORDS)[SharedRecordType]][]).map(([value, r]) => (
              <label key={value} className="check">
                <input type="checkbox" value={value} {...form.register('sharedRecords')} />
                <span className="check-text">
                  {r.label}
                  <span className="muted small">{r.hint}</span>
                </span>
              </label>
            ))}
          </div>
          {shared.length === 0 ? <p className="hint">Nothing ticked: the receiver gets the client&apos;s contact details and your question only.</p> : null}
          {recordsError ? (
            <p className="field-error" id="refer-records-error">
              {recordsError}
            </p>
          ) : null}
        </fieldset>
        <div className="form-grid">
          <SelectField label="How the client gave consent" required {...form.register('consentMethod')} error={err('consentMethod')}>
            {Object.entries(CONSENT_METHOD).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
          <TextField label="Consent ends on" type="date" required {...form.register('consentEndsOn')} error={err('consentEndsOn')} hint="The receiver's access ends after this day, or earlier when the referral closes." />
          <TextField
            label="Days to answer before it expires"
            type="number"
            min={1}
            max={90}
            required
            className="field--narrow"
            {...form.register('validForDays')}
            error={err('validForDays')}
            hint="From 1 to 90 days."
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={loading} aria-busy={loading || undefined} onClick={() => form.setValue('send', true)}>
            {loading ? 'Sending…' : 'Send referral'}
          </button>
          <button type="submit" className="button" disabled={loading} onClick={() => form.setValue('send', false)}>
            Save as draft
          </button>
          <Link to={`/clients/${c.id}`} className="button button--quiet">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
