import { useId } from 'react';
import type { Role } from '../api/types';
import { Link } from '../router/Link';
import type { MenuEntry } from '../routes';

interface MenuProps {
  entries: MenuEntry[];
  currentPath: string;
  role: Role;
}

/** The left menu, following the product's menu paths (SiteAdmin → FHIR Setup, Admin → System → API Clients). */
export function Menu({ entries, currentPath, role }: MenuProps) {
  return (
    <nav className="sidebar" aria-label="Main menu">
      <MenuList entries={visibleEntries(entries, role)} currentPath={currentPath} depth={0} />
    </nav>
  );
}

function MenuList({ entries, currentPath, depth, labelledBy }: { entries: MenuEntry[]; currentPath: string; depth: number; labelledBy?: string }) {
  return (
    <ul className={`menu menu-depth-${depth}`} aria-labelledby={labelledBy}>
      {entries.map((entry) =>
        entry.kind === 'page' ? (
          <li key={entry.page.path}>
            <Link
              to={entry.page.path}
              className="menu-link"
              aria-current={currentMarker(entry.page.path, currentPath)}
            >
              {entry.page.title}
            </Link>
          </li>
        ) : (
          <MenuGroup key={entry.label} label={entry.label} entries={entry.entries} currentPath={currentPath} depth={depth} />
        ),
      )}
    </ul>
  );
}

function MenuGroup({ label, entries, currentPath, depth }: { label: string; entries: MenuEntry[]; currentPath: string; depth: number }) {
  const labelId = useId();
  return (
    <li className="menu-group">
      <span id={labelId} className={`menu-group-label menu-group-label-${depth}`}>
        {label}
      </span>
      <MenuList entries={entries} currentPath={currentPath} depth={depth + 1} labelledBy={labelId} />
    </li>
  );
}

/** "page" on the page itself; "location" on its section while a deeper page is open (a client's edit screen). */
function currentMarker(pagePath: string, currentPath: string): 'page' | 'location' | undefined {
  if (pagePath === currentPath) {
    return 'page';
  }
  return pagePath !== '/' && currentPath.startsWith(`${pagePath}/`) ? 'location' : undefined;
}

function visibleEntries(entries: MenuEntry[], role: Role): MenuEntry[] {
  return entries.flatMap((entry): MenuEntry[] => {
    if (entry.kind === 'page') {
      return role === 'admin' || !entry.page.adminOnly ? [entry] : [];
    }
    const children = visibleEntries(entry.entries, role);
    return children.length === 0 ? [] : [{ ...entry, entries: children }];
  });
}
