/**
 * Walkthroughs: a design told stop by stop. Each stop finds its place on the timeline by an
 * event (a matcher such as "the uevent add of arm-rsi"), not by a step number that shifts when
 * the engine changes; says in a sentence or two what a reviewer sees there; names the nodes
 * to focus and the panel to show. Pure data and a pure resolver; the zod schema that checks a
 * user-written walkthrough is walkthroughSchema.ts.
 */
import type { EventKind, TraceEvent, UeventRecord } from '../api';

export interface EventMatcher {
  kind?: EventKind;
  /** the uevent's ACTION (implies a uevent event) */
  action?: UeventRecord['action'];
  /** the uevent's DEVPATH, or a device the event touched, ends with this */
  devpathEndsWith?: string;
  /** the event's sentence contains this */
  textIncludes?: string;
  /** the event touched this module */
  module?: string;
  /** which match: 1 = the first (default), 2 = the second, -1 = the last */
  nth?: number;
}

/** what the presentation shows beside the graph at a stop */
export type StopPanel = 'uevent' | 'details' | 'outcome' | 'tree' | 'compare' | 'none';

export interface WalkthroughStop {
  /** the event the stop shows the state after; "start" = before anything, "end" = the last event */
  at: EventMatcher | 'start' | 'end';
  /** one or two sentences, as a reviewer would say them */
  caption: string;
  /** nodes to zoom to: "device:<sysfs name>", "module:<name>", "driver:<bus>/<name>"; default: what the event touched */
  focus?: string[];
  panel?: StopPanel;
  /** a built-in design to show at this stop (walkthroughs that compare designs); default: the walkthrough's */
  design?: string;
  /** with panel "compare": the built-in design shown as B */
  compare?: string;
  /** how long a recording stays on this stop (ms); default: `npm run record`'s --dwell */
  dwellMs?: number;
}

export interface Walkthrough {
  id: string;
  title: string;
  /** the built-in design it walks through (absent in a scenario's own walkthrough: the scenario) */
  design?: string;
  stops: WalkthroughStop[];
}

export function matchesEvent(e: TraceEvent, m: EventMatcher): boolean {
  if (m.kind && e.kind !== m.kind) return false;
  if (m.action && e.uevent?.action !== m.action) return false;
  if (m.devpathEndsWith !== undefined) {
    const paths = e.uevent ? [e.uevent.devpath] : (e.touches.devices ?? []);
    if (!paths.some((p) => p.endsWith(m.devpathEndsWith!))) return false;
  }
  if (m.textIncludes !== undefined && !e.text.includes(m.textIncludes)) return false;
  if (m.module !== undefined && !(e.touches.modules ?? []).includes(m.module)) return false;
  return true;
}

/** The step a stop shows (-1 = before anything), or null when no event matches. */
export function resolveStop(stop: WalkthroughStop, events: TraceEvent[]): number | null {
  if (stop.at === 'start') return -1;
  if (stop.at === 'end') return events.length - 1;
  const m = stop.at;
  const hits = events.filter((e) => matchesEvent(e, m));
  const nth = m.nth ?? 1;
  const hit = nth < 0 ? hits[hits.length + nth] : hits[nth - 1];
  return hit ? hit.index : null;
}

/** a matcher in words, for error messages: 'uevent add …/arm-rsi' */
export function describeMatcher(at: WalkthroughStop['at']): string {
  if (typeof at === 'string') return at;
  const parts = [at.kind, at.action, at.devpathEndsWith && `…${at.devpathEndsWith}`, at.textIncludes && `"${at.textIncludes}"`, at.module && `module ${at.module}`, at.nth && `#${at.nth}`];
  return parts.filter(Boolean).join(' ') || 'any event';
}

/** the design a stop shows */
export function stopDesign(w: Walkthrough, stop: WalkthroughStop): string | undefined {
  return stop.design ?? w.design;
}
