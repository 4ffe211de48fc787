import { openDb } from '../db';
import { table } from '../format';
import type { CommandContext } from '../context';

/** `nwb projects`: the projects in the database. */
export function projectsCommand(ctx: CommandContext): number {
  const storage = openDb(ctx);
  try {
    const projects = storage.listProjects();
    if (ctx.json) ctx.out(JSON.stringify(projects));
    else if (projects.length === 0)
      ctx.out('No projects yet: `nwb train <preset>` or `nwb import <file.nwb>` creates one.');
    else
      ctx.out(
        table(
          ['id', 'name', 'runs', 'updated'],
          projects.map((p) => [p.id, p.name, p.runCount, p.updatedAt.replace('T', ' ').slice(0, 19)]),
          ['r', 'l', 'r', 'l'],
        ),
      );
    return 0;
  } finally {
    storage.close();
  }
}
