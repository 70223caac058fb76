import type { ReactNode } from 'react';
import { useMe } from '../lib/auth';
import { useClinic } from '../lib/clinic-context';
import { ROLES } from '../lib/format';
import { Link, useRouter } from '../lib/router';

const NAV = [
  { to: '/', label: 'Dashboard', exact: true },
  { to: '/clinics', label: 'Clinics' },
  { to: '/practitioners', label: 'Practitioners' },
  { to: '/staff', label: 'Staff' },
];

function ClinicSwitcher() {
  const { clinics, clinicId, canSeeAll, setClinicId, loading } = useClinic();
  return (
    <div className="clinic-switcher">
      <label htmlFor="clinic-switcher">Clinic</label>
      <select
        id="clinic-switcher"
        value={clinicId ?? ''}
        disabled={loading && clinics.length === 0}
        onChange={(e) => setClinicId(e.target.value || null)}
      >
        {canSeeAll ? <option value="">All clinics</option> : null}
        {!canSeeAll && clinics.length === 0 ? <option value="">No clinics yet</option> : null}
        {clinics.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
            {c.city ? ` — ${c.city}` : ''}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Layout({ children, onSignOut }: { children: ReactNode; onSignOut(): void }) {
  const me = useMe();
  const { location } = useRouter();
  const role = me.roles[0];
  const isCurrent = (to: string, exact?: boolean) => (exact ? location.pathname === to : location.pathname === to || location.pathname.startsWith(`${to}/`));

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            F
          </span>
          <span className="brand-text">
            <span className="brand-name">Fascia</span>
            <span className="brand-org">{me.organization.name}</span>
            <span className="visually-hidden">, dashboard</span>
          </span>
        </Link>
        <ClinicSwitcher />
        <div className="user">
          <span className="user-name">
            {me.user.displayName}
            {role ? <span className="user-role">{ROLES[role].label}</span> : null}
          </span>
          <button type="button" className="button button--quiet" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidenav" aria-label="Main">
        <ul>
          {NAV.map((item) => (
            <li key={item.to}>
              <Link to={item.to} aria-current={isCurrent(item.to, item.exact) ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {description ? <p className="page-description">{description}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </div>
  );
}
