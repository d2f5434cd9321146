// npm run token:create -- --organisation QH-MZT --role finance --name "王芳" [--expires-days 90]
// npm run token:create -- --user <user id> [--expires-days 90]
// Creates a user (or uses an existing one) and prints a new bearer token once; only its hash is kept.
// For an auditor it also says what the organisation's current audit engagements cover: engagements
// are made by a platform admin (POST /api/v1/audit-engagements), never here, so that each names
// the application user who made it.
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../src/domain/roles.ts';
import { createUser, issueToken } from '../src/services/tokens.ts';
import { loadCoverage } from '../src/services/audit-engagements.ts';
import { COMMAND_LINE_ACTOR } from './lib/command-line-actor.ts';
import { openConfiguredDatabase, runCli } from './lib/open-database.ts';

const USAGE = `usage: npm run token:create -- --organisation <code> --role <${ROLES.join('|')}> --name <display name> [--label <text>] [--expires-days <n>]
       npm run token:create -- --user <user id> [--label <text>] [--expires-days <n>]`;

runCli('token:create', async () => {
  const { values } = parseArgs({
    options: {
      organisation: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      user: { type: 'string' },
      label: { type: 'string', default: 'cli' },
      'expires-days': { type: 'string' },
    },
  });
  const expiresDays = values['expires-days'] === undefined ? null : Number(values['expires-days']);
  if (expiresDays !== null && (!Number.isInteger(expiresDays) || expiresDays < 1)) {
    console.error('--expires-days must be a whole number of days, 1 or more');
    return 2;
  }
  if (!values.user && !(values.organisation && values.role && values.name)) {
    console.error(USAGE);
    return 2;
  }
  if (values.role && !(ROLES as readonly string[]).includes(values.role)) {
    console.error(`--role must be one of ${ROLES.join(', ')}`);
    return 2;
  }
  const db = await openConfiguredDatabase();
  try {
    let userId = values.user;
    if (!userId) {
      const org = await db.prisma.organisation.findUnique({ where: { code: values.organisation as string } });
      if (!org) {
        console.error(`no organisation with code ${values.organisation}`);
        return 2;
      }
      userId = (await createUser(db.prisma, { organisationId: org.id, displayName: values.name as string, role: values.role as Role })).id;
    } else if (!(await db.prisma.appUser.findUnique({ where: { id: userId } }))) {
      console.error('no user with that id');
      return 2;
    }
    const expiresAt = expiresDays === null ? null : new Date(Date.now() + expiresDays * 86_400_000);
    const token = await issueToken(db.prisma, { userId, label: values.label as string, expiresAt });
    const user = await db.prisma.appUser.findUniqueOrThrow({ where: { id: userId } });
    // Written from the operator's shell, so no user acts: the audit row names the command line.
    await db.prisma.auditEvent.create({
      data: {
        actorId: COMMAND_LINE_ACTOR,
        organisationId: user.organisationId,
        action: values.user ? 'token.issue' : 'user.create_with_token',
        recordType: 'api_token',
        recordId: token.id,
        after: { userId, role: user.role, label: values.label as string, prefix: token.prefix, expiresAt: token.expiresAt },
        requestId: 'token:create',
      },
    });
    console.log(`用户 User: ${userId}`);
    console.log(`令牌 Token (shown once, store it now): ${token.secret}`);
    if (token.expiresAt) console.log(`过期 Expires: ${token.expiresAt}`);
    if (user.role === 'auditor') {
      const coverage = await loadCoverage(db.prisma, user.organisationId);
      if (coverage.kind === 'all') console.log('审计范围 Coverage: 全部项目 (all programmes)');
      else if (coverage.programmeIds.length) console.log(`审计范围 Coverage: ${coverage.programmeIds.length} 个项目 (listed programmes)`);
      else
        console.log(
          '审计范围 Coverage: 无 — 该机构当前没有审计委托，平台管理员可通过 POST /api/v1/audit-engagements 创建 (none yet: a platform admin creates one)',
        );
    }
    return 0;
  } finally {
    await db.close();
  }
});
