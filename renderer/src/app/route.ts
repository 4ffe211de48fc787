// Where the app is, kept in the URL hash so that a reload (or the browser's back button) keeps it.

export const projectTabs = ['editor', 'data', 'training', 'results', 'runs'] as const;
export type ProjectTab = (typeof projectTabs)[number];

export type Route = { view: 'start' } | { view: 'project'; projectId: number; tab: ProjectTab };

/** Reads `#/project/12/training`; anything else is the start screen. */
export function parseRoute(hash: string): Route {
  const match = /^#?\/project\/(\d{1,15})(?:\/([a-z]+))?\/?$/.exec(hash);
  if (!match) return { view: 'start' };
  const projectId = Number(match[1]);
  if (!Number.isSafeInteger(projectId) || projectId < 1) return { view: 'start' };
  const tab = projectTabs.find((t) => t === match[2]) ?? 'editor';
  return { view: 'project', projectId, tab };
}

export function formatRoute(route: Route): string {
  switch (route.view) {
    case 'start':
      return '#/';
    case 'project':
      return `#/project/${route.projectId}/${route.tab}`;
  }
}
