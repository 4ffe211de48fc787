import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import Papa from 'papaparse';
import type { ColumnSummary, TableInfo } from '../../../shared/data/types';

/** Why a dataset could not be imported or prepared; `message` is one sentence meant for the user. */
export type DataErrorCode =
  | 'unreadable'
  | 'too-large'
  | 'not-text'
  | 'empty'
  | 'header-only'
  | 'ragged'
  | 'bad-quote'
  | 'no-target'
  | 'no-column'
  | 'no-features'
  | 'non-numeric'
  | 'missing-values'
  | 'class-count'
  | 'too-few-rows'
  | 'bad-spec';

/** An import or preparation failure the user can fix; `code` lets callers and tests tell them apart. */
export class DataError extends Error {
  override readonly name = 'DataError';
  constructor(
    readonly code: DataErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A parsed CSV: cells are kept as papaparse's strings; `rowLines[i]` is the 1-based file line where data row i starts. */
export interface ParsedTable {
  info: TableInfo;
  header: string[];
  /** False when the file had no header row and the names were generated (column_1..n). */
  hasHeader: boolean;
  rows: string[][];
  rowLines: Int32Array;
}

export const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'] as const;
/** Tie-break when several delimiters split every sampled row alike: a `;` file often has decimal commas too. */
const DELIMITER_PRIORITY = ['\t', ';', '|', ','] as const;
const SAMPLE_ROWS = 50;
const SAMPLE_CHARS = 256 * 1024;
const MAX_CATEGORIES = 50;
/** V8 strings top out near 512 M characters; refuse well before that with a clear message. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A cell that is empty or only whitespace. */
export function isMissing(cell: string): boolean {
  return cell.trim() === '';
}

/** The cell's value when it is a plain decimal number (no hex, no "Infinity", no empty string); otherwise null. */
export function parseNumber(cell: string): number | null {
  const s = cell.trim();
  if (!NUMBER_PATTERN.test(s)) return null;
  const value = Number(s);
  return Number.isFinite(value) ? value : null;
}

/** Sort order for labels and categories: numerically when every label is a number, else by code unit (like np.unique). */
export function sortLabels(labels: string[]): string[] {
  const numeric = labels.map(parseNumber);
  if (numeric.every((v) => v !== null)) {
    return labels
      .map((label, i) => ({ label, value: numeric[i] as number }))
      .sort((a, b) => a.value - b.value)
      .map((e) => e.label);
  }
  return [...labels].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Reads a CSV file from disk (UTF-8, UTF-16 with BOM, or Windows-1252) and parses it. */
export async function readCsvFile(path: string): Promise<ParsedTable> {
  const name = basename(path);
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory())
      throw new DataError('unreadable', `'${name}' is a folder, not a file: choose a CSV file.`);
    if (info.size > MAX_FILE_BYTES) {
      const mib = Math.round(info.size / (1024 * 1024));
      throw new DataError(
        'too-large',
        `'${name}' is ${mib} MiB, more than the ${MAX_FILE_BYTES / (1024 * 1024)} MiB a CSV import can hold: use a smaller sample of it.`,
      );
    }
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(
      'unreadable',
      `Could not read '${name}' (${describeFsError(err)}): check the file exists and you may open it.`,
    );
  }
  return parseCsv(decodeText(bytes, name));
}

function describeFsError(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/** Turns file bytes into text, refusing binary files (spreadsheets, archives, images). */
export function decodeText(bytes: Uint8Array, name = 'The file'): string {
  const label = name === 'The file' ? name : `'${name}'`;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw new DataError(
      'not-text',
      `${label} is a compressed file (perhaps an Excel workbook), not a CSV text file: save it as CSV and import that file.`,
    );
  }
  const head = bytes.subarray(0, 65536);
  if (head.includes(0)) {
    throw new DataError(
      'not-text',
      `${label} is not a text file: choose a CSV file (values separated by commas).`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8: older Excel exports on Windows write Windows-1252.
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  if (controlCharacterShare(text) > 0.01) {
    throw new DataError(
      'not-text',
      `${label} is not a text file: choose a CSV file (values separated by commas).`,
    );
  }
  return text;
}

function controlCharacterShare(text: string): number {
  const n = Math.min(text.length, 65536);
  if (n === 0) return 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) control++;
  }
  return control / n;
}

/** Parses CSV text: detects the delimiter and the header, checks every row has the same width, and summarises each column. */
export function parseCsv(input: string): ParsedTable {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (text.includes('\u0000') || controlCharacterShare(text) > 0.01) {
    throw new DataError(
      'not-text',
      'The file is not a text file: choose a CSV file (values separated by commas).',
    );
  }
  if (text.trim() === '') {
    throw new DataError('empty', 'The file is empty: choose a CSV file with a header row and rows of data.');
  }
  const delimiter = detectDelimiter(text);
  const { rows: allRows, rowLines: allLines } = parseRows(text, delimiter);
  if (allRows.length === 0) {
    throw new DataError('empty', 'The file is empty: choose a CSV file with a header row and rows of data.');
  }
  const width = (allRows[0] as string[]).length;
  const hasHeader = looksLikeHeader(allRows, width);
  if (hasHeader && allRows.length === 1) {
    throw new DataError(
      'header-only',
      'The file has a header row but no data rows: add rows of data below the header.',
    );
  }
  const header = hasHeader
    ? uniqueNames(allRows[0] as string[])
    : Array.from({ length: width }, (_, i) => `column_${i + 1}`);
  const rows = hasHeader ? allRows.slice(1) : allRows;
  const rowLines = hasHeader ? allLines.subarray(1) : allLines;
  const columns = header.map((name, c) => summarizeColumn(name, rows, c));
  return { info: { delimiter, rows: rows.length, columns }, header, hasHeader, rows, rowLines };
}

/** Picks the candidate that splits the first rows into the most consistent number (> 1) of fields. */
export function detectDelimiter(input: string): string {
  // A prefix ending at a line break is plenty for 50 rows, and papaparse would otherwise split the whole file.
  const cut = input.length > SAMPLE_CHARS ? input.lastIndexOf('\n', SAMPLE_CHARS) : -1;
  const text = cut > 0 ? input.slice(0, cut) : input;
  let best: { delimiter: string; consistency: number; rank: number } | null = null;
  for (const delimiter of CANDIDATE_DELIMITERS) {
    const sample = Papa.parse<string[]>(text, {
      delimiter,
      preview: SAMPLE_ROWS,
      skipEmptyLines: 'greedy',
    }).data;
    if (sample.length === 0) continue;
    const widths = new Map<number, number>();
    for (const row of sample) widths.set(row.length, (widths.get(row.length) ?? 0) + 1);
    let modalWidth = 0;
    let modalCount = 0;
    for (const [w, count] of widths) {
      if (count > modalCount || (count === modalCount && w > modalWidth))
        [modalWidth, modalCount] = [w, count];
    }
    if (modalWidth < 2) continue;
    const consistency = modalCount / sample.length;
    const rank = DELIMITER_PRIORITY.indexOf(delimiter);
    if (!best || consistency > best.consistency || (consistency === best.consistency && rank < best.rank)) {
      best = { delimiter, consistency, rank };
    }
  }
  // No candidate splits anything: a one-column file.
  return best?.delimiter ?? ',';
}

function delimiterName(delimiter: string): string {
  switch (delimiter) {
    case '\t':
      return 'tabs';
    case ';':
      return 'semicolons';
    case '|':
      return "'|'";
    default:
      return 'commas';
  }
}

/** Counts line breaks (\n, \r\n or a lone \r) in text[from, to). */
function countLineBreaks(text: string, from: number, to: number): number {
  let breaks = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) breaks++;
    else if (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a) breaks++;
  }
  return breaks;
}

