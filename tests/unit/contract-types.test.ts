/**
 * The domain's types are plain TypeScript (shared/domain.ts loads no schema library, for the command
 * line's start-up); the contract builds its schemas from the same lists. Each schema must give exactly
 * its domain type, and accept exactly the domain's values.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { Action, ItemState, ProviderId, Reason, ResultRecord, RetryScope, StateCounts } from '../../shared/contract';
import * as domain from '../../shared/domain';

describe('contract schemas and domain types', () => {
  it('give the same types', () => {
    expectTypeOf<z.infer<typeof ProviderId>>().toEqualTypeOf<domain.ProviderId>();
    expectTypeOf<z.infer<typeof Action>>().toEqualTypeOf<domain.Action>();
    expectTypeOf<z.infer<typeof ItemState>>().toEqualTypeOf<domain.ItemState>();
    expectTypeOf<z.infer<typeof Reason>>().toEqualTypeOf<domain.Reason>();
    expectTypeOf<z.infer<typeof RetryScope>>().toEqualTypeOf<domain.RetryScope>();
    expectTypeOf<z.infer<typeof ResultRecord>>().toEqualTypeOf<domain.ResultRecord>();
    expectTypeOf<z.infer<typeof StateCounts>>().toEqualTypeOf<domain.StateCounts>();
  });

  it('accept exactly the domain values', () => {
    expect(ProviderId.options).toEqual([...domain.PROVIDER_IDS]);
    expect(Action.options).toEqual([...domain.ACTIONS]);
    expect(ItemState.options).toEqual([...domain.ITEM_STATES]);
    expect(Reason.options).toEqual([...domain.REASONS]);
    expect(StateCounts.safeParse(domain.emptyCounts()).success).toBe(true);
  });
});
