import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { pack, type Header } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  archiveFormatOf,
  extractArchive,
  listArchive,
  readArchive,
} from '../../electron/services/datasets/images/archive';

let tmp: string;

type TarItem = Partial<Header> & { name: string; data?: Buffer };

async function tarBytes(items: TarItem[]): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const ended = new Promise<void>((done) => tar.on('end', () => done()));
  for (const { data, ...header } of items) {
    if (data) tar.entry({ ...header, size: data.length }, data);
    else tar.entry(header);
  }
  tar.finalize();
  await ended;
  return Buffer.concat(chunks);
}

async function write(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(tmp, name);
  await writeFile(path, bytes);
  return path;
}

async function readAll(path: string, limits?: Parameters<typeof listArchive>[1]) {
  const files: { path: string; text: string }[] = [];
  for await (const f of readArchive(path, limits))
    files.push({ path: f.path, text: Buffer.from(f.data).toString() });
  return files;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'nwb-archive-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const sample: TarItem[] = [
  { name: 'set/', type: 'directory' },
  { name: 'set/a/one.txt', data: Buffer.from('one') },
  { name: './set/b/two.txt', data: Buffer.from('two') },
];

describe('archives', () => {
  it('names formats from file names', () => {
    expect(archiveFormatOf('x/data.tar.gz')).toBe('tar.gz');
    expect(archiveFormatOf('data.TGZ')).toBe('tar.gz');
    expect(archiveFormatOf('data.tar')).toBe('tar');
    expect(archiveFormatOf('data.zip')).toBe('zip');
    expect(archiveFormatOf('data.csv')).toBeNull();
  });

  it('reads .tar, .tar.gz and .zip entries in memory, with normalised paths', async () => {
    const tar = await tarBytes(sample);
    const expected = [
      { path: 'set/a/one.txt', text: 'one' },
      { path: 'set/b/two.txt', text: 'two' },
    ];
    expect(await readAll(await write('s.tar', tar))).toEqual(expected);
    expect(await readAll(await write('s.tar.gz', gzipSync(tar)))).toEqual(expected);
    const zip = zipSync({
      'set/a/one.txt': Buffer.from('one'),
      'set/b/two.txt': [Buffer.from('two'), { level: 0 }],
    });
    expect(await readAll(await write('s.zip', zip))).toEqual(expected);
    // A renamed archive is recognised by its content.
    expect(await readAll(await write('renamed.zip', gzipSync(tar)))).toEqual(expected);
    expect(await listArchive(join(tmp, 's.zip'))).toEqual([
      { path: 'set/a/one.txt', size: 3 },
      { path: 'set/b/two.txt', size: 3 },
    ]);
  });

  it('reads only the wanted entries', async () => {
    const path = await write('w.tar.gz', gzipSync(await tarBytes(sample)));
    const files: string[] = [];
    for await (const f of readArchive(path, { wanted: (e) => e.path.endsWith('two.txt') }))
      files.push(f.path);
    expect(files).toEqual(['set/b/two.txt']);
  });

  it('refuses an entry whose path climbs out with ../, in tar and zip, and writes nothing', async () => {
    const evil = await write(
      'evil.tar.gz',
      gzipSync(
        await tarBytes([
          { name: 'ok.txt', data: Buffer.from('ok') },
          { name: 'set/../../evil.txt', data: Buffer.from('x') },
        ]),
      ),
    );
    await expect(listArchive(evil)).rejects.toThrow(
      /evil\.tar\.gz was refused.*"set\/\.\.\/\.\.\/evil\.txt".*outside/,
    );
    const target = join(tmp, 'target', 'inner');
    await expect(extractArchive(evil, target)).rejects.toThrow(/refused/);
    expect(existsSync(join(tmp, 'target', 'evil.txt'))).toBe(false);
    expect(existsSync(join(tmp, 'evil.txt'))).toBe(false);

    const evilZip = await write('evil.zip', zipSync({ '../evil.txt': Buffer.from('x') }));
    await expect(readAll(evilZip)).rejects.toThrow(/refused.*"\.\.\/evil\.txt"/);
    const absolute = await write('abs.tar', await tarBytes([{ name: '/etc/evil', data: Buffer.from('x') }]));
    await expect(listArchive(absolute)).rejects.toThrow(/refused.*"\/etc\/evil"/);
    const windows = await write('win.zip', zipSync({ 'C:\\evil.txt': Buffer.from('x') }));
    await expect(listArchive(windows)).rejects.toThrow(/refused/);
  });

  it('ignores symlinks and hard links', async () => {
    const path = await write(
      'links.tar',
      await tarBytes([
        { name: 'link', type: 'symlink', linkname: '/etc/passwd' },
        { name: 'hard', type: 'link', linkname: 'file.txt' },
        { name: 'file.txt', data: Buffer.from('data') },
      ]),
    );
    expect(await readAll(path)).toEqual([{ path: 'file.txt', text: 'data' }]);
    const target = join(tmp, 'links-out');
    expect(await extractArchive(path, target)).toBe(1);
    expect(existsSync(join(target, 'link'))).toBe(false);
    expect(await readFile(join(target, 'file.txt'), 'utf8')).toBe('data');
  });

  it('refuses an empty archive with a clear message', async () => {
    await expect(listArchive(await write('empty.tar.gz', gzipSync(await tarBytes([]))))).rejects.toThrow(
      /empty\.tar\.gz contains no files/,
    );
    await expect(
      listArchive(await write('dirs.tar', await tarBytes([{ name: 'a/', type: 'directory' }]))),
    ).rejects.toThrow(/contains no files/);
    await expect(listArchive(await write('empty.zip', zipSync({})))).rejects.toThrow(
      /empty\.zip contains no files/,
    );
    await expect(listArchive(await write('zero.tar.gz', new Uint8Array()))).rejects.toThrow(
      /zero\.tar\.gz is empty/,
    );
  });

  it('caps what an archive may unpack (zip bombs)', async () => {
    const zeros = Buffer.alloc(20 * 1024 ** 2);
    const limits = { maxTotalBytes: 5 * 1024 ** 2 };
    const bombZip = await write('bomb.zip', zipSync({ 'zeros.bin': zeros }));
    await expect(readAll(bombZip, { limits: { maxEntryBytes: 1024 ** 2 } })).rejects.toThrow(
      /larger than the 1 MB limit/,
    );
    await expect(readAll(bombZip, { limits })).rejects.toThrow(/unpacks to more than/);
    const bombTar = await write(
      'bomb.tar.gz',
      gzipSync(await tarBytes([{ name: 'zeros.bin', data: zeros }])),
    );
    expect((await readFile(bombTar)).length).toBeLessThan(100_000);
    await expect(listArchive(bombTar, { limits })).rejects.toThrow(/unpacks to more than/);
    await expect(readAll(bombTar, { limits: { maxEntryBytes: 1024 ** 2 } })).rejects.toThrow(
      /larger than the 1 MB limit/,
    );
    await expect(listArchive(bombTar, { limits: { maxEntries: 0 } })).rejects.toThrow(/more than 0 entries/);
  });

  it('explains damaged and non-archive files', async () => {
    const gz = gzipSync(await tarBytes(sample));
    await expect(listArchive(await write('cut.tar.gz', gz.subarray(0, gz.length - 40)))).rejects.toThrow(
      /cut\.tar\.gz is not a valid \.tar\.gz archive or is damaged/,
    );
    await expect(listArchive(await write('notes.zip', Buffer.from('just some text')))).rejects.toThrow(
      /notes\.zip is not a \.tar, \.tar\.gz or \.zip archive/,
    );
    const zip = zipSync({ 'a.txt': Buffer.alloc(1000, 7) });
    await expect(listArchive(await write('cut.zip', zip.subarray(0, 60)))).rejects.toThrow(
      /cut\.zip is not a valid zip file/,
    );
  });
});
