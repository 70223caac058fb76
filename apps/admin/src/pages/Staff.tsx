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
      role
      expiresAt
    }
  }
`);

type Invitation = InviteStaffMutation['inviteStaff'];

function InviteForm({ onInvited }: { onInvited(invitation: Invitation): void }) {
  const { clinics, clinicId } = useClinic();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('FRONT_DESK');
  const [clinicIds, setClinicIds] = useState<Set<string>>(() => new Set(clinicId ? [clinicId] : []));
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
        variables: { input: { email: email.trim(), displayName: displayName.trim(), role, clinicIds: needsClinics ? [...clinicIds] : [] } },
      });
      if (data) {
        onInvited(data.inviteStaff);
        setEmail('');
        setDisplayName('');
      }
    } catch (error) {
      setErrors(readErrors(error, ['email', 'displayName', 'role', 'clinicIds']));
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
                      <td>{ROLES[m.role].label}</td>
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
        {canInvite ? <InviteForm onInvited={setInvited} /> : null}
      </div>
    </>
  );
}
