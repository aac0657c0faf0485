import { describe, expect, it, vi } from 'vitest';
import {
  classifyLink,
  data,
  declared,
  DOWNLOAD_EXTENSIONS,
  endpointBase,
  isLocal,
  list,
  pageUrl,
  pick,
  rewrite,
  tags,
  tracked,
} from '../../src/tracker/logic.ts';

// The pure parts of the tracking script, in Node (TRACKER.md §1.3, §1.7, §1.9, §1.11, §3.4, §3.8).

const attributes = (record: Record<string, string>) =>
  Object.entries(record).map(([name, value]) => ({ name, value }));

describe('lists and attributes', () => {
  it('splits comma-separated values and drops empty entries', () => {
    expect(list(null)).toEqual([]);
    expect(list('')).toEqual([]);
    expect(list('a,b,,c,')).toEqual(['a', 'b', 'c']);
  });

  it('reads data- attributes', () => {
    const element = { getAttribute: (name: string) => (name === 'data-code' ? 'abc' : null) };
    expect(data(element)('code')).toBe('abc');
    expect(data(element)('dev')).toBeNull();
  });
});

describe('include and exclude lists', () => {
  const cases: [string | null, string | null, string, boolean][] = [
    [null, null, '/anything', true],
    ['^/blog', null, '/blog/post', true],
    ['^/blog', null, '/shop', false],
    ['^/blog,^/news', null, '/news/1', true],
    [null, '^/admin', '/admin/users', false],
    [null, '^/admin', '/shop', true],
    ['^/blog', '/draft$', '/blog/draft', false],
    [null, '\\.php$,^/wp-', '/index.php', false],
  ];
  it.each(cases)('include %j, exclude %j: %s tracked is %s', (include, exclude, path, expected) => {
    expect(tracked(include, exclude, path)).toBe(expected);
  });

  it('logs a pattern that does not compile and skips its check, like Pirsch', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(tracked('[', null, '/any')).toBe(true);
    expect(tracked(null, '(', '/any')).toBe(true);
    expect(tracked(null, '(,^/admin', '/admin')).toBe(false);
    expect(error).toHaveBeenCalledTimes(3);
    error.mockRestore();
  });
});

describe('URL and title rewriting', () => {
  const href = 'http://localhost:3000/blog/post?utm_source=news&x=1#intro';

  it('writes a dev or roll-up host over the first occurrence of the page host', () => {
    expect(rewrite(href, 'localhost', 'example.com')).toBe(
      'http://example.com:3000/blog/post?utm_source=news&x=1#intro',
    );
    expect(rewrite(href, 'localhost', null)).toBe(href);
    expect(rewrite('', 'localhost', 'example.com')).toBe('');
  });

  it('applies host, prefix/suffix, query and anchor removal in order, cut to 1,800', () => {
    expect(pageUrl(href, 'localhost', 'example.com', '', '', '')).toBe(
      'http://example.com:3000/blog/post?utm_source=news&x=1#intro',
    );
    expect(pageUrl(href, 'localhost', null, '/de', '.html', '')).toBe(
      'http://localhost:3000/de/blog/post.html?utm_source=news&x=1#intro',
    );
    expect(pageUrl(href, 'localhost', null, '', '', '?')).toBe('http://localhost:3000/blog/post');
    expect(pageUrl(href, 'localhost', null, '', '', '#')).toBe(
      'http://localhost:3000/blog/post?utm_source=news&x=1',
    );
    expect(pageUrl('https://a.example/#/route', 'a.example', null, '', '', '?')).toBe(
      'https://a.example/#/route',
    );
    expect(pageUrl(`https://a.example/${'x'.repeat(3000)}`, '', null, '', '', '')).toHaveLength(
      1800,
    );
  });

  it('picks the prefix/suffix element of a request, the last one repeating', () => {
    expect(pick(['a', 'b'], 0)).toBe('a');
    expect(pick(['a', 'b'], 1)).toBe('b');
    expect(pick(['a', 'b'], 5)).toBe('b');
    expect(pick(['a'], -1)).toBe('');
    expect(pick([], 0)).toBe('');
  });
});

describe('tags', () => {
  it('reads data-tag-<key> and data-tag lists; hyphens become spaces, empty values 1', () => {
    expect(
      tags(
        attributes({
          id: 'pianjs',
          'data-code': 'x',
          'data-tag-author': 'Jane',
          'data-tag-logged-in': '',
          'data-tag': 'beta,ab-test',
        }),
      ),
    ).toEqual({ author: 'Jane', 'logged in': '1', beta: '1', 'ab test': '1' });
    expect(tags(attributes({ 'data-tags': 'no' }))).toEqual({});
  });
});

