import type { ImageSet } from '../../../../shared/data/types';

/** One image ready for a canvas (`new ImageData(rgba, width, height)`), with its class. */
export interface SampleTile {
  index: number;
  label: number;
  className: string;
  rgba: Uint8ClampedArray;
}

/** Images laid out like torchvision's `make_grid`: tiles in rows of `columns`, `padding` px apart. */
export interface SampleGrid {
  /** Size of one tile. */
  width: number;
  height: number;
  tiles: SampleTile[];
  columns: number;
  rows: number;
  padding: number;
  /** The whole grid as one RGBA picture, black between tiles (make_grid's pad_value 0). */
  grid: { width: number; height: number; rgba: Uint8ClampedArray };
  /** The class names in tile order, space-separated: the lesson's figure title. */
  title: string;
}

export interface SampleGridOptions {
  /** Tiles a row (make_grid's nrow). Default 8. */
  columns?: number;
  /** Default 2, as make_grid. */
  padding?: number;
}

/** The images at `indices` of `set` as RGBA tiles and as one make_grid-style picture. */
export function sampleGrid(
  set: ImageSet,
  indices: readonly number[],
  classNames: readonly string[],
  options: SampleGridOptions = {},
): SampleGrid {
  const { width, height, channels } = set;
  const padding = options.padding ?? 2;
  const columns = Math.max(1, Math.min(options.columns ?? 8, indices.length));
  const rows = Math.ceil(indices.length / columns);
  const gridWidth = columns * (width + padding) + padding;
  const gridHeight = rows * (height + padding) + padding;
  const grid = new Uint8ClampedArray(gridWidth * gridHeight * 4);
  for (let i = 3; i < grid.length; i += 4) grid[i] = 255;
  const stride = width * height * channels;

  const tiles = indices.map((index, n): SampleTile => {
    if (!Number.isInteger(index) || index < 0 || index >= set.count) {
      throw new RangeError(`Image ${index} is outside the set of ${set.count} images.`);
    }
    const rgba = new Uint8ClampedArray(width * height * 4);
    const base = index * stride;
    const left = padding + (n % columns) * (width + padding);
    const top = padding + Math.floor(n / columns) * (height + padding);
    for (let p = 0; p < width * height; p++) {
      const at = base + p * channels;
      const r = set.pixels[at] ?? 0;
      const g = channels >= 3 ? (set.pixels[at + 1] ?? 0) : r;
      const b = channels >= 3 ? (set.pixels[at + 2] ?? 0) : r;
      rgba[p * 4] = r;
      rgba[p * 4 + 1] = g;
      rgba[p * 4 + 2] = b;
      rgba[p * 4 + 3] = 255;
      const g4 = ((top + Math.floor(p / width)) * gridWidth + left + (p % width)) * 4;
      grid[g4] = r;
      grid[g4 + 1] = g;
      grid[g4 + 2] = b;
    }
    const label = set.labels[index] ?? 0;
    return { index, label, className: classNames[label] ?? String(label), rgba };
  });
  return {
    width,
    height,
    tiles,
    columns,
    rows,
    padding,
    grid: { width: gridWidth, height: gridHeight, rgba: grid },
    title: tiles.map((t) => t.className).join(' '),
  };
}
