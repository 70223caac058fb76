import { useQuery } from '@apollo/client/react';
import { PageHeader } from '../../components/Layout';
import { QueryError } from '../../components/status';
import { graphql } from '../../gql';
import { useMe } from '../../lib/auth';
import { useClinic } from '../../lib/clinic-context';
import type { ClinicOption } from '../../lib/clinic-context';
import { DISCIPLINES, clinicNow } from '../../lib/format';
import { REFERRAL_PARTNERS } from '../partners/documents';
import { Link } from 'react-router';
import { ReportsPanel } from '../reports/ReportsPanel';

const DASHBOARD = graphql(`
  query Dashboard($clinicId: ID) {
    practitioners(first: 50, clinicId: $clinicId) {
      totalCount
      edges {
        cursor
        node {
          id
          displayName
          discipline
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/**
 * The staff count and the invitations still pending, both counted by the API over the whole
 * list (not the first page): managers only (`members` refuses the front desk and practitioners).
 */
const DASHBOARD_STAFF = graphql(`
  query DashboardStaff {
    members(first: 1) {
      totalCount
    }
    invited: members(first: 1, status: "INVITED") {
      totalCount
    }
  }
`);

function greeting(name: string): string {
  const h = new Date().getHours();
  const first = name.split(' ')[0];
  if (h < 12) return `Good morning, ${first}`;
  if (h < 18) return `Good afternoon, ${first}`;
  return `Good evening, ${first}`;
}

function openState(clinic: ClinicOption): { open: boolean; text: string } {
  const now = clinicNow(clinic.timeZone);
  const today = clinic.openingHours.filter((w) => w.weekday === now.weekday).sort((a, b) => a.start.localeCompare(b.start));
  const current = today.find((w) => w.start <= now.time && now.time < w.end);
  if (current) return { open: true, text: `Open until ${current.end}` };
  const later = today.find((w) => w.start > now.time);
  if (later) return { open: false, text: `Opens at ${later.start}` };
  return { open: false, text: today.length ? 'Closed for the day' : 'Closed today' };
}

function Stat({ label, value, to, detail }: { label: string; value: number | string; to: string; detail?: string }) {
  return (
    <Link to={to} className="stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
      {detail ? <span className="stat-detail">{detail}</span> : null}
    </Link>
  );
}

export function DashboardPage() {
  const me = useMe();
  const { clinics, clinic, clinicId } = useClinic();
  const { data, error, loading, refetch } = useQuery(DASHBOARD, { variables: { clinicId } });
  const isAdmin = me.roles.includes('ORG_ADMIN');
  const isManager = isAdmin || me.roles.includes('CLINIC_MANAGER');
  const staff = useQuery(DASHBOARD_STAFF, { skip: !isManager });
  // Everyone reads the partners; the third figure for those who do not manage staff.
  const partners = useQuery(REFERRAL_PARTNERS, { skip: isManager });
  const activePartners = partners.data?.referralPartners.filter((p) => p.status === 'ACTIVE').length;

  const practitioners = data?.practitioners.edges.map((e) => e.node) ?? [];
  const byDiscipline = new Map<string, number>();
  for (const p of practitioners) byDiscipline.set(p.discipline, (byDiscipline.get(p.discipline) ?? 0) + 1);
  const pending = staff.data?.invited.totalCount ?? 0;

  const steps = [
    { done: clinics.length > 0, label: 'Add your first clinic', to: '/clinics/new' },
    { done: (data?.practitioners.totalCount ?? 0) > 0, label: 'Add practitioners and their weekly hours', to: '/practitioners/new' },
    { done: (staff.data?.members.totalCount ?? 0) > 1, label: 'Invite your front desk and clinic managers', to: '/staff' },
  ];
  const shown = clinic ? [clinic] : clinics;
  // While an admin is still setting up, the steps come before the (empty) reports.
  const setupOpen = isAdmin && steps.some((s) => !s.done);
  const cards = (
    <div className="grid-2">
      <section className="card" aria-labelledby="today-title">
        <h2 id="today-title">Today</h2>
        {shown.length === 0 ? (
          <p className="muted">No clinics yet.</p>
        ) : (
          <ul className="today-list">
            {shown.slice(0, 8).map((c) => {
              const state = openState(c);
              const now = clinicNow(c.timeZone);
              return (
                <li key={c.id}>
                  <Link to={`/clinics/${c.id}`} className="today-name">
                    {c.name}
                  </Link>
                  <span className="muted small">
                    {c.city} · {now.time} local
                  </span>
                  <span className={`pill ${state.open ? 'pill--open' : 'pill--closed'}`}>{state.text}</span>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      {isAdmin && steps.some((s) => !s.done) ? (
        <section className="card" aria-labelledby="setup-title">
          <h2 id="setup-title">Setting up {me.organization.name}</h2>
          <ol className="steps">
            {steps.map((s) => (
              <li key={s.label} className={s.done ? 'step step--done' : 'step'}>
                <span className="step-mark" aria-hidden="true">
                  {s.done ? '✓' : ''}
                </span>
                {s.done ? (
                  <span>
                    {s.label}
                    <span className="visually-hidden"> (done)</span>
                  </span>
                ) : (
                  <Link to={s.to}>{s.label}</Link>
                )}
              </li>
            ))}
          </ol>
        </section>
      ) : (
        <section className="card" aria-labelledby="team-title">
          <h2 id="team-title">Team</h2>
          {!data && loading ? (
            <p className="muted">Loading the team…</p>
          ) : !data ? (
            <p className="muted">The team could not be loaded.</p>
          ) : practitioners.length === 0 ? (
            <p className="muted">{clinic ? `No practitioners work at ${clinic.name} yet.` : 'No practitioners yet.'}</p>
          ) : (
            <ul className="plain team-list">
              {practitioners.slice(0, 8).map((p) => (
                <li key={p.id}>
                  <span>{p.displayName}</span>
                  <span className="muted small">{DISCIPLINES[p.discipline]}</span>
                </li>
              ))}
            </ul>
          )}
          <Link to="/practitioners">All practitioners</Link>
        </section>
      )}
    </div>
  );

  return (
    <>
      <PageHeader title={greeting(me.user.displayName)} description={clinic ? `${clinic.name} · ${me.organization.name}` : `${me.organization.name} · all clinics`} />
      {error ? <QueryError error={error} retry={() => void refetch()} /> : null}
      {staff.error ? <QueryError error={staff.error} retry={() => void staff.refetch()} /> : null}
      <div className="stats" role="list" aria-label="Summary">
        <div role="listitem">
          <Stat label="Clinics" value={clinics.length} to="/clinics" detail={clinics.length === 1 ? 'location' : 'locations'} />
        </div>
        <div role="listitem">
          <Stat
            label="Practitioners"
            value={data?.practitioners.totalCount ?? '–'}
            to="/practitioners"
            detail={
              // By discipline only when every practitioner is on this page (a chain has thousands).
              (data?.practitioners.pageInfo.hasNextPage ? [] : [...byDiscipline.entries()])
                .map(([d, n]) => `${n} ${DISCIPLINES[d as keyof typeof DISCIPLINES].toLowerCase()}${n === 1 ? '' : 's'}`)
                .join(', ') || (clinic ? `at ${clinic.name}` : 'across all clinics')
            }
          />
        </div>
        {isManager ? (
          <div role="listitem">
            <Stat label="Staff" value={staff.data?.members.totalCount ?? '–'} to="/staff" detail={pending ? `${pending} invitation${pending === 1 ? '' : 's'} pending` : 'with access'} />
          </div>
        ) : (
          <div role="listitem">
            <Stat label="Referral partners" value={activePartners ?? '–'} to="/partners" detail={activePartners === 0 ? 'none yet' : activePartners === 1 ? 'organization you can refer to' : 'organizations you can refer to'} />
          </div>
        )}
      </div>

      {isManager && clinics.length > 0 ? (
        <>
          {setupOpen ? cards : null}
          <ReportsPanel />
          {setupOpen ? null : cards}
        </>
      ) : (
        cards
      )}
    </>
  );
}
