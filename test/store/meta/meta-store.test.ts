/**
 * The metadata store against both real dialects: SQLite in a temp directory and PostgreSQL in a
 * throw-away database. The same assertions run on both, because callers must not be able to
 * tell them apart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMetaStore } from '../../../src/store/meta/db.ts';
import type { MetaStore, MetaStoreOptions } from '../../../src/store/meta/db.ts';
import {
  getUniqueViolation,
  isForeignKeyViolation,
  isUniqueViolation,
  isUniqueViolationOf,
} from '../../../src/store/meta/errors.ts';
import { metaMigrationNames, migrateMetaStore } from '../../../src/store/meta/migrate.ts';
import type { MetaDatabase } from '../../../src/store/meta/schema.ts';
import { getSetting, setSetting, setSettingIfAbsent } from '../../../src/store/meta/settings.ts';
import { raceChildren } from './child.ts';
import { createTestPgDatabase } from './pg-fixture.ts';
import type { TestPgDatabase } from './pg-fixture.ts';
import {
  addAlternative,
  addClient,
  addDomain,
  addGoal,
  addInvitation,
  addLink,
  addMember,
  addReport,
  addToken,
  addUser,
  rid,
} from './rows.ts';

type Db = Kysely<MetaDatabase>;

const TABLES: (keyof MetaDatabase)[] = [
  'access_link',
  'access_token',
  'alternative_domain',
  'client',
  'dashboard_session',
  'domain',
  'email_report',
  'goal',
  'invitation',
  'member',
  'setting',
  'user',
];

/** Provides fresh, empty stores of one dialect and cleans up after the file. */
interface Backend {
  name: 'sqlite' | 'postgres';
  fresh(): Promise<MetaStoreOptions>;
  cleanup(): Promise<void>;
}

