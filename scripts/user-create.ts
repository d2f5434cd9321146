// npm run user:create -- --organisation QH-MZT --role approver --name "王芳" --username wang.fang [--base-url https://…]
// npm run user:create -- --user <user id> [--username <name>]      (a new link for an existing user)
// Creates a person who signs in to the pages (or takes an existing one), and prints a one-time
// set-password link, valid for 72 hours: the person chooses their own password with it. Only the
// link's hash is kept; a new link replaces an older one. Runs as the command line's platform admin.
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../src/domain/roles.ts';
import { issuePasswordSetup } from '../src/services/credentials.ts';
import { createUser } from '../src/services/tokens.ts';
import { commandLineContext } from './lib/command-line-actor.ts';
import { openConfiguredDatabase, runCli } from './lib/open-database.ts';

const USAGE = `usage: npm run user:create -- --organisation <code> --role <${ROLES.join('|')}> --name <display name> --username <name> [--base-url <url>]
       npm run user:create -- --user <user id> [--username <name>] [--base-url <url>]`;

runCli('user:create', async () => {
  const { values } = parseArgs({
    options: {
      organisation: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      username: { type: 'string' },
      user: { type: 'string' },
      'base-url': { type: 'string', default: 'http://127.0.0.1:3000' },
    },
  });
  if (!values.user && !(values.organisation && values.role && values.name && values.username)) {
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
    let organisationId: string;
    if (!userId) {
      const org = await db.prisma.organisation.findUnique({ where: { code: values.organisation as string } });
      if (!org) {
        console.error(`no organisation with code ${values.organisation}`);
        return 2;
      }
      organisationId = org.id;
      userId = (await createUser(db.prisma, { organisationId: org.id, displayName: values.name as string, role: values.role as Role })).id;
    } else {
      const user = await db.prisma.appUser.findUnique({ where: { id: userId } });
      if (!user) {
        console.error('no user with that id');
        return 2;
      }
      organisationId = user.organisationId;
    }
    const issued = await issuePasswordSetup({
      ctx: commandLineContext(db, organisationId, 'user:create'),
      input: { userId, ...(values.username ? { username: values.username } : {}) },
    });
    console.log(`用户 User: ${issued.userId}`);
    console.log(`用户名 User name: ${issued.username}`);
    console.log(`设置密码链接 Set-password link (shown once; valid until ${issued.expiresAt}): ${new URL(issued.link, values['base-url']).toString()}`);
    return 0;
  } finally {
    await db.close();
  }
});
