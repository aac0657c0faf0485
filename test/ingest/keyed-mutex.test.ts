import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../src/ingest/keyed-mutex.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('KeyedMutex', () => {
  it('runs the tasks of one key one after another, in the order they came', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      mutex.run('a', task('1')),
      mutex.run('a', task('2')),
      mutex.run('a', task('3')),
    ]);
    expect(results).toEqual(['1', '2', '3']);
    expect(log).toEqual(['1 start', '1 end', '2 start', '2 end', '3 start', '3 end']);
  });

  it('runs different keys concurrently and goes on after a failed task', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const failing = mutex.run('a', async () => {
      log.push('a1 start');
      await tick();
      throw new Error('boom');
    });
    const next = mutex.run('a', async () => log.push('a2'));
    const other = mutex.run('b', async () => log.push('b'));
    await expect(failing).rejects.toThrow('boom');
    await Promise.all([next, other]);
    expect(log).toEqual(['a1 start', 'b', 'a2']);
  });
});
