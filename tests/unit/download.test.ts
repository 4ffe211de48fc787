import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCifarBinaryFolder } from '../../electron/services/datasets/images/cifarBinary';
import {
  CIFAR10_MD5,
  cifar10Checksums,
  DownloadError,
  downloadCifar10,
  downloadFile,
  type DownloadProgress,
} from '../../electron/services/datasets/images/download';
import type { ImportProgress } from '../../electron/services/datasets/images/progress';

const subset = resolve(__dirname, '../../../shared/datasets/cifar10-subset-bin');
let tmp: string;
let archive: Buffer;
let server: Server;
let base: string;
const hits = new Map<string, number>();

async function packSubset(): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const ended = new Promise<void>((done) => tar.on('end', () => done()));
  tar.entry({ name: 'cifar-10-batches-bin/', type: 'directory' });
  for (const name of ['data_batch_1.bin', 'batches.meta.txt', 'test_batch.bin']) {
    const data = await readFile(join(subset, name));
    tar.entry({ name: `cifar-10-batches-bin/${name}`, size: data.length }, data);
  }
  tar.finalize();
  await ended;
  return gzipSync(Buffer.concat(chunks));
}

const digest = (algorithm: string, data: Buffer) => createHash(algorithm).update(data).digest('hex');

async function downloadError(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DownloadError);
  return error as DownloadError;
}

async function leftovers(dir: string): Promise<string[]> {
  return existsSync(dir) ? readdir(dir) : [];
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'nwb-download-'));
  archive = await packSubset();
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    if (url === '/cifar-10-binary.tar.gz') {
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': archive.length });
      // Several writes, so that progress is reported along the way.
      const step = 64 * 1024;
      for (let at = 0; at < archive.length; at += step) res.write(archive.subarray(at, at + step));
      res.end();
    } else if (url === '/moved') {
      res.writeHead(302, { location: '/cifar-10-binary.tar.gz' });
      res.end();
    } else if (url === '/stalls') {
      res.writeHead(200, { 'content-length': archive.length });
      res.write(archive.subarray(0, 100_000));
    } else if (url === '/cut') {
      res.writeHead(200, { 'content-length': archive.length });
      res.write(archive.subarray(0, 1000), () => res.destroy());
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not here');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  await rm(tmp, { recursive: true, force: true });
});

