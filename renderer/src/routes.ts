// Every page of the admin GUI and the left menu that leads to them (DESIGN §9).

export interface PageDefinition {
  path: string;
  title: string;
  /** Menu groups above the page, shown as a breadcrumb: Admin › System. */
  trail: string[];
  /** Pages for role "admin" only; clinicians may use the dashboard and patients. */
  adminOnly: boolean;
  /** What the section holds, shown until the section is built. */
  summary?: string;
}

export const pages = {
  dashboard: { path: '/', title: 'Dashboard', trail: [], adminOnly: false },
  patients: {
    path: '/patients',
    title: 'Patients',
    trail: [],
    adminOnly: false,
    summary:
      'Patients and their third-party API access: each demographics page will generate API credentials for the patient and hold the opt-out switch.',
  },
  fhirSetup: {
    path: '/fhir-setup',
    title: 'FHIR Setup',
    trail: ['SiteAdmin'],
    adminOnly: true,
    summary:
      'The site address that OAuth 2 and FHIR depend on, token lifetimes, switching the API on or off, and installing implementation guides.',
  },
  apiClients: {
    path: '/clients',
    title: 'API Clients',
    trail: ['Admin', 'System'],
    adminOnly: true,
    summary:
      'Registered SMART on FHIR apps and backend services: a list with a filter, enabling or disabling each app, its authenticated API users and its access tokens, with Revoke buttons.',
  },
  tokenTools: {
    path: '/token-tools',
    title: 'Token Tools',
    trail: ['Admin', 'System'],
    adminOnly: true,
    summary:
      'Paste an access token to see its status, client, user, scopes, patient, expiry and claims, or to revoke it.',
  },
  users: {
    path: '/users',
    title: 'Users',
    trail: ['Admin'],
    adminOnly: true,
    summary: 'Staff accounts: username, display name, role (administrator or clinician) and linked practitioner.',
  },
  auditLog: {
    path: '/audit',
    title: 'Audit Log',
    trail: ['Admin'],
    adminOnly: true,
    summary: 'Audit events, newest first, with filters by date, user, client and action.',
  },
  bulkExports: {
    path: '/bulk-exports',
    title: 'Bulk Exports',
    trail: ['Admin'],
    adminOnly: true,
    summary: 'Bulk Data export jobs, their state and their output files.',
  },
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
  return allPages.find((candidate) => candidate.path === path);
}
