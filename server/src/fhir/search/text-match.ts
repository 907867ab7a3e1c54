import { rawSql, sql, type Sql } from '../storage/sql.js';
import type { SqlDialect } from './context.js';
import type { TextScope } from './query.js';
import { globContaining, regexContaining } from './text-pattern.js';

/** The XML entities a narrative may use (FHIR allows no others by name), `&amp;` last so `&amp;lt;` stays `&lt;`. */
const entities: [string, string][] = [
  ['&lt;', '<'],
  ['&gt;', '>'],
  ['&quot;', '"'],
  ['&apos;', "'"],
  ['&amp;', '&'],
];

function unescapeEntities(text: Sql): Sql {
  return entities.reduce((expr, [entity, char]) => sql`replace(${expr}, ${entity}, ${char})`, text);
}

/**
 * SQLite: the narrative's text as a reader sees it, markup removed tag by tag (SQLite has no
 * regular expressions): each step moves the text before the next `<` to `done` and drops the tag;
 * an unclosed `<` drops the rest.
 */
function sqliteNarrativeMatches(alias: string, pattern: string): Sql {
  const div = rawSql(`json_extract(${alias}.content, '$.text.div')`);
  const tagStart = 'instr(rest, \'<\')';
  const tagEnd = `instr(substr(rest, ${tagStart}), '>')`;
  const steps = rawSql(
    `SELECT done || substr(rest, 1, ${tagStart} - 1), CASE WHEN ${tagEnd} = 0 THEN '' ELSE substr(rest, ${tagStart} + ${tagEnd}) END FROM narrative WHERE ${tagStart} > 0`,
  );
  const text = unescapeEntities(rawSql('done || rest'));
  return sql`EXISTS (WITH RECURSIVE narrative(done, rest) AS (SELECT '', ${div} UNION ALL ${steps}) SELECT 1 FROM narrative WHERE ${rawSql(tagStart)} = 0 AND ${text} GLOB ${pattern})`;
}

function postgresNarrativeMatches(alias: string, pattern: string): Sql {
  const text = unescapeEntities(rawSql(`regexp_replace(${alias}.content::jsonb #>> '{text,div}', '<[^>]*(>|$)', '', 'g')`));
  return sql`${text} ~ ${pattern}`;
}

/** Cheap test before parsing the JSON: only resources whose JSON has a `div` can have a narrative. */
function mayHaveNarrative(alias: string, dialect: SqlDialect): Sql {
  return rawSql(dialect === 'postgres' ? `strpos(${alias}.content, '"div"') > 0` : `instr(${alias}.content, '"div"') > 0`);
}

function narrativeMatches(alias: string, text: string, dialect: SqlDialect): Sql {
  const matches = dialect === 'postgres' ? postgresNarrativeMatches(alias, regexContaining(text)) : sqliteNarrativeMatches(alias, globContaining(text));
  return sql`${mayHaveNarrative(alias, dialect)} AND ${matches}`;
}

/** JSON writes quotes, backslashes and control characters escaped: a text with one cannot be looked for in the JSON as it is. */
const escapedInJson = (text: string): boolean => [...text].some((char) => char === '"' || char === '\\' || char < ' ');

/**
 * Some text value of the resource (not the narrative's markup) contains the text: the stored JSON
 * is first searched as it is (fast, and implied by a match), then its text values one by one.
 */
function textValueMatches(alias: string, text: string, dialect: SqlDialect): Sql {
  const a = rawSql(alias);
  if (dialect === 'postgres') {
    const pattern = regexContaining(text);
    const values = sql`EXISTS (SELECT 1 FROM jsonb_path_query(${a}.content::jsonb #- '{text,div}', 'strict $.**') v WHERE jsonb_typeof(v) = 'string' AND (v #>> '{}') ~ ${pattern})`;
    return escapedInJson(text) ? values : sql`${a}.content ~ ${pattern} AND ${values}`;
  }
  const pattern = globContaining(text);
  const values = sql`EXISTS (SELECT 1 FROM json_tree(${a}.content) j WHERE j.type = 'text' AND j.fullkey <> '$.text.div' AND j.value GLOB ${pattern})`;
  return escapedInJson(text) ? values : sql`${a}.content GLOB ${pattern} AND ${values}`;
}

/**
 * `_text` (narrative) and `_content` (every text value, the narrative as text): whether the
 * resource aliased `alias` contains `text` (normalized), ignoring case and accents. There is no
 * text index: the stored JSON is searched, which keeps writes and imports as fast as they are.
 */
export function textMatch(alias: string, scope: TextScope, text: string, dialect: SqlDialect): Sql {
  const narrative = narrativeMatches(alias, text, dialect);
  return scope === 'narrative' ? narrative : sql`(${textValueMatches(alias, text, dialect)}) OR (${narrative})`;
}
