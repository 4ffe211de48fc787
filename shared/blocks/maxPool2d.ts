import { poolingBlock } from './pooling';

export const maxPool2dBlock = poolingBlock('maxpool2d');
