import { CloseButton, ScrollArea, Stack, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { Search } from 'lucide-react';
import { useState } from 'react';
import { groupColor } from '../../app/theme';
import { BLOCK_DRAG_TYPE, paletteGroups } from './paletteModel';

/** The blocks by group, with search: drag one onto the canvas, or click (or Enter) to add it after the selection. */
export function Palette({ onAdd }: { onAdd(kind: string): void }) {
  const [search, setSearch] = useState('');
  const groups = paletteGroups(search);
  return (
    <Stack gap={0} h="100%">
      <div style={{ padding: '10px 10px 6px' }}>
        <TextInput
          size="xs"
          placeholder="Search blocks"
          aria-label="Search blocks"
          leftSection={<Search size={14} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          rightSection={
            search ? (
              <CloseButton size="sm" aria-label="Clear search" onClick={() => setSearch('')} />
            ) : undefined
          }
        />
      </div>
      <ScrollArea style={{ flex: 1 }} type="auto" offsetScrollbars>
        <Stack gap="sm" p="xs" pt={4}>
          {groups.length === 0 && (
            <Text size="xs" c="dimmed" px={6}>
              No block matches “{search}”.
            </Text>
          )}
          {groups.map((g) => (
            <section key={g.group} aria-label={g.label}>
              <Text
                size="xs"
                fw={600}
                tt="uppercase"
                c="dimmed"
                px={10}
                mb={2}
                style={{ letterSpacing: 0.4 }}
              >
                {g.label}
              </Text>
              {g.blocks.map((b) => (
                <Tooltip
                  key={b.kind}
                  label={b.help}
                  multiline
                  w={260}
                  position="right"
                  openDelay={500}
                  withArrow
                >
                  <UnstyledButton
                    className="nwb-palette-item"
                    aria-label={`Add ${b.label}`}
                    draggable
                    onDragStart={(e) => {
                      e.dataTransfer.setData(BLOCK_DRAG_TYPE, b.kind);
                      e.dataTransfer.effectAllowed = 'copy';
                    }}
                    onClick={() => onAdd(b.kind)}
                  >
                    <span className="nwb-palette-swatch" style={{ background: groupColor(b.group) }} />
                    <span>{b.label}</span>
                  </UnstyledButton>
                </Tooltip>
              ))}
            </section>
          ))}
        </Stack>
      </ScrollArea>
      <Text
        size="xs"
        c="dimmed"
        px="sm"
        py={8}
        style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
      >
        Click to add after the selected block, or drag onto the canvas.
      </Text>
    </Stack>
  );
}
