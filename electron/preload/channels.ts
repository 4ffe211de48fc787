import type { RequestName } from '../../shared/api/contract';

/**
 * The contract's request names, as IPC channels. The preload runs sandboxed, where only `electron`
 * can be required, so it cannot load the contract itself (that needs zod): `satisfies` makes tsc
 * fail when this list misses a request or names one the contract does not have.
 */
const CHANNELS = {
  'app:info': true,
  'presets:list': true,
  'projects:list': true,
  'projects:get': true,
  'projects:create': true,
  'projects:save': true,
  'projects:rename': true,
  'projects:duplicate': true,
  'projects:delete': true,
  'projects:versions': true,
  'projects:restoreVersion': true,
  'projects:export': true,
  'projects:import': true,
  'datasets:list': true,
  'datasets:preview': true,
  'datasets:importCsv': true,
  'datasets:importImages': true,
  'datasets:samples': true,
  'runs:start': true,
  'runs:stop': true,
  'runs:list': true,
  'runs:get': true,
  'runs:delete': true,
  'runs:active': true,
  'runs:misclassified': true,
  'runs:predictForm': true,
  'runs:predict': true,
  'models:inspectPretrained': true,
} as const satisfies Record<RequestName, true>;

export const channelNames = Object.keys(CHANNELS) as RequestName[];