function parseRows(text: string, delimiter: string): { rows: string[][]; rowLines: Int32Array } {
  const rows: string[][] = [];
  const lines: number[] = [];
  let rowStart = 0;
  let line = 1;
  let failure: DataError | null = null;
  const lineOf = (index: number): number => line + countLineBreaks(text, rowStart, Math.max(rowStart, index));

  Papa.parse<string[]>(text, {
    delimiter,
    step: (result, parser) => {
      const row = result.data;
      const rowEnd = result.meta.cursor;
      const quoteError = result.errors.find((e) => e.type === 'Quotes');
      if (quoteError) {
        const at = lineOf(typeof quoteError.index === 'number' ? quoteError.index : rowStart);
        failure =
          quoteError.code === 'MissingQuotes'
            ? new DataError(
                'bad-quote',
                `The quote mark (") that opens a field on line ${at} is never closed: add the closing quote or remove the opening one.`,
              )
            : new DataError(
                'bad-quote',
                `Line ${at} has a stray quote mark (") inside a field: put the whole field in quotes and double any quote inside it ("").`,
              );
        parser.abort();
        return;
      }
      const blank = row.length === 1 && isMissing(row[0] as string);
      if (!blank) {
        const first = rows[0];
        if (first && row.length !== first.length) {
          failure = new DataError(
            'ragged',
            `Line ${line} has ${row.length} field${row.length === 1 ? '' : 's'} but line ${lines[0]} has ${first.length}: every row needs the same number of values separated by ${delimiterName(delimiter)}.`,
          );
          parser.abort();
          return;
        }
        rows.push(row);
        lines.push(line);
      }
      line += countLineBreaks(text, rowStart, rowEnd);
      rowStart = rowEnd;
    },
  });
  if (failure) throw failure;
  return { rows, rowLines: Int32Array.from(lines) };
}

