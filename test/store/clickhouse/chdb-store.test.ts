import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChdbEventStore } from '../../../src/store/clickhouse/chdb-store.ts';
import type { ChdbEventStore } from '../../../src/store/clickhouse/chdb-store.ts';
import { ClickHouseErrorCode, EventStoreError } from '../../../src/store/clickhouse/event-store.ts';
import { toDateTime64 } from '../../../src/store/clickhouse/sql.ts';
import { tempDataDir } from './helpers.ts';

const data = tempDataDir();
let store: ChdbEventStore;

beforeAll(async () => {
  store = await openChdbEventStore({ dataDir: data.dir, database: 'store_test' });
  await store.command(`CREATE TABLE store_test.t (
    id UInt64, name String, at DateTime64(3, 'UTC'), n Int32, tags Array(String)
  ) ENGINE = MergeTree ORDER BY id`);
});

afterAll(async () => {
  await store.close();
  data.remove();
});

describe('ChdbEventStore basics', () => {
  it('creates its database and reports it', async () => {
    expect(store.database).toBe('store_test');
    expect(store.engineDir).toBe(`${data.dir}/clickhouse`);
    const rows = await store.query<{ name: string }>(
      'SELECT name FROM system.databases WHERE name = {db:String}',
      { db: 'store_test' },
    );
    expect(rows).toEqual([{ name: 'store_test' }]);
  });

  it('returns [] for an empty result and runs in UTC', async () => {
    expect(await store.query('SELECT 1 FROM system.one WHERE 0')).toEqual([]);
    const [row] = await store.query<{ tz: string }>('SELECT timezone() AS tz');
    expect(row?.tz).toBe('UTC');
  });

  it('defaults the database to spoor', async () => {
    const other = await openChdbEventStore({ dataDir: data.dir });
    try {
      expect(other.database).toBe('spoor');
    } finally {
      await other.close();
    }
  });

  it('rejects a database name that is not an identifier', async () => {
    await expect(
      openChdbEventStore({ dataDir: data.dir, database: 'x; DROP DATABASE y' }),
    ).rejects.toBeInstanceOf(EventStoreError);
  });
});

