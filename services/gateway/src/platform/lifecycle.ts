/** The process's serving state, shared by main.ts (which sets it), the app and /readyz (which read it). */
export interface Lifecycle {
  /** Set on SIGTERM: /readyz fails so the load balancer stops sending traffic while in-flight work finishes. */
  draining: boolean;
  /** Metered calls between reserve and settle, also those whose client has gone: shutdown waits for them. */
  metered?: number;
}
