import { describe, expect, it } from 'vitest';
import { goalPattern } from '../../src/manage/goal-pattern.ts';

// Decision 9 and SEMANTICS.md §9: escape RE2 metacharacters, `**` → `.*`, `*` → `[^/]*`,
// anchored, case-insensitive.
describe('goalPattern', () => {
  it.each([
    ['/', '(?i)^/$'],
    ['/blog/*', '(?i)^/blog/[^/]*$'],
    ['/blog/**', '(?i)^/blog/.*$'],
    ['/blog/*/first', '(?i)^/blog/[^/]*/first$'],
    ['/blog/**/first', '(?i)^/blog/.*/first$'],
    ['/blog/*/comments', '(?i)^/blog/[^/]*/comments$'],
    ['/checkout/**', '(?i)^/checkout/.*$'],
    ['/path/*/**', '(?i)^/path/[^/]*/.*$'],
    ['/a.html', '(?i)^/a\\.html$'],
    ['/price+tax?', '(?i)^/price\\+tax\\?$'],
    ['/(group)|[set]{2}', '(?i)^/\\(group\\)\\|\\[set\\]\\{2\\}$'],
    ['/^start$', '(?i)^/\\^start\\$$'],
    ['/back\\slash', '(?i)^/back\\\\slash$'],
    ['/ümlaut-und_mehr~', '(?i)^/ümlaut-und_mehr~$'],
  ])('%s → %s', (pathPattern, pattern) => {
    expect(goalPattern(pathPattern)).toBe(pattern);
  });
});
