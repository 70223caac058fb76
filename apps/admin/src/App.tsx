import { useEffect } from 'react';
import { Layout } from './components/Layout';
import { Loading } from './components/status';
import { sessionEvents } from './lib/session-events';
import { AuthProvider, useAuth } from './lib/auth';
import { ClinicProvider } from './lib/clinic-context';
import { matchPath, useRouter } from './lib/router';
import { AcceptInvitationPage } from './pages/AcceptInvitation';
import { ClinicDetailPage } from './pages/ClinicDetail';
import { ClinicNewPage } from './pages/ClinicNew';
import { ClinicsPage } from './pages/Clinics';
import { DashboardPage } from './pages/Dashboard';
import { PractitionerHoursPage } from './pages/PractitionerHours';
import { PractitionerNewPage } from './pages/PractitionerNew';
import { PractitionersPage } from './pages/Practitioners';
import { SignInPage } from './pages/SignIn';
import { StaffPage } from './pages/Staff';
import { EmptyState } from './components/status';
import { Link } from './lib/router';

const TITLES: [string, string][] = [
  ['/', 'Dashboard'],
  ['/clinics', 'Clinics'],
  ['/clinics/new', 'New clinic'],
  ['/clinics/:id', 'Clinic'],
  ['/practitioners', 'Practitioners'],
  ['/practitioners/new', 'New practitioner'],
  ['/practitioners/:id/hours', 'Weekly hours'],
  ['/staff', 'Staff'],
  ['/sign-in', 'Sign in'],
  ['/accept-invitation', 'Accept invitation'],
];

function Page({ pathname }: { pathname: string }) {
  if (matchPath('/', pathname)) return <DashboardPage />;
  if (matchPath('/clinics', pathname)) return <ClinicsPage />;
  if (matchPath('/clinics/new', pathname)) return <ClinicNewPage />;
  const clinic = matchPath('/clinics/:id', pathname);
  if (clinic) return <ClinicDetailPage id={clinic.id} />;
  if (matchPath('/practitioners', pathname)) return <PractitionersPage />;
  if (matchPath('/practitioners/new', pathname)) return <PractitionerNewPage />;
  const hours = matchPath('/practitioners/:id/hours', pathname);
  if (hours) return <PractitionerHoursPage id={hours.id} />;
  if (matchPath('/staff', pathname)) return <StaffPage />;
  return (
    <EmptyState title="Page not found" action={<Link to="/">Go to the dashboard</Link>}>
      There is nothing at {pathname}.
    </EmptyState>
  );
}

function Routes() {
  const { state, endSession, updateMe, signOut } = useAuth();
  const { location, navigate } = useRouter();
  const { pathname } = location;

  // The Apollo link reports a refresh (new Me) or a session that could not be renewed.
  useEffect(() => {
    sessionEvents.expired = () => endSession('expired');
    sessionEvents.refreshed = (session) => updateMe(session.me);
  }, [endSession, updateMe]);

  useEffect(() => {
    const title = TITLES.find(([p]) => matchPath(p, pathname))?.[1];
    document.title = title ? `${title} · Fascia` : 'Fascia';
  }, [pathname]);

  // Signed out anywhere but the public pages: go to sign-in, and come back afterwards.
  useEffect(() => {
    if (state.status === 'signedOut' && pathname !== '/sign-in' && pathname !== '/accept-invitation') {
      const next = pathname === '/' ? '' : `?next=${encodeURIComponent(pathname + window.location.search)}`;
      navigate(`/sign-in${next}`, { replace: true });
    }
    if (state.status === 'signedIn' && pathname === '/sign-in') {
      const next = location.search.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    }
  }, [state.status, pathname, location.search, navigate]);

  if (pathname === '/accept-invitation') return <AcceptInvitationPage />;
  if (state.status === 'loading') {
    return (
      <div className="auth-page">
        <Loading label="Opening Fascia…" />
      </div>
    );
  }
  if (state.status === 'signedOut') {
    const notice =
      state.reason === 'expired' ? 'Your session has ended. Please sign in again.' : state.reason === 'signedOut' ? 'You have signed out.' : undefined;
    return <SignInPage notice={notice} />;
  }
  if (pathname === '/sign-in') return null;
  return (
    <ClinicProvider>
      <Layout onSignOut={() => void signOut()}>
        <Page pathname={pathname} />
      </Layout>
    </ClinicProvider>
  );
}

export function App() {
  return (
    <AuthProvider>
      <Routes />
    </AuthProvider>
  );
}
