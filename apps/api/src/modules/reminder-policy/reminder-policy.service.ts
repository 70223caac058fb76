import { Clinic, ReminderPolicyRecord, systemClock, type Clock, type Db, type ReminderKind, type ReminderTemplates, type TenantTx } from '@fascia/db';
import { DEFAULT_REMINDER_POLICY, DEFAULT_TEMPLATES, ReminderPolicyError, TEMPLATE_VARIABLES, TemplateError, parseReminderPolicy, renderTemplate, validateTemplate } from '@fascia/follow-up';
import { DateTime } from 'luxon';
import type { Tenant } from '../../context';
import { badInput, forbidden, fromIssues, notFound } from '../../common/errors';
import { parse, uuid } from '../../common/validation';
import { canManageClinic } from '../clinic/clinic.service';
import type { ReminderPolicyType, ReminderPreviewType, ReminderTemplateType } from './reminder-policy.types';

/** The GraphQL input, before validation (type-graphql only guarantees its shape). */
interface PolicyInput {
  leadMinutes?: number[] | null;
  channels?: string[] | null;
  quietHours?: { start: string; end: string } | null;
  templates?: { kind: ReminderKind; email?: { subject: string; text: string } | null; sms?: { text: string } | null }[] | null;
}

const CHANNEL_KEY = { EMAIL: 'email', SMS: 'sms' } as const;

/**
 * A clinic's reminder policy (docs/worker.md §Reminder policy). Validated by the worker's
 * own `parseReminderPolicy` (packages/follow-up), so the API can never store a policy the worker
 * would refuse; its issues become BAD_USER_INPUT naming the input field (and, for a
 * template, the placeholder). One row per clinic, upserted with its audit event.
 */
export class ReminderPolicyService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  get(tenant: Tenant, clinicId: string): Promise<ReminderPolicyType> {
    parse(uuid, clinicId, 'clinicId');
    return this.db.tenant(tenant, async (tx) => {
      await this.authorize(tx, tenant, clinicId, 'see');
      const row = await tx.repo(ReminderPolicyRecord).findOneBy({ clinicId });
      return toView(clinicId, row);
    });
  }

  set(tenant: Tenant, clinicId: string, input: PolicyInput): Promise<ReminderPolicyType> {
    parse(uuid, clinicId, 'clinicId');
    // Templates arrive as a list (one per kind); the validator takes { [kind]: { EMAIL?, SMS? } }.
    const indexOfKind = new Map<ReminderKind, number>();
    const templates: Partial<Record<ReminderKind, ReminderTemplates>> = {};
    (input.templates ?? []).forEach((t, i) => {
      if (indexOfKind.has(t.kind)) throw badInput(`input.templates[${i}].kind`, `input.templates[${i}].kind: ${t.kind} appears twice; give one template per kind.`);
      indexOfKind.set(t.kind, i);
      templates[t.kind] = { ...(t.email ? { EMAIL: { subject: t.email.subject, text: t.email.text } } : {}), ...(t.sms ? { SMS: { text: t.sms.text } } : {}) };
    });
    let policy: ReturnType<typeof parseReminderPolicy>;
    try {
      policy = parseReminderPolicy({ leadMinutes: input.leadMinutes, channels: input.channels, quietHours: input.quietHours ?? null, templates });
    } catch (err) {
      if (err instanceof ReminderPolicyError) throw fromPolicyError(err, templates, indexOfKind);
      throw err;
    }
    const quietStart = policy.quietHours?.start ?? '00:00';
    const quietEnd = policy.quietHours?.end ?? '00:00';
    return this.db.tenant(tenant, async (tx) => {
      await this.authorize(tx, tenant, clinicId, 'change');
      const [row] = (await tx.em.query(
        `INSERT INTO reminder_policy (organization_id, clinic_id, lead_minutes, channels, quiet_start, quiet_end, templates)
         VALUES ($1, $2, $3::int[], $4::text[], $5, $6, $7::jsonb)
         ON CONFLICT (organization_id, clinic_id) DO UPDATE SET lead_minutes = EXCLUDED.lead_minutes, channels = EXCLUDED.channels,
           quiet_start = EXCLUDED.quiet_start, quiet_end = EXCLUDED.quiet_end, templates = EXCLUDED.templates, updated_at = now()
         RETURNING id, (xmax = 0) AS created`,
        [tenant.organizationId, clinicId, policy.leadMinutes, policy.channels, quietStart, quietEnd, JSON.stringify(policy.templates)],
      )) as { id: string; created: boolean }[];
      await tx.audit({
        action: 'reminder_policy.set',
        recordType: 'reminder_policy',
        recordId: row.id,
        detail: { clinicId, created: row.created, leadMinutes: policy.leadMinutes, channels: policy.channels, quietHours: policy.quietHours, templateKinds: Object.keys(policy.templates) },
      });
      return toView(clinicId, await tx.repo(ReminderPolicyRecord).findOneBy({ id: row.id }));
    });
  }

  /**
   * A template rendered as the worker renders it (`renderTemplate`, the same placeholders per
   * kind), with the clinic's own name, phone and time zone and sample values for the rest.
   * Nothing is stored; an empty or unknown text is BAD_USER_INPUT naming the field (and the placeholder).
   */
  preview(tenant: Tenant, clinicId: string, input: { kind: ReminderKind; channel: 'EMAIL' | 'SMS'; subject?: string | null; text?: string | null }): Promise<ReminderPreviewType> {
    parse(uuid, clinicId, 'clinicId');
    return this.db.tenant(tenant, async (tx) => {
      await this.authorize(tx, tenant, clinicId, 'see');
      const clinic = await tx.repo(Clinic).findOneBy({ id: clinicId });
      const zone = clinic?.timeZone ?? 'UTC';
      const start = DateTime.fromJSDate(this.clock.now(), { zone }).plus({ days: 2 }).set({ hour: 10, minute: 30, second: 0, millisecond: 0 });
      const vars: Record<string, string> = {
        clientName: 'Alex Sample',
        clinicName: clinic?.name ?? 'Your clinic',
        clinicPhone: clinic?.phone ?? '(the clinic’s phone)',
        practitionerName: 'Sam Practitioner',
        appointmentTime: start.setLocale('en-GB').toFormat("cccc d LLLL yyyy 'at' HH:mm ZZZZ"),
        confirmLink: 'https://example.invalid/appointment/confirm?token=…',
        cancelLink: 'https://example.invalid/appointment/cancel?token=…',
        bookingHint: `Your next visit is on ${start.setLocale('en-GB').toFormat('cccc d LLLL yyyy')}: ask for the re-assessment then.`,
        interval: 'every 4 weeks',
        dueDate: start.plus({ weeks: 2 }).setLocale('en-GB').toFormat('cccc d LLLL yyyy'),
        items: '- Hamstring stretch, 3 × 30 s\n- Walk 20 minutes',
      };
      const builtIn = DEFAULT_TEMPLATES[input.kind];
      const allowed = TEMPLATE_VARIABLES[input.kind];
      const render = (text: string, field: string) => {
        try {
          return renderTemplate(text, vars, allowed, field);
        } catch (e) {
          if (e instanceof TemplateError) throw badInput(`input.${field}`, e.message, e.placeholder !== undefined ? { placeholder: e.placeholder } : {});
          throw e;
        }
      };
      if (input.channel === 'EMAIL') {
        return { subject: render(input.subject ?? builtIn.EMAIL.subject, 'subject'), text: render(input.text ?? builtIn.EMAIL.text, 'text') };
      }
      return { subject: null, text: render(input.text ?? builtIn.SMS.text, 'text') };
    });
  }

  /** Another organization's clinic is NOT_FOUND (it looks like a missing one); a manager of other clinics is FORBIDDEN. */
  private async authorize(tx: TenantTx, tenant: Tenant, clinicId: string, verb: string): Promise<void> {
    if (!(await tx.repo(Clinic).existsBy({ id: clinicId }))) throw notFound('clinic', clinicId);
    if (!canManageClinic(tenant, clinicId)) throw forbidden(`Only an organization admin or this clinic’s manager can ${verb} its reminder policy.`);
  }
}

