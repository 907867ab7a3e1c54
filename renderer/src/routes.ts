// Every page of the admin GUI and the left menu that leads to them (DESIGN §9).

export interface PageDefinition {
  path: string;
  title: string;
  /** Menu groups above the page, shown as a breadcrumb: Admin › System. */
  trail: string[];
  /** Pages for role "admin" only; clinicians may use the dashboard and patients. */
  adminOnly: boolean;
}

export const pages = {
  dashboard: { path: '/', title: 'Dashboard', trail: [], adminOnly: false },
  patients: { path: '/patients', title: 'Patients', trail: [], adminOnly: false },
  fhirSetup: { path: '/fhir-setup', title: 'FHIR Setup', trail: ['SiteAdmin'], adminOnly: true },
  apiClients: { path: '/clients', title: 'API Clients', trail: ['Admin', 'System'], adminOnly: true },
  tokenTools: { path: '/token-tools', title: 'Token Tools', trail: ['Admin', 'System'], adminOnly: true },
  users: { path: '/users', title: 'Users', trail: ['Admin'], adminOnly: true },
  auditLog: { path: '/audit', title: 'Audit Log', trail: ['Admin'], adminOnly: true },
  bulkExports: { path: '/bulk-exports', title: 'Bulk Exports', trail: ['Admin'], adminOnly: true },
} satisfies Record<string, PageDefinition>;

export type MenuEntry = { kind: 'page'; page: PageDefinition } | { kind: 'group'; label: string; entries: MenuEntry[] };

const page = (definition: PageDefinition): MenuEntry => ({ kind: 'page', page: definition });
const group = (label: string, entries: MenuEntry[]): MenuEntry => ({ kind: 'group', label, entries });

export const menu: MenuEntry[] = [
  page(pages.dashboard),
  page(pages.patients),
  group('SiteAdmin', [page(pages.fhirSetup)]),
  group('Admin', [
    group('System', [page(pages.apiClients), page(pages.tokenTools)]),
    page(pages.users),
    page(pages.auditLog),
    page(pages.bulkExports),
  ]),
];

const allPages: PageDefinition[] = Object.values(pages);

export function findPage(path: string): PageDefinition | undefined {
  return matchPage(path)?.page;
}

export interface PageMatch {
  page: PageDefinition;
  /** Decoded path segments below the page's own path: "/clients/abc" → ["abc"]. */
  rest: string[];
}

/** The page at a path, or the section a deeper path belongs to ("/clients/abc" → API Clients). */
export function matchPage(path: string): PageMatch | undefined {
  for (const candidate of allPages) {
    if (candidate.path === path) {
      return { page: candidate, rest: [] };
    }
    if (candidate.path !== '/' && path.startsWith(`${candidate.path}/`)) {
      const rest = path.slice(candidate.path.length + 1).split('/').map(decodeSegment);
      return rest.some((segment) => segment === undefined || segment === '') ? undefined : { page: candidate, rest: rest as string[] };
    }
  }
  return undefined;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** An app path with one more segment: pagePath('/clients', id) → "/clients/<id, escaped>". */
export function subPath(base: string, ...segments: string[]): string {
  return [base, ...segments.map(encodeURIComponent)].join('/');
}
