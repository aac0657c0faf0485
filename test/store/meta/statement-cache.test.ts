import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CachingSqliteDatabase } from '../../../src/store/meta/statement-cache.ts';

const open: CachingSqliteDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function memoryDatabase(size?: number): CachingSqliteDatabase {
  const db = new CachingSqliteDatabase(new Database(':memory:'), size);
  open.push(db);
  db.prepare('create table t (id integer primary key, name text)').run([]);
  db.prepare('insert into t (name) values (?), (?), (?)').run(['a', 'b', 'c']);
  return db;
}

describe('CachingSqliteDatabase', () => {
  it('reuses the statement of a repeated SQL text with new parameters', () => {
    const db = memoryDatabase();
    const sql = 'select name from t where id = ?';
    const first = db.prepare(sql);
    expect(first.all([1])).toEqual([{ name: 'a' }]);
    const again = db.prepare(sql);
    expect(again).toBe(first);
    expect(again.all([2])).toEqual([{ name: 'b' }]);
  });

  it('keeps at most `size` statements, dropping the least recently used', () => {
    const db = memoryDatabase(2);
    const one = db.prepare('select 1');
    const two = db.prepare('select 2');
    expect(db.prepare('select 1')).toBe(one); // now the most recently used
    db.prepare('select 3');
    expect(db.cachedCount).toBe(2);
    expect(db.prepare('select 1')).toBe(one);
    expect(db.prepare('select 2')).not.toBe(two);
  });

  it('prepares a fresh statement while the cached one is still iterating', () => {
    const db = memoryDatabase();
    const sql = 'select name from t order by id';
    const outer = db.prepare(sql).iterate([]);
    const names: string[] = [];
    for (const row of outer as Iterable<{ name: string }>) {
      names.push(
        row.name,
        ...db
          .prepare(sql)
          .all([])
          .map((r) => (r as { name: string }).name),
      );
    }
    expect(names).toEqual(['a', 'a', 'b', 'c', 'b', 'a', 'b', 'c', 'c', 'a', 'b', 'c']);
  });

  it('still sees writes and schema changes made after a statement was cached', () => {
    const db = memoryDatabase();
    const count = 'select count(*) as n from t';
    expect(db.prepare(count).all([])).toEqual([{ n: 3 }]);
    db.prepare('insert into t (name) values (?)').run(['d']);
    expect(db.prepare(count).all([])).toEqual([{ n: 4 }]);
    const star = 'select * from t where id = ?';
    expect(db.prepare(star).all([1])).toEqual([{ id: 1, name: 'a' }]);
    db.prepare('alter table t add column extra text').run([]);
    expect(db.prepare(star).all([1])).toEqual([{ id: 1, name: 'a', extra: null }]);
  });
});
