import { formatExpiry, invitationEmail } from './invitation-email';

const input = {
  inviteeName: 'Rosa Ruiz',
  inviterName: 'Ada <Admin>',
  organizationName: 'Acme & Sons',
  role: 'FRONT_DESK' as const,
  link: 'https://admin.example.com/accept-invitation?token=abc.123.x_y',
  expiresAt: new Date('2026-12-01T10:30:00Z'),
};

describe('invitation email', () => {
  const mail = invitationEmail(input);

  it('says who invited them, to which organization, as what, until when, and links to acceptance', () => {
    expect(mail.subject).toBe('Ada <Admin> invited you to Acme & Sons on Fascia');
    expect(mail.text).toContain('Ada <Admin> has invited you to join Acme & Sons on Fascia as front desk.');
    expect(mail.text).toContain(input.link);
    expect(mail.text).toContain(`expires on ${formatExpiry(input.expiresAt)}`);
    expect(formatExpiry(input.expiresAt)).toBe('Tuesday, 1 December 2026 at 10:30 UTC');
  });

  it('escapes names in the HTML part', () => {
    expect(mail.html).toContain('Ada &lt;Admin&gt;');
    expect(mail.html).toContain('Acme &amp; Sons');
    expect(mail.html).not.toContain('<Admin>');
    expect(mail.html).toContain(`href="${input.link}"`);
  });
});
