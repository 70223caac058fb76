import { lazy } from 'react';
import type { ComponentType, ReactNode } from 'react';
import { Navigate } from 'react-router';
import type { Role } from '../gql/graphql';
import { SignInPage } from '../features/auth/SignInPage';

/**
 * Each page is its own chunk, fetched when its route is first opened (the Suspense fallback is
 * in app/router.tsx): the sign-in page ships with the app, the calendar's react-big-calendar and
 * the chart's Recharts only with the pages that draw them. `page(() => import(...).then((m) => m.Name))`
 * takes a page module's named export.
 */
function page<P extends object>(load: () => Promise<ComponentType<P>>) {
  return lazy(async () => ({ default: await load() }));
}
const AcceptInvitationPage = page(() => import('../features/auth/AcceptInvitationPage').then((m) => m.AcceptInvitationPage));
const ClinicDetailPage = page(() => import('../features/clinic/ClinicDetailPage').then((m) => m.ClinicDetailPage));
const ClinicNewPage = page(() => import('../features/clinic/ClinicNewPage').then((m) => m.ClinicNewPage));
const ClinicsPage = page(() => import('../features/clinic/ClinicsPage').then((m) => m.ClinicsPage));
const ClientNewPage = page(() => import('../features/client/ClientNewPage').then((m) => m.ClientNewPage));
const ClientPage = page(() => import('../features/client/ClientPage').then((m) => m.ClientPage));
const ClientsPage = page(() => import('../features/client/ClientsPage').then((m) => m.ClientsPage));
const ReassessmentPage = page(() => import('../features/reassessment/ReassessmentPage').then((m) => m.ReassessmentPage));
const ReferPage = page(() => import('../features/referral/ReferPage').then((m) => m.ReferPage));
const ReferralPage = page(() => import('../features/referral/ReferralPage').then((m) => m.ReferralPage));
const ReferralInboxPage = page(() => import('../features/referral/ReferralsPage').then((m) => m.ReferralInboxPage));
const ReferralOutboxPage = page(() => import('../features/referral/ReferralsPage').then((m) => m.ReferralOutboxPage));
const ChartPage = page(() => import('../features/chart/ChartPage').then((m) => m.ChartPage));
const IntakePage = page(() => import('../features/intake/IntakePage').then((m) => m.IntakePage));
const PlanPage = page(() => import('../features/plan/PlanPage').then((m) => m.PlanPage));
const SessionPage = page(() => import('../features/session/SessionPage').then((m) => m.SessionPage));
const DirectoryPage = page(() => import('../features/directory/DirectoryPage').then((m) => m.DirectoryPage));
const PartnersPage = page(() => import('../features/partners/PartnersPage').then((m) => m.PartnersPage));
const CalendarPage = page(() => import('../features/calendar/CalendarPage').then((m) => m.CalendarPage));
const HomePage = page(() => import('../features/my-day/MyDayPage').then((m) => m.HomePage));
const MyDayPage = page(() => import('../features/my-day/MyDayPage').then((m) => m.MyDayPage));
const PractitionerHoursPage = page(() => import('../features/practitioner/PractitionerHoursPage').then((m) => m.PractitionerHoursPage));
const PractitionerNewPage = page(() => import('../features/practitioner/PractitionerNewPage').then((m) => m.PractitionerNewPage));
const PractitionersPage = page(() => import('../features/practitioner/PractitionersPage').then((m) => m.PractitionersPage));
const StaffPage = page(() => import('../features/staff/StaffPage').then((m) => m.StaffPage));
const AppointmentLinkPage = page(() => import('../features/public-link/AppointmentLinkPage').then((m) => m.AppointmentLinkPage));
const ReminderPolicyPage = page(() => import('../features/settings/ReminderPolicyPage').then((m) => m.ReminderPolicyPage));
const QueuesPage = page(() => import('../features/operations/OperationsPages').then((m) => m.QueuesPage));
const DeliveryLogPage = page(() => import('../features/operations/OperationsPages').then((m) => m.DeliveryLogPage));
const AuditPage = page(() => import('../features/audit/AuditPage').then((m) => m.AuditPage));
const WebhooksPage = page(() => import('../features/webhook/WebhooksPage').then((m) => m.WebhooksPage));
const FhirExportPage = page(() => import('../features/operations/FhirExportPage').then((m) => m.FhirExportPage));

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
  /**
   * Listed in the main navigation, in this table's order, for those who may open it (`access`),
   * or only for `nav.access` when the entry would be of no use to some who may open the path
   * (a practitioner opening `/` is forwarded to their day, so their nav has "My day" and no
   * "Dashboard"); `badge` names a count shown beside it (app/router.tsx).
   */
  nav?: { label: string; exact?: boolean; badge?: 'unreadReferralMessages'; access?: Access };
  /** Shown without the staff frame and sign-in, signed in or not: pages for clients (the reminder links). */
  bare?: boolean;
}

const MANAGERS = ['ORG_ADMIN', 'CLINIC_MANAGER'] as const;
/** The roles that see clinical records (the API's CLINICAL_ROLES); the front desk does not. */
const CLINICAL = ['ORG_ADMIN', 'CLINIC_MANAGER', 'PRACTITIONER'] as const;

/** Who has a dashboard: everyone but a practitioner, whose `/` is their day (features/my-day HomePage). */
const DASHBOARD = ['ORG_ADMIN', 'CLINIC_MANAGER', 'FRONT_DESK'] as const;

/** The one route table of the admin app: path, title, element, who may see it. */
export const ROUTES: AppRoute[] = [
  { path: '/sign-in', title: 'Sign in', element: <SignInPage />, access: 'public' },
  { path: '/accept-invitation', title: 'Accept invitation', element: <AcceptInvitationPage />, access: 'public' },
  // A practitioner lands on their day; everyone else on the dashboard (features/my-day).
  { path: '/', title: 'Dashboard', element: <HomePage />, access: 'member', nav: { label: 'Dashboard', exact: true, access: DASHBOARD } },
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
  { path: '/settings/webhooks', title: 'Webhooks', element: <WebhooksPage />, access: ['ORG_ADMIN'], nav: { label: 'Webhooks' } },
  { path: '/operations', title: 'Queues and dead letters', element: <QueuesPage />, access: ['ORG_ADMIN'], nav: { label: 'Operations' } },
  { path: '/operations/deliveries', title: 'Delivery log', element: <DeliveryLogPage />, access: ['ORG_ADMIN'] },
  { path: '/operations/exports', title: 'FHIR export', element: <FhirExportPage />, access: ['ORG_ADMIN'] },
  { path: '/audit', title: 'Audit log', element: <AuditPage />, access: ['ORG_ADMIN'], nav: { label: 'Audit log' } },
  // The links in reminder emails and texts: for clients, no sign-in (features/public-link).
  { path: '/appointment/confirm', title: 'Confirm your appointment', element: <AppointmentLinkPage purpose="confirm" />, access: 'public', bare: true },
  { path: '/appointment/cancel', title: 'Cancel your appointment', element: <AppointmentLinkPage purpose="cancel" />, access: 'public', bare: true },
];

/** The navigation of a person with these roles: the table's entries they may use, in order. */
export function navFor(roles: readonly Role[]): AppRoute[] {
  return ROUTES.filter((r) => r.nav && mayOpen(r.nav.access ?? r.access, roles));
}

export function mayOpen(access: Access, roles: readonly Role[]): boolean {
  if (access === 'public' || access === 'member') return true;
  return access.some((r) => roles.includes(r));
}