function toView(clinicId: string, row: ReminderPolicyRecord | null): ReminderPolicyType {
  if (!row) {
    const d = DEFAULT_REMINDER_POLICY;
    return {
      clinicId,
      isDefault: true,
      leadMinutes: [...d.leadMinutes],
      channels: [...d.channels],
      quietHours: d.quietHours ? { ...d.quietHours } : null,
      templates: [],
      builtInTemplates: BUILT_IN,
      updatedAt: null,
    };
  }
  const templates: ReminderTemplateType[] = Object.entries(row.templates ?? {}).map(([kind, t]) => ({
    kind: kind as ReminderKind,
    email: t?.EMAIL ?? null,
    sms: t?.SMS ?? null,
    placeholders: [...(TEMPLATE_VARIABLES[kind as ReminderKind] ?? [])],
  }));
  return {
    clinicId,
    isDefault: false,
    leadMinutes: [...row.leadMinutes].sort((a, b) => b - a),
    channels: row.channels,
    quietHours: row.quietStart === row.quietEnd ? null : { start: row.quietStart, end: row.quietEnd },
    templates,
    builtInTemplates: BUILT_IN,
    updatedAt: row.updatedAt,
  };
}

const BUILT_IN: ReminderTemplateType[] = (Object.keys(DEFAULT_TEMPLATES) as ReminderKind[]).map((kind) => ({
  kind,
  email: { ...DEFAULT_TEMPLATES[kind].EMAIL },
  sms: { ...DEFAULT_TEMPLATES[kind].SMS },
  placeholders: [...TEMPLATE_VARIABLES[kind]],
}));

/** The validator's dotted paths (`templates.APPOINTMENT.EMAIL.subject`, `leadMinutes.0`) → the input's (`input.templates[0].email.subject`, `input.leadMinutes[0]`). */
function fromPolicyError(err: ReminderPolicyError, templates: Partial<Record<ReminderKind, ReminderTemplates>>, indexOfKind: Map<ReminderKind, number>) {
  const issues = err.issues.map((issue) => {
    const parts = issue.path === '' ? [] : issue.path.split('.');
    let field: string;
    let placeholder: string | undefined;
    if (parts[0] === 'templates' && parts.length >= 2 && indexOfKind.has(parts[1] as ReminderKind)) {
      const kind = parts[1] as ReminderKind;
      const channel = parts[2] as keyof typeof CHANNEL_KEY | undefined;
      field = `input.templates[${indexOfKind.get(kind)}]${channel ? `.${CHANNEL_KEY[channel] ?? channel}` : ''}${parts.slice(3).map((p) => `.${p}`).join('')}`;
      // The same check again, to name the placeholder in `extensions` (the validator's message names it too).
      const text = channel && parts[3] ? (templates[kind]?.[channel] as Record<string, string> | undefined)?.[parts[3]] : undefined;
      if (typeof text === 'string') {
        try {
          validateTemplate(text, TEMPLATE_VARIABLES[kind]);
        } catch (e) {
          if (e instanceof TemplateError) placeholder = e.placeholder;
        }
      }
    } else {
      field = ['input', ...parts].join('.').replace(/\.(\d+)/g, '[$1]');
    }
    return { field, message: issue.message, ...(placeholder !== undefined ? { placeholder } : {}) };
  });
  return fromIssues(issues);
}
