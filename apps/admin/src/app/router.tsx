import { useQuery } from '@apollo/client/react';
import { Suspense, useEffect } from 'react';
import type { ReactNode } from 'react';
import { Navigate, Outlet, ScrollRestoration, createBrowserRouter, isRouteErrorResponse, Link, useLocation, useMatches, useRouteError } from 'react-router';
import { Layout, PageHeader } from '../components/Layout';
import { EmptyState, Loading } from '../components/status';
import { AuthProvider, useAuth } from '../lib/auth';
import { ClinicProvider } from '../lib/clinic-context';
import { sessionEvents } from '../lib/session-events';
import { UNREAD_REFERRAL_MESSAGES } from '../features/referral/documents';
import type { Role } from '../gql/graphql';
import { ROUTES, mayOpen, navFor } from './routes';
import type { AppRoute } from './routes';

function NotFound() {
  const { pathname } = useLocation();
  return (
    <EmptyState title="Page not found" action={<Link to="/">Go to the dashboard</Link>}>
      There is nothing at {pathname}.
    </EmptyState>
  );
}

const NOT_FOUND: AppRoute = { path: '*', title: 'Page not found', element: <NotFound />, access: 'member' };

interface RouteHandle {
  route: AppRoute;
}

function useCurrentRoute(): AppRoute | undefined {
  const matches = useMatches();
  const handle = matches[matches.length - 1]?.handle as RouteHandle | undefined;
  return handle?.route;
}

/** Where to go after sign-in: `?next=` when it is a path of this app, else the dashboard. */
function afterSignIn(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** Who holds a role, in a sentence: "organization admins", "the front desk". */
const ROLE_PEOPLE: Record<Role, { many: string; one: string }> = {
  ORG_ADMIN: { many: 'organization admins', one: 'an organization admin' },
  CLINIC_MANAGER: { many: 'clinic managers', one: 'a clinic manager' },
  FRONT_DESK: { many: 'the front desk', one: 'the front desk' },
  PRACTITIONER: { many: 'practitioners', one: 'a practitioner' },
};

function NotAllowed({ route }: { route: AppRoute }) {
  const { state } = useAuth();
  const roles = state.status === 'signedIn' ? state.me.roles : [];
  const allowed = typeof route.access !== 'string' ? route.access.map((r) => ROLE_PEOPLE[r].many) : [];
  const forWhom = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} and ${allowed[allowed.length - 1]}` : (allowed[0] ?? '');
  return (
    <>
      <PageHeader title={route.title} />
      <EmptyState title="This page is not part of your role" action={<Link to="/">Go to the dashboard</Link>}>
        {roles.length ? `You are signed in as ${ROLE_PEOPLE[roles[0]].one}, so you can’t open this page. ` : ''}
        {forWhom ? `It is for ${forWhom}.` : ''}
      </EmptyState>
    </>
  );
}

/**
 * Pages are fetched on first visit (routes.tsx): until a page's chunk has arrived, its title
 * and a spinner that says what is opening, in the place the page will take.
 */
function PageSuspense({ route, children }: { route: AppRoute | undefined; children: ReactNode }) {
  const fallback = (
    <div className="page-opening" aria-busy="true">
      {route && !route.bare && route.access !== 'public' ? <PageHeader title={route.title} /> : null}
      <Loading label={route ? `Opening ${route.title.toLowerCase()}…` : 'Opening the page…'} />
    </div>
  );
  return <Suspense fallback={fallback}>{children}</Suspense>;
}

/** Counts beside navigation entries: unread referral messages (clinical roles; the API refuses the front desk). */
function useNavBadges(roles: readonly Role[] | null): { unreadReferralMessages?: number } {
  const clinical = Boolean(roles?.some((r) => r !== 'FRONT_DESK'));
  const { data } = useQuery(UNREAD_REFERRAL_MESSAGES, { skip: !clinical, pollInterval: 60_000, fetchPolicy: 'cache-and-network' });
  return { unreadReferralMessages: data?.unreadReferralMessages };
}

/**
 * The root of every route: the document title from the route table, the sign-in gate
 * (public routes aside), the role check, and the app's frame around the page.
 */
function Root() {
  const { state, endSession, updateMe, signOut } = useAuth();
  const location = useLocation();
  const route = useCurrentRoute();
  const badges = useNavBadges(state.status === 'signedIn' ? state.me.roles : null);

  // The Apollo link reports a refresh (new Me) or a session that could not be renewed.
  useEffect(() => {
    sessionEvents.expired = () => endSession('expired');
    sessionEvents.refreshed = (session) => updateMe(session.me);
  }, [endSession, updateMe]);

  useEffect(() => {
    document.title = route ? `${route.title} · Fascia` : 'Fascia';
  }, [route]);

  const scroll = <ScrollRestoration />;
  const outlet = (
    <PageSuspense route={route}>
      <Outlet />
    </PageSuspense>
  );
  if (route?.path === '/accept-invitation' || route?.bare) return <>{scroll}{outlet}</>;
  if (state.status === 'loading') {
    return (
      <div className="auth-page">
        <Loading label="Opening Fascia…" />
      </div>
    );
  }
  if (state.status === 'signedOut') {
    if (route?.access === 'public') return <>{scroll}{outlet}</>;
    // Signed out anywhere else: go to sign-in, and come back afterwards.
    const next = location.pathname === '/' ? '' : `?next=${encodeURIComponent(location.pathname + location.search)}`;
    return <Navigate to={`/sign-in${next}`} replace />;
  }
  if (route?.path === '/sign-in') return <Navigate to={afterSignIn(location.search)} replace />;
  const allowed = !route || mayOpen(route.access, state.me.roles);
  const nav = navFor(state.me.roles).map((r) => ({
    to: r.path,
    label: r.nav?.label ?? r.title,
    exact: r.nav?.exact,
    badge: r.nav?.badge ? badges[r.nav.badge] : undefined,
  }));
  return (
    <ClinicProvider>
      {scroll}
      <Layout nav={nav} onSignOut={() => void signOut()}>
        {allowed || !route ? outlet : <NotAllowed route={route} />}
      </Layout>
    </ClinicProvider>
  );
}

function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <div className="auth-page">
      <EmptyState title="This page could not be shown" action={<a href="/">Go to the dashboard</a>}>
        {message}
      </EmptyState>
    </div>
  );
}

/** The data router, built from the one route table (routes.tsx). */
export function createAppRouter() {
  return createBrowserRouter([
    {
      element: (
        <AuthProvider>
          <Root />
        </AuthProvider>
      ),
      errorElement: <RouteError />,
      children: [...ROUTES, NOT_FOUND].map((route) => ({ path: route.path, element: route.element, handle: { route } satisfies RouteHandle })),
    },
  ]);
}
