import {
  ActionIcon,
  Alert,
  Button,
  Container,
  EmptyState,
  Group,
  LoadingOverlay,
  Paper,
  ScrollArea,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
} from '@mantine/core';
import { CircleQuestionMark, FileUp, FolderOpen, Network, Plus } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { PresetSummary } from '../../../../shared/api/contract';
import { call } from '../../api/host';
import { fileToBase64 } from '../../app/files';
import { navigate } from '../../app/useRoute';
import { useUiStore } from '../../app/useUiStore';
import { errorMessage, notifyError, notifySuccess } from '../../app/useToastStore';
import { NewProjectModal } from './NewProjectModal';
import { PresetGallery } from './PresetGallery';
import { uniqueName } from './projectNames';
import { RecentProjects } from './RecentProjects';
import { useStartData } from './useStartData';

const open = (id: number) => navigate({ view: 'project', projectId: id, tab: 'editor' });

/** The first screen: recent projects, the presets gallery, new and import. */
export function StartScreen() {
  const { projects, presets, error, reload } = useStartData();
  const newOpen = useUiStore((s) => s.newProjectOpen);
  const setNewOpen = useUiStore((s) => s.setNewProjectOpen);
  const [busy, setBusy] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const presetsSection = useRef<HTMLElement>(null);
  const names = (projects ?? []).map((p) => p.name);

  // Menu commands that lead here: New, Import, Presets.
  const intent = useUiStore((s) => s.startIntent);
  useEffect(() => {
    if (!intent) return;
    useUiStore.getState().clearStartIntent();
    if (intent.kind === 'import') fileInput.current?.click();
    else presetsSection.current?.scrollIntoView({ behavior: 'smooth' });
  }, [intent]);

  const openPreset = async (preset: PresetSummary) => {
    setBusy(preset.id);
    try {
      const project = await call('projects:create', {
        name: uniqueName(preset.name, names),
        presetId: preset.id,
      });
      open(project.id);
    } catch (e) {
      notifyError(`The preset could not be opened: ${errorMessage(e)}`);
      setBusy(null);
    }
  };

  const importFile = async (file: File) => {
    setBusy('import');
    try {
      const base64 = await fileToBase64(file);
      const project = await call('projects:import', { fileName: file.name, base64 });
      notifySuccess(`Imported "${project.name}".`);
      open(project.id);
    } catch (e) {
      notifyError(`${file.name} could not be imported: ${errorMessage(e)}`);
      setBusy(null);
    }
  };

  return (
    <ScrollArea h="100%" type="auto">
      <LoadingOverlay visible={busy === 'import'} overlayProps={{ blur: 1 }} />
      <Container size="lg" py="xl">
        <Group justify="space-between" align="flex-start" mb="xl" wrap="wrap" gap="md">
          <Group gap="md" wrap="nowrap">
            <ThemeIcon size={48} radius="md" variant="light">
              <Network size={28} />
            </ThemeIcon>
            <div>
              <Title order={2}>Neural Workbench</Title>
              <Text c="dimmed" size="sm">
                Build neural networks from blocks and train them on this computer, offline.
              </Text>
            </div>
          </Group>
          <Group gap="sm">
            <Button leftSection={<Plus size={16} />} onClick={() => setNewOpen(true)}>
              New empty project
            </Button>
            <Button
              variant="default"
              leftSection={<FileUp size={16} />}
              onClick={() => fileInput.current?.click()}
            >
              Import project file
            </Button>
            <Tooltip label="Help and shortcuts">
              <ActionIcon
                variant="subtle"
                color="gray"
                size="lg"
                aria-label="Help"
                onClick={() => useUiStore.getState().setHelpOpen(true)}
              >
                <CircleQuestionMark size={20} />
              </ActionIcon>
            </Tooltip>
            <input
              ref={fileInput}
              type="file"
              accept=".nwb,.json"
              hidden
              aria-label="Project file to import"
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                e.currentTarget.value = '';
                if (file) void importFile(file);
              }}
            />
          </Group>
        </Group>

        {error && (
          <Alert color="red" title="The projects could not be loaded" mb="lg">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{error}</Text>
              <Button size="xs" variant="light" color="red" onClick={reload}>
                Try again
              </Button>
            </Stack>
          </Alert>
        )}

        <Stack gap="xl">
          <section aria-labelledby="recent-title">
            <Title order={4} id="recent-title" mb="sm">
              Recent projects
            </Title>
            <Paper withBorder radius="md" p={projects && projects.length > 0 ? 0 : 'lg'}>
              {projects === null ? (
                <Stack p="md" gap="sm">
                  <Skeleton h={18} />
                  <Skeleton h={18} />
                  <Skeleton h={18} w="60%" />
                </Stack>
              ) : projects.length === 0 ? (
                <EmptyState
                  icon={<FolderOpen size={28} />}
                  withIndicatorBackground
                  title="No projects yet"
                  description="Open one of the presets below to train a network from the lesson, or create an empty project and build your own."
                />
              ) : (
                <RecentProjects projects={projects} onOpen={open} onChanged={reload} />
              )}
            </Paper>
          </section>

          <section aria-labelledby="presets-title" ref={presetsSection}>
            <Title order={4} id="presets-title" mb={4}>
              Start from a preset
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              Each opens as a new project with its network, dataset and training settings filled in.
            </Text>
            {presets === null ? (
              <Group grow>
                <Skeleton h={170} radius="md" />
                <Skeleton h={170} radius="md" />
              </Group>
            ) : presets.length === 0 ? (
              <Text size="sm" c="dimmed">
                No presets were found in this installation.
              </Text>
            ) : (
              <PresetGallery presets={presets} busyId={busy} onOpen={(p) => void openPreset(p)} />
            )}
          </section>
        </Stack>
      </Container>
      <NewProjectModal
        opened={newOpen}
        defaultName={uniqueName('Untitled project', names)}
        onClose={() => setNewOpen(false)}
        onCreated={(id) => {
          setNewOpen(false);
          open(id);
        }}
      />
    </ScrollArea>
  );
}
