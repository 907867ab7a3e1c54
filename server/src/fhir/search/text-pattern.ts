import { normalizeString } from '../indexing/normalize.js';

/**
 * Per normalized character, every character of the Basic Multilingual Plane that normalizes to it
 * (`u` → `u`, `U`, `ü`, `Ú`, …): stored text is compared as it is, so a search for `muller` has to
 * accept each letter in any case and with any accent, as normalizeString would have folded them.
 */
let variantsByBase: Map<string, string[]> | undefined;

function variants(): Map<string, string[]> {
  if (variantsByBase) return variantsByBase;
  const map = new Map<string, string[]>();
  for (let code = 0x20; code <= 0xffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const char = String.fromCharCode(code);
    const base = normalizeString(char);
    if (base.length !== 1 || base === char) continue;
    map.set(base, [...(map.get(base) ?? [base]), char]);
  }
  variantsByBase = map;
  return map;
}

/** The characters a stored text may have where the normalized search text has `char`. */
function alternativesOf(char: string): string[] {
  // no character normalizes to `]`, `^`, `-` or a backslash, so a class of alternatives needs no escapes
  return variants().get(char) ?? [char];
}

/**
 * A SQLite GLOB pattern matching any text that contains `text` (already normalized) in any case
 * and with any accents: `*[mM][uUùúûü…][lL][lL][eEèéêë…][rR]*`. GLOB has no escape character,
 * so its special characters are written as one-character classes.
 */
export function globContaining(text: string): string {
  const parts = [...text].map((char) => {
    const options = alternativesOf(char);
    if (options.length === 1) return '*?['.includes(char) ? `[${char}]` : char;
    return `[${options.join('')}]`;
  });
  return `*${parts.join('')}*`;
}

const regexSpecial = /[\\^$.|?*+()[\]{}]/g;

/** The PostgreSQL regular expression (`~`) equivalent of globContaining: `[mM][uUùúûü…]…`, unanchored. */
export function regexContaining(text: string): string {
  return [...text]
    .map((char) => {
      const options = alternativesOf(char);
      return options.length === 1 ? char.replace(regexSpecial, (c) => `\\${c}`) : `[${options.join('')}]`;
    })
    .join('');
}
