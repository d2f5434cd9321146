// Batch creation and the import of bank answers change which instalments are paid; both take the
// programme's row lock first, so that for one programme they run one at a time (and an instalment
// can never be put into two batches, or one bank line applied twice, by two concurrent requests).
// Other programmes are not held up.
import { NotFoundError } from '../../domain/errors.ts';
import { Prisma } from '#prisma';
import type { Actor, Tx } from '../context.ts';
import { programmeScopeSql } from '../scope.ts';

export interface LockedProgramme {
  id: string;
  code: string;
  name: string;
  administratorId: string;
  payoutAccountNumber: string | null;
  payoutAccountName: string | null;
  payoutBankName: string | null;
  payoutBankCode: string | null;
}

/** Locks the programme until the transaction ends; 404 when it is outside the actor's scope. */
export async function lockProgramme(tx: Tx, actor: Actor, programmeId: string): Promise<LockedProgramme> {
  const [row] = await tx.$queryRaw<LockedProgramme[]>(Prisma.sql`
    SELECT p."id"::text AS "id", p."code", p."name", p."administrator_id"::text AS "administratorId",
           p."payout_account_number" AS "payoutAccountNumber", p."payout_account_name" AS "payoutAccountName",
           p."payout_bank_name" AS "payoutBankName", p."payout_bank_code" AS "payoutBankCode"
    FROM "programme" p
    WHERE p."id" = ${programmeId}::uuid AND ${programmeScopeSql(actor)}
    FOR UPDATE`);
  if (!row) throw new NotFoundError('programme');
  return row;
}
