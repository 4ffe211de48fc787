export * from './types';
export * from './registry';
export { lossKinds, lossLabels, lossesForTask, taskLabels, outputLoss, type LossKind } from './output';
