import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, decodeText, parseCsv, readCsvFile } from '../../electron/services/datasets/csv';
import type { DataErrorCode } from '../../electron/services/datasets/csv';

const datasets = path.resolve(__dirname, '../../../shared/datasets');

function errorOf(run: () => unknown): DataError {
  try {
    run();
  } catch (err) {
    if (err instanceof DataError) return err;
    throw err;
  }
  throw new Error('expected a DataError');
}

function expectDataError(run: () => unknown, code: DataErrorCode, message: RegExp): void {
  const err = errorOf(run);
  expect(err.code).toBe(code);
  expect(err.message).toMatch(message);
  // One sentence for the user: no stack-trace-like text, ends with a full stop.
  expect(err.message).toMatch(/\.$/);
}

describe('delimiter detection', () => {
  it('reads a semicolon file like the UCI wine originals', () => {
    const t = parseCsv('"fixed acidity";"volatile acidity";"quality"\n7.4;0.7;5\n7.8;0.88;5\n');
    expect(t.info.delimiter).toBe(';');
    expect(t.header).toEqual(['fixed acidity', 'volatile acidity', 'quality']);
    expect(t.rows).toEqual([
      ['7.4', '0.7', '5'],
      ['7.8', '0.88', '5'],
    ]);
  });

  it('reads a tab-separated file whose text contains commas', () => {
    const t = parseCsv('name\tage\tcity\nSmith, Jo\t34\tPorto\nLee, Al\t28\tBraga\n');
    expect(t.info.delimiter).toBe('\t');
    expect(t.header).toEqual(['name', 'age', 'city']);
    expect(t.rows[0]).toEqual(['Smith, Jo', '34', 'Porto']);
  });

  it('reads a pipe-separated file', () => {
    const t = parseCsv('a|b\n1|2\n3|4');
    expect(t.info.delimiter).toBe('|');
    expect(t.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('prefers ; over , when a semicolon file uses decimal commas', () => {
    const t = parseCsv('a;b;c\n1,5;2,25;3,0\n4,5;5,75;6,0\n');
    expect(t.info.delimiter).toBe(';');
    expect(t.rows[0]).toEqual(['1,5', '2,25', '3,0']);
  });

  it('breaks a tie between equally consistent delimiters in favour of ;', () => {
    const t = parseCsv('1,5;2,5\n3,5;4,5\n');
    expect(t.info.delimiter).toBe(';');
    expect(t.hasHeader).toBe(false);
    expect(t.rows[0]).toEqual(['1,5', '2,5']);
  });

  it('detects the delimiter of a file larger than the sample it looks at', () => {
    const lines = ['a;b;c', ...Array.from({ length: 30_000 }, (_, i) => `${i};${i * 0.5};x${i % 7}`)];
    const t = parseCsv(lines.join('\n'));
    expect(t.info.delimiter).toBe(';');
    expect(t.info.rows).toBe(30_000);
    expect(t.info.columns.map((c) => c.type)).toEqual(['number', 'number', 'category']);
  });

  it('treats a file with no delimiter as one column', () => {
    const t = parseCsv('value\n1\n2\n3\n');
    expect(t.info.delimiter).toBe(',');
    expect(t.header).toEqual(['value']);
    expect(t.info.rows).toBe(3);
  });
});

describe('quoting, BOM, line endings', () => {
  it('keeps delimiters, doubled quotes and newlines inside quoted fields', () => {
    const t = parseCsv('id,note,score\n1,"hello, world",3\n2,"two\nlines ""quoted""",4\n3,plain,5\n');
    expect(t.rows).toEqual([
      ['1', 'hello, world', '3'],
      ['2', 'two\nlines "quoted"', '4'],
      ['3', 'plain', '5'],
    ]);
    // The row after the quoted newline starts on line 5 of the file.
    expect(Array.from(t.rowLines)).toEqual([2, 3, 5]);
  });

  it('strips a UTF-8 BOM from the first header name', () => {
    const t = parseCsv('\uFEFFa,b\n1,2\n');
    expect(t.header).toEqual(['a', 'b']);
  });

  it('handles CRLF and ignores trailing empty lines', () => {
    const t = parseCsv('a,b\r\n1,2\r\n3,4\r\n\r\n\r\n');
    expect(t.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(t.info.rows).toBe(2);
  });

  it('skips blank lines in the middle but keeps counting file lines', () => {
    const t = parseCsv('a,b\n1,2\n\n   \n3,4\n');
    expect(t.rows).toHaveLength(2);
    expect(Array.from(t.rowLines)).toEqual([2, 5]);
  });

  it('decodes UTF-16 with a BOM and Windows-1252 text', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\tb\n1\t2\n', 'utf16le')]);
    expect(parseCsv(decodeText(utf16)).header).toEqual(['a', 'b']);
    const latin = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2c, 0x6e, 0x0a, 0x31, 0x2c, 0x32, 0x0a]); // "café,n\n1,2\n"
    expect(parseCsv(decodeText(latin)).header).toEqual(['café', 'n']);
  });
});

describe('header detection', () => {
  it('generates column_1..n for a headerless numeric file', () => {
    const t = parseCsv('1,2,3\n4,5,6\n');
    expect(t.hasHeader).toBe(false);
    expect(t.header).toEqual(['column_1', 'column_2', 'column_3']);
    expect(t.rows).toHaveLength(2);
    expect(Array.from(t.rowLines)).toEqual([1, 2]);
  });

  it('keeps a first data row with a text column when the other cells are numbers', () => {
    const t = parseCsv('white,7,0.27\nred,7.4,0.7\n');
    expect(t.hasHeader).toBe(false);
    expect(t.rows).toHaveLength(2);
    expect(t.info.columns[0]).toMatchObject({
      name: 'column_1',
      type: 'category',
      categories: ['red', 'white'],
    });
  });

  it('names blank header cells and suffixes repeated ones', () => {
    const t = parseCsv(',x,x\n1,2,3\n');
    expect(t.header).toEqual(['column_1', 'x', 'x.1']);
  });

  it('treats the first row of an all-text table as a header unless its values repeat below', () => {
    expect(parseCsv('color,size\nred,big\nblue,small\n').hasHeader).toBe(true);
    expect(parseCsv('red,big\nblue,small\nred,small\n').hasHeader).toBe(false);
  });
});

describe('column summaries', () => {
  it('types columns and counts missing and distinct cells', () => {
    const t = parseCsv('n,c,e,m\n1,a, ,2\n2,b,,x\n3,a,,\n4,,,2\n');
    const [n, c, e, m] = t.info.columns;
    expect(n).toMatchObject({ type: 'number', missing: 0, distinct: 4, min: 1, max: 4, mean: 2.5 });
    // Sample standard deviation of 1..4.
    expect(n?.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(c).toMatchObject({ type: 'category', missing: 1, distinct: 2, categories: ['a', 'b'] });
    expect(e).toMatchObject({ type: 'empty', missing: 4, distinct: 0 });
    expect(m).toMatchObject({ type: 'category', missing: 1, distinct: 2, categories: ['2', 'x'] });
  });

  it('does not take hex, Infinity or NaN for numbers', () => {
    const t = parseCsv('a,b\n0x1A,1\nInfinity,2\nNaN,3\n');
    expect(t.info.columns[0]?.type).toBe('category');
    expect(t.info.columns[1]?.type).toBe('number');
  });

  it('accepts signs, exponents and surrounding spaces in numbers', () => {
    const t = parseCsv('a,b\n -1.5e3 ,.5\n+2,3.\n');
    expect(t.info.columns[0]).toMatchObject({ type: 'number', min: -1500, max: 2 });
    expect(t.info.columns[1]).toMatchObject({ type: 'number', min: 0.5, max: 3 });
  });

  it('lists at most 50 categories, sorted', () => {
    const lines = ['name,v', ...Array.from({ length: 60 }, (_, i) => `k${String(i).padStart(2, '0')},${i}`)];
    const col = parseCsv(lines.join('\n')).info.columns[0];
    expect(col?.distinct).toBe(60);
    expect(col?.categories).toHaveLength(50);
    expect(col?.categories?.[0]).toBe('k00');
    expect(col?.categories?.[49]).toBe('k49');
  });
});

describe('errors', () => {
  it('refuses an empty file', () => {
    expectDataError(() => parseCsv(''), 'empty', /empty/);
    expectDataError(() => parseCsv('\uFEFF\n\r\n  \n'), 'empty', /empty/);
  });

  it('refuses a header without data', () => {
    expectDataError(() => parseCsv('a,b,c\n'), 'header-only', /header row but no data rows/);
  });

  it('names the line of a row with a different number of fields', () => {
    expectDataError(
      () => parseCsv('a,b,c\n1,2,3\n4,5\n6,7,8\n'),
      'ragged',
      /^Line 3 has 2 fields but line 1 has 3/,
    );
    // Quoted newlines move later rows down: the short row is on line 5.
    expectDataError(
      () => parseCsv('a,b\n1,"x\ny"\n2,3\n4\n'),
      'ragged',
      /^Line 5 has 1 field but line 1 has 2/,
    );
  });

  it('names the line of an unclosed quote', () => {
    expectDataError(() => parseCsv('a,b\n1,2\n3,"open\n5,6\n'), 'bad-quote', /line 3 is never closed/);
  });

  it('refuses binary content', () => {
    expectDataError(() => parseCsv('PK\u0003\u0004\u0000\u0000binary'), 'not-text', /not a text file/);
    expectDataError(
      () => decodeText(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])),
      'not-text',
      /not a text file/,
    );
    expectDataError(
      () => decodeText(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0])),
      'not-text',
      /Excel/,
    );
  });
});

