import { useEffect, useState } from 'react';

interface CopyButtonProps {
  value: string;
  /** What is copied, for screen readers: "Copy FHIR base URL". */
  label: string;
}

type CopyState = 'idle' | 'copied' | 'failed';

export function CopyButton({ value, label }: CopyButtonProps) {
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state === 'idle') {
      return;
    }
    const timer = window.setTimeout(() => setState('idle'), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
  }

  return (
    <span className="copy">
      <button type="button" className="button button-small button-secondary" aria-label={`Copy ${label}`} onClick={() => void copy()}>
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span className="visually-hidden" role="status">
        {state === 'copied' ? `${label} copied` : state === 'failed' ? `Could not copy ${label}; select the text and copy it instead` : ''}
      </span>
    </span>
  );
}
