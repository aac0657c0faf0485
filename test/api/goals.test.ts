import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Domain } from '../../src/store/meta/schema.ts';
import { makeDomain } from '../helpers/accounts.ts';
import { createManagementWorld, type ManagementWorld } from './world.ts';

let m: ManagementWorld;
let domain: Domain;
beforeAll(async () => {
  m = await createManagementWorld();
  domain = await makeDomain(m.world.meta.db, m.owner);
});
afterAll(() => m.close());

const GOAL_FIELDS = [
  'cr_goal',
  'def_time',
  'delete_reached',
  'domain_id',
  'email_reached',
  'id',
  'mod_time',
  'name',
  'path_pattern',
  'pattern',
  'visitor_goal',
];
const create = (payload: object) =>
  m.call('owner', 'POST', '/api/v1/goal', { payload: { domain_id: domain.id, ...payload } });
const regex = (payload: object) => m.call('viewer', 'POST', '/api/v1/goal/regex', { payload });

describe('conversion goals', () => {
  it('lists [] at first, by id or domain_id', async () => {
    for (const key of ['id', 'domain_id']) {
      const res = await m.call('owner', 'GET', '/api/v1/goal', { query: { [key]: domain.id } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual([]);
    }
  });

  it('creates a goal: visitors/cr become visitor_goal/cr_goal, pattern is generated', async () => {
    const res = await create({
      name: 'Checkout',
      path_pattern: '/checkout/**',
      visitors: 123,
      cr: 42.11,
      delete_reached: false,
      email_reached: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    const goal = res.json();
    expect(Object.keys(goal).sort()).toEqual(GOAL_FIELDS);
    expect(goal).toMatchObject({
      domain_id: domain.id,
      name: 'Checkout',
      path_pattern: '/checkout/**',
      pattern: '(?i)^/checkout/.*$',
      visitor_goal: 123,
      cr_goal: 42.11,
      delete_reached: false,
      email_reached: true,
    });
    const list = await m.call('viewer', 'GET', '/api/v1/goal', { query: { id: m.domain.id } });
    expect(list.statusCode).toBe(200);
    const own = await m.call('owner', 'GET', '/api/v1/goal', { query: { id: domain.id } });
    expect(own.json()).toEqual([goal]);
  });

  it('maps 0 and absent targets to null and defaults the flags to false', async () => {
    const zero = (
      await create({ name: 'Zero', path_pattern: '/blog/*/comments', visitors: 0, cr: 0 })
    ).json();
    expect(zero).toMatchObject({
      pattern: '(?i)^/blog/[^/]*/comments$',
      visitor_goal: null,
      cr_goal: null,
      delete_reached: false,
      email_reached: false,
    });
    const absent = (await create({ name: 'Absent', path_pattern: '/', visitors: null })).json();
    expect(absent).toMatchObject({ pattern: '(?i)^/$', visitor_goal: null, cr_goal: null });
  });

  it('replaces every field on update and keeps the domain', async () => {
    const goal = (
      await create({ name: 'Old', path_pattern: '/old', visitors: 5, email_reached: true })
    ).json();
    const res = await m.call('owner', 'PUT', '/api/v1/goal', {
      payload: {
        id: goal.id,
        domain_id: domain.id,
        name: 'New',
        path_pattern: '/new/*.html',
        cr: 2.5,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: goal.id,
      domain_id: domain.id,
      name: 'New',
      path_pattern: '/new/*.html',
      pattern: '(?i)^/new/[^/]*\\.html$',
      visitor_goal: null,
      cr_goal: 2.5,
      email_reached: false,
      def_time: goal.def_time,
    });
  });

  it.each([
    [{ name: '', path_pattern: '/a' }, 'name'],
    [{ name: '   ', path_pattern: '/a' }, 'name'],
    [{ path_pattern: '/a' }, 'name'],
    [{ name: 'x', path_pattern: 'a/b' }, 'path_pattern'],
    [{ name: 'x', path_pattern: '' }, 'path_pattern'],
    [{ name: 'x', path_pattern: '/a', visitors: -1 }, 'visitors'],
    [{ name: 'x', path_pattern: '/a', visitors: 1.5 }, 'visitors'],
    [{ name: 'x', path_pattern: '/a', cr: 101 }, 'cr'],
    [{ name: 'x', path_pattern: '/a', cr: -0.5 }, 'cr'],
    [{ name: 'x', path_pattern: '/a', email_reached: 'yes' }, 'email_reached'],
  ])('refuses %j with 400 validation.%s', async (payload, field) => {
    const before = (
      await m.call('owner', 'GET', '/api/v1/goal', { query: { id: domain.id } })
    ).json();
    const res = await create(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().validation).toHaveProperty(field);
    const after = (
      await m.call('owner', 'GET', '/api/v1/goal', { query: { id: domain.id } })
    ).json();
    expect(after).toEqual(before);
  });

  it('validates updates completely before changing anything', async () => {
    const goal = (await create({ name: 'Keep', path_pattern: '/keep' })).json();
    const res = await m.call('owner', 'PUT', '/api/v1/goal', {
      payload: { id: goal.id, name: 'Changed', path_pattern: 'no-slash' },
    });
    expect(res.statusCode).toBe(400);
    const list = (
      await m.call('owner', 'GET', '/api/v1/goal', { query: { id: domain.id } })
    ).json();
    expect(list.find((g: { id: string }) => g.id === goal.id).name).toBe('Keep');
  });

  it('deletes; answers 400/404/403 for missing, unknown and foreign ids', async () => {
    const goal = (await create({ name: 'Gone', path_pattern: '/gone' })).json();
    const res = await m.call('owner', 'DELETE', '/api/v1/goal', { query: { id: goal.id } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expect(
      (await m.call('owner', 'DELETE', '/api/v1/goal', { query: { id: goal.id } })).statusCode,
    ).toBe(404);
    expect((await m.call('owner', 'DELETE', '/api/v1/goal')).json().validation).toHaveProperty(
      'id',
    );
    expect(
      (
        await m.call('owner', 'PUT', '/api/v1/goal', {
          payload: { id: '', name: 'x', path_pattern: '/' },
        })
      ).json().validation,
    ).toHaveProperty('id');
    expect(
      (
        await m.call('owner', 'POST', '/api/v1/goal', { payload: { name: 'x', path_pattern: '/' } })
      ).json().validation,
    ).toHaveProperty('domain_id');
    const foreign = (
      await m.call('otherDomainClient', 'POST', '/api/v1/goal', {
        payload: { domain_id: m.otherDomain.id, name: 'f', path_pattern: '/f' },
      })
    ).json();
    expect(
      (await m.call('owner', 'DELETE', '/api/v1/goal', { query: { id: foreign.id } })).statusCode,
    ).toBe(403);
  });
});

describe('POST /api/v1/goal/regex', () => {
  it.each([
    ['(?i)^/regular/expression/[^/]*$', '/regular/expression/example', true],
    ['(?i)^/regular/expression/[^/]*$', '/REGULAR/expression/Example', true],
    ['(?i)^/regular/expression/[^/]*$', '/regular/expression/a/b', false],
    ['^/a\\.b$', '/axb', false],
    ['\\d+', 'abc123', true],
  ])('%s on %j → %s', async (re, sample, match) => {
    const res = await regex({ regex: re, sample });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ match });
  });

  it('answers match false for an empty or absent sample', async () => {
    expect((await regex({ regex: '^$', sample: '' })).json()).toEqual({ match: false });
    expect((await regex({ regex: '.*' })).json()).toEqual({ match: false });
  });

  it.each(['(', '[a-', 'a{2,1}', '(?<=a)b', '\\1', 'a**'])(
    'refuses %j (not RE2) with 400 validation.regex',
    async (re) => {
      const res = await regex({ regex: re, sample: 'abc' });
      expect(res.statusCode).toBe(400);
      expect(res.json().validation.regex).toMatch(/RE2/);
    },
  );

  it('requires a regex', async () => {
    expect((await regex({ regex: '' })).json().validation).toHaveProperty('regex');
    expect((await regex({ sample: 'x' })).json().validation).toHaveProperty('regex');
  });

  it('matches generated goal patterns the way statistics will', async () => {
    const cases: [string, string, boolean][] = [
      ['/blog/*/comments', '/blog/my-post/comments', true],
      ['/blog/*/comments', '/blog/a/b/comments', false],
      ['/blog/*/comments', '/BLOG/x/Comments', true],
      ['/blog/**', '/blog/a/b/c', true],
      ['/a.html', '/aXhtml', false],
      ['/a.html', '/a.html', true],
      ['/price+tax?(x)', '/price+tax?(x)', true],
      ['/price+tax?(x)', '/pricetax', false],
    ];
    for (const [pathPattern, path, expected] of cases) {
      const goal = (await create({ name: pathPattern, path_pattern: pathPattern })).json();
      const res = await regex({ regex: goal.pattern, sample: path });
      expect(res.json().match, `${pathPattern} on ${path}`).toBe(expected);
    }
  });
});
