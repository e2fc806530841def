import { describe, expect, it } from 'vitest';
import type { ColumnMapping } from '../../../shared/contract/equipment-import';
import { exampleTags, fieldOf, overridesFor, requiredFields, screenMessage } from '../../../renderer/src/features/import/mapping-state';
import { guessMapping } from '../../../main/core/equipment/import/mapping';
import { pagesFor, pageWindow, rowAt } from '../../../renderer/src/features/equipment/paging';

describe('the list fetches the pages in view', () => {
  it('names the pages holding a range of rows', () => {
    expect(pagesFor(0, -1)).toEqual([0]);
    expect(pagesFor(0, 30)).toEqual([0]);
    expect(pagesFor(95, 130)).toEqual([0, 1]);
    expect(pagesFor(49_950, 49_999)).toEqual([499]);
    expect(pagesFor(10, 25, 10)).toEqual([1, 2]);
  });

  it('reads one page ahead of the scroll, and the first page for the total', () => {
    expect(pageWindow(0, 30, 1).pages).toEqual([0, 1]);
    expect(pageWindow(250, 280, 1).pages).toEqual([0, 2, 3]);
    expect(pageWindow(250, 280, -1).pages).toEqual([0, 1, 2]);
    expect(pageWindow(95, 130, 1).pages).toEqual([0, 1, 2]);
    expect(pageWindow(5, 30, -1).pages).toEqual([0]);
  });

  it('moves only when a page boundary is crossed, so the list is not redrawn at every row', () => {
    expect(pageWindow(210, 240, 1).key).toBe(pageWindow(230, 260, 1).key);
    expect(pageWindow(270, 300, 1).key).not.toBe(pageWindow(230, 260, 1).key);
  });

  it('finds a row in its page, or nothing while the page is on its way', () => {
    const pages = new Map([[1, { rows: ['a', 'b', 'c'] }]]);
    expect(rowAt(pages, 101)).toBe('b');
    expect(rowAt(pages, 5)).toBeUndefined();
    expect(rowAt(pages, 103)).toBeUndefined();
  });
});

const columns: ColumnMapping[] = [
  { index: 0, header: 'Location', field: 'location', how: 'name' },
  { index: 1, header: 'Code', field: 'asset_tag', how: 'alias' },
  { index: 2, header: 'Equipment Type', field: 'name', how: 'alias' },
  { index: 3, header: 'Colour', field: null, how: 'unmatched' },
];

describe('the mapping screen', () => {
  it('sends only the columns the user chose, by header', () => {
    const headers = columns.map((c) => c.header);
    expect(overridesFor(headers, {})).toEqual({});
    expect(overridesFor(headers, { 3: 'notes', 1: null })).toEqual({ Colour: 'notes', Code: null });
  });

  it('shows the choice over the guess', () => {
    expect(fieldOf(columns[1]!, {})).toBe('asset_tag');
    expect(fieldOf(columns[1]!, { 1: null })).toBeNull();
    expect(fieldOf(columns[3]!, { 3: 'notes' })).toBe('notes');
  });

  it('flags a required field with no column, unless tags are generated', () => {
    expect(requiredFields(columns, {}, false).map((r) => [r.field, r.headers])).toEqual([
      ['asset_tag', ['Code']],
      ['name', ['Equipment Type']],
      ['location', ['Location']],
    ]);
    const noTag = requiredFields(columns, { 1: null }, false);
    expect(noTag[0]).toEqual({ field: 'asset_tag', headers: [], generated: false });
    expect(requiredFields(columns, { 1: null }, true)[0]).toEqual({ field: 'asset_tag', headers: [], generated: true });
    expect(requiredFields(columns, { 3: 'name' }, false)[1]!.headers).toEqual(['Equipment Type', 'Colour']);
  });

  it('shows the generated tag pattern with the prefix typed', () => {
    expect(exampleTags('EWH')).toBe('EWH-00001, EWH-00002, …');
    expect(exampleTags('  ')).toBe('PREFIX-00001, PREFIX-00002, …');
  });

  it("names the fields of main's mapping problems as the screen's choices do, not by their codes", () => {
    const twice = guessMapping(['Asset tag', 'Code', 'Name', 'name2'], { name2: 'name' }).problems;
    expect(twice.map(screenMessage)).toEqual([
      'Columns "Asset tag" and "Code" are both mapped to Asset tag; map one of them to another field or ignore it.',
      'Columns "Name" and "name2" are both mapped to Name; map one of them to another field or ignore it.',
      'No column is mapped to Location, which is required: map one of the columns to it.',
    ]);
    const none = guessMapping(['Serial']).problems.map(screenMessage);
    expect(none.join(' ')).not.toMatch(/asset_tag|location\b/);
    expect(none).toContain(
      'No column is mapped to Asset tag, which is required: map one of the columns to it (or choose to generate tags).',
    );
    // A message without a field is left as main wrote it.
    expect(screenMessage({ message: 'There is no column "X" in the file.' })).toBe('There is no column "X" in the file.');
  });
});
