import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { useFieldArray } from 'react-hook-form';
import { z } from 'zod';
import { FormAlert, SelectField, SubmitButton, TextAreaField, TextField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { EmptyState, Loading, QueryError } from '../../components/status';
import { graphql } from '../../gql';
import type { Channel, ReminderKind, ReminderPolicyFieldsFragment } from '../../gql/graphql';
import { useClinic } from '../../lib/clinic-context';
import { readErrors } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { fieldError, useServerErrors, useZodForm } from '../../lib/form';
import { CHANNEL_LABEL, KIND_LABEL } from './reminder-format';

const POLICY_FIELDS = graphql(`
  fragment ReminderPolicyFields on ReminderPolicy {
    clinicId
    isDefault
    leadMinutes
    channels
    quietHours {
      start
      end
    }
    templates {
      kind
      email {
        subject
        text
      }
      sms {
        text
      }
      placeholders
    }
    builtInTemplates {
      kind
      email {
        subject
        text
      }
      sms {
        text
      }
      placeholders
    }
    updatedAt
  }
`);

const REMINDER_POLICY = graphql(`
  query ReminderPolicy($clinicId: ID!) {
    reminderPolicy(clinicId: $clinicId) {
      ...ReminderPolicyFields
    }
  }
`);

const SET_REMINDER_POLICY = graphql(`
  mutation SetReminderPolicy($clinicId: ID!, $input: ReminderPolicyInput!) {
    setReminderPolicy(clinicId: $clinicId, input: $input) {
      ...ReminderPolicyFields
    }
  }
`);

const REMINDER_PREVIEW = graphql(`
  query ReminderPreview($clinicId: ID!, $input: ReminderPreviewInput!) {
    reminderPreview(clinicId: $clinicId, input: $input) {
      subject
      text
    }
  }
`);

void POLICY_FIELDS;

const KINDS = Object.keys(KIND_LABEL) as ReminderKind[];
const UNITS = { minutes: 1, hours: 60, days: 1440 } as const;
type Unit = keyof typeof UNITS;

const templateSchema = z.object({ custom: z.boolean(), subject: z.string(), emailText: z.string(), smsText: z.string() });
const schema = z
  .object({
    leadTimes: z
      .array(z.object({ amount: z.string().trim().regex(/^\d+$/, 'Enter a whole number.'), unit: z.enum(['minutes', 'hours', 'days']) }))
      .min(1, 'Add at least one reminder time.')
      .max(6, 'At most six reminder times.'),
    email: z.boolean(),
    sms: z.boolean(),
    quiet: z.boolean(),
    quietStart: z.string(),
    quietEnd: z.string(),
    templates: z.record(z.enum(KINDS as [ReminderKind, ...ReminderKind[]]), templateSchema),
  })
  .superRefine((v, ctx) => {
    if (!v.email && !v.sms) ctx.addIssue({ code: 'custom', path: ['email'], message: 'Choose at least one channel.' });
    if (v.quiet) {
      if (!/^\d{2}:\d{2}$/.test(v.quietStart)) ctx.addIssue({ code: 'custom', path: ['quietStart'], message: 'Enter a time such as 21:00.' });
      if (!/^\d{2}:\d{2}$/.test(v.quietEnd)) ctx.addIssue({ code: 'custom', path: ['quietEnd'], message: 'Enter a time such as 08:00.' });
    }
    for (const kind of KINDS) {
      const t = v.templates[kind];
      if (!t?.custom) continue;
      if (!t.subject.trim()) ctx.addIssue({ code: 'custom', path: ['templates', kind, 'subject'], message: 'Write a subject, or use the built-in text.' });
      if (!t.emailText.trim()) ctx.addIssue({ code: 'custom', path: ['templates', kind, 'emailText'], message: 'Write the email, or use the built-in text.' });
      if (!t.smsText.trim()) ctx.addIssue({ code: 'custom', path: ['templates', kind, 'smsText'], message: 'Write the text message, or use the built-in text.' });
    }
  });
type Values = z.input<typeof schema>;

/** 2880 → 2 days; 120 → 2 hours; 90 → 90 minutes. */
function toLeadTime(minutes: number): { amount: string; unit: Unit } {
  if (minutes % 1440 === 0) return { amount: String(minutes / 1440), unit: 'days' };
  if (minutes % 60 === 0) return { amount: String(minutes / 60), unit: 'hours' };
  return { amount: String(minutes), unit: 'minutes' };
}

function toValues(p: ReminderPolicyFieldsFragment): Values {
  const templates = {} as Values['templates'];
  for (const kind of KINDS) {
    const own = p.templates.find((t) => t.kind === kind);
    const builtIn = p.builtInTemplates.find((t) => t.kind === kind);
    templates[kind] = {
      custom: Boolean(own),
      subject: own?.email?.subject ?? builtIn?.email?.subject ?? '',
      emailText: own?.email?.text ?? builtIn?.email?.text ?? '',
      smsText: own?.sms?.text ?? builtIn?.sms?.text ?? '',
    };
  }
  return {
    leadTimes: p.leadMinutes.map(toLeadTime),
    email: p.channels.includes('EMAIL'),
    sms: p.channels.includes('SMS'),
    quiet: p.quietHours !== null,
    quietStart: p.quietHours?.start ?? '21:00',
    quietEnd: p.quietHours?.end ?? '08:00',
    templates,
  };
}

/** The reminder policy of the clinic chosen in the header: when, how, when not, and in which words. */
export function ReminderPolicyPage() {
  const { clinics, clinicId, setClinicId, loading: clinicsLoading } = useClinic();
  const chosen = clinicId ?? clinics[0]?.id ?? null;
  const { data, loading, error, refetch } = useQuery(REMINDER_POLICY, { variables: { clinicId: chosen ?? '' }, skip: !chosen, fetchPolicy: 'cache-and-network' });
  const policy = data?.reminderPolicy;
  return (
    <>
      <PageHeader
        title="Reminder settings"
        description="When clients are reminded of their appointments, on which channels, the hours when no message goes out, and the words each reminder uses."
      />
      {clinics.length > 1 ? (
        <div className="toolbar" role="group" aria-label="Clinic">
          <SelectField label="Clinic" name="clinic" value={chosen ?? ''} onChange={(e) => setClinicId(e.target.value)}>
            {clinics.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
        </div>
      ) : null}
      {!chosen && !clinicsLoading ? <EmptyState title="No clinic yet">Reminder settings belong to a clinic: add a clinic first.</EmptyState> : null}
      {error ? <QueryError error={error} retry={() => void refetch()} /> : null}
      {!policy && loading ? <Loading label="Loading the reminder settings…" /> : null}
      {policy && chosen && policy.clinicId === chosen ? <PolicyForm key={chosen} clinicId={chosen} policy={policy} /> : null}
    </>
  );
}

function PolicyForm({ clinicId, policy }: { clinicId: string; policy: ReminderPolicyFieldsFragment }) {
  const form = useZodForm(schema, { defaultValues: toValues(policy) });
  const server = useServerErrors(form);
  const lead = useFieldArray({ control: form.control, name: 'leadTimes' });
  const [kind, setKind] = useState<ReminderKind>('APPOINTMENT');
  const [saved, setSaved] = useState(false);
  const [save, { loading }] = useMutation(SET_REMINDER_POLICY, {
    update: (cache, { data }) => {
      if (data) cache.writeQuery({ query: REMINDER_POLICY, variables: { clinicId }, data: { reminderPolicy: data.setReminderPolicy } });
    },
  });
  const { errors } = form.formState;
  const err = (path: string) => fieldError(errors, path);
  const quiet = form.watch('quiet');
  const custom = form.watch(`templates.${kind}.custom`);
  const placeholders = policy.builtInTemplates.find((t) => t.kind === kind)?.placeholders ?? [];

  const submit = form.handleSubmit(async (v) => {
    server.clear();
    setSaved(false);
    const customKinds = KINDS.filter((k) => v.templates[k]?.custom);
    const input = {
      leadMinutes: v.leadTimes.map((l) => Number(l.amount) * UNITS[l.unit]),
      channels: [...(v.email ? ['EMAIL' as const] : []), ...(v.sms ? ['SMS' as const] : [])],
      quietHours: v.quiet ? { start: v.quietStart, end: v.quietEnd } : null,
      templates: customKinds.map((k) => ({ kind: k, email: { subject: v.templates[k].subject, text: v.templates[k].emailText }, sms: { text: v.templates[k].smsText } })),
    };
    try {
      await save({ variables: { clinicId, input } });
      setSaved(true);
    } catch (error) {
      // The server names the input it received: leadMinutes.N, channels, quietHours.start, templates.N.email.subject.
      const shown = server.apply(error, ['leadTimes', 'email', 'quietStart', 'quietEnd', 'templates'], (field) => {
        let m = /^leadMinutes\.(\d+)/.exec(field);
        if (m) return `leadTimes.${m[1]}.amount`;
        if (field === 'leadMinutes') return 'leadTimes';
        if (field === 'channels') return 'email';
        m = /^quietHours\.(start|end)/.exec(field);
        if (m) return m[1] === 'start' ? 'quietStart' : 'quietEnd';
        m = /^templates\.(\d+)\.(email|sms)(?:\.(subject|text))?/.exec(field);
        if (m && customKinds[Number(m[1])]) {
          const k = customKinds[Number(m[1])];
          setKind(k);
          return `templates.${k}.${m[2] === 'sms' ? 'smsText' : m[3] === 'subject' ? 'subject' : 'emailText'}`;
        }
        return field;
      });
      void shown;
    }
  });

  return (
    <form ref={server.ref} className="card form" onSubmit={submit} noValidate aria-label="Reminder settings">
      <FormAlert errors={server.alert} />
      {saved ? (
        <div className="alert alert--success" role="status">
          Saved. New bookings are reminded this way; reminders already planned follow at their next change.
        </div>
      ) : null}
      <p className="muted small">
        {policy.isDefault ? 'This clinic uses the standard settings: 2 days and 2 hours before, by email and text, quiet from 21:00 to 08:00.' : `Last changed ${formatDateTime(policy.updatedAt ?? '')}.`}
      </p>

      <fieldset className="form-grid">
        <legend className="section-title">When to remind</legend>
        {lead.fields.map((f, i) => (
          <div key={f.id} className="lead-row span-2">
            <TextField label={`Reminder ${i + 1}`} required inputMode="numeric" {...form.register(`leadTimes.${i}.amount`)} error={err(`leadTimes.${i}.amount`)} />
            <SelectField label={`Reminder ${i + 1} unit`} required {...form.register(`leadTimes.${i}.unit`)}>
              <option value="minutes">minutes before</option>
              <option value="hours">hours before</option>
              <option value="days">days before</option>
            </SelectField>
            {lead.fields.length > 1 ? (
              <button type="button" className="button button--quiet" onClick={() => lead.remove(i)} aria-label={`Remove reminder ${i + 1}`}>
                Remove
              </button>
            ) : null}
          </div>
        ))}
        {err('leadTimes') ? <p className="field-error span-2">{err('leadTimes')}</p> : null}
        {lead.fields.length < 6 ? (
          <div className="span-2">
            <button type="button" className="button" onClick={() => lead.append({ amount: '1', unit: 'days' })}>
              Add a reminder time
            </button>
          </div>
        ) : null}
      </fieldset>

      <fieldset className="form-grid">
        <legend className="section-title">Channels</legend>
        <label className="check">
          <input type="checkbox" {...form.register('email')} aria-invalid={err('email') ? true : undefined} /> Email
        </label>
        <label className="check">
          <input type="checkbox" {...form.register('sms')} /> Text message
        </label>
        {err('email') ? <p className="field-error span-2">{err('email')}</p> : null}
        <p className="muted small span-2">A client who prefers one channel is reminded on it; a client who states no preference, on each channel chosen here.</p>
      </fieldset>

      <fieldset className="form-grid">
        <legend className="section-title">Quiet hours</legend>
        <label className="check span-2">
          <input type="checkbox" {...form.register('quiet')} /> No messages during quiet hours (clinic time)
        </label>
        {quiet ? (
          <>
            <TextField label="Quiet from" type="time" {...form.register('quietStart')} error={err('quietStart')} />
            <TextField label="Quiet until" type="time" {...form.register('quietEnd')} error={err('quietEnd')} />
          </>
        ) : null}
      </fieldset>

      <fieldset className="form-grid">
        <legend className="section-title">Wording</legend>
        <SelectField label="Reminder" name="kind" value={kind} onChange={(e) => setKind(e.target.value as ReminderKind)} className="span-2">
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
              {form.getValues(`templates.${k}.custom`) ? ' (own wording)' : ''}
            </option>
          ))}
        </SelectField>
        <label className="check span-2">
          <input type="checkbox" {...form.register(`templates.${kind}.custom`)} /> Use this clinic’s own wording for “{KIND_LABEL[kind]}”
        </label>
        <p className="muted small span-2">
          Placeholders you can use: {placeholders.map((p) => `{{${p}}}`).join(' ')}
        </p>
        <TextField label="Email subject" {...form.register(`templates.${kind}.subject`)} error={err(`templates.${kind}.subject`)} disabled={!custom} className="span-2" />
        <TextAreaField label="Email text" rows={8} {...form.register(`templates.${kind}.emailText`)} error={err(`templates.${kind}.emailText`)} disabled={!custom} />
        <Preview clinicId={clinicId} kind={kind} channel="EMAIL" subject={form.watch(`templates.${kind}.subject`)} text={form.watch(`templates.${kind}.emailText`)} own={custom} />
        <TextAreaField label="Text message" rows={4} {...form.register(`templates.${kind}.smsText`)} error={err(`templates.${kind}.smsText`)} disabled={!custom} />
        <Preview clinicId={clinicId} kind={kind} channel="SMS" text={form.watch(`templates.${kind}.smsText`)} own={custom} />
      </fieldset>

      <div className="form-actions">
        <SubmitButton busy={loading} busyLabel="Saving…">
          Save reminder settings
        </SubmitButton>
      </div>
    </form>
  );
}

