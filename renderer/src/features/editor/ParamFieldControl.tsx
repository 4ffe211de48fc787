import { Input, NumberInput, SegmentedControl, Select, Stack, Switch } from '@mantine/core';
import { useState } from 'react';
import type { BlockDefinition, ParamField } from '../../../../shared/blocks';
import { checkNumber, isOptional, paramValue } from './fieldModel';

type NumberField = Extract<ParamField, { kind: 'int' | 'number' }>;

interface ControlProps {
  block: BlockDefinition;
  params: Record<string, unknown>;
  field: ParamField;
  onChange(value: unknown): void;
}

/** A number typed in: committed while valid, else the field says what to enter; blur shows the saved value. */
function NumberParam({
  field,
  value,
  onChange,
  label,
  description,
}: {
  field: NumberField;
  value: unknown;
  onChange(value: number): void;
  label: string;
  description?: string | undefined;
}) {
  const [draft, setDraft] = useState<{ text: string | number; error: string | null } | null>(null);
  const shown = draft ? draft.text : typeof value === 'number' ? value : '';
  return (
    <NumberInput
      size="xs"
      label={label}
      description={description}
      value={shown}
      min={field.min}
      max={field.max}
      step={field.step ?? 1}
      allowDecimal={field.kind === 'number'}
      clampBehavior="none"
      error={draft?.error ?? null}
      onChange={(text) => {
        const check = checkNumber(field, text);
        setDraft({ text, error: check.ok ? null : check.message });
        if (check.ok && check.value !== value) onChange(check.value);
      }}
      onBlur={() => setDraft(null)}
    />
  );
}

const paddingField: NumberField = { key: 'padding', label: 'Padding', kind: 'int', min: 0, max: 16 };

function PaddingParam({
  value,
  onChange,
  label,
  help,
}: {
  value: unknown;
  onChange(v: unknown): void;
  label: string;
  help?: string | undefined;
}) {
  const mode = typeof value === 'number' ? 'pixels' : value === 'same' ? 'same' : 'valid';
  return (
    <Input.Wrapper label={label} description={help} size="xs">
      <Stack gap={6} mt={4}>
        <SegmentedControl
          size="xs"
          fullWidth
          aria-label={label}
          value={mode}
          data={[
            { value: 'same', label: 'Same' },
            { value: 'valid', label: 'Valid' },
            { value: 'pixels', label: 'Pixels' },
          ]}
          onChange={(m) => onChange(m === 'pixels' ? (typeof value === 'number' ? value : 1) : m)}
        />
        {mode === 'pixels' && (
          <NumberParam field={paddingField} value={value} onChange={onChange} label="Pixels on each side" />
        )}
      </Stack>
    </Input.Wrapper>
  );
}

/** The inspector's control for one param, drawn from the block's field description. */
export function ParamFieldControl({ block, params, field, onChange }: ControlProps) {
  const value = paramValue(block, params, field.key);
  switch (field.kind) {
    case 'int':
    case 'number':
      return (
        <NumberParam
          field={field}
          value={value}
          onChange={onChange}
          label={field.label}
          description={field.help}
        />
      );
    case 'boolean':
      return (
        <Switch
          size="sm"
          label={field.label}
          description={field.help}
          checked={value === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
      );
    case 'select': {
      const optional = isOptional(block, params, field.key);
      return (
        <Select
          size="xs"
          label={field.label}
          description={field.help}
          data={field.options.map((o) => ({ value: o.value, label: o.label }))}
          value={typeof value === 'string' ? value : null}
          placeholder={optional ? 'Default' : undefined}
          clearable={optional}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
          onChange={(v) => onChange(v ?? undefined)}
        />
      );
    }
    case 'padding':
      return <PaddingParam value={value} onChange={onChange} label={field.label} help={field.help} />;
  }
}
