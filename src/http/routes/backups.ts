// The database's backup, for `npm run backup` while the service runs (platform admins only).
import { takeDatabaseBackup } from '../../services/backups.ts';
import { fileResponse, routeGroup } from '../define-route.ts';

const { get } = routeGroup({ tags: ['Operations'] });

export const backupRoutes = [
  get('/backup', 'database.backup', {
    summary: 'A consistent backup of the whole database, with its manifest (platform admin)',
    description:
      'One file: a format line, a manifest (JSON: time, migrations, both chains’ heads, row counts, the payload’s size and SHA-256), then the rows of every table as taken in one REPEATABLE READ transaction. The personal-data keys are not in it. `npm run backup` calls this on the embedded database while the service runs; `npm run restore` checks and restores it. Every backup is audited.',
    responses: { 200: fileResponse('The backup file (attachment)', 'application/octet-stream') },
  }).downloads(takeDatabaseBackup),
];
