import { Notification, Portal, Stack } from '@mantine/core';
import { CircleAlert, CircleCheck, Info } from 'lucide-react';
import { useToastStore, type ToastKind } from './useToastStore';

const look: Record<ToastKind, { color: string; icon: React.ReactNode; title: string }> = {
  error: { color: 'red', icon: <CircleAlert size={18} />, title: 'Something went wrong' },
  success: { color: 'teal', icon: <CircleCheck size={18} />, title: 'Done' },
  info: { color: 'indigo', icon: <Info size={18} />, title: 'Note' },
};

/** The toasts of useToastStore, bottom right, newest last; errors are announced at once. */
export function Toasts() {
  const toasts = useToastStore((s) => s.toasts);
  const dismiss = useToastStore((s) => s.dismiss);
  return (
    <Portal>
      <Stack
        gap="xs"
        style={{
          position: 'fixed',
          right: 16,
          bottom: 40,
          zIndex: 1000,
          width: 380,
          maxWidth: 'calc(100vw - 32px)',
        }}
      >
        {toasts.map((t) => (
          <Notification
            key={t.id}
            color={look[t.kind].color}
            icon={look[t.kind].icon}
            title={t.title ?? look[t.kind].title}
            onClose={() => dismiss(t.id)}
            closeButtonProps={{ 'aria-label': 'Dismiss notification' }}
            role={t.kind === 'error' ? 'alert' : 'status'}
            withBorder
            style={{ boxShadow: 'var(--mantine-shadow-md)' }}
          >
            {t.message}
          </Notification>
        ))}
      </Stack>
    </Portal>
  );
}