function sqliteBackend(): Backend {
  const dirs: string[] = [];
  return {
    name: 'sqlite',
    fresh: () => {
      const dir = mkdtempSync(join(tmpdir(), 'spoor-meta-'));
      dirs.push(dir);
      return Promise.resolve({ dataDir: join(dir, 'data') });
    },
    cleanup: () => {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

function postgresBackend(): Backend {
  const dbs: TestPgDatabase[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'spoor-meta-pg-'));
  return {
    name: 'postgres',
    fresh: async () => {
      const pgdb = await createTestPgDatabase();
      dbs.push(pgdb);
      return { databaseUrl: pgdb.url, dataDir };
    },
    cleanup: async () => {
      for (const pgdb of dbs) await pgdb.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Rows of `table` whose `domain_id` is `domainId`. */
async function countByDomain(
  db: Db,
  table:
    | 'member'
    | 'invitation'
    | 'client'
    | 'access_link'
    | 'alternative_domain'
    | 'email_report'
    | 'goal',
  domainId: string,
): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('domain_id', '=', domainId)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** The error `p` rejects with (fails the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the write to fail');
}

describe.each([sqliteBackend(), postgresBackend()])('metadata store on $name', (backend) => {
  let options: MetaStoreOptions;
  let store: MetaStore;
  let db: Db;
  let firstRun: { applied: string[] };

  beforeAll(async () => {
    options = await backend.fresh();
    store = await openMetaStore(options);
    db = store.db;
    firstRun = await migrateMetaStore(store);
  });

  afterAll(async () => {
    await store?.close();
    await backend.cleanup();
  });

  it('reports its dialect', () => {
    expect(store.dialect).toBe(backend.name);
  });

  it('applies every migration on a fresh store and creates every table', async () => {
    expect(firstRun.applied).toEqual(metaMigrationNames());
    const tables = (await db.introspection.getTables()).map((t) => t.name).sort();
    expect(tables).toEqual(TABLES);
  });

  it('does nothing when migrated again', async () => {
    expect(await migrateMetaStore(store)).toEqual({ applied: [] });
    expect(await migrateMetaStore(store)).toEqual({ applied: [] });
  });

  it('closes idempotently', async () => {
    const other = await openMetaStore(options);
    await other.close();
    await other.close();
  });

  describe('uniqueness rules', () => {
    /** Each case inserts a first row, then returns the insert that must collide. */
    const cases: {
      rule: string;
      table: keyof MetaDatabase;
      columns: string[];
      collide(db: Db): Promise<() => Promise<unknown>>;
    }[] = [
      {
        rule: 'user.email',
        table: 'user',
        columns: ['email'],
        collide: async (db) => {
          const u = await addUser(db);
          return () => addUser(db, { email: u.email });
        },
      },
      {
        rule: 'user.id (primary key)',
        table: 'user',
        columns: ['id'],
        collide: async (db) => {
          const u = await addUser(db);
          return () => addUser(db, { id: u.id });
        },
      },
      {
        rule: 'domain.subdomain, installation-wide',
        table: 'domain',
        columns: ['subdomain'],
        collide: async (db) => {
          const d = await addDomain(db, (await addUser(db)).id);
          return async () => addDomain(db, (await addUser(db)).id, { subdomain: d.subdomain });
        },
      },
      {
        rule: 'domain (user_id, hostname)',
        table: 'domain',
        columns: ['user_id', 'hostname'],
        collide: async (db) => {
          const d = await addDomain(db, (await addUser(db)).id);
          return () => addDomain(db, d.user_id, { hostname: d.hostname });
        },
      },
      {
        rule: 'domain.identification_code',
        table: 'domain',
        columns: ['identification_code'],
        collide: async (db) => {
          const d = await addDomain(db, (await addUser(db)).id);
          return () => addDomain(db, d.user_id, { identification_code: d.identification_code });
        },
      },
      {
        rule: 'client.client_id',
        table: 'client',
        columns: ['client_id'],
        collide: async (db) => {
          const u = await addUser(db);
          const c = await addClient(db, u.id, null);
          return () => addClient(db, u.id, null, { client_id: c.client_id });
        },
      },
      {
        rule: 'client.key_hash',
        table: 'client',
        columns: ['key_hash'],
        collide: async (db) => {
          const u = await addUser(db);
          const d = await addDomain(db, u.id);
          const key = {
            type: 'token' as const,
            client_id: null,
            secret_hash: null,
            key_hash: rid(64),
          };
          await addClient(db, u.id, d.id, key);
          return () => addClient(db, u.id, d.id, key);
        },
      },
      {
        rule: 'access_token.token_hash (primary key)',
        table: 'access_token',
        columns: ['token_hash'],
        collide: async (db) => {
          const u = await addUser(db);
          const c = await addClient(db, u.id, null);
          const t = await addToken(db, c.id);
          return () => addToken(db, c.id, { token_hash: t.token_hash });
        },
      },
      {
        rule: 'access_link.code',
        table: 'access_link',
        columns: ['code'],
        collide: async (db) => {
          const d = await addDomain(db, (await addUser(db)).id);
          const l = await addLink(db, d.id);
          const d2 = await addDomain(db, d.user_id);
          return () => addLink(db, d2.id, { code: l.code });
        },
      },
      {
        rule: 'member (domain_id, user_id)',
        table: 'member',
        columns: ['domain_id', 'user_id'],
        collide: async (db) => {
          const d = await addDomain(db, (await addUser(db)).id);
          const u = await addUser(db);
          await addMember(db, d.id, u.id);
          return () => addMember(db, d.id, u.id, { role: 'admin' });
        },
      },
      {
        rule: 'invitation.token_hash',
        table: 'invitation',
        columns: ['token_hash'],
        collide: async (db) => {
          const d = await addDomain(db, (await addUser(db)).id);
          const i = await addInvitation(db, d.id, d.user_id);
          return () => addInvitation(db, d.id, d.user_id, { token_hash: i.token_hash });
        },
      },
      {
        rule: 'alternative_domain (domain_id, hostname)',
        table: 'alternative_domain',
        columns: ['domain_id', 'hostname'],
        collide: async (db) => {
          const d = await addDomain(db, (await addUser(db)).id);
          const a = await addAlternative(db, d.id);
          return () => addAlternative(db, d.id, { hostname: a.hostname });
        },
      },
      {
        rule: 'email_report.unsubscribe_hash',
        table: 'email_report',
        columns: ['unsubscribe_hash'],
        collide: async (db) => {
          const d = await addDomain(db, (await addUser(db)).id);
          const r = await addReport(db, d.id);
          return () => addReport(db, d.id, { unsubscribe_hash: r.unsubscribe_hash });
        },
      },
      {
        rule: 'setting.key (primary key)',
        table: 'setting',
        columns: ['key'],
        collide: async (db) => {
          const key = rid();
          await db.insertInto('setting').values({ key, value: 'a' }).execute();
          return () => db.insertInto('setting').values({ key, value: 'b' }).execute();
        },
      },
    ];

    it.each(cases)('$rule is enforced and recognised', async ({ table, columns, collide }) => {
      const insert = await collide(db);
      const err = await rejection(insert());
      expect(isUniqueViolation(err)).toBe(true);
      expect(isForeignKeyViolation(err)).toBe(false);
      expect(getUniqueViolation(err)).toMatchObject({ table, columns });
      expect(isUniqueViolationOf(err, table, [...columns].reverse())).toBe(true);
    });

    it('lets two owners use the same host name (decision 28)', async () => {
      const d = await addDomain(db, (await addUser(db)).id);
      await addDomain(db, (await addUser(db)).id, { hostname: d.hostname });
    });

    it('lets two domains share an alternative host name', async () => {
      const u = await addUser(db);
      const [d1, d2] = [await addDomain(db, u.id), await addDomain(db, u.id)];
      await addAlternative(db, d1.id, { hostname: 'shared.example.net' });
      await addAlternative(db, d2.id, { hostname: 'shared.example.net' });
    });

    it('lets any number of clients leave client_id or key_hash null', async () => {
      const u = await addUser(db);
      const d = await addDomain(db, u.id);
      const key = () => ({
        type: 'token' as const,
        client_id: null,
        secret_hash: null,
        key_hash: rid(64),
      });
      await addClient(db, u.id, d.id, key());
      await addClient(db, u.id, d.id, key());
      await addClient(db, u.id, d.id);
      await addClient(db, u.id, d.id);
    });

    it('does not call other errors unique violations', () => {
      expect(isUniqueViolation(new Error('UNIQUE constraint failed: user.email'))).toBe(false);
      expect(isUniqueViolation(null)).toBe(false);
      expect(isUniqueViolation('23505')).toBe(false);
      expect(getUniqueViolation(new Error('x'))).toBeNull();
    });
  });

  describe('foreign keys', () => {
    it('refuses rows of a domain that does not exist', async () => {
      const u = await addUser(db);
      const err = await rejection(addMember(db, 'nope', u.id));
      expect(isForeignKeyViolation(err)).toBe(true);
      expect(isUniqueViolation(err)).toBe(false);
    });

    it('deleting a domain removes everything it owns, and nothing else', async () => {
      const owner = await addUser(db);
      const viewer = await addUser(db);
      const d1 = await addDomain(db, owner.id);
      const d2 = await addDomain(db, owner.id);
      await addMember(db, d1.id, viewer.id);
      await addInvitation(db, d1.id, owner.id);
      const oauth = await addClient(db, owner.id, d1.id);
      const oauthToken = await addToken(db, oauth.id);
      await addClient(db, owner.id, d1.id, {
        type: 'token',
        client_id: null,
        secret_hash: null,
        key_hash: rid(64),
      });
      await addLink(db, d1.id);
      await addAlternative(db, d1.id);
      await addReport(db, d1.id);
      await addGoal(db, d1.id);
      // Survivors: the other domain's rows and the owner's user client with its token.
      await addMember(db, d2.id, viewer.id);
      await addGoal(db, d2.id);
      const userClient = await addClient(db, owner.id, null);
      const userToken = await addToken(db, userClient.id);

      await db.deleteFrom('domain').where('id', '=', d1.id).execute();

      for (const table of [
        'member',
        'invitation',
        'client',
        'access_link',
        'alternative_domain',
        'email_report',
        'goal',
      ] as const) {
        expect(await countByDomain(db, table, d1.id), table).toBe(0);
      }
      const tokens = await db.selectFrom('access_token').select('token_hash').execute();
      expect(tokens.map((t) => t.token_hash)).not.toContain(oauthToken.token_hash);
      expect(tokens.map((t) => t.token_hash)).toContain(userToken.token_hash);
      expect(await countByDomain(db, 'member', d2.id)).toBe(1);
      expect(await countByDomain(db, 'goal', d2.id)).toBe(1);
      expect(
        await db.selectFrom('user').select('id').where('id', '=', viewer.id).execute(),
      ).toHaveLength(1);
    });

    it('deleting a client revokes its tokens', async () => {
      const u = await addUser(db);
      const c = await addClient(db, u.id, null);
      const t = await addToken(db, c.id);
      await db.deleteFrom('client').where('id', '=', c.id).execute();
      const left = await db
        .selectFrom('access_token')
        .where('token_hash', '=', t.token_hash)
        .selectAll()
        .execute();
      expect(left).toEqual([]);
    });

    it('refuses to delete a user who still owns domains; removes memberships and clients otherwise', async () => {
      const owner = await addUser(db);
      const other = await addUser(db);
      const d = await addDomain(db, owner.id);
      await addMember(db, d.id, other.id);
      const c = await addClient(db, owner.id, null);
      await addToken(db, c.id);

      expect(
        isForeignKeyViolation(
          await rejection(db.deleteFrom('user').where('id', '=', owner.id).execute()),
        ),
      ).toBe(true);

      await db.deleteFrom('user').where('id', '=', other.id).execute();
      expect(await countByDomain(db, 'member', d.id)).toBe(0);

      await db.deleteFrom('domain').where('id', '=', d.id).execute();
      await db.deleteFrom('user').where('id', '=', owner.id).execute();
      expect(await db.selectFrom('client').where('id', '=', c.id).selectAll().execute()).toEqual(
        [],
      );
      expect(
        await db.selectFrom('access_token').where('client_id', '=', c.id).selectAll().execute(),
      ).toEqual([]);
    });
  });

  describe('values', () => {
    it('round-trips every column type identically', async () => {
      const u = await addUser(db);
      const d = await addDomain(db, u.id, { public: 1, timezone: null });
      const g = await addGoal(db, d.id, { visitor_goal: 123, cr_goal: 42.11, email_reached: 1 });
      const goal = await db
        .selectFrom('goal')
        .selectAll()
        .where('id', '=', g.id)
        .executeTakeFirstOrThrow();
      expect(goal).toEqual(g);
      expect(goal.cr_goal).toBe(42.11);
      const dom = await db
        .selectFrom('domain')
        .selectAll()
        .where('id', '=', d.id)
        .executeTakeFirstOrThrow();
      expect(dom).toEqual(d);
      expect(dom.public).toBe(1);
      expect(dom.timezone).toBeNull();
    });

    it('returns counts and aggregates as numbers', async () => {
      const u = await addUser(db);
      const d = await addDomain(db, u.id);
      await addReport(db, d.id, { interval: 1 });
      await addReport(db, d.id, { interval: 4 });
      const row = await db
        .selectFrom('email_report')
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          eb.fn.sum<number>('interval').as('total'),
          eb.fn.avg<number>('interval').as('mean'),
        ])
        .where('domain_id', '=', d.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ n: 2, total: 5, mean: 2.5 });
    });

    it('compares ISO timestamps as text', async () => {
      const u = await addUser(db);
      const c = await addClient(db, u.id, null);
      await addToken(db, c.id, { expires_at: '2024-01-01T00:00:00.000Z' });
      const live = await addToken(db, c.id, { expires_at: '2024-01-01T01:00:00.000Z' });
      const rows = await db
        .selectFrom('access_token')
        .select('token_hash')
        .where('client_id', '=', c.id)
        .where('expires_at', '>', '2024-01-01T00:30:00.000Z')
        .execute();
      expect(rows).toEqual([{ token_hash: live.token_hash }]);
    });

    it('quotes the reserved table name user in raw SQL too', async () => {
      const u = await addUser(db);
      const { rows } = await sql<{
        email: string;
      }>`select email from ${sql.table('user')} where id = ${u.id}`.execute(db);
      expect(rows).toEqual([{ email: u.email }]);
    });

    it('rolls a failed transaction back', async () => {
      const id = rid();
      await expect(
        db.transaction().execute(async (trx) => {
          await addUser(trx, { id });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await db.selectFrom('user').where('id', '=', id).selectAll().execute()).toEqual([]);
    });
  });

  describe('settings', () => {
    it('reads nothing for an unknown key', async () => {
      expect(await getSetting(db, rid())).toBeUndefined();
    });

    it('keeps the first value set if absent', async () => {
      const key = rid();
      expect(await setSettingIfAbsent(db, key, 'first')).toBe('first');
      expect(await setSettingIfAbsent(db, key, 'second')).toBe('first');
      expect(await getSetting(db, key)).toBe('first');
      await setSetting(db, key, 'third');
      expect(await getSetting(db, key)).toBe('third');
    });

    it('makes concurrent proposals from two stores agree on one value', async () => {
      const other = await openMetaStore(options);
      try {
        for (let i = 0; i < 20; i++) {
          const key = `race-${rid()}`;
          const results = await Promise.all([
            setSettingIfAbsent(db, key, 'a'),
            setSettingIfAbsent(other.db, key, 'b'),
            setSettingIfAbsent(db, key, 'c'),
            setSettingIfAbsent(other.db, key, 'd'),
          ]);
          expect(new Set(results).size).toBe(1);
          expect(await getSetting(db, key)).toBe(results[0]);
        }
      } finally {
        await other.close();
      }
    });
  });

  it('lets several processes migrate one fresh store at once: each migration once, one secret', async () => {
    const target = await backend.fresh();
    const results = await raceChildren(4, target, 'visitor_secret');
    expect(results.flatMap((r) => r.applied).sort()).toEqual(metaMigrationNames());
    expect(new Set(results.map((r) => r.value)).size).toBe(1);
    const check = await openMetaStore(target);
    try {
      expect(await migrateMetaStore(check)).toEqual({ applied: [] });
      expect(await getSetting(check.db, 'visitor_secret')).toBe(results[0]?.value);
      const tables = (await check.db.introspection.getTables()).map((t) => t.name).sort();
      expect(tables).toEqual(TABLES);
    } finally {
      await check.close();
    }
  });
});
