/** Vertical distance between blocks of a chain: a block is about 58 high, the rest is the connection. */
export const ROW = 88;
/** Horizontal distance between a chain and the blocks beside it (room for error callouts). */
export const COLUMN = 620;
/** Offset of pasted blocks from the ones copied. */
export const PASTE_OFFSET = { x: 40, y: 40 } as const;
