import { Center, Loader, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import { StartScreen } from '../features/projects/StartScreen';
import { ExportModal } from './ExportModal';
import { HelpModal } from './HelpModal';
import { ProjectShell } from './ProjectShell';
import { Toasts } from './Toasts';
import { navigate, useRoute } from './useRoute';
import { useMenuCommands } from './useMenuCommands';
import { useProjectStore } from './useProjectStore';
import { useShortcuts } from './useShortcuts';

/** The app: the start screen or an open project, as the URL says, plus dialogs and notifications. */
export function App() {
  const route = useRoute();
  const projectId = useProjectStore((s) => s.projectId);
  const wanted = route.view === 'project' ? route.projectId : null;

  useShortcuts();
  useMenuCommands();

  useEffect(() => {
    const store = useProjectStore.getState();
    if (wanted === null) {
      if (store.projectId !== null) store.closeProject();
      return;
    }
    if (store.projectId === wanted) return;
    void store.openProject(wanted).then(() => {
      // It could not be opened (the error is shown): back to the list, unless the user moved on.
      const current = useProjectStore.getState().projectId;
      if (current === null && window.location.hash.startsWith(`#/project/${wanted}`))
        navigate({ view: 'start' }, true);
    });
  }, [wanted]);

  // Write the last edits before the window goes (the socket or IPC message still leaves).
  useEffect(() => {
    const flush = () => void useProjectStore.getState().flushSave();
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, []);

  let screen;
  if (route.view === 'start') screen = <StartScreen />;
  else if (projectId === route.projectId)
    screen = <ProjectShell key={route.projectId} projectId={route.projectId} tab={route.tab} />;
  else {
    screen = (
      <Center h="100%">
        <Stack align="center" gap="xs">
          <Loader />
          <Text c="dimmed" size="sm">
            Opening the project…
          </Text>
        </Stack>
      </Center>
    );
  }

  return (
    <>
      {screen}
      <HelpModal />
      <ExportModal />
      <Toasts />
    </>
  );
}