describe('insert', () => {
  it('stores rows with 64-bit ids, quotes, arrays and dates in one INSERT', async () => {
    await store.insert('t', [
      {
        id: '18446744073709551615',
        name: `it's "quoted" \\ \n`,
        at: '2024-05-01 10:20:30.456',
        n: -3,
        tags: ['a', "b'c"],
      },
      {
        id: 9007199254740993n,
        name: 'bigint',
        at: new Date('2024-05-01T10:20:30.007Z'),
        n: 1,
        tags: [],
      },
      { id: 7, name: 'iso', at: '2024-05-01T10:20:30.999Z', n: 0 },
    ]);
    const rows = await store.query<{
      id: string;
      name: string;
      at: string;
      n: number;
      tags: string[];
    }>('SELECT id, name, at, n, tags FROM store_test.t ORDER BY id');
    expect(rows).toEqual([
      { id: '7', name: 'iso', at: '2024-05-01 10:20:30.999', n: 0, tags: [] },
      { id: '9007199254740993', name: 'bigint', at: '2024-05-01 10:20:30.007', n: 1, tags: [] },
      {
        id: '18446744073709551615',
        name: `it's "quoted" \\ \n`,
        at: '2024-05-01 10:20:30.456',
        n: -3,
        tags: ['a', "b'c"],
      },
    ]);
  });

  it('accepts a qualified table name and ignores an empty batch', async () => {
    await store.insert('store_test.t', [
      { id: 100, name: 'qualified', at: '2024-01-01 00:00:00.000', n: 0 },
    ]);
    await store.insert('t', []);
    const [row] = await store.query<{ c: string }>(
      'SELECT count() AS c FROM store_test.t WHERE id = 100',
    );
    expect(row?.c).toBe('1');
  });

  it('fails on an unknown column instead of dropping it', async () => {
    const error = await store
      .insert('t', [{ id: 1, name: 'x', at: '2024-01-01 00:00:00.000', n: 0, nope: 1 }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventStoreError);
    expect((error as EventStoreError).code).toBeTypeOf('number');
  });

  it('stores nothing when one row of the batch is malformed', async () => {
    const error = await store
      .insert('t', [
        { id: 200, name: 'ok', at: '2024-01-01 00:00:00.000', n: 0 },
        { id: 201, name: 'bad', at: 'not a time', n: 0 },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventStoreError);
    const [row] = await store.query<{ c: string }>(
      'SELECT count() AS c FROM store_test.t WHERE id IN (200, 201)',
    );
    expect(row?.c).toBe('0');
  });

  it('rejects a table name that is not an identifier', async () => {
    await expect(store.insert('t; DROP TABLE t', [{ id: 1 }])).rejects.toBeInstanceOf(
      EventStoreError,
    );
  });
});

describe('query parameters', () => {
  it('binds strings verbatim, including quotes, backslashes and control characters', async () => {
    const nasty = `a'b"c\\d\te\nf\0g ü 😀`;
    const [row] = await store.query<{ s: string; l: string }>(
      'SELECT {s:String} AS s, length({s:String}) AS l',
      { s: nasty },
    );
    expect(row?.s).toBe(nasty);
    expect(row?.l).toBe(String(Buffer.byteLength(nasty)));
  });

  it('keeps an injection attempt a plain value', async () => {
    const attack = "x' OR 1=1 --";
    const rows = await store.query('SELECT id FROM store_test.t WHERE name = {name:String}', {
      name: attack,
    });
    expect(rows).toEqual([]);
    const [row] = await store.query<{ c: string }>('SELECT count() AS c FROM store_test.t');
    expect(Number(row?.c)).toBeGreaterThan(0);
  });

  it('binds numbers, booleans and 64-bit integers as bigint or string', async () => {
    const [row] = await store.query<Record<string, unknown>>(
      `SELECT {i:Int32} AS i, {f:Float64} AS f, {b:Bool} AS b,
              {big:UInt64} AS big, {bigText:UInt64} AS bigText, {neg:Int64} AS neg`,
      {
        i: -42,
        f: 1.5,
        b: true,
        big: 2n ** 63n + 1n,
        bigText: '18446744073709551615',
        neg: -(2n ** 62n),
      },
    );
    expect(row).toEqual({
      i: -42,
      f: 1.5,
      b: true,
      big: '9223372036854775809',
      bigText: '18446744073709551615',
      neg: String(-(2n ** 62n)),
    });
  });

  it('refuses an unsafe integer number rather than losing precision', async () => {
    await expect(store.query('SELECT {x:UInt64} AS x', { x: 2 ** 53 + 2 })).rejects.toBeInstanceOf(
      EventStoreError,
    );
  });

  it('binds a Date with its milliseconds to DateTime64 and a whole-second Date to DateTime', async () => {
    const at = new Date('2024-05-01T10:20:30.456Z');
    const [row] = await store.query<Record<string, string>>(
      `SELECT {at:DateTime64(3, 'UTC')} AS at, toUnixTimestamp64Milli({at:DateTime64(3, 'UTC')}) AS ms,
              {whole:DateTime('UTC')} AS whole, {day:Date} AS day`,
      { at, whole: new Date('2024-05-01T10:20:30Z'), day: '2024-05-01' },
    );
    expect(row).toEqual({
      at: '2024-05-01 10:20:30.456',
      ms: String(at.getTime()),
      whole: '2024-05-01 10:20:30',
      day: '2024-05-01',
    });
  });

  it('filters DateTime64 columns with Date and text parameters alike', async () => {
    const rows = await store.query<{ id: string }>(
      `SELECT id FROM store_test.t
       WHERE at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')} ORDER BY id`,
      {
        from: new Date('2024-05-01T10:20:30.007Z'),
        to: toDateTime64(new Date('2024-05-01T10:20:30.999Z')),
      },
    );
    expect(rows.map((r) => r.id)).toEqual(['9007199254740993', '18446744073709551615']);
  });

  it('binds arrays of strings, numbers and bigints', async () => {
    const [row] = await store.query<Record<string, unknown>>(
      `SELECT {s:Array(String)} AS s, {n:Array(UInt32)} AS n, {b:Array(UInt64)} AS b,
              {e:Array(String)} AS e`,
      { s: ["it's", 'a\\b'], n: [1, 2, 3], b: [18446744073709551615n, 1n], e: [] },
    );
    expect(row).toEqual({
      s: ["it's", 'a\\b'],
      n: [1, 2, 3],
      b: ['18446744073709551615', '1'],
      e: [],
    });
    const hits = await store.query<{ id: string }>(
      'SELECT id FROM store_test.t WHERE has({names:Array(String)}, name) ORDER BY id',
      { names: ['iso', 'bigint', "x' OR 1=1 --"] },
    );
    expect(hits.map((r) => r.id)).toEqual(['7', '9007199254740993']);
  });
});

describe('errors', () => {
  async function failure(promise: Promise<unknown>): Promise<EventStoreError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EventStoreError);
    return error as EventStoreError;
  }

  it('wraps a syntax error with its ClickHouse code', async () => {
    const error = await failure(store.query('SELEC 1'));
    expect(error.code).toBe(ClickHouseErrorCode.SYNTAX_ERROR);
    expect(error.name).toBe('EventStoreError');
    expect(error.message).toMatch(/Syntax error/);
    expect(error.cause).toBeDefined();
  });

  it('wraps a bad regular expression (RE2) so it can become a 400', async () => {
    const error = await failure(
      store.query('SELECT match({s:String}, {re:String})', { s: 'x', re: '(' }),
    );
    expect(error.code).toBe(ClickHouseErrorCode.CANNOT_COMPILE_REGEXP);
  });

  it('wraps unknown tables and unparseable parameters', async () => {
    expect((await failure(store.query('SELECT * FROM store_test.missing'))).code).toBe(
      ClickHouseErrorCode.UNKNOWN_TABLE,
    );
    expect(
      (await failure(store.query('SELECT {d:Date} AS d', { d: '2024-01-02 00:00:00' }))).code,
    ).toBe(ClickHouseErrorCode.BAD_QUERY_PARAMETER);
  });

  it('wraps command failures', async () => {
    const error = await failure(store.command('DROP TABLE store_test.missing'));
    expect(error.code).toBe(ClickHouseErrorCode.UNKNOWN_TABLE);
  });
});
