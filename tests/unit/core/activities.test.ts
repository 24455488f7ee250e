import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_KINDS,
  ACTIVITY_KIND_LABELS,
  ALSH_KINDS,
  isActivityKind,
  isAlshKind,
} from '../../../core/activities';

describe('activity kinds', () => {
  it('have a French label each', () => {
    for (const kind of ACTIVITY_KINDS) expect(ACTIVITY_KIND_LABELS[kind].length).toBeGreaterThan(0);
    expect(ACTIVITY_KIND_LABELS.restauration).toBe('Restauration scolaire');
  });

  it('recognise the three ALSH kinds', () => {
    expect(ALSH_KINDS.every((kind) => isAlshKind(kind))).toBe(true);
    expect(isAlshKind('restauration')).toBe(false);
    expect(isAlshKind('periscolaire')).toBe(false);
  });

  it('tell a known kind from any other text', () => {
    expect(isActivityKind('sejour')).toBe(true);
    expect(isActivityKind('piscine')).toBe(false);
    expect(isActivityKind(3)).toBe(false);
  });
});
