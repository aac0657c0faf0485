import { describe, expect, it } from 'vitest';
import { languageOf } from '../../src/ingest/language.ts';
import { screenClass, screenWidthFrom } from '../../src/ingest/screen.ts';

describe('languageOf', () => {
  it.each<[string, string]>([
    ['fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5', 'fr'],
    ['en-us, en', 'en'],
    ['de-CH,de;q=0.9', 'de'],
    ['DE', 'de'],
    ['  es-419  ', 'es'],
    ['pt-BR;q=0.9', 'pt'],
    ['zh-Hant-TW', 'zh'],
    ['en_GB', 'en'],
    ['nb-NO,no;q=0.9', 'nb'],
    ['ja;q=0.8, en', 'ja'], // only the first language counts, whatever its quality
    ['iw-IL', 'he'], // withdrawn code → current code
    ['in', 'id'],
    ['invalid', ''],
    ['*', ''],
    ['', ''],
    ['xx', ''],
    ['eng', ''], // ISO 639-2 is not ISO 639-1
    ['q=0.9', ''],
    [',en', ''],
    ['e', ''],
    ['en-', 'en'],
  ])('%j → %j', (header, expected) => {
    expect(languageOf(header)).toBe(expected);
  });
});

describe('screenClass', () => {
  it.each<[number, string]>([
    [0, ''],
    [-1, ''],
    [Number.NaN, ''],
    [Number.POSITIVE_INFINITY, ''],
    [1, 'XS'],
    [360, 'XS'],
    [414, 'XS'],
    [415, 'S'],
    [599, 'S'],
    [600, 'M'],
    [799, 'M'],
    [800, 'L'],
    [1023, 'L'],
    [1024, 'XL'],
    [1279, 'XL'],
    [1280, 'HD'],
    [1440, 'HD'],
    [1919, 'HD'],
    [1920, 'Full HD'],
    [2559, 'Full HD'],
    [2560, 'WQHD'],
    [3839, 'WQHD'],
    [3840, 'UHD 4K'],
    [5119, 'UHD 4K'],
    [5120, 'UHD 5K'],
    [7680, 'UHD 5K'],
  ])('%d → %j', (width, expected) => {
    expect(screenClass(width)).toBe(expected);
  });
});

describe('screenWidthFrom', () => {
  const hints = (secChWidth = '', secChViewportWidth = '') => ({ secChWidth, secChViewportWidth });
  it.each<[number | undefined, ReturnType<typeof hints>, number]>([
    [1920, hints('1280', '800'), 1920], // a sent width wins
    [1366.6, hints(), 1366],
    [0, hints('1280', '800'), 1280], // 0 = not sent: client hints
    [undefined, hints('1280'), 1280],
    [undefined, hints('', '412'), 412],
    [0, hints('abc', '390'), 390],
    [0, hints(' 1440 ', ''), 1440],
    [0, hints('412.5', ''), 412],
    [0, hints('0', '0'), 0],
    [-5, hints('-320', ''), 0],
    [Number.NaN, hints('1e3', ''), 0],
    [undefined, hints(), 0],
  ])('%s with %j → %d', (width, h, expected) => {
    expect(screenWidthFrom(width, h)).toBe(expected);
  });

  it('feeds screenClass: no width but a viewport hint gives a class', () => {
    expect(screenClass(screenWidthFrom(0, hints('', '390')))).toBe('XS');
  });
});
