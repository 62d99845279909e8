/** `GET /v1/models` wire shapes. */

export interface ModelInfo {
  type: "model";
  id: string;
  display_name: string;
  created_at: string;
}

export interface ModelsPage {
  data: ModelInfo[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}
