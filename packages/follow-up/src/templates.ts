import type { ReminderKind, ReminderTemplates } from './vocabulary';

/** Raised for a template that cannot be rendered: it names the placeholder. Never worth a retry. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly placeholder?: string,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** The placeholders each kind of reminder may use. `{{name}}`, letters/digits only. */
export const TEMPLATE_VARIABLES: { readonly [K in ReminderKind]: readonly string[] } = {
  APPOINTMENT: ['clientName', 'clinicName', 'clinicPhone', 'practitionerName', 'appointmentTime', 'confirmLink', 'cancelLink'],
  REASSESSMENT_DUE: ['clientName', 'clinicName', 'clinicPhone', 'practitionerName', 'bookingHint'],
  MAINTENANCE_DUE: ['clientName', 'clinicName', 'clinicPhone', 'practitionerName', 'interval', 'dueDate'],
  MAINTENANCE_FOLLOW_UP: ['clientName', 'clinicName', 'clinicPhone', 'practitionerName', 'interval', 'dueDate'],
  HOME_CARE: ['clientName', 'clinicName', 'practitionerName', 'items'],
};

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const NAME = /^[A-Za-z][A-Za-z0-9]*$/;
const MAX_TEMPLATE_LENGTH = 4000;

/** Checks a template against the kind's placeholders; throws {@link TemplateError} naming the first bad one. */
export function validateTemplate(template: string, allowed: readonly string[], where = 'template'): void {
  if (typeof template !== 'string' || template.trim() === '') throw new TemplateError(`${where} is empty`);
  if (template.length > MAX_TEMPLATE_LENGTH) throw new TemplateError(`${where} is longer than ${MAX_TEMPLATE_LENGTH} characters`);
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1];
    if (!NAME.test(name)) throw new TemplateError(`${where}: "{{${name}}}" is not a placeholder name`, name);
    if (!allowed.includes(name)) throw new TemplateError(`${where}: unknown placeholder {{${name}}} (allowed: ${allowed.join(', ')})`, name);
  }
  const stray = template.replace(PLACEHOLDER, '');
  if (stray.includes('{{') || stray.includes('}}')) throw new TemplateError(`${where}: unbalanced braces`);
}

/** Fills `{{name}}` placeholders. Unknown names and missing values throw a {@link TemplateError}. */
export function renderTemplate(template: string, vars: Readonly<Record<string, string>>, allowed: readonly string[], where = 'template'): string {
  validateTemplate(template, allowed, where);
  return template.replace(PLACEHOLDER, (_m, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new TemplateError(`${where}: no value for {{${name}}}`, name);
    return value;
  });
}

/** The built-in text of every reminder, used when a clinic's policy has none for a kind or channel. */
export const DEFAULT_TEMPLATES: { readonly [K in ReminderKind]: Required<ReminderTemplates> } = {
  APPOINTMENT: {
    EMAIL: {
      subject: 'Reminder: your appointment at {{clinicName}}, {{appointmentTime}}',
      text: [
        'Hello {{clientName}},',
        '',
        'This is a reminder of your appointment with {{practitionerName}} at {{clinicName}} on {{appointmentTime}}.',
        '',
        'Confirm that you are coming: {{confirmLink}}',
        'Cannot make it? Cancel here: {{cancelLink}}',
        '',
        'Questions: {{clinicPhone}}',
      ].join('\n'),
    },
    SMS: { text: '{{clinicName}}: appointment with {{practitionerName}} on {{appointmentTime}}. Confirm {{confirmLink}} Cancel {{cancelLink}}' },
  },
  REASSESSMENT_DUE: {
    EMAIL: {
      subject: 'Time for your re-assessment at {{clinicName}}',
      text: [
        'Hello {{clientName}},',
        '',
        'You are due for a re-assessment with {{practitionerName}}: we measure your progress against your plan and decide the next step together.',
        '{{bookingHint}}',
        '',
        'Book or ask: {{clinicPhone}}',
      ].join('\n'),
    },
    SMS: { text: '{{clinicName}}: you are due for a re-assessment with {{practitionerName}}. {{bookingHint}} {{clinicPhone}}' },
  },
  MAINTENANCE_DUE: {
    EMAIL: {
      subject: 'Time to book your maintenance visit at {{clinicName}}',
      text: [
        'Hello {{clientName}},',
        '',
        'Your plan keeps the gains with a visit {{interval}}; the next one is due around {{dueDate}}.',
        'Book with {{practitionerName}}: {{clinicPhone}}',
      ].join('\n'),
    },
    SMS: { text: '{{clinicName}}: your maintenance visit is due around {{dueDate}}. Book with {{practitionerName}}: {{clinicPhone}}' },
  },
  MAINTENANCE_FOLLOW_UP: {
    EMAIL: {
      subject: 'We have not seen you for a while at {{clinicName}}',
      text: [
        'Hello {{clientName}},',
        '',
        'Your maintenance visit was due around {{dueDate}} and nothing is booked yet.',
        'A visit {{interval}} keeps the gains. Book with {{practitionerName}}: {{clinicPhone}}',
      ].join('\n'),
    },
    SMS: { text: '{{clinicName}}: your maintenance visit was due around {{dueDate}}. Book with {{practitionerName}}: {{clinicPhone}}' },
  },
  HOME_CARE: {
    EMAIL: {
      subject: 'Your home care for today',
      text: ['Hello {{clientName}},', '', 'Your plan with {{practitionerName}} at {{clinicName}} asks for today:', '{{items}}'].join('\n'),
    },
    SMS: { text: '{{clinicName}} home care today: {{items}}' },
  },
};

export interface RenderedReminder {
  subject: string;
  text: string;
}

/** Renders a reminder with the clinic's template for its kind and channel, or the default. */
export function renderReminder(
  kind: ReminderKind,
  channel: 'EMAIL' | 'SMS',
  vars: Readonly<Record<string, string>>,
  custom?: ReminderTemplates,
): RenderedReminder {
  const allowed = TEMPLATE_VARIABLES[kind];
  if (channel === 'EMAIL') {
    const t = custom?.EMAIL ?? DEFAULT_TEMPLATES[kind].EMAIL;
    return { subject: renderTemplate(t.subject, vars, allowed, `${kind} email subject`), text: renderTemplate(t.text, vars, allowed, `${kind} email text`) };
  }
  const t = custom?.SMS ?? DEFAULT_TEMPLATES[kind].SMS;
  return { subject: '', text: renderTemplate(t.text, vars, allowed, `${kind} SMS text`) };
}
