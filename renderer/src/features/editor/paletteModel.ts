import {
  blocks,
  groupLabels,
  groupOrder,
  type BlockDefinition,
  type BlockGroup,
} from '../../../../shared/blocks';

export interface PaletteGroup {
  group: BlockGroup;
  label: string;
  blocks: readonly BlockDefinition[];
}

/** The palette's groups in order, holding the blocks whose name, kind or help matches every word searched. */
export function paletteGroups(search: string, all: readonly BlockDefinition[] = blocks): PaletteGroup[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (b: BlockDefinition) => {
    const text = `${b.label} ${b.kind} ${b.help} ${groupLabels[b.group]}`.toLowerCase();
    return words.every((w) => text.includes(w));
  };
  return groupOrder
    .map((group) => ({
      group,
      label: groupLabels[group],
      blocks: all.filter((b) => b.group === group && matches(b)),
    }))
    .filter((g) => g.blocks.length > 0);
}

/** The data type of a palette drag, so drops of anything else are ignored. */
export const BLOCK_DRAG_TYPE = 'application/x-nwb-block';
