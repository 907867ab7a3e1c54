import { PageHeader } from '../components/PageHeader';
import type { PageDefinition } from '../routes';

/** A menu section whose screens arrive in a later release: its heading and what it will hold. */
export function SectionPage({ page }: { page: PageDefinition }) {
  return (
    <>
      <PageHeader title={page.title} trail={page.trail} />
      <div className="panel panel-empty">
        <p className="panel-lead">{page.summary}</p>
        <p className="muted">This section is not available in this version yet.</p>
      </div>
    </>
  );
}
