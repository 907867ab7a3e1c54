/**
 * The server's flags (`--port 9443`, `--site-address=https://…`) out of the desktop app's
 * command line. That command line also carries the app path (`electron .`), Chromium switches
 * (`--no-sandbox`, `--enable-logging`) and OS extras (macOS `-psn_…`), which the server's
 * strict flag parser would reject, so only the named flags and their values are kept.
 */
export function serverArgsFrom(argv: readonly string[], flagNames: readonly string[]): string[] {
  const known = new Set(flagNames.map((name) => `--${name}`));
  const kept: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    const equals = arg.indexOf('=');
    if (arg.startsWith('--') && equals > 0 && known.has(arg.slice(0, equals))) {
      kept.push(arg);
    } else if (known.has(arg)) {
      const value = argv[index + 1];
      kept.push(...(value === undefined ? [arg] : [arg, value]));
      index += 1;
    }
  }
  return kept;
}
