// The carrier simulator's public surface for tests, the demo script and benchmarks.
export { startSimulator, jsonResponse } from './server';
export type { Simulator, SimulatorOptions, LoggedRequest, SimRequest, SimResponse, ProviderHandler } from './server';
export {
  ElectioState,
  electioReference,
  electioMessages,
  ELECTIO_DEFAULT_API_KEY,
  ELECTIO_API_VERSION,
  ELECTIO_CANCEL_SUCCESS,
} from './electio';
export type { ElectioConsignmentState } from './electio';
export { seedDemoShipments } from './demo-data';
