import { Text, UnstyledButton } from '@mantine/core';
import { useEffect, useRef } from 'react';
import type { ImageTile } from '../../../shared/api/contract';

interface Props {
  width: number;
  height: number;
  tiles: readonly ImageTile[];
  /** What the grid shows, for screen readers and tests ("16 training images"). */
  ariaLabel: string;
  /** The caption under a tile; the class name by default. */
  caption?: (tile: ImageTile) => string;
  /** About how many CSS pixels a tile is wide; the scale is a whole number so pixels stay square. */
  tileSize?: number;
  /** Tiles per row; by default as many as fit. */
  columns?: number;
  /** Makes each tile a button that picks it (the grid is then a group of buttons, not one picture). */
  onSelect?: (tile: ImageTile) => void;
  /** The picked tile's index, shown outlined. */
  selected?: number | null;
}

/** RGBA bytes of a tile, decoded from base64. */
function tilePixels(tile: ImageTile, width: number, height: number): Uint8ClampedArray<ArrayBuffer> {
  const binary = atob(tile.rgbaBase64);
  const bytes = new Uint8ClampedArray(width * height * 4);
  const n = Math.min(bytes.length, binary.length);
  for (let i = 0; i < n; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function TileCanvas({
  tile,
  width,
  height,
  scale,
}: {
  tile: ImageTile;
  width: number;
  height: number;
  scale: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) return;
    context.putImageData(new ImageData(tilePixels(tile, width, height), width, height), 0, 0);
  }, [tile, width, height]);
  return (
    <canvas
      ref={ref}
      width={width}
      height={height}
      aria-hidden
      style={{
        width: width * scale,
        height: height * scale,
        // Small images scaled up: sharp pixels, as make_grid's figure, not a blur.
        imageRendering: 'pixelated',
        display: 'block',
        borderRadius: 4,
        background: '#000',
      }}
    />
  );
}

/** Images drawn from RGBA tiles, scaled up crisply, each with a caption; optionally tiles to pick from. */
export function ImageGrid({
  width,
  height,
  tiles,
  ariaLabel,
  caption,
  tileSize = 72,
  columns,
  onSelect,
  selected,
}: Props) {
  const scale = Math.max(1, Math.round(tileSize / Math.max(1, width)));
  const cell = width * scale;
  const captionOf = (tile: ImageTile) => (caption ? caption(tile) : tile.className);
  return (
    <div
      role={onSelect ? 'group' : 'img'}
      aria-label={ariaLabel}
      data-tile-count={tiles.length}
      style={{
        display: 'grid',
        gridTemplateColumns: columns
          ? `repeat(${columns}, max-content)`
          : `repeat(auto-fill, minmax(${cell}px, 1fr))`,
        gap: 12,
      }}
    >
      {tiles.map((tile, i) => {
        const content = (
          <>
            <TileCanvas tile={tile} width={width} height={height} scale={scale} />
            <Text
              size="xs"
              ta="center"
              lh={1.2}
              maw={Math.max(cell, 72)}
              style={{ overflowWrap: 'anywhere' }}
            >
              {captionOf(tile)}
            </Text>
          </>
        );
        const layout = { display: 'flex', flexDirection: 'column', alignItems: 'center', gap: 4 } as const;
        if (!onSelect) {
          return (
            <div key={`${tile.index}-${i}`} style={layout}>
              {content}
            </div>
          );
        }
        const picked = selected === tile.index;
        return (
          <UnstyledButton
            key={`${tile.index}-${i}`}
            onClick={() => onSelect(tile)}
            aria-pressed={picked}
            aria-label={`Image ${tile.index + 1}: ${captionOf(tile)}`}
            style={{
              ...layout,
              padding: 4,
              borderRadius: 6,
              outline: picked ? '2px solid var(--mantine-primary-color-filled)' : '1px solid transparent',
              background: picked ? 'var(--mantine-primary-color-light)' : undefined,
            }}
          >
            {content}
          </UnstyledButton>
        );
      })}
    </div>
  );
}
