// The carrier simulator's public surface for tests, the demo script and benchmarks.
export { startSimulator, jsonResponse } from './server';
export type { Simulator, SimulatorOptions, LoggedRequest, SimRequest, SimResponse, ProviderHandler } from './server';
export { FAULT_KINDS, mulberry32, providerError } from './faults';
export type { FaultKind, FaultRule, FaultRules, FaultControl, ApplicableFault } from './faults';
export {
  ElectioState,
  electioReference,
  electioMessages,
  ELECTIO_DEFAULT_API_KEY,
  ELECTIO_API_VERSION,
  ELECTIO_CANCEL_SUCCESS,
} from './electio';
export type { ElectioConsignmentState } from './electio';
export { SortedProState, sortedReference, sortedMessages, SORTED_DEFAULT_API_KEY, SORTED_API_VERSION } from './sorted-pro';
export type { SortedShipmentState, SortedShipment, SortedOverride } from './sorted-pro';
export {
  SendcloudState,
  sendcloudShipmentUuid,
  sendcloudMessages,
  SENDCLOUD_DEFAULT_PUBLIC_KEY,
  SENDCLOUD_DEFAULT_SECRET_KEY,
  SENDCLOUD_DEFAULT_CLIENT_ID,
  SENDCLOUD_DEFAULT_CLIENT_SECRET,
  SENDCLOUD_DEFAULT_TOKEN_EXPIRES_IN,
} from './sendcloud';
export type {
  SendcloudOptions,
  SendcloudShipment,
  SendcloudShipmentKey,
  SendcloudCancelBehaviour,
  SendcloudV3CancelBehaviour,
  SendcloudLabelStatus,
  SendcloudKeyPair,
  SendcloudClient,
  SendcloudRateLimit,
  SendcloudPrincipal,
} from './sendcloud';
export {
  validateSendcloudDeleteRequest,
  validateSendcloudDeleteResponse,
  loadSendcloudDeleteOpenApi,
  extractOpenApiYaml,
  createOpenApiAjv,
  SENDCLOUD_DELETE_SEED_PATH,
} from './sendcloud-openapi';
export type { SendcloudDeleteOpenApi } from './sendcloud-openapi';
export { seedDemoShipments } from './demo-data';
