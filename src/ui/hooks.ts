/** React hooks the app uses to read the store and the clock. */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { DashboardState } from './state.js';
import type { DashboardStore } from './store.js';

export function useDashboardState(store: DashboardStore): DashboardState {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

/**
 * The one clock of the dashboard: "time in status" labels and flash expiry
 * read it. One interval for the whole app, never one per pane.
 */
export function useNow(clock: () => number, intervalMs = 1000): number {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    const timer = setInterval(() => setNow(clock()), intervalMs);
    return () => clearInterval(timer);
  }, [clock, intervalMs]);
  return now;
}
