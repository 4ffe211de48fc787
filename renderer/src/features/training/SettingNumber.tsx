import { NumberInput } from '@mantine/core';
import { useState } from 'react';

interface Props {
  label: string;
  description?: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  /** Whole numbers only. */
  integer?: boolean;
  disabled?: boolean;
  /** Applies a value; a message when it is refused (shown under the field, the document keeps its value). */
  onCommit(value: number): string | null;
}

/** A number field that writes valid values at once and keeps an invalid one on screen with why. */
export function SettingNumber({
  label,
  description,
  value,
  min,
  max,
  step,
  integer,
  disabled,
  onCommit,
}: Props) {
  // What the user typed, for the value the document had then: a document change (undo) replaces it.
  const [draft, setDraft] = useState<{ text: string | number; base: number; error: string | null } | null>(
    null,
  );
  const shown = draft && draft.base === value ? draft : null;
  return (
    <NumberInput
      label={label}
      description={description}
      value={shown ? shown.text : value}
      error={shown?.error ?? undefined}
      min={min}
      max={max}
      step={step}
      allowDecimal={!integer}
      allowNegative={min < 0}
      hideControls={!integer}
      disabled={disabled}
      clampBehavior="none"
      onChange={(v) => {
        const n = typeof v === 'number' ? v : Number(v);
        if (v === '' || !Number.isFinite(n)) {
          setDraft({ text: v, base: value, error: `Enter ${integer ? 'a whole number' : 'a number'}.` });
          return;
        }
        const error = onCommit(n);
        setDraft({ text: v, base: error ? value : n, error });
      }}
    />
  );
}
