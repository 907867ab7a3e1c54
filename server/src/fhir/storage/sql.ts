/** A parameterized SQL fragment: `?` placeholders with their values, composable without string-building values in. */
export class Sql {
  constructor(
    readonly text: string,
    readonly values: readonly unknown[] = [],
  ) {}
}

/** Tagged template: interpolated Sql fragments are inlined, every other value becomes a `?` placeholder. */
export function sql(strings: TemplateStringsArray, ...params: unknown[]): Sql {
  let text = strings[0] ?? '';
  const values: unknown[] = [];
  params.forEach((param, i) => {
    if (param instanceof Sql) {
      text += param.text;
      values.push(...param.values);
    } else {
      text += '?';
      values.push(param);
    }
    text += strings[i + 1] ?? '';
  });
  return new Sql(text, values);
}

export function joinSql(parts: readonly Sql[], separator: string): Sql {
  return new Sql(parts.map((part) => `(${part.text})`).join(separator), parts.flatMap((part) => part.values));
}

/** `(?, ?, ?)` for an IN list; an empty list matches nothing. */
export function sqlList(values: readonly unknown[]): Sql {
  if (values.length === 0) return new Sql('(NULL)');
  return new Sql(`(${values.map(() => '?').join(', ')})`, values);
}

export const rawSql = (text: string): Sql => new Sql(text);

/** Escapes LIKE wildcards; pair with `ESCAPE '\'`. */
export function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Joins fragments as they are (select lists), without the parentheses joinSql adds around conditions. */
export function listSql(parts: readonly Sql[], separator = ', '): Sql {
  return new Sql(parts.map((part) => part.text).join(separator), parts.flatMap((part) => part.values));
}
