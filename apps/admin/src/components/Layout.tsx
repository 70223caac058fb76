import type { ReactNode } from 'react';
import { useMe } from '../lib/auth';
import { useClinic } from '../lib/clinic-context';
import { ROLES } from '../lib/format';
import { Link, NavLink } from 'react-router';

/** An entry of the main navigation; the list comes from the route table (app/routes.tsx). */
export interface NavItem {
  to: string;
  label: string;
  exact?: boolean;
  /** A small count beside the label (e.g. unread messages). */
  badge?: number;
}

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

export function Layout({ children, nav, onSignOut }: { children: ReactNode; nav: NavItem[]; onSignOut(): void }) {
  const me = useMe();
  const role = me.roles[0];

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
          {nav.map((item) => (
            <li key={item.to}>
              {/* NavLink marks the current page with aria-current="page". */}
              <NavLink to={item.to} end={item.exact}>
                {item.label}
                {item.badge ? (
                  <span className="nav-badge">
                    {item.badge}
                    <span className="visually-hidden"> unread</span>
                  </span>
                ) : null}
              </NavLink>
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
