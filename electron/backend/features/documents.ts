// Desk backend handlers for the documents commands of the contract.
import type { DocumentsApi } from '../../contract/documents';
import type { FeatureHandlers, HandlerDeps } from '../handler-deps';

export function createDocumentsHandlers(_deps: HandlerDeps): FeatureHandlers<DocumentsApi> {
  return {};
}
