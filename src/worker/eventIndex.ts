/**
 * What the UI thread's scans of a run's trace need, sent with RunInfo instead of the trace
 * itself: each event's kind as one byte (play to the next uevent or bind: store.ts nextStop),
 * and the boot stages, the depth-0 phase events with their text (compare's step alignment:
 * compare.ts alignStep). A 60k-device run's ~900k events are ~900 KB here, where the events as
 * objects were ~700 MB of the UI thread's heap. Pure; built in the worker.
 */

export interface EventIndex {
  /** each event's kind, as an index into `kindNames` */
  kinds: Uint8Array;
  /** the kinds of the run, in the order their ids were given */
  kindNames: string[];
  /** the depth-0 phase events (boot stages), in step order */
  stages: { step: number; text: string }[];
}

/**
 * The index from the trace's kind column (Simulation.eventKinds: ids into names) and, for each
 * phase event, its text when it is at depth 0 (`stageText`, null otherwise).
 */
export function eventIndex(kinds: { ids: Uint8Array; names: readonly string[] }, stageText: (i: number) => string | null): EventIndex {
  const stages: EventIndex['stages'] = [];
  const phase = kinds.names.indexOf('phase');
  const { ids } = kinds;
  if (phase >= 0)
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] !== phase) continue;
      const text = stageText(i);
      if (text !== null) stages.push({ step: i, text });
    }
  return { kinds: ids, kindNames: [...kinds.names], stages };
}

/** the index of a list of events (tests, small runs) */
export function indexOf(events: readonly { kind: string; depth: number; text: string }[]): EventIndex {
  const names: string[] = [];
  const ids = new Uint8Array(events.length);
  events.forEach((e, i) => {
    let id = names.indexOf(e.kind);
    if (id < 0) id = names.push(e.kind) - 1;
    ids[i] = id;
  });
  return eventIndex({ ids, names }, (i) => (events[i]!.depth === 0 ? events[i]!.text : null));
}

/** the first event after `step` of this kind, or null */
export function nextOfKind(index: EventIndex, step: number, kind: string): number | null {
  const id = index.kindNames.indexOf(kind);
  if (id < 0) return null;
  const { kinds } = index;
  for (let i = Math.max(0, step + 1); i < kinds.length; i++) if (kinds[i] === id) return i;
  return null;
}

export const EMPTY_INDEX: EventIndex = { kinds: new Uint8Array(0), kindNames: [], stages: [] };
