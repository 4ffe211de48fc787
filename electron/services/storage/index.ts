export { openStorage, openStorageReadOnly, type OpenOptions } from './storage';
export { defaultDbPath, resolveDbPath, type PlatformInfo } from './paths';
export { StorageError, type StorageErrorCode } from './errors';
export { SCHEMA_VERSION } from './migrations';
export { MAX_VERSIONS } from './projects';
export { bytesContentHash, imageContentHash } from './contentHash';
export * from './types';
export { encodeJson, decodeJson } from './json';
export * from './recordSchemas';
