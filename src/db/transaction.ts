// The transaction type: the Prisma client inside an interactive transaction. The ledger, the audit
// trail and the services all write through it; it lives with the client, below all of them.
import type { PrismaClient } from '#prisma';

/** The client inside an interactive transaction. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;
