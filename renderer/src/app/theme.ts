import { createTheme, type MantineColor } from '@mantine/core';
import type { BlockGroup } from '../../../shared/blocks';

/** The app's Mantine theme: calm indigo, rounded, the platform's own fonts (the app works offline). */
export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, Cantarell, "Noto Sans", "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace',
  headings: { fontWeight: '600' },
  cursorType: 'pointer',
});

/** One colour per block group, used by the palette, the canvas and the inspector alike. */
export const groupColors: Record<BlockGroup, MantineColor> = {
  io: 'grape',
  layers: 'blue',
  activations: 'orange',
  regularisation: 'teal',
};

/** A CSS colour of a group's palette entry (follows the light/dark scheme through Mantine's variables). */
export function groupColor(group: BlockGroup, shade: number | 'light' | 'light-color' = 6): string {
  return `var(--mantine-color-${groupColors[group]}-${shade})`;
}
