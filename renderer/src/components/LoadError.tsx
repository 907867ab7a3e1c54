import type { ApiError } from '../api/client';
import { Alert } from './Alert';

interface LoadErrorProps {
  what: string;
  error: ApiError;
  onRetry: () => void;
}

export function LoadError({ what, error, onRetry }: LoadErrorProps) {
  return (
    <Alert tone="error" title={`Could not load ${what}.`}>
      <p>{error.message}</p>
      <button type="button" className="button button-secondary" onClick={onRetry}>
        Try again
      </button>
    </Alert>
  );
}
