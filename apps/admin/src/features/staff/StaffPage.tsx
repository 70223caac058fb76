import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { z } from 'zod';
import { FormAlert, SelectField, SubmitButton, TextField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { ListView } from '../../components/ListView';
import type { Column } from '../../components/ListView';
import { graphql } from '../../gql';
import { evictList } from '../../lib/apollo';
import type { InviteStaffMutation, MembersQuery, Role } from '../../gql/graphql';
import { useMe } from '../../lib/auth';
import { useClinic } from '../../lib/clinic-context';
import { readErrors } from '../../lib/errors';
import { ROLES, formatDateTime } from '../../lib/format';
import { fieldError, useServerErrors, useZodForm } from '../../lib/form';
import { useCursorList } from '../../lib/list';

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

const linkSchema = z.object({ practitionerId: z.string().min(1, 'Choose a practitioner record.') });

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
  const [error, setError] = useState<string | null>(null);
  const form = useZodForm(linkSchema, { defaultValues: { practitionerId: '' } });
  const refresh = { refetchQueries: [MEMBERS, STAFF_PRACTITIONERS], awaitRefetchQueries: true };
  const [link, linking] = useMutation(LINK_PRACTITIONER, refresh);
  const [unlink, unlinking] = useMutation(UNLINK_PRACTITIONER, refresh);
  const fail = (e: unknown) => setError(readErrors(e).form ?? 'That did not work; try again.');
  const shown = error ?? fieldError(form.formState.errors, 'practitionerId');

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
        onSubmit={form.handleSubmit(async ({ practitionerId }) => {
          setError(null);
          await link({ variables: { practitionerId, userId } }).catch(fail);
        })}
      >
        <select aria-label={`Practitioner record for ${name}`} {...form.register('practitionerId')}>
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
        {shown ? <p className="field-error">{shown}</p> : null}
      </form>
    </details>
  );
}

type Invitation = InviteStaffMutation['inviteStaff'];

const inviteSchema = z.object({
  email: z.string().trim().min(1, 'Enter the email address the invitation goes to.'),
  displayName: z.string().trim().min(1, 'Enter the person’s name.'),
  role: z.custom<Role>(),
  clinicIds: z.array(z.string()),
  practitionerId: z.string(),
});

