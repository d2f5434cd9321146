// Every action of the permission table has words for people, so a home page never shows a code alone.
import { describe, expect, it } from 'vitest';
import { type Action, PERMISSIONS } from '../../src/domain/roles.ts';
import { ACTION_LABELS } from '../../src/web/action-labels.ts';
import { actionsOf } from '../../src/web/pages/home.tsx';

describe('action labels', () => {
  it('every action of the permission table has a Chinese label', () => {
    const missing = (Object.keys(PERMISSIONS) as Action[]).filter((action) => !ACTION_LABELS[action]);
    expect(missing).toEqual([]);
    for (const label of Object.values(ACTION_LABELS)) expect(label).toMatch(/[\u4e00-\u9fff]/);
  });

  it('a role’s home lists exactly the actions the table gives it', () => {
    expect(actionsOf('foundation_viewer')).toEqual(
      (Object.keys(PERMISSIONS) as Action[]).filter((a) => (PERMISSIONS[a] as readonly string[]).includes('foundation_viewer')),
    );
    expect(actionsOf('auditor')).toContain('ledger.verify');
    expect(actionsOf('auditor')).not.toContain('grant.decide');
  });
});
