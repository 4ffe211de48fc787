import {
  ActionIcon,
  Button,
  Divider,
  Group,
  Menu,
  Tabs,
  Tooltip,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import {
  Activity,
  ArrowLeft,
  ChartColumn,
  CircleQuestionMark,
  Download,
  Ellipsis,
  ListClock,
  Moon,
  Redo2,
  Save,
  Sun,
  Table2,
  Undo2,
  Workflow,
} from 'lucide-react';
import { useEffect, useState, type ComponentType } from 'react';
import { DataView } from '../features/data/DataView';
import { useDataContextSync } from '../features/data/useDataContextSync';
import { EditorView } from '../features/editor/EditorView';
import { ResultsView } from '../features/results/ResultsView';
import { RunsView } from '../features/runs/RunsView';
import { TrainingView } from '../features/training/TrainingView';
import { registerCommands, runCommand } from './commands';
import { ProjectName } from './ProjectName';
import { projectTabs, type ProjectTab } from './route';
import { RunStatus } from './RunStatus';
import { SaveStatus } from './SaveStatus';
import { navigate } from './useRoute';
import { useProjectStore } from './useProjectStore';
import { useUiStore } from './useUiStore';
import { notifySuccess } from './useToastStore';

const tabInfo: Record<
  ProjectTab,
  { label: string; icon: ComponentType<{ size?: number }>; view: ComponentType<{ projectId: number }> }
> = {
  editor: { label: 'Editor', icon: Workflow, view: EditorView },
  data: { label: 'Data', icon: Table2, view: DataView },
  training: { label: 'Training', icon: Activity, view: TrainingView },
  results: { label: 'Results', icon: ChartColumn, view: ResultsView },
  runs: { label: 'Runs', icon: ListClock, view: RunsView },
};

function UndoRedo() {
  const canUndo = useProjectStore((s) => s.canUndo);
  const canRedo = useProjectStore((s) => s.canRedo);
  const undoLabel = useProjectStore((s) => s.undoLabel);
  const redoLabel = useProjectStore((s) => s.redoLabel);
  return (
    <Group gap={4} wrap="nowrap">
      <Tooltip label={undoLabel ? `Undo ${undoLabel} (Ctrl+Z)` : 'Nothing to undo'}>
        <ActionIcon
          variant="subtle"
          color="gray"
          aria-label="Undo"
          disabled={!canUndo}
          onClick={() => runCommand('undo')}
        >
          <Undo2 size={18} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label={redoLabel ? `Redo ${redoLabel} (Ctrl+Shift+Z)` : 'Nothing to redo'}>
        <ActionIcon
          variant="subtle"
          color="gray"
          aria-label="Redo"
          disabled={!canRedo}
          onClick={() => runCommand('redo')}
        >
          <Redo2 size={18} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}

function MoreMenu() {
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const ui = useUiStore.getState();
  return (
    <Menu position="bottom-end" width={230} shadow="md">
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label="More actions">
          <Ellipsis size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<Save size={16} />} onClick={() => runCommand('saveVersion')}>
          Save a version
        </Menu.Item>
        <Menu.Item leftSection={<Download size={16} />} onClick={() => ui.setExportOpen(true)}>
          Export project file…
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          leftSection={scheme === 'dark' ? <Sun size={16} /> : <Moon size={16} />}
          onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}
        >
          {scheme === 'dark' ? 'Light theme' : 'Dark theme'}
        </Menu.Item>
        <Menu.Item leftSection={<CircleQuestionMark size={16} />} onClick={() => ui.setHelpOpen(true)}>
          Help and shortcuts
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** An open project: the header (name, save state, tabs, live run) and the five views. */
export function ProjectShell({ projectId, tab }: { projectId: number; tab: ProjectTab }) {
  // Here, not in a view: the editor's shape checks need the dataset before the Data view is opened.
  useDataContextSync();
  // A view mounts the first time it is shown and then stays, keeping its state and its charts.
  const [visited, setVisited] = useState<ReadonlySet<ProjectTab>>(() => new Set([tab]));
  if (!visited.has(tab)) setVisited(new Set([...visited, tab]));

  const goTo = (next: ProjectTab) => navigate({ view: 'project', projectId, tab: next });

  useEffect(
    () =>
      registerCommands({
        undo: () => useProjectStore.getState().undo(),
        redo: () => useProjectStore.getState().redo(),
        saveVersion: () => {
          void useProjectStore
            .getState()
            .saveVersion()
            .then((ok) => ok && notifySuccess('Version saved.'));
        },
      }),
    [],
  );

  return (
    <Tabs
      value={tab}
      onChange={(value) => {
        const next = projectTabs.find((t) => t === value);
        if (next) goTo(next);
      }}
      keepMounted
      variant="pills"
      radius="md"
      style={{ height: '100%', display: 'flex', flexDirection: 'column' }}
    >
      <Group
        component="header"
        h={52}
        px="sm"
        gap="sm"
        wrap="nowrap"
        justify="space-between"
        style={{ borderBottom: '1px solid var(--mantine-color-default-border)', flex: '0 0 auto' }}
      >
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0, flex: '1 1 auto' }}>
          <Tooltip label="All projects">
            <Button
              variant="subtle"
              color="gray"
              size="compact-sm"
              leftSection={<ArrowLeft size={16} />}
              onClick={() => navigate({ view: 'start' })}
              aria-label="Back to projects"
              style={{ flex: '0 0 auto' }}
            >
              Projects
            </Button>
          </Tooltip>
          <Divider orientation="vertical" />
          <ProjectName />
          <SaveStatus />
        </Group>
        <Tabs.List style={{ flexWrap: 'nowrap', flex: '0 0 auto' }} aria-label="Project views">
          {projectTabs.map((t) => {
            const Icon = tabInfo[t].icon;
            return (
              <Tabs.Tab key={t} value={t} leftSection={<Icon size={15} />} px="sm" py={6}>
                {tabInfo[t].label}
              </Tabs.Tab>
            );
          })}
        </Tabs.List>
        <Group gap="sm" wrap="nowrap" justify="flex-end" style={{ flex: '0 0 auto' }}>
          <RunStatus projectId={projectId} onOpen={() => goTo('training')} />
          <UndoRedo />
          <MoreMenu />
        </Group>
      </Group>
      <div style={{ flex: '1 1 auto', minHeight: 0, position: 'relative' }}>
        {projectTabs.map((t) => {
          const View = tabInfo[t].view;
          return (
            <Tabs.Panel key={t} value={t} h="100%">
              {visited.has(t) && <View projectId={projectId} />}
            </Tabs.Panel>
          );
        })}
      </div>
    </Tabs>
  );
}
