import { poolingBlock } from './pooling';

export const avgPool2dBlock = poolingBlock('avgpool2d');
