/** What the router knows about each backend's models: filled at start-up, refreshed by health checks. */
import type { BackendModel } from "../backends/backend";

export interface CatalogEntry {
  backendId: string;
  /** Undefined when the backend's list could not be read. */
  models: BackendModel[] | undefined;
}
