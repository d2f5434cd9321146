// Reconciliations started through the API (POST /api/v1/reconciliation-runs): the upload form as a
// client sends it, and following the job until it has ended.
import { expect } from 'vitest';

export const JOBS = '/api/v1/reconciliation-runs';

export interface Upload {
  name: string;
  bytes: Uint8Array | string;
}

export interface JobFormFields {
  /** Each sent as its own `checks` field. */
  checks?: string[];
  programmeId?: string;
  statements?: Upload[];
  remittances?: Upload;
  csvPreset?: string;
  /** Further text fields, as sent. */
  extra?: Record<string, string>;
}

const fileOf = (upload: Upload) => new File([upload.bytes as Uint8Array<ArrayBuffer> | string], upload.name);

/** The multipart form of a reconciliation request. */
export function jobForm(fields: JobFormFields): FormData {
  const form = new FormData();
  for (const check of fields.checks ?? []) form.append('checks', check);
  if (fields.programmeId !== undefined) form.append('programmeId', fields.programmeId);
  for (const statement of fields.statements ?? []) form.append('statements', fileOf(statement));
  if (fields.remittances) form.append('remittances', fileOf(fields.remittances));
  if (fields.csvPreset !== undefined) form.append('csvPreset', fields.csvPreset);
  for (const [key, value] of Object.entries(fields.extra ?? {})) form.append(key, value);
  return form;
}

interface Getter {
  get(path: string): Promise<{ status: number; json: any }>;
}

/** Polls GET /reconciliation-jobs/{id} until the job is finished, failed or interrupted; its last answer. */
export async function waitForJob(client: Getter, id: string, timeoutMs = 120_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await client.get(`/api/v1/reconciliation-jobs/${id}`);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    if (!['queued', 'running'].includes(res.json.status)) return res.json;
    if (Date.now() > until) throw new Error(`job ${id} still ${res.json.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
