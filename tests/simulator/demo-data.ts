// Demo shipments for `npm run demo` and the standalone simulator: a fixed mix out of every 20
// (17 created, 1 manifested, 1 already cancelled, 1 unknown), so a demo shows each kind of result.
import { electioReference } from './electio';
import type { Simulator } from './server';

/** Seeds `count` consignments into the simulator and returns the CSV a clerk would import. */
export function seedDemoShipments(simulator: Simulator, count: number): string {
  const rows = ['Consignment Reference,Order'];
  for (let i = 0; i < count; i++) {
    const ref = electioReference(i);
    const slot = i % 20;
    if (slot === 5) simulator.electio.add([ref], 'manifested');
    else if (slot === 10) simulator.electio.add([ref], 'cancelled');
    else if (slot !== 15) simulator.electio.add([ref], 'created'); // slot 15 stays unknown to the carrier
    rows.push(`${ref},ORD-${String(i + 1).padStart(5, '0')}`);
  }
  return rows.join('\n') + '\n';
}