/** What the client would receive, rendered by the API as the worker renders it (debounced while typing). */
function Preview({ clinicId, kind, channel, subject, text, own }: { clinicId: string; kind: ReminderKind; channel: Channel; subject?: string; text: string; own: boolean }) {
  const [input, setInput] = useState({ kind, channel, subject: own ? subject : null, text: own ? text : null });
  useEffect(() => {
    const id = setTimeout(() => setInput({ kind, channel, subject: own && channel === 'EMAIL' ? (subject ?? null) : null, text: own ? text : null }), 300);
    return () => clearTimeout(id);
  }, [kind, channel, subject, text, own]);
  const { data, error, previousData } = useQuery(REMINDER_PREVIEW, { variables: { clinicId, input } });
  const shown = (data ?? previousData)?.reminderPreview;
  const read = error ? readErrors(error) : null;
  // The API names the template's problem (an unknown placeholder, unbalanced braces) on its field.
  const problem = read ? (Object.values(read.fields)[0] ?? read.form) : null;
  return (
    <section className="record" aria-label={`${CHANNEL_LABEL[channel]} preview`} aria-live="polite">
      <h3 className="small muted">{CHANNEL_LABEL[channel]} preview</h3>
      {problem ? (
        <p className="field-error">{problem}</p>
      ) : shown ? (
        <>
          {shown.subject ? <p><strong>{shown.subject}</strong></p> : null}
          <pre className="preview-text">
            {shown.text}
          </pre>
        </>
      ) : (
        <Loading label="Preparing the preview…" />
      )}
    </section>
  );
}