/**
 * A first row is a header when none of its cells is a number and some column below it holds numbers.
 * In a table with no numbers at all, it is a header when each of its cells has a letter and none
 * reappears in its own column (so "1,5;2,5" with decimal commas stays data).
 */
function looksLikeHeader(rows: string[][], width: number): boolean {
  const first = rows[0] as string[];
  if (first.some((cell) => parseNumber(cell) !== null)) return false;
  if (rows.length === 1) return true;
  let someNumericColumn = false;
  let repeats = false;
  for (let c = 0; c < width; c++) {
    const name = (first[c] as string).trim();
    let numeric = true;
    let seen = 0;
    for (let r = 1; r < rows.length; r++) {
      const cell = (rows[r] as string[])[c] as string;
      if (isMissing(cell)) continue;
      seen++;
      if (numeric && parseNumber(cell) === null) numeric = false;
      if (!repeats && name !== '' && cell.trim() === name) repeats = true;
    }
    if (numeric && seen > 0) someNumericColumn = true;
  }
  return someNumericColumn || (!repeats && first.every((cell) => /\p{L}/u.test(cell)));
}

/** Header names trimmed; blanks named column_<n>, repeats suffixed .1, .2 like pandas. */
function uniqueNames(cells: string[]): string[] {
  const taken = new Set<string>();
  return cells.map((cell, i) => {
    const base = cell.trim() === '' ? `column_${i + 1}` : cell.trim();
    let name = base;
    for (let k = 1; taken.has(name); k++) name = `${base}.${k}`;
    taken.add(name);
    return name;
  });
}

/** Type, missing count, distinct count and statistics of one column. `std` is the sample std (n − 1), like pandas' describe(). */
function summarizeColumn(name: string, rows: string[][], c: number): ColumnSummary {
  let missing = 0;
  let numeric = true;
  let count = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  const numbers = new Set<number>();
  const strings = new Set<string>();
  for (const row of rows) {
    const cell = (row[c] as string).trim();
    if (cell === '') {
      missing++;
      continue;
    }
    strings.add(cell);
    if (!numeric) continue;
    const value = parseNumber(cell);
    if (value === null) {
      numeric = false;
      continue;
    }
    numbers.add(value);
    // Welford: stable for large magnitudes like Population.
    count++;
    const delta = value - mean;
    mean += delta / count;
    m2 += delta * (value - mean);
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (strings.size === 0) return { name, type: 'empty', missing, distinct: 0 };
  if (numeric) {
    const std = count > 1 ? Math.sqrt(m2 / (count - 1)) : 0;
    return { name, type: 'number', missing, distinct: numbers.size, min, max, mean, std };
  }
  return {
    name,
    type: 'category',
    missing,
    distinct: strings.size,
    categories: sortLabels([...strings]).slice(0, MAX_CATEGORIES),
  };
}
