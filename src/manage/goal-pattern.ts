/**
 * Conversion goal patterns (decision 9): the wildcard `path_pattern` a user enters becomes the
 * RE2 expression `pattern` that statistics match page paths with.
 */

// Characters with a meaning in RE2 outside a character class; `*` never reaches the escaper.
const RE2_META = new Set(['\\', '.', '+', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$']);

// `(?i)^` + `path_pattern` with RE2 metacharacters escaped, `**` → `.*` (anything, `/`
// included), `*` → `[^/]*` (anything within one path segment), + `$`:
// `/blog/*/comments` → `(?i)^/blog/[^/]*/comments$`.
/** The RE2 expression of a goal's wildcard path pattern (decision 9). */
export function goalPattern(pathPattern: string): string {
  let body = '';
  for (let i = 0; i < pathPattern.length; i++) {
    const char = pathPattern[i]!;
    if (char === '*') {
      if (pathPattern[i + 1] === '*') {
        body += '.*';
        i++;
      } else {
        body += '[^/]*';
      }
    } else {
      body += RE2_META.has(char) ? `\\${char}` : char;
    }
  }
  return `(?i)^${body}$`;
}