describe('downloads', () => {
  it('downloads with progress, checks the SHA-256 and leaves no temporary file', async () => {
    const dir = join(tmp, 'plain');
    const events: DownloadProgress[] = [];
    const result = await downloadFile(`${base}/cifar-10-binary.tar.gz`, join(dir, 'c.tar.gz'), {
      expectedSha256: digest('sha256', archive),
      expectedBytes: archive.length,
      onProgress: (p) => events.push(p),
    });
    expect(result.bytes).toBe(archive.length);
    expect(result.md5).toBe(digest('md5', archive));
    expect((await readFile(join(dir, 'c.tar.gz'))).equals(archive)).toBe(true);
    expect(events.length).toBeGreaterThan(2);
    expect(events[0]).toEqual({ done: 0, total: archive.length });
    expect(events.at(-1)).toEqual({ done: archive.length, total: archive.length });
    expect(events.every((e, i) => i === 0 || e.done >= (events[i - 1]?.done ?? 0))).toBe(true);
    expect(await leftovers(dir)).toEqual(['c.tar.gz']);
  });

  it('follows a redirect', async () => {
    const result = await downloadFile(`${base}/moved`, join(tmp, 'moved', 'c.tar.gz'));
    expect(result.sha256).toBe(digest('sha256', archive));
  });

  it('refuses a checksum mismatch and keeps nothing', async () => {
    const dir = join(tmp, 'mismatch');
    const error = await downloadError(
      downloadFile(`${base}/cifar-10-binary.tar.gz`, join(dir, 'c.tar.gz'), { expectedMd5: '0'.repeat(32) }),
    );
    expect(error.kind).toBe('checksum');
    expect(error.message).toMatch(/does not match its MD5 checksum \(expected 0{32}, got [0-9a-f]{32}\)/);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('reports an HTTP 404', async () => {
    const error = await downloadError(downloadFile(`${base}/nowhere.tar.gz`, join(tmp, 'nf', 'x')));
    expect(error.kind).toBe('http');
    expect(error.status).toBe(404);
    expect(error.message).toMatch(/was not found on the server \(HTTP 404 Not Found\); check the address/);
    expect(await leftovers(join(tmp, 'nf'))).toEqual([]);
  });

  it('reports a network failure, a connection cut short and a bad address', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const refused = await downloadError(downloadFile(`http://127.0.0.1:${port}/x`, join(tmp, 'net', 'x')));
    expect(refused.kind).toBe('network');
    expect(refused.message).toMatch(/Could not download from 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    const cut = await downloadError(downloadFile(`${base}/cut`, join(tmp, 'cut', 'x')));
    expect(cut.kind).toBe('incomplete');
    expect(await leftovers(join(tmp, 'cut'))).toEqual([]);
    expect((await downloadError(downloadFile('ftp://example.org/x', join(tmp, 'x')))).kind).toBe('address');
  });

  it('can be cancelled', async () => {
    const dir = join(tmp, 'cancel');
    const controller = new AbortController();
    const error = await downloadError(
      downloadFile(`${base}/stalls`, join(dir, 'x'), {
        signal: controller.signal,
        onProgress: (p) => p.done > 0 && controller.abort(),
      }),
    );
    expect(error.kind).toBe('cancelled');
    expect(error.message).toBe('The download was cancelled.');
    expect(await leftovers(dir)).toEqual([]);
  });

  it('holds the official URL to the published MD5, and a custom URL to the checksum it gives', () => {
    expect(cifar10Checksums({})).toEqual({ md5: CIFAR10_MD5 });
    expect(CIFAR10_MD5).toBe('c32a1d4ab5d03f1284b67883e8d87530');
    expect(cifar10Checksums({ url: `${base}/x` })).toEqual({});
    expect(cifar10Checksums({ url: `${base}/x`, expectedSha256: 'ab' })).toEqual({ sha256: 'ab' });
  });

  it('downloads CIFAR-10 from a configured URL, checks it, imports it and reuses the checked copy', async () => {
    const destDir = join(tmp, 'cifar');
    const url = `${base}/cifar-10-binary.tar.gz`;
    const before = hits.get('/cifar-10-binary.tar.gz') ?? 0;
    const phases: ImportProgress['phase'][] = [];
    const { archivePath, dataset } = await downloadCifar10({
      destDir,
      url,
      expectedMd5: digest('md5', archive),
      onProgress: (p) => (phases.at(-1) === p.phase ? undefined : phases.push(p.phase)),
    });
    expect(archivePath).toBe(join(destDir, 'cifar-10-binary.tar.gz'));
    expect(phases).toEqual(['downloading', 'listing', 'reading']);
    const expected = await importCifarBinaryFolder(subset);
    expect(dataset.classNames).toEqual(expected.classNames);
    expect([dataset.train.count, dataset.test?.count]).toEqual([1000, 200]);
    expect(Buffer.from(dataset.train.pixels).equals(Buffer.from(expected.train.pixels))).toBe(true);
    expect(Array.from(dataset.test?.labels ?? [])).toEqual(Array.from(expected.test?.labels ?? []));
    expect(hits.get('/cifar-10-binary.tar.gz')).toBe(before + 1);

    await downloadCifar10({ destDir, url, expectedMd5: digest('md5', archive) });
    expect(hits.get('/cifar-10-binary.tar.gz')).toBe(before + 1);

    const wrong = await downloadError(
      downloadCifar10({ destDir: join(tmp, 'wrong'), url, expectedMd5: CIFAR10_MD5 }),
    );
    expect(wrong.kind).toBe('checksum');
    expect(await leftovers(join(tmp, 'wrong'))).toEqual([]);
  });
});
