import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from '../api/client';
import { useSession } from './SessionContext';

export type Resource<T> =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; data: T };

interface ResourceOptions {
  /**
   * Keep showing the last answer while a new one loads (a list whose filter changes as the user
   * types), instead of replacing it with the loading state.
   */
  keepPrevious?: boolean;
}

/** Loads one admin API resource; a 401 ends the session, which sends the user to log in. */
export function useApiResource<T>(path: string, { keepPrevious = false }: ResourceOptions = {}): [Resource<T>, () => void] {
  const { expired } = useSession();
  const [resource, setResource] = useState<Resource<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setResource((current) => (keepPrevious && current.status === 'ready' ? current : { status: 'loading' }));
    api
      .get<T>(path, controller.signal)
      .then((data) => setResource({ status: 'ready', data }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) {
          return;
        }
        if (error instanceof ApiError && error.status === 401) {
          expired();
          return;
        }
        setResource({
          status: 'error',
          error: error instanceof ApiError ? error : new ApiError(0, error instanceof Error ? error.message : String(error)),
        });
      });
    return () => controller.abort();
  }, [path, attempt, expired, keepPrevious]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return [resource, reload];
}