describe('readCsvFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'nwb-csv-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file with a BOM from disk', async () => {
    const file = path.join(dir, 'bom.csv');
    await writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x;y\r\n1;2\r\n')]));
    const t = await readCsvFile(file);
    expect(t.header).toEqual(['x', 'y']);
    expect(t.info.delimiter).toBe(';');
  });

  it('says which file could not be read', async () => {
    await expect(readCsvFile(path.join(dir, 'missing.csv'))).rejects.toMatchObject({
      code: 'unreadable',
      message: expect.stringMatching(/'missing\.csv' \(no such file\)/),
    });
  });

  it('refuses an image file', async () => {
    const file = path.join(dir, 'picture.csv');
    await writeFile(
      file,
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48]),
    );
    await expect(readCsvFile(file)).rejects.toMatchObject({ code: 'not-text' });
  });
});

describe('shipped datasets', () => {
  it('reads the wine file: 6,497 rows, 13 columns, type is red/white', async () => {
    const t = await readCsvFile(path.join(datasets, 'wine-quality-white-and-red.csv'));
    expect(t.info.delimiter).toBe(',');
    expect(t.info.rows).toBe(6497);
    expect(t.rows).toHaveLength(6497);
    expect(t.header).toHaveLength(13);
    expect(t.header[0]).toBe('type');
    const [type, ...rest] = t.info.columns;
    expect(type).toMatchObject({ type: 'category', categories: ['red', 'white'], distinct: 2, missing: 0 });
    expect(rest.every((c) => c.type === 'number')).toBe(true);
    const quality = t.info.columns.find((c) => c.name === 'quality');
    expect(quality).toMatchObject({ min: 3, max: 9, distinct: 7 });
  });

  it('reads the housing file: 20,640 rows, 9 numeric columns, nothing missing', async () => {
    const t = await readCsvFile(path.join(datasets, 'california_housing.csv'));
    expect(t.info.rows).toBe(20640);
    expect(t.header).toEqual([
      'MedInc',
      'HouseAge',
      'AveRooms',
      'AveBedrms',
      'Population',
      'AveOccup',
      'Latitude',
      'Longitude',
      'MedHouseVal',
    ]);
    expect(t.info.columns.every((c) => c.type === 'number' && c.missing === 0)).toBe(true);
    const target = t.info.columns[8];
    expect(target?.min).toBeCloseTo(0.14999, 5);
    expect(target?.max).toBeCloseTo(5.00001, 5);
    // The last data row is on line 20,641 (after the header).
    expect(t.rowLines[t.rowLines.length - 1]).toBe(20641);
  });

  it('ships copies identical to the provenance folder', async () => {
    for (const name of ['wine-quality-white-and-red.csv', 'california_housing.csv']) {
      const shipped = await readCsvFile(path.resolve(__dirname, '../../data', name));
      const source = await readCsvFile(path.join(datasets, name));
      expect(shipped.info).toEqual(source.info);
    }
  });
});
