import type { ActionState } from '../session/useAction';
import { Alert } from './Alert';

interface ActionMessageProps {
  state: ActionState;
  /** Title of the error box: "Could not save the settings." */
  failure: string;
}

/** Says that an action worked, or shows the server's error. Nothing while idle or working. */
export function ActionMessage({ state, failure }: ActionMessageProps) {
  if (state.status === 'success') {
    return <Alert tone="success">{state.message}</Alert>;
  }
  if (state.status === 'error') {
    return (
      <Alert tone="error" title={failure}>
        {state.message}
      </Alert>
    );
  }
  return null;
}
