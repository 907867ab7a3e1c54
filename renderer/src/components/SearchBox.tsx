import { useEffect, useId, useState } from 'react';

interface SearchBoxProps {
  label: string;
  value: string;
  placeholder?: string;
  /** Called a moment after typing stops, and at once on Enter. */
  onSearch: (value: string) => void;
}

const DEBOUNCE_MS = 300;

/** A labelled filter box that searches as you type. */
export function SearchBox({ label, value, placeholder, onSearch }: SearchBoxProps) {
  const id = useId();
  const [text, setText] = useState(value);

  useEffect(() => {
    if (text.trim() === value) {
      return;
    }
    const timer = window.setTimeout(() => onSearch(text.trim()), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text, value, onSearch]);

  return (
    <div className="field field-search">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="input"
        type="search"
        value={text}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            onSearch(text.trim());
          }
        }}
      />
    </div>
  );
}
