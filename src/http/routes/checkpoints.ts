// Signed checkpoints of the ledger's and the audit trail's hash chains: the list, and all of them
// to download (auditors, foundations, admins). The files come from the app's Checkpointer.
import type { Context } from 'hono';
import { exportCheckpoints, listCheckpoints } from '../../services/checkpoints.ts';
import { serviceContext } from '../context.ts';
import { fileResponse, jsonResponse, routeGroup } from '../define-route.ts';
import type { AppEnv } from '../env.ts';
import { fileAnswer } from '../files.ts';
import { CheckpointListOut } from '../schemas/checkpoints.ts';

const { get } = routeGroup({ tags: ['Audit'] });

const sourceOf = (c: Context<AppEnv>) => c.get('deps').checkpoints;

export const checkpointRoutes = [
  get('/checkpoints', 'checkpoint.read', {
    summary: 'The signed checkpoints of both hash chains, newest first, with the newest of each (auditor, foundation, admin)',
    responses: { 200: jsonResponse('The checkpoints', CheckpointListOut) },
  }).answers(async (c) => c.json(await listCheckpoints({ ctx: serviceContext(c), source: sourceOf(c) }), 200)),
  get('/checkpoints.zip', 'checkpoint.read', {
    summary: 'Every signed checkpoint as kept, one file each, in a zip',
    responses: { 200: fileResponse('The zip (attachment)', 'application/zip') },
  }).answers(async (c) => {
    const file = await exportCheckpoints({ ctx: serviceContext(c), source: sourceOf(c), format: 'zip' });
    return fileAnswer(c, file.body, { contentType: file.contentType, name: file.name });
  }),
  get('/checkpoints.jsonl', 'checkpoint.read', {
    summary: 'Every signed checkpoint as kept, one per line (JSON lines, as UTF-8 text)',
    responses: { 200: fileResponse('The JSON lines (attachment)', 'text/plain') },
  }).answers(async (c) => {
    const file = await exportCheckpoints({ ctx: serviceContext(c), source: sourceOf(c), format: 'jsonl' });
    return c.text(String(file.body), 200, { 'Content-Disposition': `attachment; filename="${file.name}"` });
  }),
];
