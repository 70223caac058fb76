import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import type { Role } from '../gql/graphql';
import { AcceptInvitationPage } from '../features/auth/AcceptInvitationPage';
import { SignInPage } from '../features/auth/SignInPage';
import { ClinicDetailPage } from '../features/clinic/ClinicDetailPage';
import { ClinicNewPage } from '../features/clinic/ClinicNewPage';
import { ClinicsPage } from '../features/clinic/ClinicsPage';
import { ClientNewPage } from '../features/client/ClientNewPage';
import { ClientPage } from '../features/client/ClientPage';
import { ClientsPage } from '../features/client/ClientsPage';
import { ReassessmentPage } from '../features/reassessment/ReassessmentPage';
import { ReferPage } from '../features/referral/ReferPage';
import { ReferralPage } from '../features/referral/ReferralPage';
import { ReferralInboxPage, ReferralOutboxPage } from '../features/referral/ReferralsPage';
import { ChartPage } from '../features/chart/ChartPage';
import { IntakePage } from '../features/intake/IntakePage';
import { PlanPage } from '../features/plan/PlanPage';
import { SessionPage } from '../features/session/SessionPage';
import { DirectoryPage } from '../features/directory/DirectoryPage';
import { PartnersPage } from '../features/partners/PartnersPage';

import { CalendarPage } from '../features/calendar/CalendarPage';
import { HomePage, MyDayPage } from '../features/my-day/MyDayPage';
import { PractitionerHoursPage } from '../features/practitioner/PractitionerHoursPage';
import { PractitionerNewPage } from '../features/practitioner/PractitionerNewPage';
import { PractitionersPage } from '../features/practitioner/PractitionersPage';
import { StaffPage } from '../features/staff/StaffPage';
import { AppointmentLinkPage } from '../features/public-link/AppointmentLinkPage';
import { ReminderPolicyPage } from '../features/settings/ReminderPolicyPage';
import { DeliveryLogPage, QueuesPage } from '../features/operations/OperationsPages';
import { AuditPage } from '../features/audit/AuditPage';
import { FhirExportPage } from '../features/operations/FhirExportPage';

/**
 * Who may open a route: `public` (signed out too: sign-in, the invitation link), `member`
 * (anyone signed in to the organization) or the roles listed. Hiding is not the guard —
 * the API refuses too — it keeps people away from pages that would only say "not allowed".
 */
export type Access = 'public' | 'member' | readonly Role[];

export interface AppRoute {
  path: string;
  /** The document title (" · Fascia" is added) and, for nav entries, nothing else. */
  title: string;
  element: ReactNode;
  access: Access;
  /** Listed in the main navigation, in this table's order; `badge` names a count shown beside it (app/router.tsx). */
  nav?: { label: string; exact?: boolean; badge?: 'unreadReferralMessages' };
  /** Shown without the staff frame and sign-in, signed in or not: pages for clients (the reminder links). */
  bare?: boolean;
}

const MANAGERS = ['ORG_ADMIN', 'CLINIC_MANAGER'] as const;
/** The roles that see clinical records (the API's CLINICAL_ROLES); the front desk does not. */
const CLINICAL = ['ORG_ADMIN', 'CLINIC_MANAGER', 'PRACTITIONER'] as const;

