import { useCallback, useState } from 'react';
import { ApiError } from '../api/client';
import { useSession } from './SessionContext';

export type ActionState =
  | { status: 'idle' }
  | { status: 'working' }
  | { status: 'success'; message: string }
  | { status: 'error'; message: string };

export interface Action {
  state: ActionState;
  working: boolean;
  /**
   * Runs one change against the server. On success the state says `success(result)`; on failure
   * it holds the server's `{error}`. A 401 ends the session (back to login, keeping the address).
   * Resolves to the result, or undefined when it failed.
   */
  run: <T>(work: () => Promise<T>, success: (result: T) => string) => Promise<T | undefined>;
  reset: () => void;
}

export function useAction(): Action {
  const { expired } = useSession();
  const [state, setState] = useState<ActionState>({ status: 'idle' });

  const run = useCallback(
    async <T,>(work: () => Promise<T>, success: (result: T) => string): Promise<T | undefined> => {
      setState({ status: 'working' });
      try {
        const result = await work();
        setState({ status: 'success', message: success(result) });
        return result;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          expired();
          return undefined;
        }
        setState({ status: 'error', message: error instanceof Error ? error.message : String(error) });
        return undefined;
      }
    },
    [expired],
  );

  const reset = useCallback(() => setState({ status: 'idle' }), []);
  return { state, working: state.status === 'working', run, reset };
}
