// Desk backend handlers for the family commands of the contract.
import type { FamilyApi } from '../../contract/family';
import type { FeatureHandlers, HandlerDeps } from '../handler-deps';

export function createFamilyHandlers(_deps: HandlerDeps): FeatureHandlers<FamilyApi> {
  return {};
}