/** The one route table of the admin app: path, title, element, who may see it. */
export const ROUTES: AppRoute[] = [
  { path: '/sign-in', title: 'Sign in', element: <SignInPage />, access: 'public' },
  { path: '/accept-invitation', title: 'Accept invitation', element: <AcceptInvitationPage />, access: 'public' },
  // A practitioner lands on their day; everyone else on the dashboard (features/my-day).
  { path: '/', title: 'Dashboard', element: <HomePage />, access: 'member', nav: { label: 'Dashboard', exact: true } },
  { path: '/my-day', title: 'My day', element: <MyDayPage />, access: CLINICAL, nav: { label: 'My day' } },
  { path: '/calendar', title: 'Calendar', element: <CalendarPage />, access: 'member', nav: { label: 'Calendar' } },
  { path: '/clients', title: 'Clients', element: <ClientsPage />, access: 'member', nav: { label: 'Clients' } },
  { path: '/clients/new', title: 'New client', element: <ClientNewPage />, access: 'member' },
  { path: '/clients/:id', title: 'Client', element: <ClientPage />, access: 'member' },
  { path: '/clients/:id/reassessment/new', title: 'Re-assessment', element: <ReassessmentPage />, access: CLINICAL },
  { path: '/clients/:id/refer', title: 'Refer a client', element: <ReferPage />, access: CLINICAL },
  { path: '/clients/:id/chart', title: 'Chart', element: <ChartPage />, access: CLINICAL },
  { path: '/clients/:id/intake', title: 'Intake', element: <IntakePage />, access: CLINICAL },
  { path: '/plans/:id', title: 'Plan', element: <PlanPage />, access: CLINICAL },
  { path: '/appointments/:id', title: 'Session', element: <SessionPage />, access: CLINICAL },
  {
    path: '/referrals',
    title: 'Referrals',
    element: <Navigate to="/referrals/inbox" replace />,
    access: 'member',
    nav: { label: 'Referrals', badge: 'unreadReferralMessages' },
  },
  { path: '/referrals/inbox', title: 'Referrals received', element: <ReferralInboxPage />, access: 'member' },
  { path: '/referrals/outbox', title: 'Referrals sent', element: <ReferralOutboxPage />, access: CLINICAL },
  { path: '/referrals/:id', title: 'Referral', element: <ReferralPage />, access: 'member' },
  { path: '/clinics', title: 'Clinics', element: <ClinicsPage />, access: 'member', nav: { label: 'Clinics' } },
  { path: '/clinics/new', title: 'New clinic', element: <ClinicNewPage />, access: ['ORG_ADMIN'] },
  { path: '/clinics/:id', title: 'Clinic', element: <ClinicDetailPage />, access: 'member' },
  { path: '/practitioners', title: 'Practitioners', element: <PractitionersPage />, access: 'member', nav: { label: 'Practitioners' } },
  { path: '/practitioners/new', title: 'New practitioner', element: <PractitionerNewPage />, access: MANAGERS },
  { path: '/practitioners/:id/hours', title: 'Weekly hours', element: <PractitionerHoursPage />, access: 'member' },
  { path: '/staff', title: 'Staff', element: <StaffPage />, access: MANAGERS, nav: { label: 'Staff' } },
  // Everyone in the organization reads partners and the directory (the API's referralPartners and
  // referralDirectory); only an organization admin invites, answers or ends (the page says so).
  { path: '/partners', title: 'Referral partners', element: <PartnersPage />, access: 'member', nav: { label: 'Partners' } },
  { path: '/directory', title: 'Referral directory', element: <DirectoryPage />, access: 'member', nav: { label: 'Directory' } },
  { path: '/settings/reminders', title: 'Reminder settings', element: <ReminderPolicyPage />, access: MANAGERS, nav: { label: 'Reminders' } },
  { path: '/operations', title: 'Queues and dead letters', element: <QueuesPage />, access: ['ORG_ADMIN'], nav: { label: 'Operations' } },
  { path: '/operations/deliveries', title: 'Delivery log', element: <DeliveryLogPage />, access: ['ORG_ADMIN'] },
  { path: '/operations/exports', title: 'FHIR export', element: <FhirExportPage />, access: ['ORG_ADMIN'] },
  { path: '/audit', title: 'Audit log', element: <AuditPage />, access: ['ORG_ADMIN'], nav: { label: 'Audit log' } },
  // The links in reminder emails and texts: for clients, no sign-in (features/public-link).
  { path: '/appointment/confirm', title: 'Confirm your appointment', element: <AppointmentLinkPage purpose="confirm" />, access: 'public', bare: true },
  { path: '/appointment/cancel', title: 'Cancel your appointment', element: <AppointmentLinkPage purpose="cancel" />, access: 'public', bare: true },
];

export function mayOpen(access: Access, roles: readonly Role[]): boolean {
  if (access === 'public' || access === 'member') return true;
  return access.some((r) => roles.includes(r));
}