describe('declarative events', () => {
  const element = (record: Record<string, string>, classes: string[] = []) => ({
    attributes: attributes(record),
    classList: classes,
  });

  it('reads data-pirsch-* attributes', () => {
    expect(
      declared(
        element({
          id: 'buy',
          'data-pirsch-event': 'Buy',
          'data-pirsch-meta-plan': 'pro',
          'data-pirsch-duration': '12',
          'data-pirsch-non-interactive': '',
        }),
      ),
    ).toEqual(['Buy', { meta: { plan: 'pro' }, duration: 12, non_interactive: true }]);
  });

  it('reads the legacy pirsch-* attributes', () => {
    expect(declared(element({ 'pirsch-event': 'Old', 'pirsch-meta-era': '2023' }))).toEqual([
      'Old',
      { meta: { era: '2023' } },
    ]);
  });

  it('reads classes, with + for spaces', () => {
    expect(
      declared(
        element({ class: 'btn' }, [
          'btn',
          'pirsch-event=Sign+Up',
          'pirsch-meta-source=footer+link',
          'pirsch-duration=5',
          'pirsch-non-interactive',
        ]),
      ),
    ).toEqual(['Sign Up', { meta: { source: 'footer link' }, duration: 5, non_interactive: true }]);
  });

  it('has no name without a declaration, and ignores other attributes', () => {
    expect(declared(element({ 'data-event': 'x', title: 'pirsch-event' }, ['event=x']))).toEqual([
      '',
      { meta: {} },
    ]);
  });
});

describe('links', () => {
  const page = { origin: 'https://example.com', hostname: 'example.com' };
  const extensions = list(DOWNLOAD_EXTENSIONS + ',ttf');

  it('reports downloads by the pathname extension or a download attribute', () => {
    expect(
      classifyLink('https://example.com/files/Report.PDF?v=2', page, extensions, false),
    ).toEqual([0, { file: '/files/Report.PDF' }]);
    expect(classifyLink('https://cdn.example.org/font.ttf', page, extensions, false)).toEqual([
      0,
      { file: 'https://cdn.example.org/font.ttf' },
    ]);
    expect(classifyLink('https://example.com/export', page, extensions, true)).toEqual([
      0,
      { file: '/export' },
    ]);
    // The extension of the query does not count.
    expect(classifyLink('https://example.com/get?file=a.zip', page, extensions, false)).toBeNull();
  });

  it('reports outbound http(s) links to other hosts without the fragment', () => {
    expect(classifyLink('https://other.org/a?b=1#c', page, extensions, false)).toEqual([
      1,
      { url: 'https://other.org/a?b=1' },
    ]);
    expect(classifyLink('https://blog.example.com/', page, extensions, false)).toEqual([
      1,
      { url: 'https://blog.example.com/' },
    ]);
    expect(classifyLink('https://example.com/about', page, extensions, false)).toBeNull();
  });

  it('never reports mailto:, tel: or javascript: links', () => {
    for (const href of ['mailto:a@example.org', 'tel:+41441234567', 'javascript:void(0)'])
      expect(classifyLink(href, page, extensions, true)).toBeNull();
  });
});

describe('endpoints and local pages', () => {
  it('puts the default endpoints next to the script, outside /v/<version>/', () => {
    expect(endpointBase('https://stats.example.org/pa.js')).toBe('https://stats.example.org/');
    expect(endpointBase('https://example.com/t7/pa.js?x=1')).toBe('https://example.com/t7/');
    expect(endpointBase('https://stats.example.org/v/0.1.0/pa.js')).toBe(
      'https://stats.example.org/',
    );
    expect(endpointBase('https://example.com/t7/v/1.2.3/pirsch.js')).toBe(
      'https://example.com/t7/',
    );
    expect(endpointBase('https://example.com/v/analytics/pa.js')).toBe(
      'https://example.com/v/analytics/',
    );
  });

  it('knows the pages Pirsch ignores without data-dev', () => {
    const at = (hostname: string, protocol = 'http:') => isLocal({ hostname, protocol });
    expect(at('localhost')).toBe(true);
    expect(at('localhost.localdomain')).toBe(true);
    expect(at('127.0.0.1')).toBe(true);
    expect(at('', 'file:')).toBe(true);
    expect(at('example.com')).toBe(false);
    expect(at('127.example.com')).toBe(false);
  });
});
