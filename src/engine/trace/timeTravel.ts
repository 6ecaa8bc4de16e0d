/**
 * Time travel's code, as the Simulation is given it (simulationCore.ts): the timeline with its
 * copy-on-write storage and snapshot views, and the match explanation at a step. The worker loads
 * it as a chunk of its own (its first chunk has a budget); simulation.ts imports it.
 */
export { Timeline } from './timeline';
export { explainDevice, ueventFile } from './snapshot';
