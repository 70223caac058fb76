import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { z } from 'zod';
import { FormAlert, SubmitButton, TextAreaField, TextField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { DataTable } from '../../components/ListView';
import type { Column } from '../../components/ListView';
import { EmptyState, Loading, QueryError } from '../../components/status';
import { useMe } from '../../lib/auth';
import { NO_ERRORS, readErrors } from '../../lib/errors';
import type { FormErrors } from '../../lib/errors';
import { fieldError, optionalText, useServerErrors, useZodForm } from '../../lib/form';
import { END_PARTNERSHIP, INVITE_PARTNER, REFERRAL_PARTNERS, RESPOND_TO_PARTNER_INVITATION } from './documents';
import { PARTNERSHIP_STATUS_LABELS, partnershipSentence, sortPartners } from './partner-format';
import type { Partner } from './partner-format';
import './network.css';

const inviteSchema = z.object({
  organizationSlug: z
    .string()
    .trim()
    .min(1, 'Enter the other organization’s slug (it is shown on their partners page).')
    .max(100, 'A slug is at most 100 characters.'),
  note: z.string().max(1000, 'Keep the note under 1000 characters.'),
});

/** Fields the server may name that the invitation form shows next to an input. */
const INVITE_FIELDS = ['organizationSlug', 'note'];

function InvitePartnerForm({ onInvited }: { onInvited(p: Partner): void }) {
  const form = useZodForm(inviteSchema, { defaultValues: { organizationSlug: '', note: '' } });
  const server = useServerErrors(form);
  const [invite, { loading }] = useMutation(INVITE_PARTNER, { refetchQueries: [REFERRAL_PARTNERS] });
  const { errors } = form.formState;

  const submit = form.handleSubmit(async (v) => {
    server.clear();
    try {
      const { data } = await invite({ variables: { input: { organizationSlug: v.organizationSlug.trim(), note: optionalText(v.note) } } });
      if (data) {
        form.reset({ organizationSlug: '', note: '' });
        onInvited(data.invitePartner);
      }
    } catch (error) {
      server.apply(error, INVITE_FIELDS);
    }
  });

  return (
    <form ref={server.ref} className="card form" onSubmit={submit} noValidate aria-labelledby="invite-title">
      <h2 id="invite-title">Invite a partner organization</h2>
      <p className="muted">Ask the other organization for its slug: it is shown at the top of their partners page. Their organization admin accepts or declines.</p>
      <FormAlert errors={server.alert} titles={{ NOT_FOUND: 'No such organization', CONFLICT: 'Already invited or partners' }} />
      <div className="form-grid">
        <TextField
          label="Their organization’s slug"
          required
          autoComplete="off"
          spellCheck={false}
          placeholder="e.g. bristol-physio-pain"
          {...form.register('organizationSlug')}
          error={fieldError(errors, 'organizationSlug')}
        />
        <TextAreaField
          label="Note to them"
          rows={2}
          hint="Why you want to refer to each other; they see it with the invitation."
          {...form.register('note')}
          error={fieldError(errors, 'note')}
          className="span-2"
        />
      </div>
      <div className="form-actions">
        <SubmitButton busy={loading} busyLabel="Sending…">
          Send invitation
        </SubmitButton>
      </div>
    </form>
  );
}

const endSchema = z.object({ reason: z.string().trim().min(1, 'Say why: the other organization sees the reason.').max(1000, 'Keep the reason under 1000 characters.') });

function EndPartnershipForm({ partner, onDone, onCancel }: { partner: Partner; onDone(p: Partner): void; onCancel(): void }) {
  const form = useZodForm(endSchema, { defaultValues: { reason: '' } });
  const server = useServerErrors(form);
  const [end, { loading }] = useMutation(END_PARTNERSHIP);
  const invitation = partner.status === 'INVITED';
  const name = partner.partnerOrganization.name;
  const { setFocus } = form;
  useEffect(() => setFocus('reason'), [setFocus]);

  const submit = form.handleSubmit(async (v) => {
    server.clear();
    try {
      const { data } = await end({ variables: { input: { id: partner.id, reason: v.reason.trim() } } });
      if (data) onDone(data.endPartnership);
    } catch (error) {
      server.apply(error, ['reason']);
    }
  });

  return (
    <form ref={server.ref} className="card form form--danger" onSubmit={submit} noValidate aria-labelledby="end-title">
      <h2 id="end-title">{invitation ? `Withdraw the invitation to ${name}` : `End the partnership with ${name}`}</h2>
      <p className="muted">
        {invitation
          ? `${name} will no longer be able to accept it.`
          : `No new referral can then be sent between your organizations, and ${name}’s practitioners leave your directory. Referrals already open run their course.`}
      </p>
      <FormAlert errors={server.alert} titles={{ CONFLICT: 'Already changed' }} />
      <TextAreaField label="Reason" required rows={2} hint={`${name} sees it.`} {...form.register('reason')} error={fieldError(form.formState.errors, 'reason')} />
      <div className="form-actions">
        <SubmitButton busy={loading} busyLabel="Saving…">
          {invitation ? 'Withdraw invitation' : 'End partnership'}
        </SubmitButton>
        <button type="button" className="button button--quiet" onClick={onCancel}>
          Keep it
        </button>
      </div>
    </form>
  );
}

/** Accept or decline an invitation this organization received. */
function RespondButtons({ partner, onDone, onError }: { partner: Partner; onDone(p: Partner): void; onError(e: FormErrors): void }) {
  const [respond, { loading }] = useMutation(RESPOND_TO_PARTNER_INVITATION);
  const name = partner.partnerOrganization.name;
  const answer = async (accept: boolean) => {
    onError(NO_ERRORS);
    try {
      const { data } = await respond({ variables: { input: { id: partner.id, accept } } });
      if (data) onDone(data.respondToPartnerInvitation);
    } catch (error) {
      onError(readErrors(error, []));
    }
  };
  return (
    <span className="row-actions">
      <button type="button" className="button button--primary" disabled={loading} onClick={() => void answer(true)} aria-label={`Accept ${name}’s invitation`}>
        Accept
      </button>
      <button type="button" className="button" disabled={loading} onClick={() => void answer(false)} aria-label={`Decline ${name}’s invitation`}>
        Decline
      </button>
    </span>
  );
}

export function PartnersPage() {
  const me = useMe();
  const isAdmin = me.roles.includes('ORG_ADMIN');
  const { data, error, loading, refetch } = useQuery(REFERRAL_PARTNERS, { fetchPolicy: 'cache-and-network' });
  const [ending, setEnding] = useState<Partner | null>(null);
  const [actionError, setActionError] = useState<FormErrors>(NO_ERRORS);
  const [notice, setNotice] = useState<string | null>(null);

  const partners = sortPartners(data?.referralPartners ?? []);
  const active = partners.filter((p) => p.status === 'ACTIVE').length;
  const waiting = partners.filter((p) => p.status === 'INVITED' && p.direction === 'INCOMING');

  const done = (message: string) => {
    setEnding(null);
    setNotice(message);
    void refetch();
  };

  const columns: Column<Partner>[] = [
    {
      header: 'Organization',
      rowHeader: true,
      cell: (p) => (
        <>
          {p.partnerOrganization.name}
          <span className="muted small block">{p.partnerOrganization.slug}</span>
        </>
      ),
    },
    {
      header: 'Status',
      cell: (p) => (
        <>
          <span className={`status status--${p.status.toLowerCase()}`}>{PARTNERSHIP_STATUS_LABELS[p.status]}</span>
          <span className="small block">{partnershipSentence(p, me.organization.id, isAdmin)}</span>
        </>
      ),
    },
    { header: 'Note', cell: (p) => (p.note ? <span className="small">“{p.note}”</span> : <span className="muted">—</span>) },
  ];
  if (isAdmin) {
    columns.push({
      header: <span className="visually-hidden">Actions</span>,
      className: 'nowrap',
      cell: (p) => {
        if (p.status === 'INVITED' && p.direction === 'INCOMING') {
          return (
            <RespondButtons
              partner={p}
              onError={setActionError}
              onDone={(r) => done(r.status === 'ACTIVE' ? `${r.partnerOrganization.name} is now a referral partner; its practitioners are in your directory.` : `You declined ${r.partnerOrganization.name}’s invitation.`)}
            />
          );
        }
        if (p.status === 'INVITED' || p.status === 'ACTIVE') {
          const label = p.status === 'INVITED' ? 'Withdraw invitation' : 'End partnership';
          return (
            <button
              type="button"
              className="button"
              aria-label={`${label} with ${p.partnerOrganization.name}`}
              aria-expanded={ending?.id === p.id}
              onClick={() => {
                setNotice(null);
                setEnding(p);
              }}
            >
              {label}
            </button>
          );
        }
        return null;
      },
    });
  }

  return (
    <>
      <PageHeader
        title="Referral partners"
        description="Organizations whose practitioners and clinics you can refer clients to, and who can refer to yours."
        actions={
          <Link to="/directory" className="button">
            Open the directory
          </Link>
        }
      />
      <div className="network-page">
      <div className="card slug-card">
        <p>
          Your organization’s slug is <code className="slug">{me.organization.slug}</code>. Give it to an organization that wants to invite {me.organization.name} as a partner.
        </p>
        {!isAdmin ? (
          <p className="muted">You can see your organization’s partnerships here. Inviting a partner, answering an invitation and ending a partnership are for an organization admin.</p>
        ) : null}
      </div>
      {notice ? (
        <div className="alert alert--success" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      {waiting.length > 0 && isAdmin ? (
        <div className="alert alert--info" role="note">
          <p>
            {waiting.length === 1 ? `${waiting[0].partnerOrganization.name} has invited` : `${waiting.length} organizations have invited`} your organization to be referral partners: accept or decline below.
          </p>
        </div>
      ) : null}
      <FormAlert errors={actionError} titles={{ CONFLICT: 'Already changed' }} />
      {error ? <QueryError error={error} retry={() => void refetch()} /> : null}
      {!data && loading ? <Loading label="Loading partners…" /> : null}
      {data && partners.length === 0 ? (
        <EmptyState title="No referral partners yet">
          {isAdmin
            ? 'Invite another organization by its slug below. Once they accept, their practitioners and clinics appear in your directory and you can refer clients to each other.'
            : 'When an organization admin invites a partner and it accepts, it appears here and its practitioners appear in the directory.'}
        </EmptyState>
      ) : null}
      {partners.length > 0 ? (
        <section aria-labelledby="partners-title">
          <h2 id="partners-title" className="section-title">
            Partnerships <span className="count">{active} active</span>
          </h2>
          <DataTable label="Referral partnerships" columns={columns} rows={partners} rowKey={(p) => p.id} rowClassName={(p) => (p.status === 'DECLINED' || p.status === 'ENDED' ? 'row--past' : undefined)} />
        </section>
      ) : null}
      {ending ? (
        <EndPartnershipForm
          key={ending.id}
          partner={ending}
          onCancel={() => setEnding(null)}
          onDone={(p) => done(p.status === 'ENDED' && ending.status === 'INVITED' ? `You withdrew the invitation to ${p.partnerOrganization.name}.` : `The partnership with ${p.partnerOrganization.name} has ended.`)}
        />
      ) : null}
      {isAdmin ? <InvitePartnerForm onInvited={(p) => setNotice(`Invitation sent to ${p.partnerOrganization.name}. They appear as partners once their organization admin accepts.`)} /> : null}
      </div>
    </>
  );
}
