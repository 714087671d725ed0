/**
 * What the dashboard needs from a server connection: the subset of
 * ServerConnection it uses, so tests can hand it a fake.
 */
import type { ServerConnection } from '../client/connection.js';

export type DashboardConnection = Pick<ServerConnection, 'request' | 'onEvent' | 'onClose'>;

/** One line for the flash or the spawn dialog, whatever was thrown. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
