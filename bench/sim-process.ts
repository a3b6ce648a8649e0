// Child process: the carrier simulator on 127.0.0.1, driven over IPC, so its CPU and memory are not charged to the measured core.
import { startSimulator } from '../tests/simulator';
import { BENCH_INTEGRATION, BENCH_REFERENCE, type SimCommand } from './sim';

const sim = await startSimulator({ latencyMs: 0 });

function run(command: SimCommand): unknown {
  switch (command.op) {
    case 'add': {
      const refs = Array.from({ length: command.count }, (_, i) => BENCH_REFERENCE[command.provider](command.from + i));
      if (command.provider === 'electio') sim.electio.add(refs);
      else if (command.provider === 'sorted-pro') sim.sortedPro.add(refs);
      else for (const uuid of refs) sim.sendcloud.addShipment(BENCH_INTEGRATION, { uuid });
      return refs.length;
    }
    case 'limit':
      sim.hiddenLimit.set(command.limit);
      return true;
    case 'refused':
      return sim.hiddenLimit.refused;
    case 'latency':
      sim.setLatency(command.ms);
      return command.ms;
    case 'count':
      return sim.count(command.pathPrefix === undefined ? {} : { pathPrefix: command.pathPrefix });
    case 'held': {
      const held = sim.requests.flatMap((request) => (request.heldMs === undefined ? [] : [request.heldMs]));
      return held.reduce((sum, ms) => sum + ms, 0) / held.length;
    }
    case 'clear':
      sim.clearLog();
      return true;
  }
}

process.on('message', (message: { id: number; command: SimCommand }) => {
  process.send?.({ id: message.id, value: run(message.command) });
});
process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
process.send?.({ id: 0, value: sim.url });
