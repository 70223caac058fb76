import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { FormAlert, SelectField, SubmitButton, TextField, useErrorFocus } from '../components/forms';
import { PageHeader } from '../components/Layout';
import { LoadMore, Loading, QueryError } from '../components/status';
import { graphql } from '../gql';
import { evictList } from '../lib/apollo';
import type { InviteStaffMutation, Role } from '../gql/graphql';
import { useMe } from '../lib/auth';
import { useClinic } from '../lib/clinic-context';
import { NO_ERRORS, readErrors } from '../lib/errors';
import type { FormErrors } from '../lib/errors';
import { ROLES, formatDateTime } from '../lib/format';

const MEMBERS = graphql(`
  query Members($first: Int!, $after: String) {
    members(first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          id
          role
          clinicIds
          status
          user {
            id
            email
            displayName
            status
          }
          practitioner {
            id
            displayName
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

const INVITE_STAFF = graphql(`
  mutation InviteStaff($input: InviteStaffInput!) {
    inviteStaff(input: $input) {
      id
      email
      displayName
      role
      practitionerId
      expiresAt
    }
  }
`);

/** Practitioner records, to name the one a login acts as. */
const STAFF_PRACTITIONERS = graphql(`
  query StaffPractitioners {
    practitioners(first: 200) {
      nodes {
        id
        displayName
        userId
      }
    }
  }
`);

const LINK_PRACTITIONER = graphql(`
  mutation LinkPractitionerLogin($practitionerId: ID!, $userId: ID!) {
    linkPractitionerLogin(practitionerId: $practitionerId, userId: $userId) {
      id
      userId
    }
  }
`);

const UNLINK_PRACTITIONER = graphql(`
  mutation UnlinkPractitionerLogin($practitionerId: ID!) {
    unlinkPractitionerLogin(practitionerId: $practitionerId) {
      id
      userId
    }
  }
`);

type StaffPractitioner = { id: string; displayName: string; userId?: string | null };

/** An organization admin links a member's login to a practitioner record, or removes the link. */
function PractitionerLink({
  userId,
  name,
  linked,
  unlinked,
}: {
  userId: string;
  name: string;
  linked: { id: string; displayName: string } | null | undefined;
  unlinked: StaffPractitioner[];
}) {
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<string | null>(null);
  const refresh = { refetchQueries: [MEMBERS, STAFF_PRACTITIONERS], awaitRefetchQueries: true };
  const [link, linking] = useMutation(LINK_PRACTITIONER, refresh);
  const [unlink, unlinking] = useMutation(UNLINK_PRACTITIONER, refresh);
  const fail = (e: unknown) => setError(readErrors(e).form ?? 'That did not work; try again.');

  if (linked) {
    return (
      <div className="small">
        <span className="muted">Works as</span> {linked.displayName}{' '}
        <button
          type="button"
          className="button button--quiet"
          disabled={unlinking.loading}
          aria-label={`Unlink ${linked.displayName} from ${name}`}
          onClick={() => {
            setError(null);
            unlink({ variables: { practitionerId: linked.id } }).catch(fail);
          }}
        >
          Unlink
        </button>
        {error ? <p className="field-error">{error}</p> : null}
      </div>
    );
  }
  if (unlinked.length === 0) return null;
  // Folded away: most members do not treat clients, and the table stays readable.
  return (
    <details className="small">
      <summary>Link a practitioner record</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!choice) return setError('Choose a practitioner record.');
          setError(null);
          link({ variables: { practitionerId: choice, userId } }).catch(fail);
        }}
      >
        <select aria-label={`Practitioner record for ${name}`} value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">Choose…</option>
          {unlinked.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName}
            </option>
          ))}
        </select>{' '}
        <button type="submit" className="button button--quiet" disabled={linking.loading}>
          Link
        </button>
        {error ? <p className="field-error">{error}</p> : null}
      </form>
    </details>
  );
}

type Invitation = InviteStaffMutation['inviteStaff'];

function InviteForm({ onInvited, unlinked }: { onInvited(invitation: Invitation): void; unlinked: StaffPractitioner[] }) {
  const { clinics, clinicId } = useClinic();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('FRONT_DESK');
  const [clinicIds, setClinicIds] = useState<Set<string>>(() => new Set(clinicId ? [clinicId] : []));
  const [practitionerId, setPractitionerId] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const formRef = useErrorFocus(errors);
  const [invite, { loading }] = useMutation(INVITE_STAFF, { update: (cache) => evictList(cache, 'members') });
  const needsClinics = role !== 'ORG_ADMIN';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const fields: Record<string, string> = {};
    if (!email.trim()) fields.email = 'Enter the email address the invitation goes to.';
    if (!displayName.trim()) fields.displayName = 'Enter the person’s name.';
    if (Object.keys(fields).length) {
      setErrors({ fields, form: null, code: null });
      return;
    }
    setErrors(NO_ERRORS);
    try {
      const { data } = await invite({
        variables: {
          input: {
            email: email.trim(),
            displayName: displayName.trim(),
            role,
            clinicIds: needsClinics ? [...clinicIds] : [],
            practitionerId: role === 'PRACTITIONER' && practitionerId ? practitionerId : null,
          },
        },
      });
      if (data) {
        onInvited(data.inviteStaff);
        setEmail('');
        setDisplayName('');
        setPractitionerId('');
      }
    } catch (error) {
      setErrors(readErrors(error, ['email', 'displayName', 'role', 'clinicIds', 'practitionerId']));
    }
  }

  return (
    <form ref={formRef} className="card form" onSubmit={submit} noValidate aria-labelledby="invite-title">
      <h2 id="invite-title">Invite a staff member</h2>
      <p className="muted">They get an email with a link to set their password. The link works for a limited time.</p>
      <FormAlert errors={errors} />
      <div className="form-grid">
        <TextField label="Name" name="displayName" required value={displayName} onChange={(e) => setDisplayName(e.target.value)} error={errors.fields.displayName} />
        <TextField label="Email" name="email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={errors.fields.email} />
        <SelectField label="Role" name="role" required value={role} onChange={(e) => setRole(e.target.value as Role)} error={errors.fields.role} hint={ROLES[role].description}>
          {(Object.entries(ROLES) as [Role, (typeof ROLES)[Role]][]).map(([value, r]) => (
            <option key={value} value={value}>
              {r.label}
            </option>
          ))}
        </SelectField>
        {role === 'PRACTITIONER' && unlinked.length > 0 ? (
          <SelectField
            label="Practitioner record"
            name="practitionerId"
            value={practitionerId}
            onChange={(e) => setPractitionerId(e.target.value)}
            error={errors.fields.practitionerId}
            hint="The record this person works as: their intakes, plans and notes are theirs."
          >
            <option value="">None yet</option>
            {unlinked.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </SelectField>
        ) : null}
      </div>
      {needsClinics ? (
        <fieldset className={`checks${errors.fields.clinicIds ? ' field--invalid' : ''}`} aria-describedby={errors.fields.clinicIds ? 'invite-clinics-error' : undefined}>
          <legend>Clinics</legend>
          <p className="hint">Where this person works. Leave all unticked to give access to every clinic.</p>
          {clinics.length === 0 ? <p className="muted">No clinics yet.</p> : null}
          <div className="check-grid">
            {clinics.map((c) => (
              <label key={c.id} className="check">
                <input
                  type="checkbox"
                  name="clinicIds"
                  value={c.id}
                  checked={clinicIds.has(c.id)}
                  onChange={(e) =>
                    setClinicIds((prev) => {
                      const next = new Set(prev);
                      if (e.target.checked) next.add(c.id);
                      else next.delete(c.id);
                      return next;
                    })
                  }
                />
                {c.name}
              </label>
            ))}
          </div>
          {errors.fields.clinicIds ? (
            <p className="field-error" id="invite-clinics-error">
              {errors.fields.clinicIds}
            </p>
          ) : null}
        </fieldset>
      ) : null}
      <div className="form-actions">
        <SubmitButton busy={loading} busyLabel="Sending invitation…">
          Send invitation
        </SubmitButton>
      </div>
    </form>
  );
}

export function StaffPage() {
  const me = useMe();
  const { clinics } = useClinic();
  const canInvite = me.roles.includes('ORG_ADMIN') || me.roles.includes('CLINIC_MANAGER');
  const [invited, setInvited] = useState<Invitation | null>(null);
  const { data, loading, error, refetch, fetchMore } = useQuery(MEMBERS, { variables: { first: 50 }, notifyOnNetworkStatusChange: true });
  const members = data?.members.edges.map((e) => e.node) ?? [];
  const clinicName = (id: string) => clinics.find((c) => c.id === id)?.name ?? 'Unknown clinic';
  const isAdmin = me.roles.includes('ORG_ADMIN');
  const practitioners = useQuery(STAFF_PRACTITIONERS, { skip: !canInvite });
  const unlinked = (practitioners.data?.practitioners.nodes ?? []).filter((p) => !p.userId);

  return (
    <>
      <PageHeader title="Staff" description={`Everyone who signs in to ${me.organization.name}, and what they may do.`} />
      {invited ? (
        <div className="alert alert--success" role="status">
          <strong>Invitation sent.</strong> {invited.email} was invited as {ROLES[invited.role].label.toLowerCase()}. The link expires{' '}
          {formatDateTime(invited.expiresAt)}.
        </div>
      ) : null}
      <div className="grid-staff">
        <section aria-labelledby="members-title">
          <h2 id="members-title" className="section-title">
            Members {data ? <span className="count">{data.members.totalCount}</span> : null}
          </h2>
          {error ? <QueryError error={error} retry={() => void refetch()} /> : null}
          {!data && loading ? <Loading label="Loading staff…" /> : null}
          {members.length > 0 ? (
            <div className="table-wrap">
              <table className="table" aria-label="Members">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Role</th>
                    <th scope="col">Clinics</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {members.map((m) => (
                    <tr key={m.id}>
                      <th scope="row">
                        {m.user.displayName}
                        <div className="muted small">{m.user.email}</div>
                      </th>
                      <td>
                        {ROLES[m.role].label}
                        <div className="practitioner-link">
                          {isAdmin && m.role !== 'FRONT_DESK' ? (
                            <PractitionerLink userId={m.user.id} name={m.user.displayName} linked={m.practitioner} unlinked={unlinked} />
                          ) : m.practitioner ? (
                            <span className="muted small">Works as {m.practitioner.displayName}</span>
                          ) : null}
                        </div>
                      </td>
                      <td className="small">{m.role === 'ORG_ADMIN' || m.clinicIds.length === 0 ? 'All clinics' : m.clinicIds.map(clinicName).join(', ')}</td>
                      <td>
                        <span className={`status status--${m.status.toLowerCase()}`}>{m.status.toLowerCase()}</span>
                      </td>

                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {data ? (
            <LoadMore
              hasNextPage={data.members.pageInfo.hasNextPage}
              loading={loading}
              onMore={() => fetchMore({ variables: { after: data.members.pageInfo.endCursor } })}
              label="Show more staff"
            />
          ) : null}
        </section>
        {canInvite ? <InviteForm onInvited={setInvited} unlinked={unlinked} /> : null}
      </div>
    </>
  );
}
