import { DEFAULT_TEMPLATES, TEMPLATE_VARIABLES, TemplateError, renderReminder, renderTemplate, validateTemplate } from './templates';

const ALLOWED = ['clientName', 'clinicName'];

describe('reminder templates', () => {
  it.each([
    ['plain text', 'Hello', {}, 'Hello'],
    ['one placeholder', 'Hello {{clientName}}', { clientName: 'Rosa' }, 'Hello Rosa'],
    ['spaces inside braces', 'Hello {{ clientName }}!', { clientName: 'Rosa' }, 'Hello Rosa!'],
    ['the same twice', '{{clinicName}} / {{clinicName}}', { clinicName: 'Acme' }, 'Acme / Acme'],
    ['values are not re-expanded', '{{clientName}}', { clientName: '{{clinicName}}' }, '{{clinicName}}'],
  ])('renders %s', (_label, template, vars, expected) => {
    expect(renderTemplate(template, vars, ALLOWED)).toBe(expected);
  });

  it.each([
    ['an unknown placeholder, named', 'Hi {{firstName}}', /unknown placeholder \{\{firstName\}\}/, 'firstName'],
    ['a placeholder that is not a name', 'Hi {{client-name}}', /"\{\{client-name\}\}" is not a placeholder name/, 'client-name'],
    ['unbalanced braces', 'Hi {{clientName}', /unbalanced braces/, undefined],
    ['an empty template', '   ', /is empty/, undefined],
  ])('refuses %s', (_label, template, message, placeholder) => {
    expect(() => validateTemplate(template, ALLOWED)).toThrow(message);
    try {
      validateTemplate(template, ALLOWED);
    } catch (err) {
      expect(err).toBeInstanceOf(TemplateError);
      expect((err as TemplateError).placeholder).toBe(placeholder);
    }
  });

  it('names a placeholder that has no value', () => {
    expect(() => renderTemplate('Hi {{clinicName}}', {}, ALLOWED)).toThrow(/no value for \{\{clinicName\}\}/);
  });

  it('every default template is valid for its kind and channel', () => {
    for (const [kind, t] of Object.entries(DEFAULT_TEMPLATES)) {
      const allowed = TEMPLATE_VARIABLES[kind as keyof typeof TEMPLATE_VARIABLES];
      expect(() => validateTemplate(t.EMAIL.subject, allowed)).not.toThrow();
      expect(() => validateTemplate(t.EMAIL.text, allowed)).not.toThrow();
      expect(() => validateTemplate(t.SMS.text, allowed)).not.toThrow();
    }
  });

  it("uses a clinic's own template and says where an error is", () => {
    const vars = { clientName: 'Rosa', clinicName: 'Acme', practitionerName: 'Pat', items: '- Chin tucks' };
    expect(renderReminder('HOME_CARE', 'SMS', vars, { SMS: { text: 'Hi {{clientName}}: {{items}}' } })).toEqual({ subject: '', text: 'Hi Rosa: - Chin tucks' });
    expect(() => renderReminder('HOME_CARE', 'EMAIL', vars, { EMAIL: { subject: 'x', text: '{{appointmentTime}}' } })).toThrow(
      /HOME_CARE email text: unknown placeholder \{\{appointmentTime\}\}/,
    );
  });
});
