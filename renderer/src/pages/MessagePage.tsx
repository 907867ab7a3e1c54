import { PageHeader } from '../components/PageHeader';
import { Link } from '../router/Link';

/** Pages that only explain: an unknown address, or a page for administrators only. */
export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <div className="panel panel-empty">
        <p className="panel-lead">There is no admin page at this address.</p>
        <p>
          <Link to="/">Go to the dashboard</Link>
        </p>
      </div>
    </>
  );
}

export function AdminOnlyPage({ title, trail }: { title: string; trail: string[] }) {
  return (
    <>
      <PageHeader title={title} trail={trail} />
      <div className="panel panel-empty">
        <p className="panel-lead">Only administrators can open this page.</p>
        <p>
          <Link to="/">Go to the dashboard</Link>
        </p>
      </div>
    </>
  );
}
