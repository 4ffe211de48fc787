export * from './document';
export * from './migrations';
export * from './validate';
export * from './compile';
export * from './build';