function InviteForm({ onInvited, unlinked }: { onInvited(invitation: Invitation): void; unlinked: StaffPractitioner[] }) {
  const { clinics, clinicId } = useClinic();
  const form = useZodForm(inviteSchema, {
    defaultValues: { email: '', displayName: '', role: 'FRONT_DESK', clinicIds: clinicId ? [clinicId] : [], practitionerId: '' },
  });
  const server = useServerErrors(form);
  const { errors } = form.formState;
  const [invite, { loading }] = useMutation(INVITE_STAFF, { update: (cache) => evictList(cache, 'members') });
  const role = form.watch('role');
  const needsClinics = role !== 'ORG_ADMIN';
  const clinicsError = fieldError(errors, 'clinicIds');

  const submit = form.handleSubmit(async (v) => {
    server.clear();
    try {
      const { data } = await invite({
        variables: {
          input: {
            email: v.email,
            displayName: v.displayName,
            role: v.role,
            clinicIds: needsClinics ? v.clinicIds : [],
            practitionerId: v.role === 'PRACTITIONER' && v.practitionerId ? v.practitionerId : null,
          },
        },
      });
      if (data) {
        onInvited(data.inviteStaff);
        form.reset({ ...v, email: '', displayName: '', practitionerId: '' });
      }
    } catch (error) {
      server.apply(error, ['email', 'displayName', 'role', 'clinicIds', 'practitionerId']);
    }
  });

  return (
    <form ref={server.ref} className="card form" onSubmit={submit} noValidate aria-labelledby="invite-title">
      <h2 id="invite-title">Invite a staff member</h2>
      <p className="muted">They get an email with a link to set their password. The link works for a limited time.</p>
      <FormAlert errors={server.alert} />
      <div className="form-grid">
        <TextField label="Name" required {...form.register('displayName')} error={fieldError(errors, 'displayName')} />
        <TextField label="Email" type="email" required {...form.register('email')} error={fieldError(errors, 'email')} />
        <SelectField label="Role" required {...form.register('role')} error={fieldError(errors, 'role')} hint={ROLES[role].description}>
          {(Object.entries(ROLES) as [Role, (typeof ROLES)[Role]][]).map(([value, r]) => (
            <option key={value} value={value}>
              {r.label}
            </option>
          ))}
        </SelectField>
        {role === 'PRACTITIONER' && unlinked.length > 0 ? (
          <SelectField
            label="Practitioner record"
            {...form.register('practitionerId')}
            error={fieldError(errors, 'practitionerId')}
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
        <fieldset className={`checks${clinicsError ? ' field--invalid' : ''}`} aria-describedby={clinicsError ? 'invite-clinics-error' : undefined}>
          <legend>Clinics</legend>
          <p className="hint">Where this person works. Leave all unticked to give access to every clinic.</p>
          {clinics.length === 0 ? <p className="muted">No clinics yet.</p> : null}
          <div className="check-grid">
            {clinics.map((c) => (
              <label key={c.id} className="check">
                <input type="checkbox" value={c.id} {...form.register('clinicIds')} />
                {c.name}
              </label>
            ))}
          </div>
          {clinicsError ? (
            <p className="field-error" id="invite-clinics-error">
              {clinicsError}
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

type MemberRow = MembersQuery['members']['edges'][number]['node'];

export function StaffPage() {
  const me = useMe();
  const { clinics } = useClinic();
  const canInvite = me.roles.includes('ORG_ADMIN') || me.roles.includes('CLINIC_MANAGER');
  const [invited, setInvited] = useState<Invitation | null>(null);
  const list = useCursorList(MEMBERS, { variables: { first: 50 }, connection: (d) => d.members });
  const clinicName = (id: string) => clinics.find((c) => c.id === id)?.name ?? 'Unknown clinic';
  const isAdmin = me.roles.includes('ORG_ADMIN');
  const practitioners = useQuery(STAFF_PRACTITIONERS, { skip: !canInvite });
  const unlinked = (practitioners.data?.practitioners.nodes ?? []).filter((p) => !p.userId);
  const columns: Column<MemberRow>[] = [
    {
      header: 'Name',
      rowHeader: true,
      cell: (m) => (
        <>
          {m.user.displayName}
          <div className="muted small">{m.user.email}</div>
        </>
      ),
    },
    {
      header: 'Role',
      cell: (m) => (
        <>
          {ROLES[m.role].label}
          <div className="practitioner-link">
            {isAdmin && m.role !== 'FRONT_DESK' ? (
              <PractitionerLink userId={m.user.id} name={m.user.displayName} linked={m.practitioner} unlinked={unlinked} />
            ) : m.practitioner ? (
              <span className="muted small">Works as {m.practitioner.displayName}</span>
            ) : null}
          </div>
        </>
      ),
    },
    { header: 'Clinics', className: 'small', cell: (m) => (m.role === 'ORG_ADMIN' || m.clinicIds.length === 0 ? 'All clinics' : m.clinicIds.map(clinicName).join(', ')) },
    { header: 'Status', cell: (m) => <span className={`status status--${m.status.toLowerCase()}`}>{m.status.toLowerCase()}</span> },
  ];

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
            Members {list.totalCount !== null ? <span className="count">{list.totalCount}</span> : null}
          </h2>
          <ListView list={list} label="Members" columns={columns} rowKey={(m) => m.id} loadingLabel="Loading staff…" moreLabel="Show more staff" empty={null} />
        </section>
        {canInvite ? <InviteForm onInvited={setInvited} unlinked={unlinked} /> : null}
      </div>
    </>
  );
}
