// Set-up the storage tests share: temporary databases removed after each file, a storage on a
// stepping clock, and the error a refused call throws.
import { afterAll, expect } from 'vitest';
import {
  StorageError,
  openStorage,
  type Storage,
  type StorageErrorCode,
} from '../../electron/services/storage';
import { removeTempDirs, tempDbPath } from '../fixtures/storage/samples';

/** Removes the temporary folders (and databases) this test file made, once its tests are done. */
export function removeTempDirsAfterAll(): void {
  afterAll(removeTempDirs);
}

/** The StorageError `fn` throws; fails the test when it throws anything else or nothing. */
export function refusal(fn: () => unknown): StorageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StorageError);
    return error as StorageError;
  }
  throw new Error('expected a StorageError');
}

/** The code of the StorageError `fn` throws. */
export function refusalCode(fn: () => unknown): StorageErrorCode {
  return refusal(fn).code;
}

/** A storage whose clock steps one second a call, so times are distinct and ordered. */
export function steppingStorage(path = tempDbPath()): Storage {
  let t = Date.parse('2026-03-01T10:00:00.000Z');
  return openStorage(path, { now: () => new Date((t += 1000)) });
}
