// Desk backend handlers for the planning commands of the contract.
import type { PlanningApi } from '../../contract/planning';
import type { FeatureHandlers, HandlerDeps } from '../handler-deps';

export function createPlanningHandlers(_deps: HandlerDeps): FeatureHandlers<PlanningApi> {
  return {};
}
